/*
 * match_list - parse a pattern list once, match it many times.
 *
 * Everything that can be wrong with a list is found when it is created:
 * unreadable include files, bad patterns, tables that cannot be opened.
 * A daemon builds its lists at start-up, so a mistake stops it there with
 * a message naming the pattern, instead of surfacing later as a mail
 * that is relayed or refused.  The only failure left for match time is a
 * table that cannot answer, which the caller turns into a temporary error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/match_list.h"
#include "config/params.h"
#include "util/alloc.h"
#include "util/msg.h"

/* What separates patterns: Postfix's set, comma and whitespace. */
#define MATCH_LIST_DELIMS ", \t\r\n"

/* Include files may include files; a loop must end with an error. */
#define MATCH_LIST_MAX_DEPTH 16

struct match_list {
	unsigned flags;
	struct match_list_kind kind;
	struct match_list_tables tables;
	bool have_tables;
	struct match_list_item *items;
	size_t count;
	struct strbuf *error; /* the last lookup failure */
};

/* Where the parser is, so that errors can say so. */
struct match_list_parser {
	struct match_list *list;
	const char *file; /* NULL for the list value itself */
	unsigned line;
	unsigned depth;
	struct strbuf *error;
};

static bool match_list_parse_text(struct match_list_parser *parser, const char *text, bool negated);

/* Sets the parser's error, prefixed with the include file and line. */
__attribute__((format(printf, 2, 3))) static bool match_list_fail(struct match_list_parser *parser,
                                                                  const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(parser->error);
	if (parser->file != NULL)
		strbuf_printf(parser->error, "%s, line %u: ", parser->file, parser->line);
	va_start(ap, fmt);
	strbuf_vprintf(parser->error, fmt, ap);
	va_end(ap);
	return false;
}

void match_list_fold(struct strbuf *buf, const char *text)
{
	strbuf_reset(buf);
	for (; *text; text++)
		strbuf_append_char(buf, (char)tolower((unsigned char)*text));
}

/*
 * Cuts the next pattern from *cursor into a new string.  Text inside
 * braces stays together, so "inline:{ a, b }" is one pattern.  Returns 0
 * at the end, -1 with *token_r set to the rest when a brace is not closed.
 */
static int match_list_next_token(const char **cursor, char **token_r)
{
	const char *start = *cursor + strspn(*cursor, MATCH_LIST_DELIMS);
	const char *end;
	unsigned depth = 0;

	if (*start == 0)
		return 0;
	for (end = start; *end; end++) {
		if (*end == '{')
			depth++;
		else if (*end == '}' && depth > 0)
			depth--;
		else if (depth == 0 && strchr(MATCH_LIST_DELIMS, *end) != NULL)
			break;
	}
	*token_r = xstrndup(start, (size_t)(end - start));
	*cursor = end;
	return depth == 0 ? 1 : -1;
}

/* Appends an item; the list owns pattern from here on. */
static struct match_list_item *match_list_append(struct match_list *list, char *pattern,
                                                 bool negated, bool is_table)
{
	struct match_list_item *item;

	list->items = xreallocarray(list->items, list->count + 1, sizeof(*list->items));
	item = &list->items[list->count++];
	memset(item, 0, sizeof(*item));
	item->pattern = pattern;
	item->negated = negated;
	item->is_table = is_table;
	item->table_fixed = true;
	return item;
}

/* Lets the list kind check a pattern, adding the parser's position to errors. */
static bool match_list_compile(struct match_list_parser *parser, struct match_list_item *item)
{
	struct strbuf *why;
	bool ok;

	if (parser->list->kind.compile == NULL)
		return true;
	why = strbuf_new(STRBUF_UNLIMITED);
	ok = parser->list->kind.compile(item, why);
	if (!ok)
		match_list_fail(parser, "%s", strbuf_str(why));
	strbuf_free(&why);
	return ok;
}

/* Adds a "type:name" pattern and opens its table. */
static bool match_list_add_table(struct match_list_parser *parser, const char *spec, bool negated)
{
	struct match_list *list = parser->list;
	struct match_list_item *item = match_list_append(list, xstrdup(spec), negated, true);
	const char *colon = strchr(spec, ':');
	const char *why = NULL;
	char *type;

	if (!match_list_compile(parser, item))
		return false;
	if (colon == spec || colon[1] == 0)
		return match_list_fail(parser, "expected \"type:name\" in \"%s\"", spec);
	type = xstrndup(spec, (size_t)(colon - spec));
	if (!list->have_tables) {
		match_list_fail(parser,
		                "unsupported dictionary type \"%s\" in \"%s\": "
		                "lookup tables are not available here",
		                type, spec);
		free(type);
		return false;
	}
	item->table =
	    list->tables.open(list->tables.context, type, colon + 1, &item->table_fixed, &why);
	free(type);
	if (item->table == NULL)
		return match_list_fail(parser, "%s: %s", spec, why ? why : "cannot open table");
	return true;
}

/* Adds a plain pattern, stored lowercased because matching ignores case. */
static bool match_list_add_plain(struct match_list_parser *parser, const char *pattern,
                                 bool negated)
{
	struct strbuf *folded = strbuf_new(STRBUF_UNLIMITED);
	struct match_list_item *item;

	match_list_fold(folded, pattern);
	item = match_list_append(parser->list, strbuf_export(&folded), negated, false);
	return match_list_compile(parser, item);
}

