/*
 * master_cf - read master.cf into entries while keeping every line's bytes.
 *
 * The reader is strict where Postfix's postconf is lenient: master must
 * refuse to start anything from a file it cannot fully understand, so
 * every malformed entry is an error naming the file and the line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/master_cf_int.h"
#include "util/alloc.h"
#include "util/msg.h"

static struct strbuf *master_cf_error_buf;

static const char *const master_cf_field_names[MASTER_CF_FIELD_COUNT] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup", "process_limit", "command",
};

static const char *const master_cf_type_names[] = {
    [MASTER_CF_INET] = "inet", [MASTER_CF_UNIX] = "unix", [MASTER_CF_UNIX_DGRAM] = "unix-dgram",
    [MASTER_CF_FIFO] = "fifo", [MASTER_CF_PASS] = "pass",
};

#define MASTER_CF_TYPE_COUNT (sizeof(master_cf_type_names) / sizeof(master_cf_type_names[0]))

const char *master_cf_error(const char *fmt, ...)
{
	struct strbuf *fresh = strbuf_new(4096);
	va_list ap;

	/* A new buffer, since the arguments may point into the old one. */
	va_start(ap, fmt);
	if (!strbuf_vprintf(fresh, fmt, ap))
		strbuf_set(fresh, "master.cf error message too long");
	va_end(ap);
	strbuf_free(&master_cf_error_buf);
	master_cf_error_buf = fresh;
	return strbuf_str(master_cf_error_buf);
}

const char *master_cf_field_name(enum master_cf_field field)
{
	return field < MASTER_CF_FIELD_COUNT ? master_cf_field_names[field] : "";
}

const char *master_cf_type_name(enum master_cf_type type)
{
	return (size_t)type < MASTER_CF_TYPE_COUNT ? master_cf_type_names[type] : "";
}

void master_cf_service_free(struct master_cf_service **svc)
{
	struct master_cf_service *s = *svc;

	if (s == NULL)
		return;
	for (size_t i = 0; i < MASTER_CF_COMMAND; i++)
		free(s->field[i]);
	for (size_t i = 0; i < s->argc; i++)
		free(s->argv[i]);
	free(s->argv);
	for (size_t i = 0; i < s->override_count; i++) {
		free(s->overrides[i].name);
		free(s->overrides[i].value);
	}
	free(s->overrides);
	free(s);
	*svc = NULL;
}

/* Digits only, fitting an int; the whole string. */
static bool master_cf_number(const char *text, size_t len, unsigned *value_r)
{
	unsigned long value = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		value = value * 10 + (unsigned long)(text[i] - '0');
		if (value > INT_MAX)
			return false;
	}
	*value_r = (unsigned)value;
	return true;
}

static bool master_cf_valid_inet_name(const char *name)
{
	const char *colon;

	if (name[0] == '[') {
		const char *close = strchr(name, ']');

		return close != NULL && close > name + 1 && close[1] == ':' && close[2] != 0;
	}
	colon = strrchr(name, ':');
	return colon == NULL || (colon > name && colon[1] != 0);
}

/* Checks field number index; NULL when it is fine, else the complaint. */
static const char *master_cf_check_field(struct master_cf_service *svc, size_t index)
{
	const char *value = svc->field[index];
	size_t len = strlen(value);
	unsigned number;

	switch (index) {
	case MASTER_CF_TYPE:
		for (size_t t = 0; t < MASTER_CF_TYPE_COUNT; t++) {
			if (strcmp(value, master_cf_type_names[t]) == 0) {
				svc->type = (enum master_cf_type)t;
				return NULL;
			}
		}
		return "bad value";
	case MASTER_CF_PRIVATE:
	case MASTER_CF_UNPRIVILEGED:
	case MASTER_CF_CHROOT:
		return strcmp(value, "y") == 0 || strcmp(value, "n") == 0 || strcmp(value, "-") == 0
		           ? NULL
		           : "bad value";
	case MASTER_CF_WAKEUP:
		if (strcmp(value, "-") == 0)
			return NULL;
		if (len > 0 && value[len - 1] == '?')
			len--;
		return master_cf_number(value, len, &number) ? NULL : "bad value";
	case MASTER_CF_PROCESS_LIMIT:
		return strcmp(value, "-") == 0 || master_cf_number(value, len, &number)
		           ? NULL
		           : "bad value";
	default:
		return NULL;
	}
}

/*
 * Takes the next word from *cursor.  A word that starts with '{' runs to
 * the matching '}' and loses the braces and the whitespace just inside
 * them; *braced_r tells the caller, since "{-v}" is an argument, not an
 * option.  Returns NULL at the end of the text or on error.
 */
