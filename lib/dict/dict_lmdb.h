/*
 * dict_lmdb - lmdb: tables in LMDB files, named name.lmdb as Postfix
 * names them: a single file (no subdirectory) without LMDB's lock file,
 * guarded instead by flock(2) on the file itself (see dict_file.h), keys
 * and values with a trailing NUL by default (see dict_nul.h).
 *
 * The open modes and DUP flags are those of dict_db.h:
 * DICT_FLAG_CREATE builds beside name.lmdb and dict_sync() renames the new
 * file into place (closing first discards it); DICT_FLAG_WRITE updates in
 * place under an exclusive lock; DICT_FLAG_LOCK locks each access.  When
 * the memory map fills up it is doubled and the work retried.
 */
#ifndef POSTERN_DICT_DICT_LMDB_H
#define POSTERN_DICT_DICT_LMDB_H

#include <stddef.h>

#include "dict/dict.h"

/* Opens lmdb:name, the file name.lmdb. */
struct dict *dict_lmdb_open(const char *name, int flags, const char **error_r);

/*
 * Sets the initial memory map size for tables opened afterwards
 * (lmdb_map_size, 16 MiB unless set).
 */
void dict_lmdb_set_map_size(size_t size);

#endif
