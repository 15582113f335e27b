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
#include "util/quote.h"
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
	struct strbuf *word; /* one alias value word, unquoted before it is quoted again */
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
	source->word = strbuf_new(STRBUF_UNLIMITED);
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
	strbuf_free(&source->word);
	strbuf_free(&source->error);
	free(source);
	*sourcep = NULL;
}

/*
 * Formats a message into the source's buffer.  Postfix's logger turns
 * every unprintable byte of a message into '?', and the lines quoted here
 * are the file's bytes, so the message is made printable the same way.
 */
static const char *dict_source_message(struct dict_source *source, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *dict_source_message(struct dict_source *source, const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(source->error);
	va_start(ap, fmt);
	strbuf_vprintf(source->error, fmt, ap);
	va_end(ap);
	return quote_printable(source->error->data);
}

/* The longest part of an indented line that the warning about it quotes. */
#define DICT_SOURCE_INDENT_SHOWN 30

/*
 * The warning for text that starts with whitespace where a record should
 * start.  Postfix names the file without a line number and quotes only
 * the first bytes, marking a cut with "...".
 */
static const char *dict_source_indented(struct dict_source *source)
{
	const struct strbuf *text = source->logical;
	bool cut = text->len > DICT_SOURCE_INDENT_SHOWN;

	return dict_source_message(
	    source, "%s: logical line must not start with whitespace: \"%.*s%s\"", source->name,
	    cut ? DICT_SOURCE_INDENT_SHOWN : (int)text->len, text->data, cut ? "..." : "");
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
		*error_r = dict_source_indented(source);
		return DICT_SOURCE_SKIPPED;
	}
	return started ? DICT_SOURCE_RECORD : DICT_SOURCE_END;
}

static void dict_source_fold(struct dict_source *source, struct strbuf *buf)
{
	if (source->flags & DICT_FLAG_FOLD_CASE)
		for (size_t i = 0; i < buf->len; i++)
			buf->data[i] = (char)tolower((unsigned char)buf->data[i]);
}

/*
 * The end of a postmap key: the first whitespace outside double quotes,
 * where a backslash protects the next character.  Postfix keeps the
 * quotes and backslashes in the key ("a b" is looked up as "a b" with
 * its quotes), so they only decide where the key ends.  NULL when a
 * quote is left open.
 */
static const char *dict_source_key_end(const char *text)
{
	bool quoted = false;
	const char *cp;

	for (cp = text; *cp; cp++) {
		if (*cp == '\\') {
			/* A backslash at the very end stays in the key. */
			if (cp[1] == 0)
				return quoted ? NULL : cp + 1;
			cp++;
		} else if (*cp == '"') {
			quoted = !quoted;
		} else if (!quoted && isspace((unsigned char)*cp)) {
			break;
		}
	}
	return quoted ? NULL : cp;
}

/*
 * Splits a postmap logical line into source->key and source->value, or
 * says why not: DICT_SOURCE_SKIPPED for an open quote (Postfix's warning
 * for it ends in "-- ignoring this line" everywhere), DICT_SOURCE_BAD_LINE
 * for a key without a value.
 */
static enum dict_source_status dict_source_postmap(struct dict_source *source, int line,
                                                   const char **error_r)
{
	char *text = source->logical->data;
	const char *key_end = dict_source_key_end(text);
	const char *value;

	if (key_end == NULL) {
		*error_r = dict_source_message(
		    source, "%s, line %d: unbalanced '\"' in '%s' -- ignoring this line",
		    source->name, line, text);
		return DICT_SOURCE_SKIPPED;
	}
	for (value = key_end; isspace((unsigned char)*value); value++)
		continue;
	if (*value == 0) {
		*error_r = dict_source_message(source,
		                               "%s, line %d: expected format: key whitespace value",
		                               source->name, line);
		return DICT_SOURCE_BAD_LINE;
	}
	strbuf_reset(source->key);
	strbuf_append(source->key, text, (size_t)(key_end - text));
	strbuf_set(source->value, value);
	strbuf_trim_end(source->value, " \t\r\n\v\f");
	return DICT_SOURCE_RECORD;
}

/* The RFC 822 token kinds the aliases syntax needs. */
enum dict_source_token_kind {
	DICT_TOKEN_END,
	DICT_TOKEN_ATOM,    /* word characters, backslash escapes kept */
	DICT_TOKEN_QUOTED,  /* "...", including the quotes */
	DICT_TOKEN_COMMENT, /* (...), nested, including the parentheses */
	DICT_TOKEN_DOMLIT,  /* [...], including the brackets */
	DICT_TOKEN_SPECIAL, /* one of the specials below */
};

struct dict_source_token {
	enum dict_source_token_kind kind;
	const char *start;
	size_t len;
	bool closed; /* a quoted string or domain literal has its closing character */
};

