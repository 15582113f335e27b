/*
 * dict_source - logical lines and the two record syntaxes of table source
 * files.  The reader keeps one physical line of lookahead, because only
 * the next line tells whether the current record continues.  Aliases
 * entries are normalized with a small RFC 822 tokenizer, since postalias
 * stores "a , b" as "a, b" and Q"x y"z as the name "q x y z", and lookups
 * must find what Postfix would find.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_source.h"
#include "util/alloc.h"
#include "util/strbuf.h"

struct dict_source {
	FILE *fp;
	char *name;
	enum dict_source_format format;
	int flags;
	char *line; /* the current physical line, without its newline */
	size_t line_size;
	int line_number;
	bool pending; /* line was read but belongs to the next record */
	bool eof;
	struct strbuf *logical;
	struct strbuf *key;
	struct strbuf *value;
	struct strbuf *error;
};

static struct dict_source *dict_source_new(FILE *fp, const char *name,
                                           enum dict_source_format format, int flags)
{
	struct dict_source *source = xcalloc(1, sizeof(*source));

	source->fp = fp;
	source->name = xstrdup(name);
	source->format = format;
	source->flags = flags;
	source->logical = strbuf_new(STRBUF_UNLIMITED);
	source->key = strbuf_new(STRBUF_UNLIMITED);
	source->value = strbuf_new(STRBUF_UNLIMITED);
	source->error = strbuf_new(STRBUF_UNLIMITED);
	return source;
}

struct dict_source *dict_source_open(const char *path, enum dict_source_format format, int flags,
                                     const char **error_r)
{
	FILE *fp = fopen(path, "re");

	if (fp == NULL) {
		int saved = errno;

		*error_r = dict_errorf("open %s: %s", path, strerror(saved));
		errno = saved;
		return NULL;
	}
	return dict_source_new(fp, path, format, flags);
}

struct dict_source *dict_source_fdopen(int fd, const char *label, enum dict_source_format format,
                                       int flags, const char **error_r)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	FILE *fp = copy < 0 ? NULL : fdopen(copy, "r");

	if (fp == NULL) {
		*error_r = dict_errorf("read %s: %s", label, strerror(errno));
		if (copy >= 0)
			close(copy);
		return NULL;
	}
	return dict_source_new(fp, label, format, flags);
}

const char *dict_source_name(const struct dict_source *source)
{
	return source->name;
}

void dict_source_close(struct dict_source **sourcep)
{
	struct dict_source *source = *sourcep;

	if (source == NULL)
		return;
	fclose(source->fp);
	free(source->name);
	free(source->line);
	strbuf_free(&source->logical);
	strbuf_free(&source->key);
	strbuf_free(&source->value);
	strbuf_free(&source->error);
	free(source);
	*sourcep = NULL;
}

