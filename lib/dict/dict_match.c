/*
 * dict_match - open, look up and close the tables that match list
 * patterns name.  A list only asks whether a key is present, so the
 * value is ignored; pattern tables (regexp, pcre, cidr) are marked so
 * that domain lists do not ask them for parent domains.
 */
#include <stddef.h>

#include "dict/dict.h"
#include "dict/dict_match.h"
#include "util/strbuf.h"

static void *dict_match_open(void *context, const char *type, const char *name, bool *fixed_r,
                             const char **error_r)
{
	struct strbuf *spec = strbuf_new(STRBUF_UNLIMITED);
	struct dict *dict;

	strbuf_printf(spec, "%s:%s", type, name);
	dict = dict_open(strbuf_str(spec), type, DICT_FLAG_FOLD_CASE, error_r);
	strbuf_free(&spec);
	if (dict != NULL && (dict->properties & DICT_PROP_PATTERN))
		*fixed_r = false;
	return dict;
}

static enum match_list_result dict_match_lookup(void *table, const char *key, const char **error_r)
{
	const char *value;

	switch (dict_lookup(table, key, &value, error_r)) {
	case DICT_FOUND:
		return MATCH_LIST_YES;
	case DICT_NOT_FOUND:
		return MATCH_LIST_NO;
	default:
		return MATCH_LIST_ERROR;
	}
}

static void dict_match_close(void *table)
{
	struct dict *dict = table;

	dict_close(&dict);
}

static const struct match_list_tables dict_match_glue = {
    .open = dict_match_open,
    .lookup = dict_match_lookup,
    .close = dict_match_close,
    .context = NULL,
};

const struct match_list_tables *dict_match_tables(void)
{
	return &dict_match_glue;
}