static char *master_cf_next_word(const char **cursor, bool *braced_r, const char **error_r)
{
	const char *cp = *cursor + strspn(*cursor, " \t\r\n");
	const char *start = cp;
	size_t depth = 0;

	*error_r = NULL;
	*braced_r = (*cp == '{');
	if (*cp == 0)
		return NULL;
	if (!*braced_r) {
		cp += strcspn(cp, " \t\r\n");
		*cursor = cp;
		return xstrndup(start, (size_t)(cp - start));
	}
	for (; *cp; cp++) {
		if (*cp == '{')
			depth++;
		else if (*cp == '}' && --depth == 0)
			break;
	}
	if (*cp == 0) {
		*error_r = master_cf_error("missing '}' in \"%s\"", start);
		return NULL;
	}
	if (cp[1] != 0 && strchr(" \t\r\n", cp[1]) == NULL) {
		*error_r = master_cf_error("text after '}' in \"%.*s\"",
		                           (int)strcspn(start, " \t\r\n"), start);
		return NULL;
	}
	*cursor = cp + 1;
	start += 1 + strspn(start + 1, " \t\r\n");
	while (cp > start && strchr(" \t\r\n", cp[-1]) != NULL)
		cp--;
	return xstrndup(start, (size_t)(cp - start));
}

static void master_cf_push_arg(struct master_cf_service *svc, char *arg)
{
	svc->argv = xreallocarray(svc->argv, svc->argc + 2, sizeof(*svc->argv));
	svc->argv[svc->argc++] = arg;
	svc->argv[svc->argc] = NULL;
}

/*
 * Adds "-o" and "name=value" from text, which is "name=value" or the
 * inside of "{ name = value }" (whitespace around '=' ignored).
 */
static const char *master_cf_add_override(struct master_cf_service *svc, const char *text)
{
	const char *eq = strchr(text, '=');
	struct master_cf_override *ov;
	size_t name_len;
	const char *value;

	if (eq == NULL)
		return master_cf_error("-o \"%s\": missing '=' after the parameter name", text);
	name_len = (size_t)(eq - text);
	while (name_len > 0 && strchr(" \t\r\n", text[name_len - 1]) != NULL)
		name_len--;
	if (name_len == 0)
		return master_cf_error("-o \"%s\": missing parameter name", text);
	if (strcspn(text, " \t\r\n") < name_len)
		return master_cf_error("-o \"%s\": whitespace in parameter name", text);
	value = eq + 1 + strspn(eq + 1, " \t\r\n");
	svc->overrides =
	    xreallocarray(svc->overrides, svc->override_count + 1, sizeof(*svc->overrides));
	ov = &svc->overrides[svc->override_count++];
	ov->name = xstrndup(text, name_len);
	ov->value = xstrdup(value);
	master_cf_push_arg(svc, xstrdup("-o"));
	master_cf_push_arg(svc, xmalloc(name_len + strlen(value) + 2));
	strcpy(svc->argv[svc->argc - 1], ov->name);
	strcat(svc->argv[svc->argc - 1], "=");
	strcat(svc->argv[svc->argc - 1], value);
	return NULL;
}

/* The value of an -o whose letter is at word[pos]: attached or the next word. */
static const char *master_cf_option_value(struct master_cf_service *svc, const char *word,
                                          size_t pos, const char **cursor)
{
	const char *error;
	const char *rest = word + pos + 1;
	bool braced;
	char *value;

	if (*rest != 0 && *rest != '{')
		return master_cf_add_override(svc, rest);
	if (*rest == '{') {
		const char *inner = rest;

		value = master_cf_next_word(&inner, &braced, &error);
	} else {
		value = master_cf_next_word(cursor, &braced, &error);
		if (value == NULL && error == NULL)
			error = master_cf_error("option -o needs name=value");
	}
	if (value == NULL)
		return error;
	error = master_cf_add_override(svc, value);
	free(value);
	return error;
}

/* Splits the daemon options at the front of the arguments, as getopt would. */
static const char *master_cf_parse_options(struct master_cf_service *svc, const char **cursor)
{
	const char *error;
	const char *before;
	bool braced;
	char *word;

	for (;;) {
		before = *cursor;
		if ((word = master_cf_next_word(cursor, &braced, &error)) == NULL)
			return error;
		if (braced || word[0] != '-' || word[1] == 0 || strcmp(word, "--") == 0) {
			free(word);
			*cursor = before;
			return NULL;
		}
		for (size_t pos = 1; word[pos] != 0; pos++) {
			if (word[pos] == 'o') {
				error = master_cf_option_value(svc, word, pos, cursor);
				break;
			}
			char flag[3] = {'-', word[pos], 0};

			master_cf_push_arg(svc, xstrdup(flag));
		}
		free(word);
		if (error != NULL)
			return error;
		if (svc->argc > MASTER_CF_ARGS_MAX)
			return master_cf_error("more than %d command arguments",
			                       MASTER_CF_ARGS_MAX);
	}
}

