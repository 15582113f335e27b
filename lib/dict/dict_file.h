/*
 * dict_file - the file protocol shared by the hash, btree and lmdb
 * tables.  Locks are flock(2) locks on the table file itself, as Postfix
 * takes them, so Postfix's postmap and daemons and ours exclude each
 * other: readers hold a shared lock around each access, writers an
 * exclusive one.  A rebuild writes a temporary file beside the table and
 * renames it over the table, so a reader always sees a complete table
 * (an open reader keeps the old file; a new open gets the new one).
 */
#ifndef POSTERN_DICT_DICT_FILE_H
#define POSTERN_DICT_DICT_FILE_H

#include <stdbool.h>

#include "util/strbuf.h"

/*
 * Applies flock operation op (LOCK_SH, LOCK_EX, LOCK_UN) to fd, waiting
 * as long as it takes.  False with errno set on failure.
 */
bool dict_file_lock(int fd, int op);

/*
 * Opens path with open_flags and locks it with op; when a concurrent
 * rebuild renamed a new file over path meanwhile, starts again on the new
 * file.  Returns the descriptor, or -1 with errno set (ENOENT when there
 * is no such file) and a message in error.
 */
int dict_file_open_locked(const char *path, int open_flags, int op, struct strbuf *error);

/*
 * The name of the temporary file in which to rebuild path (same
 * directory, so the final rename is atomic).  A leftover file of that name
 * can only come from a dead process with our pid, and is removed.  The
 * caller frees the result.
 */
char *dict_file_temp_path(const char *path);

/*
 * Makes the rebuilt temp (open as temp_fd) durable and renames it over
 * path.  When old_fd >= 0 (the previous table, locked), the new file gets
 * its permissions and, where allowed, its owner.  False with a message in
 * error; temp is then left for the caller to remove.
 */
bool dict_file_commit(const char *temp, int temp_fd, const char *path, int old_fd,
                      struct strbuf *error);

#endif
