/*
 * main_cf_edit - line-level rewriting of main.cf.  Lines are classified
 * as main_cf.c reads them (start, continuation, ignored), so a changed
 * definition takes its continuation lines with it while comments and
 * blank lines between them stay where they are.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/main_cf.h"
#include "config/main_cf_edit.h"
#include "util/alloc.h"
#include "util/msg.h"

/* One physical line, newline included when present. */
struct edit_line {
	const char *ptr;
	size_t len;
};

enum line_kind { LINE_IGNORED, LINE_START, LINE_CONTINUE };

static enum line_kind line_kind(struct edit_line line)
{
	size_t i = 0;

	while (i < line.len && isspace((unsigned char)line.ptr[i]))
		i++;
	if (i == line.len || line.ptr[i] == '#')
		return LINE_IGNORED;
	return i == 0 ? LINE_START : LINE_CONTINUE;
}

/* The change for the definition that line starts, or NULL; the last one given wins. */
static const struct main_cf_change *line_change(struct edit_line line,
                                                const struct main_cf_change *changes, size_t count,
                                                size_t *index_r)
{
	size_t len = 0;

	while (len < line.len && !isspace((unsigned char)line.ptr[len]) && line.ptr[len] != '=')
		len++;
	for (size_t i = count; i-- > 0;) {
		if (strlen(changes[i].name) == len && memcmp(changes[i].name, line.ptr, len) == 0) {
			*index_r = i;
			return &changes[i];
		}
	}
	return NULL;
}

static struct edit_line *split_lines(const char *text, size_t len, size_t *count_r)
{
	struct edit_line *lines = NULL;
	size_t count = 0;

	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		lines = xreallocarray(lines, count + 1, sizeof(*lines));
		lines[count].ptr = p;
		lines[count++].len = n;
		p += n;
	}
	*count_r = count;
	return lines;
}

/* Writes the changed definition at lines[first..last] to out. */
static void edit_one(struct strbuf *out, const struct edit_line *lines, size_t first, size_t last,
                     enum main_cf_edit_mode mode, const struct main_cf_change *change)
{
	if (mode == MAIN_CF_EDIT_SET)
		strbuf_printf(out, "%s = %s\n", change->name, change->value);
	for (size_t i = first; i <= last; i++) {
		bool part = line_kind(lines[i]) != LINE_IGNORED;

		if (mode == MAIN_CF_EDIT_COMMENT && part)
			strbuf_append_char(out, '#');
		if (mode == MAIN_CF_EDIT_COMMENT || !part)
			strbuf_append(out, lines[i].ptr, lines[i].len);
	}
	if (mode == MAIN_CF_EDIT_COMMENT && lines[last].ptr[lines[last].len - 1] != '\n')
		strbuf_append_char(out, '\n');
}

char *main_cf_edit_text(const char *path, const char *text, size_t len, enum main_cf_edit_mode mode,
                        const struct main_cf_change *changes, size_t count, size_t *len_r)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	size_t nlines;
	struct edit_line *lines = split_lines(text, len, &nlines);
	int *seen = xcalloc(count + 1, sizeof(*seen));

	for (size_t i = 0; i < nlines; i++) {
		const struct main_cf_change *change = NULL;
		size_t index, last = i;

		if (line_kind(lines[i]) == LINE_START)
			change = line_change(lines[i], changes, count, &index);
		if (change == NULL) {
			strbuf_append(out, lines[i].ptr, lines[i].len);
			continue;
		}
		for (size_t j = i + 1; j < nlines && line_kind(lines[j]) != LINE_START; j++)
			if (line_kind(lines[j]) == LINE_CONTINUE)
				last = j;
		edit_one(out, lines, i, last, mode, change);
		if (seen[index]++ == 1)
			msg_warn("%s: multiple entries for \"%s\"", path, change->name);
		i = last;
	}
	for (size_t i = 0; mode == MAIN_CF_EDIT_SET && i < count; i++) {
		size_t index;

		if (seen[i] ||
		    line_change((struct edit_line){changes[i].name, strlen(changes[i].name)},
		                changes, count, &index) != &changes[i])
			continue;
		if (strbuf_len(out) > 0 && strbuf_str(out)[strbuf_len(out) - 1] != '\n')
			strbuf_append_char(out, '\n');
		strbuf_printf(out, "%s = %s\n", changes[i].name, changes[i].value);
	}
	free(seen);
	free(lines);
	*len_r = strbuf_len(out);
	return strbuf_export(&out);
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t done = write(fd, data, len);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		data += done;
		len -= (size_t)done;
	}
	return true;
}