static const char *master_cf_parse_command(struct master_cf_service *svc, const char *cursor)
{
	const char *error;
	bool braced;
	char *word;

	if ((word = master_cf_next_word(&cursor, &braced, &error)) == NULL)
		return error ? error : master_cf_error("missing \"command\" field");
	master_cf_push_arg(svc, word);
	if ((error = master_cf_parse_options(svc, &cursor)) != NULL)
		return error;
	svc->option_end = svc->argc;
	while ((word = master_cf_next_word(&cursor, &braced, &error)) != NULL) {
		master_cf_push_arg(svc, word);
		if (svc->argc > MASTER_CF_ARGS_MAX)
			return master_cf_error("more than %d command arguments",
			                       MASTER_CF_ARGS_MAX);
	}
	return error;
}

/* Reads the seven plain fields; NULL when fine, else the complaint. */
static const char *master_cf_parse_fields(struct master_cf_service *svc, const char **cursor)
{
	const char *cp = *cursor;
	const char *complaint;

	for (size_t i = 0; i < MASTER_CF_COMMAND; i++) {
		size_t len;

		cp += strspn(cp, " \t\r\n");
		if ((len = strcspn(cp, " \t\r\n")) == 0)
			return master_cf_error("missing \"%s\" field", master_cf_field_names[i]);
		svc->field[i] = xstrndup(cp, len);
		cp += len;
		if ((complaint = master_cf_check_field(svc, i)) != NULL)
			return master_cf_error("field \"%s\": %s: \"%s\"", master_cf_field_names[i],
			                       complaint, svc->field[i]);
	}
	if (svc->type == MASTER_CF_INET &&
	    !master_cf_valid_inet_name(svc->field[MASTER_CF_SERVICE]))
		return master_cf_error("field \"service\": bad inet address: \"%s\"",
		                       svc->field[MASTER_CF_SERVICE]);
	if (svc->type == MASTER_CF_INET && strcmp(svc->field[MASTER_CF_PRIVATE], "y") == 0)
		return master_cf_error("inet service cannot be private");
	*cursor = cp;
	return NULL;
}

struct master_cf_service *master_cf_parse_entry(const char *line, const char *where,
                                                const char **error_r)
{
	struct master_cf_service *svc = xcalloc(1, sizeof(*svc));
	const char *cursor = line;
	const char *error;

	if ((error = master_cf_parse_fields(svc, &cursor)) == NULL)
		error = master_cf_parse_command(svc, cursor);
	if (error != NULL) {
		*error_r = master_cf_error("%s: %s", where, error);
		master_cf_service_free(&svc);
	}
	return svc;
}

void master_cf_add_item(struct master_cf *cf, char *text, struct master_cf_service *svc)
{
	if (cf->item_count == cf->item_capacity) {
		cf->item_capacity = cf->item_capacity ? 2 * cf->item_capacity : 16;
		cf->items = xreallocarray(cf->items, cf->item_capacity, sizeof(*cf->items));
	}
	cf->items[cf->item_count].text = text;
	cf->items[cf->item_count].svc = svc;
	cf->item_count++;
}

static bool master_cf_same_service(const struct master_cf_service *a,
                                   const struct master_cf_service *b)
{
	return a->type == b->type &&
	       strcmp(a->field[MASTER_CF_SERVICE], b->field[MASTER_CF_SERVICE]) == 0;
}

void master_cf_reindex(struct master_cf *cf)
{
	cf->entries = xreallocarray(cf->entries, cf->item_count + 1, sizeof(*cf->entries));
	cf->entry_count = 0;
	for (size_t i = 0; i < cf->item_count; i++) {
		if (cf->items[i].svc != NULL)
			cf->entries[cf->entry_count++] = i;
	}
	/* Quadratic, but master.cf holds tens of entries, not thousands. */
	for (size_t i = 0; i < cf->entry_count; i++) {
		struct master_cf_service *svc = cf->items[cf->entries[i]].svc;

		svc->superseded = false;
		for (size_t j = i + 1; j < cf->entry_count && !svc->superseded; j++)
			svc->superseded =
			    master_cf_same_service(svc, cf->items[cf->entries[j]].svc);
	}
}