/* Replaces "/file/name" with the patterns in the file. */
static bool match_list_include(struct match_list_parser *parser, const char *path, bool negated)
{
	struct match_list_parser inner = *parser;
	char *line = NULL;
	size_t size = 0;
	bool ok = true;
	FILE *fp;

	if (parser->depth >= MATCH_LIST_MAX_DEPTH)
		return match_list_fail(parser, "\"%s\": /file/name included %u levels deep", path,
		                       parser->depth);
	if ((fp = fopen(path, "r")) == NULL)
		return match_list_fail(parser, "open \"%s\": %s", path, strerror(errno));
	inner.file = path;
	inner.line = 0;
	inner.depth = parser->depth + 1;
	while (ok && getline(&line, &size, fp) >= 0) {
		inner.line++;
		if (line[0] != '#')
			ok = match_list_parse_text(&inner, line, negated);
	}
	if (ok && ferror(fp))
		ok = match_list_fail(parser, "read \"%s\": %s", path, strerror(errno));
	free(line);
	fclose(fp);
	return ok;
}

/* Handles one pattern: negation, include file, table or plain. */
static bool match_list_parse_token(struct match_list_parser *parser, const char *token,
                                   bool negated)
{
	const char *pattern = token;

	for (; *pattern == '!'; pattern++)
		negated = !negated;
	if (*pattern == 0)
		return match_list_fail(parser, "no pattern after \"!\" in \"%s\"", token);
	if (*pattern == '/')
		return match_list_include(parser, pattern, negated);
	if (*pattern != '[' && strchr(pattern, ':') != NULL)
		return match_list_add_table(parser, pattern, negated);
	return match_list_add_plain(parser, pattern, negated);
}

/* Warns about a "#" that does not start a line; the rest is ignored. */
static void match_list_warn_comment(const struct match_list_parser *parser, const char *rest)
{
	size_t len = strcspn(rest, "\r\n");

	if (parser->file != NULL)
		msg_warn("%s, line %u: ignoring \"%.*s\": a comment must start a line",
		         parser->file, parser->line, (int)len, rest);
	else
		msg_warn("ignoring \"%.*s\" in a pattern list: a comment must start a line",
		         (int)len, rest);
}

static bool match_list_parse_text(struct match_list_parser *parser, const char *text, bool negated)
{
	const char *cursor = text;
	char *token;
	int status;
	bool ok = true;

	while (ok && (status = match_list_next_token(&cursor, &token)) != 0) {
		bool comment = (status > 0 && token[0] == '#');

		if (status < 0)
			ok = match_list_fail(parser, "missing \"}\" in \"%s\"", token);
		else if (comment)
			match_list_warn_comment(parser, cursor - strlen(token));
		else
			ok = match_list_parse_token(parser, token, negated);
		free(token);
		if (comment)
			break;
	}
	return ok;
}

struct match_list *match_list_new(const char *patterns, unsigned flags,
                                  const struct match_list_kind *kind,
                                  const struct match_list_tables *tables, struct strbuf *error)
{
	struct match_list *list = xcalloc(1, sizeof(*list));
	struct match_list_parser parser = {.list = list, .error = error};

	if (flags & ~MATCH_LIST_PARENT)
		msg_panic("match_list_new: unknown flags 0x%x", flags);
	list->flags = flags;
	if (kind != NULL)
		list->kind = *kind;
	if (tables != NULL) {
		list->tables = *tables;
		list->have_tables = true;
	}
	list->error = strbuf_new(STRBUF_UNLIMITED);
	if (!match_list_parse_text(&parser, patterns, false))
		match_list_free(&list);
	return list;
}

void match_list_free(struct match_list **list_ptr)
{
	struct match_list *list = *list_ptr;

	if (list == NULL)
		return;
	for (size_t i = 0; i < list->count; i++) {
		struct match_list_item *item = &list->items[i];

		if (item->table != NULL && list->tables.close != NULL)
			list->tables.close(item->table);
		if (item->data != NULL && list->kind.release != NULL)
			list->kind.release(item->data);
		free(item->pattern);
	}
	free(list->items);
	strbuf_free(&list->error);
	free(list);
	*list_ptr = NULL;
}

unsigned match_list_parent_flag(const char *feature)
{
	const char *cursor = var_parent_domain_matches_subdomains;
	size_t want = strlen(feature);

	while (*cursor != 0) {
		size_t len;

		cursor += strspn(cursor, MATCH_LIST_DELIMS);
		len = strcspn(cursor, MATCH_LIST_DELIMS);
		if (len > 0 && len == want && strncmp(cursor, feature, len) == 0)
			return MATCH_LIST_PARENT;
		cursor += len;
	}
	return 0;
}

unsigned match_list_flags(const struct match_list *list)
{
	return list->flags;
}

enum match_list_result match_list_match(struct match_list *list, match_list_item_fn match,
                                        const void *subject, const char **error_r)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct match_list_item *item = &list->items[i];

		switch (match(list, item, subject)) {
		case MATCH_LIST_NO:
			break;
		case MATCH_LIST_YES:
			if (msg_verbose)
				msg_info("match_list: matched %s%s", item->negated ? "!" : "",
				         item->pattern);
			return item->negated ? MATCH_LIST_NO : MATCH_LIST_YES;
		case MATCH_LIST_ERROR:
			*error_r = strbuf_str(list->error);
			return MATCH_LIST_ERROR;
		}
	}
	return MATCH_LIST_NO;
}

enum match_list_result match_list_lookup(struct match_list *list,
                                         const struct match_list_item *item, const char *key)
{
	const char *why = NULL;
	enum match_list_result result;

	if (!item->is_table)
		msg_panic("match_list_lookup: \"%s\" is not a table", item->pattern);
	result = list->tables.lookup(item->table, key, &why);
	if (msg_verbose > 1)
		msg_info("match_list: %s: lookup \"%s\": %d", item->pattern, key, (int)result);
	if (result == MATCH_LIST_ERROR) {
		strbuf_reset(list->error);
		strbuf_printf(list->error, "%s: table lookup problem: %s", item->pattern,
		              why ? why : "unknown error");
	}
	return result;
}
