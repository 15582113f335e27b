/*
 * main_cf - split main.cf into logical lines and those into name/value
 * definitions.  The whole file is read at once (it is small and local),
 * which keeps line numbers and continuation handling in one loop.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/main_cf.h"
#include "util/alloc.h"
#include "util/msg.h"

struct main_cf *main_cf_new(const char *path)
{
	struct main_cf *cf = xcalloc(1, sizeof(*cf));

	cf->path = xstrdup(path);
	return cf;
}

void main_cf_free(struct main_cf **cf_ptr)
{
	struct main_cf *cf = *cf_ptr;

	if (cf == NULL)
		return;
	for (size_t i = 0; i < cf->count; i++) {
		free(cf->entries[i].name);
		free(cf->entries[i].value);
	}
	free(cf->entries);
	free(cf->path);
	free(cf);
	*cf_ptr = NULL;
}

static void main_cf_add(struct main_cf *cf, char *name, char *value, int line)
{
	if (cf->count == cf->capacity) {
		cf->capacity = cf->capacity ? cf->capacity * 2 : 32;
		cf->entries = xreallocarray(cf->entries, cf->capacity, sizeof(*cf->entries));
	}
	cf->entries[cf->count].name = name;
	cf->entries[cf->count].value = value;
	cf->entries[cf->count].line = line;
	cf->count++;
}

void main_cf_set(struct main_cf *cf, const char *name, const char *value)
{
	main_cf_add(cf, xstrdup(name), xstrdup(value), 0);
}

const struct main_cf_entry *main_cf_find(const struct main_cf *cf, const char *name)
{
	for (size_t i = cf->count; i-- > 0;)
		if (strcmp(cf->entries[i].name, name) == 0)
			return &cf->entries[i];
	return NULL;
}

bool main_cf_split(const char *text, char **name_r, char **value_r, const char **error_r)
{
	const char *name_end = text;
	const char *value;
	const char *value_end;

	while (*name_end && !isspace((unsigned char)*name_end) && *name_end != '=')
		name_end++;
	value = name_end;
	while (isspace((unsigned char)*value))
		value++;
	if (name_end == text && (*value == '=' || *value == 0)) {
		*error_r = "missing attribute name";
		return false;
	}
	if (*value != '=') {
		*error_r = "missing '=' after attribute name";
		return false;
	}
	value++;
	while (isspace((unsigned char)*value))
		value++;
	value_end = value + strlen(value);
	while (value_end > value && isspace((unsigned char)value_end[-1]))
		value_end--;
	*name_r = xstrndup(text, (size_t)(name_end - text));
	*value_r = xstrndup(value, (size_t)(value_end - value));
	return true;
}

/* Files may carry NUL bytes; the logical line text stops at the first. */
static bool main_cf_finish(struct main_cf *cf, struct strbuf *logical, int line,
                           struct strbuf *error)
{
	char *name;
	char *value;
	const char *reason;
	const struct main_cf_entry *earlier;

	if (line == 0)
		return true;
	if (!main_cf_split(strbuf_str(logical), &name, &value, &reason)) {
		strbuf_printf(error, "%s, line %d: %s: \"%s\"", cf->path, line, reason,
		              strbuf_str(logical));
		return false;
	}
	if ((earlier = main_cf_find(cf, name)) != NULL)
		msg_warn("%s, line %d: overriding earlier entry: %s=%s", cf->path, line, name,
		         earlier->value);
	main_cf_add(cf, name, value, line);
	return true;
}

static bool main_cf_ignored(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)line[i]))
		i++;
	return i == len || line[i] == '#';
}

bool main_cf_parse(struct main_cf *cf, const char *text, size_t len, struct strbuf *error)
{
	struct strbuf *logical = strbuf_new(MAIN_CF_LINE_MAX);
	const char *end = text + len;
	int number = 0;
	int start = 0;
	bool ok = true;

	for (const char *line = text, *next; ok && line < end; line = next) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t line_len = nl ? (size_t)(nl - line) : (size_t)(end - line);

		next = nl ? nl + 1 : end;
		number++;
		if (main_cf_ignored(line, line_len))
			continue;
		if (isspace((unsigned char)line[0]) && start == 0) {
			msg_warn("%s: logical line must not start with whitespace: \"%.*s\"",
			         cf->path, (int)line_len, line);
		} else if (isspace((unsigned char)line[0])) {
			if (!strbuf_append(logical, line, line_len)) {
				strbuf_printf(error,
				              "%s, line %d: logical line longer than %d bytes",
				              cf->path, start, MAIN_CF_LINE_MAX);
				ok = false;
			}
		} else {
			ok = main_cf_finish(cf, logical, start, error);
			start = number;
			strbuf_reset(logical);
			if (ok && !strbuf_append(logical, line, line_len)) {
				strbuf_printf(error,
				              "%s, line %d: logical line longer than %d bytes",
				              cf->path, start, MAIN_CF_LINE_MAX);
				ok = false;
			}
		}
	}
	if (ok)
		ok = main_cf_finish(cf, logical, start, error);
	strbuf_free(&logical);
	return ok;
}

char *main_cf_slurp(const char *path, size_t max, size_t *len_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct strbuf *buf;
	char chunk[8192];
	ssize_t got;

	if (fd < 0)
		return NULL;
	buf = strbuf_new(max);
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || !strbuf_append(buf, chunk, (size_t)got)) {
			if (got >= 0)
				errno = EFBIG;
			int saved = errno;
			close(fd);
			strbuf_free(&buf);
			errno = saved;
			return NULL;
		}
	}
	close(fd);
	*len_r = strbuf_len(buf);
	return strbuf_export(&buf);
}

struct main_cf *main_cf_read(const char *path, bool missing_ok, struct strbuf *error)
{
	struct main_cf *cf;
	size_t len;
	char *text = main_cf_slurp(path, MAIN_CF_FILE_MAX, &len);

	if (text == NULL && errno == ENOENT && missing_ok)
		return main_cf_new(path);
	if (text == NULL) {
		strbuf_printf(error, "open %s: %m", path);
		return NULL;
	}
	cf = main_cf_new(path);
	if (!main_cf_parse(cf, text, len, error))
		main_cf_free(&cf);
	free(text);
	return cf;
}