/*
 * RFC 822's specials plus '%', '!' and '|', which postalias also keeps
 * out of atoms: "a | b" is stored as "a|b" and "|\"cmd\"" as written.
 */
#define DICT_SOURCE_SPECIALS "()<>@,;:\\\".[]%!|"

/* The end of a quoted string or domain literal whose opener is just before cp. */
static const char *dict_source_skip_to(const char *cp, char close, bool *closed_r)
{
	for (; *cp; cp++) {
		if (*cp == '\\' && cp[1] != 0) {
			cp++;
		} else if (*cp == close) {
			*closed_r = true;
			return cp + 1;
		}
	}
	*closed_r = false;
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

/* Reads the next token at *cursor into *token. */
static void dict_source_token(const char **cursor, struct dict_source_token *token)
{
	const char *cp = *cursor;

	while (isspace((unsigned char)*cp))
		cp++;
	token->start = cp;
	token->closed = true;
	if (*cp == 0) {
		token->kind = DICT_TOKEN_END;
	} else if (*cp == '"') {
		token->kind = DICT_TOKEN_QUOTED;
		cp = dict_source_skip_to(cp + 1, '"', &token->closed);
	} else if (*cp == '[') {
		token->kind = DICT_TOKEN_DOMLIT;
		cp = dict_source_skip_to(cp + 1, ']', &token->closed);
	} else if (*cp == '(') {
		token->kind = DICT_TOKEN_COMMENT;
		cp = dict_source_skip_comment(cp);
	} else if (*cp != '\\' && strchr(DICT_SOURCE_SPECIALS, *cp) != NULL) {
		token->kind = DICT_TOKEN_SPECIAL;
		cp++;
	} else {
		token->kind = DICT_TOKEN_ATOM;
		while (*cp && !isspace((unsigned char)*cp) &&
		       (*cp == '\\' || strchr(DICT_SOURCE_SPECIALS, *cp) == NULL))
			cp += (*cp == '\\' && cp[1] != 0) ? 2 : 1;
	}
	token->len = (size_t)(cp - token->start);
	*cursor = cp;
}

static bool dict_source_is_word(const struct dict_source_token *token)
{
	return token->kind != DICT_TOKEN_SPECIAL && token->kind != DICT_TOKEN_END;
}

/*
 * Appends one character of a quoted string, domain literal or escaped
 * atom; postalias stores a tab or carriage return there as a space.
 */
static void dict_source_append_char(struct strbuf *buf, char ch)
{
	strbuf_append_char(buf, ch == '\t' || ch == '\r' ? ' ' : ch);
}

/*
 * Appends text with its backslash escapes resolved, up to the first
 * unescaped stop character (none when stop is 0).  A backslash at the
 * very end escapes nothing and is dropped, as Postfix drops it.
 */
static void dict_source_unescape(struct strbuf *buf, const char *text, size_t len, char stop)
{
	const char *end = text + len;

	for (const char *cp = text; cp < end; cp++) {
		if (stop != 0 && *cp == stop)
			break;
		if (*cp == '\\' && ++cp == end)
			break;
		dict_source_append_char(buf, *cp);
	}
}

/* True when an atom's text must be quoted to be read back as one word. */
static bool dict_source_needs_quotes(const struct strbuf *word)
{
	for (size_t i = 0; i < word->len; i++) {
		unsigned char ch = (unsigned char)word->data[i];

		if (iscntrl(ch) || ch == ' ' || strchr(DICT_SOURCE_SPECIALS, ch) != NULL)
			return true;
	}
	return false;
}

/* Appends word as a quoted string, escaping '"' and '\'. */
static void dict_source_append_quoted(struct strbuf *buf, const struct strbuf *word)
{
	strbuf_append_char(buf, '"');
	for (size_t i = 0; i < word->len; i++) {
		if (word->data[i] == '"' || word->data[i] == '\\')
			strbuf_append_char(buf, '\\');
		strbuf_append_char(buf, word->data[i]);
	}
	strbuf_append_char(buf, '"');
}

/*
 * Reads the alias name up to the ':' into source->key, with words joined
 * by one space as Postfix stores them.  Returns the text after the colon,
 * or NULL when there is no colon or no name.  *remote_r tells whether the
 * name holds an unquoted '@' or '%', which makes it a remote address.
 */
static const char *dict_source_alias_name(struct dict_source *source, const char *text,
                                          bool *remote_r)
{
	struct dict_source_token token;
	bool previous_word = false;

	*remote_r = false;
	strbuf_reset(source->key);
	for (dict_source_token(&text, &token); token.kind != DICT_TOKEN_END;
	     dict_source_token(&text, &token)) {
		if (token.kind == DICT_TOKEN_SPECIAL && *token.start == ':')
			return strbuf_len(source->key) > 0 ? text : NULL;
		if (token.kind == DICT_TOKEN_SPECIAL && strchr("@%", *token.start) != NULL)
			*remote_r = true;
		if (dict_source_is_word(&token) && previous_word)
			strbuf_append_char(source->key, ' ');
		if (token.kind == DICT_TOKEN_QUOTED)
			dict_source_unescape(source->key, token.start + 1, token.len - 1, '"');
		else if (token.kind == DICT_TOKEN_ATOM)
			dict_source_unescape(source->key, token.start, token.len, 0);
		else
			strbuf_append(source->key, token.start, token.len);
		previous_word = dict_source_is_word(&token);
	}
	return NULL;
}

/*
 * Appends one value token as Postfix writes it back: atoms and quoted
 * strings lose their escapes and are quoted again where the text needs it
 * (a quoted string always), so \root becomes root and a\"b becomes
 * "a\"b"; a domain literal left open is closed; comments stay as written.
 */
static void dict_source_append_token(struct dict_source *source,
                                     const struct dict_source_token *token)
{
	struct strbuf *word = source->word;

	strbuf_reset(word);
	switch (token->kind) {
	case DICT_TOKEN_ATOM:
		dict_source_unescape(word, token->start, token->len, 0);
		if (dict_source_needs_quotes(word))
			dict_source_append_quoted(source->value, word);
		else
			strbuf_append(source->value, word->data, word->len);
		break;
	case DICT_TOKEN_QUOTED:
		dict_source_unescape(word, token->start + 1, token->len - 1, '"');
		dict_source_append_quoted(source->value, word);
		break;
	case DICT_TOKEN_DOMLIT:
		for (size_t i = 0; i < token->len; i++)
			dict_source_append_char(source->value, token->start[i]);
		if (!token->closed)
			strbuf_append_char(source->value, ']');
		break;
	default:
		strbuf_append(source->value, token->start, token->len);
		break;
	}
}

/*
 * Rewrites an alias value list into source->value as postalias stores
 * it: each comma becomes ", " (a trailing one too), adjacent words
 * (atoms, quoted strings, comments, domain literals) are separated by one
 * space, a '<' inside an element gets a space before it, and other
 * specials are glued to their neighbours ("|\"cmd arg\"", "u@x.com").
 * False when the value holds no text at all; a value that only has an
 * empty word, such as a lone backslash, is kept as an empty string.
 */
static bool dict_source_alias_value(struct dict_source *source, const char *text)
{
	struct dict_source_token token;
	bool started = false, previous_word = false;

	strbuf_reset(source->value);
	while (isspace((unsigned char)*text))
		text++;
	if (*text == 0)
		return false;
	for (dict_source_token(&text, &token); token.kind != DICT_TOKEN_END;
	     dict_source_token(&text, &token)) {
		bool word = dict_source_is_word(&token);

		if (token.kind == DICT_TOKEN_SPECIAL && *token.start == ',') {
			strbuf_append_str(source->value, ", ");
			started = previous_word = false;
			continue;
		}
		if (started && ((word && previous_word) ||
		                (token.kind == DICT_TOKEN_SPECIAL && *token.start == '<')))
			strbuf_append_char(source->value, ' ');
		dict_source_append_token(source, &token);
		started = true;
		previous_word = word;
	}
	return true;
}

/* Splits an aliases logical line into source->key and source->value. */
static enum dict_source_status dict_source_alias(struct dict_source *source, int line,
                                                 const char **error_r)
{
	bool remote;
	const char *value = dict_source_alias_name(source, source->logical->data, &remote);

	if (value == NULL || !dict_source_alias_value(source, value)) {
		*error_r = dict_source_message(source, "%s, line %d: need name:value pair",
		                               source->name, line);
		return DICT_SOURCE_BAD_LINE;
	}
	/* Aliases are local names; Postfix refuses user@domain and user%domain. */
	if (remote) {
		*error_r = dict_source_message(source, "%s, line %d: name must be local",
		                               source->name, line);
		return DICT_SOURCE_BAD_LINE;
	}
	return DICT_SOURCE_RECORD;
}

enum dict_source_status dict_source_next(struct dict_source *source,
                                         struct dict_source_record *record, const char **error_r)
{
	enum dict_source_status status;
	int line = 0;

	if ((status = dict_source_logical(source, &line, error_r)) != DICT_SOURCE_RECORD)
		return status;
	status = source->format == DICT_SOURCE_POSTMAP ? dict_source_postmap(source, line, error_r)
	                                               : dict_source_alias(source, line, error_r);
	if (status != DICT_SOURCE_RECORD)
		return status;
	dict_source_fold(source, source->key);
	record->key = strbuf_str(source->key);
	record->value = strbuf_str(source->value);
	record->line = line;
	return DICT_SOURCE_RECORD;
}