/* Formats a message naming the file and line into the source's buffer. */
static const char *dict_source_where(struct dict_source *source, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *dict_source_where(struct dict_source *source, int line, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(source->error);
	strbuf_printf(source->error, "%s, line %d: ", source->name, line);
	va_start(ap, fmt);
	strbuf_vprintf(source->error, fmt, ap);
	va_end(ap);
	return strbuf_str(source->error);
}

/* Reads one physical line; 1 when read, 0 at the end, -1 on a read error. */
static int dict_source_read_line(struct dict_source *source)
{
	ssize_t len;

	errno = 0;
	if ((len = getline(&source->line, &source->line_size, source->fp)) < 0)
		return ferror(source->fp) ? -1 : 0;
	if (len > 0 && source->line[len - 1] == '\n')
		source->line[len - 1] = 0;
	source->line_number++;
	return 1;
}

static bool dict_source_skippable(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return *line == 0 || *line == '#';
}

/*
 * Collects the next logical line into source->logical and its first line
 * number into *line_r.  Returns DICT_SOURCE_RECORD when one was found;
 * text that starts with whitespace where a record should start is
 * collected the same way and reported as one bad line.
 */
static enum dict_source_status dict_source_logical(struct dict_source *source, int *line_r,
                                                   const char **error_r)
{
	bool started = false;
	bool indented = false;
	int status;

	strbuf_reset(source->logical);
	while (!source->eof) {
		if (!source->pending && (status = dict_source_read_line(source)) <= 0) {
			if (status < 0) {
				*error_r =
				    dict_errorf("read %s: %s", source->name, strerror(errno));
				return DICT_SOURCE_ERROR;
			}
			source->eof = true;
			break;
		}
		source->pending = false;
		if (dict_source_skippable(source->line))
			continue;
		if (!started) {
			started = true;
			indented = isspace((unsigned char)source->line[0]);
			*line_r = source->line_number;
		} else if (!isspace((unsigned char)source->line[0])) {
			source->pending = true;
			break;
		}
		strbuf_append_str(source->logical, source->line);
	}
	if (indented) {
		/* Control characters would garble the log line; Postfix shows '?'. */
		for (size_t i = 0; i < source->logical->len; i++)
			if (iscntrl((unsigned char)source->logical->data[i]))
				source->logical->data[i] = '?';
		*error_r = dict_source_where(source, *line_r,
		                             "logical line must not start with whitespace: \"%s\"",
		                             strbuf_str(source->logical));
		return DICT_SOURCE_BAD_LINE;
	}
	return started ? DICT_SOURCE_RECORD : DICT_SOURCE_END;
}

static void dict_source_fold(struct dict_source *source, struct strbuf *buf)
{
	if (source->flags & DICT_FLAG_FOLD_CASE)
		for (size_t i = 0; i < buf->len; i++)
			buf->data[i] = (char)tolower((unsigned char)buf->data[i]);
}

/* Splits a postmap logical line into source->key and source->value. */
static bool dict_source_postmap(struct dict_source *source, char *text)
{
	size_t key_len = strcspn(text, " \t\r\n\v\f");
	char *value = text + key_len;

	while (isspace((unsigned char)*value))
		value++;
	strbuf_trim_end(source->logical, " \t\r\n\v\f");
	if (*value == 0)
		return false;
	strbuf_reset(source->key);
	strbuf_append(source->key, text, key_len);
	strbuf_set(source->value, value);
	return true;
}

/* The RFC 822 token kinds the aliases syntax needs. */
enum dict_source_token {
	DICT_TOKEN_END,
	DICT_TOKEN_ATOM,    /* word characters, backslash escapes kept */
	DICT_TOKEN_QUOTED,  /* "...", including the quotes */
	DICT_TOKEN_COMMENT, /* (...), nested, including the parentheses */
	DICT_TOKEN_SPECIAL, /* one of ()<>@,;:.[] */
};

#define DICT_SOURCE_SPECIALS "()<>@,;:.[]\""

/* The end of a quoted string whose opening quote is just before cp. */
static const char *dict_source_skip_quoted(const char *cp)
{
	for (; *cp; cp++) {
		if (*cp == '\\' && cp[1] != 0)
			cp++;
		else if (*cp == '"')
			return cp + 1;
	}
	return cp;
}

/* The end of a (possibly nested) comment that opens at cp. */
static const char *dict_source_skip_comment(const char *cp)
{
	int depth = 0;

	for (; *cp; cp++) {
		if (*cp == '\\' && cp[1] != 0)
			cp++;
		else if (*cp == '(')
			depth++;
		else if (*cp == ')' && --depth == 0)
			return cp + 1;
	}
	return cp;
}

/* Finds the next token at *cursor: its kind, start and length. */
static enum dict_source_token dict_source_token(const char **cursor, const char **start_r,
                                                size_t *len_r)
{
	const char *cp = *cursor;
	enum dict_source_token kind = DICT_TOKEN_SPECIAL;

	while (isspace((unsigned char)*cp))
		cp++;
	*start_r = cp;
	if (*cp == 0)
		return DICT_TOKEN_END;
	if (*cp == '"') {
		kind = DICT_TOKEN_QUOTED;
		cp = dict_source_skip_quoted(cp + 1);
	} else if (*cp == '(') {
		kind = DICT_TOKEN_COMMENT;
		cp = dict_source_skip_comment(cp);
	} else if (strchr(DICT_SOURCE_SPECIALS, *cp) != NULL) {
		cp++;
	} else {
		kind = DICT_TOKEN_ATOM;
		while (*cp && !isspace((unsigned char)*cp) &&
		       strchr(DICT_SOURCE_SPECIALS, *cp) == NULL)
			cp += (*cp == '\\' && cp[1] != 0) ? 2 : 1;
	}
	*len_r = (size_t)(cp - *start_r);
	*cursor = cp;
	return kind;
}

/* Appends a quoted string's content without the quotes and escapes. */
static void dict_source_unquote(struct strbuf *buf, const char *start, size_t len)
{
	const char *end = start + len;

	if (len > 1 && end[-1] == '"')
		end--;
	for (const char *cp = start + 1; cp < end; cp++) {
		if (*cp == '\\' && cp + 1 < end)
			cp++;
		strbuf_append_char(buf, *cp);
	}
}

/* Appends an atom with its backslash escapes resolved. */
static void dict_source_unescape(struct strbuf *buf, const char *start, size_t len)
{
	for (const char *cp = start; cp < start + len; cp++) {
		if (*cp == '\\' && cp + 1 < start + len)
			cp++;
		strbuf_append_char(buf, *cp);
	}
}

/*
 * Reads the alias name up to the ':' into source->key, with words joined
 * by one space as Postfix stores them.  Returns the text after the colon,
 * or NULL when there is no colon or no name.
 */
static const char *dict_source_alias_name(struct dict_source *source, const char *text)
{
	enum dict_source_token kind, previous = DICT_TOKEN_SPECIAL;
	const char *start;
	size_t len;

	strbuf_reset(source->key);
	while ((kind = dict_source_token(&text, &start, &len)) != DICT_TOKEN_END) {
		if (kind == DICT_TOKEN_SPECIAL && *start == ':')
			return strbuf_len(source->key) > 0 ? text : NULL;
		if (kind != DICT_TOKEN_SPECIAL && previous != DICT_TOKEN_SPECIAL)
			strbuf_append_char(source->key, ' ');
		if (kind == DICT_TOKEN_QUOTED)
			dict_source_unquote(source->key, start, len);
		else
			dict_source_unescape(source->key, start, len);
		previous = kind;
	}
	return NULL;
}

/*
 * Appends one value token as Postfix writes it back: an atom with
 * backslash escapes becomes a quoted string, and a quoted string that the
 * line left open is closed.
 */
static void dict_source_append_word(struct strbuf *buf, enum dict_source_token kind,
                                    const char *start, size_t len)
{
	bool escaped = kind == DICT_TOKEN_ATOM && memchr(start, '\\', len) != NULL;
	bool open = kind == DICT_TOKEN_QUOTED && (len < 2 || start[len - 1] != '"');

	if (escaped)
		strbuf_append_char(buf, '"');
	strbuf_append(buf, start, len);
	if (escaped || open)
		strbuf_append_char(buf, '"');
}

/*
 * Rewrites an alias value list into source->value: elements separated by
 * ", ", words within an element by one space, specials glued to their
 * neighbours.  False when the value is empty.
 */
static bool dict_source_alias_value(struct dict_source *source, const char *text)
{
	enum dict_source_token kind, previous = DICT_TOKEN_SPECIAL;
	const char *start;
	size_t len;

	strbuf_reset(source->value);
	while ((kind = dict_source_token(&text, &start, &len)) != DICT_TOKEN_END) {
		if (kind == DICT_TOKEN_SPECIAL && *start == ',') {
			strbuf_append_str(source->value, ", ");
			previous = DICT_TOKEN_SPECIAL;
			continue;
		}
		if (kind != DICT_TOKEN_SPECIAL && previous != DICT_TOKEN_SPECIAL)
			strbuf_append_char(source->value, ' ');
		dict_source_append_word(source->value, kind, start, len);
		previous = kind;
	}
	strbuf_trim_end(source->value, " ");
	return strbuf_len(source->value) > 0;
}

static bool dict_source_alias(struct dict_source *source, const char *text)
{
	const char *value = dict_source_alias_name(source, text);

	return value != NULL && dict_source_alias_value(source, value);
}

enum dict_source_status dict_source_next(struct dict_source *source,
                                         struct dict_source_record *record, const char **error_r)
{
	enum dict_source_status status;
	int line = 0;

	if ((status = dict_source_logical(source, &line, error_r)) != DICT_SOURCE_RECORD)
		return status;
	if (source->format == DICT_SOURCE_POSTMAP) {
		if (!dict_source_postmap(source, source->logical->data)) {
			*error_r = dict_source_where(source, line,
			                             "expected format: key whitespace value");
			return DICT_SOURCE_BAD_LINE;
		}
	} else if (!dict_source_alias(source, source->logical->data)) {
		*error_r = dict_source_where(source, line, "need name:value pair");
		return DICT_SOURCE_BAD_LINE;
	}
	dict_source_fold(source, source->key);
	record->key = strbuf_str(source->key);
	record->value = strbuf_str(source->value);
	record->line = line;
	return DICT_SOURCE_RECORD;
}
