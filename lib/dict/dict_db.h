/*
 * dict_db - hash: and btree: tables in Berkeley DB files (name.db), in
 * the form Postfix's postmap writes: a plain DB file without environment,
 * keys and values with a trailing NUL by default (see dict_nul.h), locked
 * with flock(2) on the file itself (see dict_file.h).
 *
 * Opening with DICT_FLAG_CREATE builds a new table in a temporary file
 * beside name.db; dict_sync() renames it over name.db, and closing before
 * that discards it, leaving the old table untouched.  DICT_FLAG_WRITE
 * updates name.db in place under an exclusive lock held until close.
 * DICT_FLAG_LOCK on a reader takes a shared lock around each access, so a
 * Postfix postmap rebuilding the file in place is never seen half done.
 *
 * An update of an existing key replaces the value, unless the flags say
 * DICT_FLAG_DUP_IGNORE (keep the first) or DICT_FLAG_DUP_WARN (keep the
 * first and log "name.db: duplicate entry", as Postfix does).
 */
#ifndef POSTERN_DICT_DICT_DB_H
#define POSTERN_DICT_DICT_DB_H

#include <stddef.h>

#include "dict/dict.h"

/* Opens hash:name, the file name.db. */
struct dict *dict_db_open_hash(const char *name, int flags, const char **error_r);

/* Opens btree:name, the file name.db. */
struct dict *dict_db_open_btree(const char *name, int flags, const char **error_r);

/*
 * Sets Berkeley DB's cache size for building tables and for reading them
 * (berkeley_db_create_buffer_size, berkeley_db_read_buffer_size; 16 MiB
 * and 128 KiB unless set).  Affects tables opened afterwards.
 */
void dict_db_set_buffer_sizes(size_t create_size, size_t read_size);

#endif
