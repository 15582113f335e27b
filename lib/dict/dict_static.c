/*
 * dict_static - a table with one answer.  Used where a parameter wants a
 * table but the administrator wants a constant (transport_maps =
 * static:smtp:[relay]), so it never reports "not found".
 */
#include <stdlib.h>

#include "dict/dict_brace.h"
#include "dict/dict_static.h"
#include "util/alloc.h"

struct dict_static {
	struct dict dict;
	char *value;
};

static enum dict_status dict_static_lookup(struct dict *dict, const char *key, const char **value_r,
                                           const char **error_r)
{
	*value_r = ((struct dict_static *)dict)->value;
	return DICT_FOUND;
}

static void dict_static_close(struct dict *dict)
{
	free(((struct dict_static *)dict)->value);
}

static const struct dict_ops dict_static_ops = {
    .lookup = dict_static_lookup,
    .close = dict_static_close,
};

struct dict *dict_static_open(const char *name, int flags, const char **error_r)
{
	struct dict_static *table;
	char *copy = xstrdup(name);
	char *value;
	const char *error;

	if (!dict_brace_strip(copy, &value, &error)) {
		char *detail = xstrdup(error);

		*error_r = dict_errorf("bad static:name syntax: %s", detail);
		free(detail);
		free(copy);
		return NULL;
	}
	table = xcalloc(1, sizeof(*table));
	dict_init(&table->dict, &dict_static_ops, "static", name, flags, DICT_PROP_FIXED);
	table->value = xstrdup(value);
	free(copy);
	return &table->dict;
}
