/*
 * dict - the table registry and the operations every caller goes through.
 * Built-in types come from dict_types.def; dict_register() adds more at
 * run time.  Open tables are kept in one list per process so that a
 * daemon naming the same table in several parameters opens it once, and
 * so that dict_changed() can check every backing file after each client.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dict/dict.h"
#include "dict/dict_types.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/strbuf.h"

struct dict_type_entry {
	const char *type;
	dict_open_fn open;
};

static const struct dict_type_entry dict_builtin_types[] = {
#define DICT_TYPE(name, open_fn) {name, open_fn},
#include "dict/dict_types.def"
#undef DICT_TYPE
};

#define DICT_BUILTIN_COUNT (sizeof(dict_builtin_types) / sizeof(dict_builtin_types[0]))

/* Types added with dict_register(); searched before the built-in ones. */
static struct dict_type_entry *dict_added_types;
static size_t dict_added_count;

/* The sorted name list handed out by dict_type_names(); rebuilt lazily. */
static const char **dict_names;

/* Every table opened through dict_open(), for sharing and dict_changed(). */
static struct dict **dict_open_list;
static size_t dict_open_count;

static struct strbuf *dict_error_buf;

const char *dict_errorf(const char *fmt, ...)
{
	va_list ap;

	if (dict_error_buf == NULL)
		dict_error_buf = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(dict_error_buf);
	va_start(ap, fmt);
	strbuf_vprintf(dict_error_buf, fmt, ap);
	va_end(ap);
	return strbuf_str(dict_error_buf);
}

static dict_open_fn dict_type_find(const char *type)
{
	for (size_t i = 0; i < dict_added_count; i++)
		if (strcmp(dict_added_types[i].type, type) == 0)
			return dict_added_types[i].open;
	for (size_t i = 0; i < DICT_BUILTIN_COUNT; i++)
		if (strcmp(dict_builtin_types[i].type, type) == 0)
			return dict_builtin_types[i].open;
	return NULL;
}

void dict_register(const char *type, dict_open_fn open)
{
	if (dict_type_find(type) != NULL)
		msg_panic("dict_register: table type %s is already registered", type);
	dict_added_types =
	    xreallocarray(dict_added_types, dict_added_count + 1, sizeof(*dict_added_types));
	dict_added_types[dict_added_count].type = xstrdup(type);
	dict_added_types[dict_added_count].open = open;
	dict_added_count++;
	xfree_ptr(&dict_names);
}

bool dict_type_known(const char *type)
{
	return dict_type_find(type) != NULL;
}

static int dict_name_compare(const void *left, const void *right)
{
	return strcmp(*(const char *const *)left, *(const char *const *)right);
}

const char *const *dict_type_names(void)
{
	size_t count = 0;

	if (dict_names != NULL)
		return dict_names;
	dict_names =
	    xreallocarray(NULL, DICT_BUILTIN_COUNT + dict_added_count + 1, sizeof(*dict_names));
	for (size_t i = 0; i < DICT_BUILTIN_COUNT; i++)
		dict_names[count++] = dict_builtin_types[i].type;
	for (size_t i = 0; i < dict_added_count; i++)
		dict_names[count++] = dict_added_types[i].type;
	qsort(dict_names, count, sizeof(*dict_names), dict_name_compare);
	dict_names[count] = NULL;
	return dict_names;
}

void dict_init(struct dict *dict, const struct dict_ops *ops, const char *type, const char *name,
               int flags, int properties)
{
	memset(dict, 0, sizeof(*dict));
	dict->ops = ops;
	dict->type = xstrdup(type);
	dict->name = xstrdup(name);
	dict->flags = flags;
	dict->properties = properties;
	dict->refcount = 1;
}

void dict_watch_file(struct dict *dict, const char *path)
{
	struct stat st;

	xfree_ptr(&dict->file_path);
	dict->file_path = xstrdup(path);
	dict->properties |= DICT_PROP_FILE;
	if (stat(path, &st) < 0) {
		dict->file_dev = 0;
		dict->file_ino = 0;
		dict->file_mtime = dict->file_mtime_nsec = 0;
		return;
	}
	dict->file_dev = st.st_dev;
	dict->file_ino = st.st_ino;
	dict->file_mtime = (long)st.st_mtim.tv_sec;
	dict->file_mtime_nsec = st.st_mtim.tv_nsec;
}

/* True when the watched file is gone, replaced or modified since open. */
static bool dict_file_changed(const struct dict *dict)
{
	struct stat st;

	if (dict->file_path == NULL)
		return false;
	if (stat(dict->file_path, &st) < 0)
		return dict->file_ino != 0;
	return st.st_dev != dict->file_dev || st.st_ino != dict->file_ino ||
	       (long)st.st_mtim.tv_sec != dict->file_mtime ||
	       st.st_mtim.tv_nsec != dict->file_mtime_nsec;
}

bool dict_changed(const char **name_r)
{
	for (size_t i = 0; i < dict_open_count; i++) {
		if (dict_file_changed(dict_open_list[i])) {
			if (name_r != NULL)
				*name_r = dict_open_list[i]->file_path;
			return true;
		}
	}
	return false;
}