/* Writes text to tmp with st's mode (and owner for root), synced. */
static bool write_temp(const char *tmp, const char *text, size_t len, const struct stat *st,
                       struct strbuf *error)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	bool ok;

	if (fd < 0) {
		strbuf_printf(error, "open %s: %m", tmp);
		return false;
	}
	ok = fchmod(fd, st->st_mode & 07777) == 0 &&
	     (geteuid() != 0 || fchown(fd, st->st_uid, st->st_gid) == 0);
	if (!ok)
		strbuf_printf(error, "set permissions of %s: %m", tmp);
	else if (!(ok = write_all(fd, text, len)))
		strbuf_printf(error, "write %s: %m", tmp);
	else if (!(ok = fsync(fd) == 0))
		strbuf_printf(error, "fsync %s: %m", tmp);
	if (close(fd) != 0 && ok) {
		strbuf_printf(error, "close %s: %m", tmp);
		ok = false;
	}
	if (!ok)
		unlink(tmp);
	return ok;
}

/* Locks the directory of path; returns the descriptor or -1 with error. */
static int lock_directory(const char *path, struct strbuf *error)
{
	const char *slash = strrchr(path, '/');
	char *dir =
	    slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		strbuf_printf(error, "open %s: %m", dir);
	else if (flock(fd, LOCK_EX) != 0) {
		strbuf_printf(error, "lock %s: %m", dir);
		close(fd);
		fd = -1;
	}
	free(dir);
	return fd;
}

static bool replace_file(const char *path, const char *text, size_t len, const struct stat *st,
                         int dir_fd, struct strbuf *error)
{
	struct strbuf *tmp = strbuf_new(STRBUF_UNLIMITED);
	bool ok;

	strbuf_printf(tmp, "%s.tmp", path);
	ok = write_temp(strbuf_str(tmp), text, len, st, error);
	if (ok && rename(strbuf_str(tmp), path) != 0) {
		strbuf_printf(error, "rename %s to %s: %m", strbuf_str(tmp), path);
		unlink(strbuf_str(tmp));
		ok = false;
	}
	if (ok && fsync(dir_fd) != 0) {
		strbuf_printf(error, "fsync directory of %s: %m", path);
		ok = false;
	}
	strbuf_free(&tmp);
	return ok;
}

bool main_cf_edit(const char *path, enum main_cf_edit_mode mode,
                  const struct main_cf_change *changes, size_t count, struct strbuf *error)
{
	int dir_fd = lock_directory(path, error);
	struct stat st = {.st_mode = 0644, .st_uid = geteuid(), .st_gid = getegid()};
	size_t len = 0, new_len;
	char *text, *new_text;
	bool ok;

	if (dir_fd < 0)
		return false;
	text = main_cf_slurp(path, MAIN_CF_FILE_MAX, &len);
	if (text == NULL && errno != ENOENT) {
		strbuf_printf(error, "open %s: %m", path);
		close(dir_fd);
		return false;
	}
	if (text != NULL && stat(path, &st) != 0) {
		strbuf_printf(error, "stat %s: %m", path);
		free(text);
		close(dir_fd);
		return false;
	}
	new_text = main_cf_edit_text(path, text ? text : "", len, mode, changes, count, &new_len);
	ok = (text == NULL && new_len == 0) ||
	     replace_file(path, new_text, new_len, &st, dir_fd, error);
	free(text);
	free(new_text);
	close(dir_fd);
	return ok;
}