/* The reader's state between physical lines. */
struct master_cf_reader {
	struct master_cf *cf;
	const char *text;
	size_t done;         /* bytes already turned into items */
	size_t entry_end;    /* end of the open entry's last line */
	unsigned entry_line; /* 0 when no entry is open */
	struct strbuf *logical;
};

static bool master_cf_close_entry(struct master_cf_reader *rd, const char **error_r)
{
	struct master_cf_service *svc;
	char where[64];

	if (rd->entry_line == 0)
		return true;
	snprintf(where, sizeof(where), "line %u", rd->entry_line);
	svc = master_cf_parse_entry(strbuf_str(rd->logical), where, error_r);
	if (svc == NULL)
		return false;
	svc->line = rd->entry_line;
	master_cf_add_item(rd->cf, xstrndup(rd->text + rd->done, rd->entry_end - rd->done), svc);
	rd->done = rd->entry_end;
	rd->entry_line = 0;
	strbuf_reset(rd->logical);
	return true;
}

static void master_cf_flush_comments(struct master_cf_reader *rd, size_t end)
{
	if (end > rd->done)
		master_cf_add_item(rd->cf, xstrndup(rd->text + rd->done, end - rd->done), NULL);
	rd->done = end;
}

/* Handles one physical line text[start, end) (end after its newline). */
static bool master_cf_read_line(struct master_cf_reader *rd, size_t start, size_t end,
                                unsigned lineno, const char **error_r)
{
	const char *line = rd->text + start;
	size_t len = end - start;
	size_t blank = 0;

	while (blank < len && strchr(" \t\r\n\v\f", line[blank]) != NULL)
		blank++;
	if (blank == len || line[blank] == '#')
		return true;
	if (blank > 0 && rd->entry_line == 0) {
		*error_r = master_cf_error(
		    "line %u: continuation line without a service entry above", lineno);
		return false;
	}
	if (blank == 0) {
		if (!master_cf_close_entry(rd, error_r))
			return false;
		master_cf_flush_comments(rd, start);
		rd->entry_line = lineno;
	}
	/* The newline goes, so messages quote the entry on one line. */
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!strbuf_append_char(rd->logical, ' ') || !strbuf_append(rd->logical, line, len)) {
		*error_r = master_cf_error("line %u: entry longer than %d bytes", rd->entry_line,
		                           MASTER_CF_LINE_MAX);
		return false;
	}
	rd->entry_end = end;
	return true;
}

static bool master_cf_read_text(struct master_cf_reader *rd, size_t len, const char **error_r)
{
	unsigned lineno = 0;
	size_t start = 0;

	if (memchr(rd->text, 0, len) != NULL) {
		*error_r = master_cf_error("NUL byte in file");
		return false;
	}
	while (start < len) {
		const char *nl = memchr(rd->text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - rd->text) + 1 : len;

		if (!master_cf_read_line(rd, start, end, ++lineno, error_r))
			return false;
		start = end;
	}
	if (!master_cf_close_entry(rd, error_r))
		return false;
	master_cf_flush_comments(rd, len);
	return true;
}

struct master_cf *master_cf_parse(const char *path, const char *text, size_t len,
                                  const char **error_r)
{
	struct master_cf *cf = xcalloc(1, sizeof(*cf));
	struct master_cf_reader rd = {.cf = cf, .text = text};
	const char *error;

	cf->path = xstrdup(path);
	rd.logical = strbuf_new(MASTER_CF_LINE_MAX);
	if (!master_cf_read_text(&rd, len, &error)) {
		*error_r = master_cf_error("%s: %s", path, error);
		master_cf_free(&cf);
	} else {
		master_cf_reindex(cf);
	}
	strbuf_free(&rd.logical);
	return cf;
}

/* Reads the whole file; NULL with *error_r on failure. */
static char *master_cf_slurp(const char *path, size_t *len_r, const char **error_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *data;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		*error_r = master_cf_error("open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MASTER_CF_FILE_MAX) {
		*error_r = master_cf_error("%s: not a regular file of at most %d bytes", path,
		                           MASTER_CF_FILE_MAX);
		close(fd);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n <= 0) {
			*error_r = master_cf_error("read %s: %s", path,
			                           n < 0 ? strerror(errno) : "file shrank");
			free(data);
			close(fd);
			return NULL;
		}
		got += (size_t)n;
	}
	close(fd);
	*len_r = got;
	return data;
}

