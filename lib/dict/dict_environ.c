/*
 * dict_environ - the environment as a read-only table.  Lookups go to
 * getenv() each time, so a later setenv() in the process is visible.
 */
#include <stdlib.h>

#include "dict/dict_environ.h"
#include "util/alloc.h"

static enum dict_status dict_environ_lookup(struct dict *dict, const char *key,
                                            const char **value_r, const char **error_r)
{
	const char *value = getenv(key);

	if (value == NULL)
		return DICT_NOT_FOUND;
	*value_r = value;
	return DICT_FOUND;
}

static const struct dict_ops dict_environ_ops = {
    .lookup = dict_environ_lookup,
};

struct dict *dict_environ_open(const char *name, int flags, const char **error_r)
{
	struct dict *dict = xcalloc(1, sizeof(*dict));

	dict_init(dict, &dict_environ_ops, "environ", name, flags, DICT_PROP_FIXED);
	return dict;
}
