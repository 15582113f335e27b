/*
 * dict_inline - parses the inline table syntax into an in-memory table at
 * open.  Any syntax error fails the whole open, because a half-read table
 * in a restriction could let mail through that the administrator meant to
 * stop.
 */
#include <stdlib.h>
#include <string.h>

#include "dict/dict_brace.h"
#include "dict/dict_inline.h"
#include "dict/dict_internal.h"
#include "util/alloc.h"

#define DICT_INLINE_SEPARATORS ", \t\r\n"

/* Parses one entry into table; false with *error_r describing the problem. */
static bool dict_inline_entry(struct dict *table, char *token, const char **error_r)
{
	char *text = token;
	char *key;
	char *value;

	if (*token == '{') {
		if (!dict_brace_strip(token, &text, error_r))
			return false;
		if (*text == 0) {
			*error_r = dict_errorf("no key found; expected format: key = value");
			return false;
		}
	}
	if (!dict_brace_split_pair(text, &key, &value, error_r))
		return false;
	dict_internal_put(table, key, value, true);
	return true;
}

/* Fills table from the text inside the outer braces. */
static bool dict_inline_parse(struct dict *table, char *entries, const char **error_r)
{
	char *token;
	int count = 0;

	while ((token = dict_brace_token(&entries, DICT_INLINE_SEPARATORS)) != NULL) {
		if (!dict_inline_entry(table, token, error_r))
			return false;
		count++;
	}
	if (count == 0) {
		*error_r = dict_errorf("empty table");
		return false;
	}
	return true;
}

struct dict *dict_inline_open(const char *name, int flags, const char **error_r)
{
	size_t len = strlen(name);
	char *copy = xstrdup(name);
	struct dict *table = NULL;
	const char *detail = "bad syntax";
	const char *brace_error;
	char *entries;

	/* Any fault in the outer braces is "bad syntax", as Postfix words it. */
	if (len > 2 && name[0] == '{' && dict_brace_strip(copy, &entries, &brace_error)) {
		table = dict_internal_create("inline", name, flags, DICT_PROP_FIXED);
		if (!dict_inline_parse(table, entries, &detail))
			dict_close(&table);
	}
	if (table == NULL) {
		char *saved = xstrdup(detail);

		*error_r =
		    dict_errorf("%s: \"inline:%s\"; need \"inline:{name=value...}\"", saved, name);
		free(saved);
	}
	free(copy);
	return table;
}
