/*
 * dict_fail - a table that always answers DICT_ERR_RETRY, so callers take
 * their "try again later" path (defer, 451) exactly as with a database
 * that is down.
 */
#include "dict/dict_fail.h"
#include "util/alloc.h"

static enum dict_status dict_fail_error(struct dict *dict, const char **error_r)
{
	*error_r = dict_errorf("table %s:%s: operation failed (the fail table always fails)",
	                       dict->type, dict->name);
	return DICT_ERR_RETRY;
}

static enum dict_status dict_fail_lookup(struct dict *dict, const char *key, const char **value_r,
                                         const char **error_r)
{
	return dict_fail_error(dict, error_r);
}

static enum dict_status dict_fail_update(struct dict *dict, const char *key, const char *value,
                                         const char **error_r)
{
	return dict_fail_error(dict, error_r);
}

static enum dict_status dict_fail_delete(struct dict *dict, const char *key, const char **error_r)
{
	return dict_fail_error(dict, error_r);
}

static enum dict_status dict_fail_iterate(struct dict *dict, bool first, const char **key_r,
                                          const char **value_r, const char **error_r)
{
	return dict_fail_error(dict, error_r);
}

static const struct dict_ops dict_fail_ops = {
    .lookup = dict_fail_lookup,
    .update = dict_fail_update,
    .delete = dict_fail_delete,
    .iterate = dict_fail_iterate,
};

struct dict *dict_fail_open(const char *name, int flags, const char **error_r)
{
	struct dict *dict = xcalloc(1, sizeof(*dict));

	dict_init(dict, &dict_fail_ops, "fail", name, flags, DICT_PROP_FIXED);
	return dict;
}
