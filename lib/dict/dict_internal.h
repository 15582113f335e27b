/*
 * dict_internal - an in-memory table ("internal:name", as Postfix names
 * it): a private scratch table for a process, and the storage behind the
 * types that read all their content at open (inline:, texthash:).
 * Iteration returns entries in insertion order.
 */
#ifndef POSTERN_DICT_DICT_INTERNAL_H
#define POSTERN_DICT_DICT_INTERNAL_H

#include <stdbool.h>

#include "dict/dict.h"

/*
 * Opens an empty, writable "internal:name" table.  Updates replace an
 * existing key unless the flags say DICT_FLAG_DUP_WARN (warn, keep the
 * first) or DICT_FLAG_DUP_IGNORE (keep the first silently).  Never fails.
 */
struct dict *dict_internal_open(const char *name, int flags, const char **error_r);

/*
 * Creates an empty in-memory table that presents itself as type:name with
 * the given properties, for a type that fills it at open with
 * dict_internal_put().  Without DICT_PROP_WRITABLE in properties, callers
 * of dict_update() and dict_delete() are refused.
 */
struct dict *dict_internal_create(const char *type, const char *name, int flags, int properties);

/*
 * Stores key (folded when the table folds case) and value.  When the key
 * is already present, replaces the value if replace is true; otherwise
 * keeps the old one and returns false.
 */
bool dict_internal_put(struct dict *dict, const char *key, const char *value, bool replace);

#endif