const char *dict_fold_key(struct dict *dict, const char *key)
{
	size_t len;

	/* Types fold again what dict_update() already folded into fold_buf. */
	if ((dict->flags & DICT_FLAG_FOLD_CASE) == 0 || key == dict->fold_buf)
		return key;
	len = strlen(key);
	dict->fold_buf = xrealloc(dict->fold_buf, len + 1);
	for (size_t i = 0; i <= len; i++)
		dict->fold_buf[i] = (char)tolower((unsigned char)key[i]);
	return dict->fold_buf;
}

/* The shared table of this type, name and flags, if one is open. */
static struct dict *dict_open_find(const char *type, const char *name, int flags)
{
	for (size_t i = 0; i < dict_open_count; i++) {
		struct dict *dict = dict_open_list[i];

		if (dict->flags == flags && strcmp(dict->type, type) == 0 &&
		    strcmp(dict->name, name) == 0)
			return dict;
	}
	return NULL;
}

static void dict_open_remember(struct dict *dict)
{
	dict_open_list =
	    xreallocarray(dict_open_list, dict_open_count + 1, sizeof(*dict_open_list));
	dict_open_list[dict_open_count++] = dict;
}

static void dict_open_forget(struct dict *dict)
{
	for (size_t i = 0; i < dict_open_count; i++) {
		if (dict_open_list[i] == dict) {
			dict_open_list[i] = dict_open_list[--dict_open_count];
			return;
		}
	}
}

/* Splits "type:name" into its parts; false with *error_r when malformed. */
static bool dict_split_name(const char *type_name, const char *default_type, char **type_r,
                            const char **name_r, const char **error_r)
{
	const char *colon = strchr(type_name, ':');

	if (colon == NULL && default_type != NULL && *type_name != 0) {
		*type_r = xstrdup(default_type);
		*name_r = type_name;
		return true;
	}
	if (colon == NULL || colon == type_name || colon[1] == 0) {
		*error_r = dict_errorf("open dictionary: expecting \"type:name\" form "
		                       "instead of \"%s\"",
		                       type_name);
		return false;
	}
	*type_r = xstrndup(type_name, (size_t)(colon - type_name));
	*name_r = colon + 1;
	return true;
}

struct dict *dict_open(const char *type_name, const char *default_type, int flags,
                       const char **error_r)
{
	struct dict *dict;
	dict_open_fn open;
	const char *name;
	char *type;

	if (!dict_split_name(type_name, default_type, &type, &name, error_r))
		return NULL;
	if ((dict = dict_open_find(type, name, flags)) != NULL) {
		dict->refcount++;
	} else if ((open = dict_type_find(type)) == NULL) {
		*error_r = dict_errorf("unsupported dictionary type: %s", type);
	} else if ((dict = open(name, flags, error_r)) != NULL) {
		dict_open_remember(dict);
	}
	free(type);
	return dict;
}

void dict_close(struct dict **dictp)
{
	struct dict *dict = *dictp;

	if (dict == NULL)
		return;
	*dictp = NULL;
	if (--dict->refcount > 0)
		return;
	dict_open_forget(dict);
	if (dict->ops->close != NULL)
		dict->ops->close(dict);
	free(dict->type);
	free(dict->name);
	free(dict->file_path);
	free(dict->fold_buf);
	free(dict);
}

enum dict_status dict_lookup(struct dict *dict, const char *key, const char **value_r,
                             const char **error_r)
{
	enum dict_status status =
	    dict->ops->lookup(dict, dict_fold_key(dict, key), value_r, error_r);

	/*
	 * An empty value reads as "found, but nothing": callers would act on
	 * it.  Postfix warns about such tables and still returns the value.
	 */
	if (status == DICT_FOUND && **value_r == 0) {
		msg_warn("table %s:%s: key %s: empty string result is not allowed", dict->type,
		         dict->name, key);
		msg_warn("table %s:%s should return NO RESULT in case of NOT FOUND", dict->type,
		         dict->name);
	}
	return status;
}

/* The answer for an operation that the table's type does not have. */
static enum dict_status dict_unsupported(const struct dict *dict, const char *operation,
                                         const char **error_r)
{
	*error_r = dict_errorf("table %s:%s: %s operation is not supported", dict->type, dict->name,
	                       operation);
	return DICT_ERR_CONFIG;
}

enum dict_status dict_update(struct dict *dict, const char *key, const char *value,
                             const char **error_r)
{
	if (dict->ops->update == NULL)
		return dict_unsupported(dict, "update", error_r);
	return dict->ops->update(dict, dict_fold_key(dict, key), value, error_r);
}

enum dict_status dict_delete(struct dict *dict, const char *key, const char **error_r)
{
	if (dict->ops->delete == NULL)
		return dict_unsupported(dict, "delete", error_r);
	return dict->ops->delete (dict, dict_fold_key(dict, key), error_r);
}

enum dict_status dict_iterate(struct dict *dict, bool first, const char **key_r,
                              const char **value_r, const char **error_r)
{
	if (dict->ops->iterate == NULL)
		return dict_unsupported(dict, "sequence", error_r);
	return dict->ops->iterate(dict, first, key_r, value_r, error_r);
}

enum dict_status dict_sync(struct dict *dict, const char **error_r)
{
	if (dict->ops->sync == NULL)
		return DICT_FOUND;
	return dict->ops->sync(dict, error_r);
}