struct master_cf *master_cf_read(const char *path, const char **error_r)
{
	struct master_cf *cf;
	size_t len;
	char *text;

	if ((text = master_cf_slurp(path, &len, error_r)) == NULL)
		return NULL;
	cf = master_cf_parse(path, text, len, error_r);
	free(text);
	return cf;
}

void master_cf_free(struct master_cf **cf)
{
	struct master_cf *c = *cf;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->item_count; i++) {
		free(c->items[i].text);
		master_cf_service_free(&c->items[i].svc);
	}
	free(c->items);
	free(c->entries);
	free(c->path);
	free(c);
	*cf = NULL;
}

const char *master_cf_path(const struct master_cf *cf)
{
	return cf->path;
}

size_t master_cf_count(const struct master_cf *cf)
{
	return cf->entry_count;
}

const struct master_cf_service *master_cf_service(const struct master_cf *cf, size_t index)
{
	if (index >= cf->entry_count)
		msg_panic("master_cf_service: index %zu of %zu", index, cf->entry_count);
	return cf->items[cf->entries[index]].svc;
}

const struct master_cf_service *master_cf_find(const struct master_cf *cf, const char *name,
                                               const char *type)
{
	for (size_t i = cf->entry_count; i-- > 0;) {
		const struct master_cf_service *svc = cf->items[cf->entries[i]].svc;

		if (strcmp(svc->field[MASTER_CF_SERVICE], name) == 0 &&
		    strcmp(svc->field[MASTER_CF_TYPE], type) == 0)
			return svc;
	}
	return NULL;
}

static bool master_cf_yes(const struct master_cf_service *svc, enum master_cf_field field,
                          bool default_value)
{
	const char *value = svc->field[field];

	return strcmp(value, "-") == 0 ? default_value : strcmp(value, "y") == 0;
}

bool master_cf_private(const struct master_cf_service *svc)
{
	return svc->type != MASTER_CF_INET && master_cf_yes(svc, MASTER_CF_PRIVATE, true);
}

bool master_cf_unprivileged(const struct master_cf_service *svc)
{
	return master_cf_yes(svc, MASTER_CF_UNPRIVILEGED, true);
}

bool master_cf_chroot(const struct master_cf_service *svc)
{
	return master_cf_yes(svc, MASTER_CF_CHROOT, false);
}

unsigned master_cf_wakeup(const struct master_cf_service *svc, bool *when_used_r)
{
	const char *value = svc->field[MASTER_CF_WAKEUP];
	size_t len = strlen(value);
	unsigned seconds = 0;

	*when_used_r = len > 0 && value[len - 1] == '?';
	if (strcmp(value, "-") != 0)
		(void)master_cf_number(value, len - *when_used_r, &seconds);
	return seconds;
}

unsigned master_cf_process_limit(const struct master_cf_service *svc, unsigned default_limit)
{
	const char *value = svc->field[MASTER_CF_PROCESS_LIMIT];
	unsigned limit = default_limit;

	if (strcmp(value, "-") != 0)
		(void)master_cf_number(value, strlen(value), &limit);
	return limit;
}

const char *master_cf_override(const struct master_cf_service *svc, const char *name)
{
	for (size_t i = svc->override_count; i-- > 0;) {
		if (strcmp(svc->overrides[i].name, name) == 0)
			return svc->overrides[i].value;
	}
	return NULL;
}

bool master_cf_request_check(const char *request, int max_parts, const char **error_r)
{
	int parts = 1;

	for (const char *cp = request; *cp; cp++)
		parts += (*cp == '/');
	if (parts > max_parts) {
		*error_r = master_cf_error("request \"%s\": more than %d '/'-separated parts",
		                           request, max_parts);
		return false;
	}
	return true;
}

/* Matches the part of request up to '/' or its end against value. */
static bool master_cf_part_match(const char **request, const char *value)
{
	const char *part = *request;
	size_t len = strcspn(part, "/");

	*request = part[len] == '/' ? part + len + 1 : part + len;
	if (len == 1 && part[0] == '*')
		return true;
	return strlen(value) == len && memcmp(part, value, len) == 0;
}

bool master_cf_request_match(const struct master_cf_service *svc, const char *request,
                             const char **name_r)
{
	const char *cp = request;
	bool has_type = strchr(request, '/') != NULL;

	if (!master_cf_part_match(&cp, svc->field[MASTER_CF_SERVICE]))
		return false;
	if (has_type && !master_cf_part_match(&cp, svc->field[MASTER_CF_TYPE]))
		return false;
	if (name_r != NULL)
		*name_r = *cp ? cp : "*";
	return true;
}
