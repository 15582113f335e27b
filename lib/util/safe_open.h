/*
 * safe_open - open files in directories that others may write to
 * (mailbox spools, queue directories) without being tricked by a
 * symbolic link, a hard link or a file swapped in between the check and
 * the use.
 *
 * An existing file is accepted only when it is a regular file with
 * exactly one hard link, is the file that lstat() saw before the open,
 * and (optionally) has the expected owner.  A new file is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so no link can point it elsewhere, and gets
 * exactly the requested mode whatever the umask.  Only the last path
 * component is protected; the directories above must be trusted.
 *
 * Descriptors are opened close-on-exec.  On failure the functions
 * return -1 with *error_r set to "PATH: reason" (storage reused by the
 * next safe_open_* call) and errno set: the failed system call's errno,
 * or EPERM when a file was refused.
 */
#ifndef POSTERN_UTIL_SAFE_OPEN_H
#define POSTERN_UTIL_SAFE_OPEN_H

#include <sys/stat.h>
#include <sys/types.h>

/* As owner: accept any owner (existing) or keep ours (created). */
#define SAFE_OPEN_ANY_UID ((uid_t)-1)
/* As group: keep the group the file was created with. */
#define SAFE_OPEN_ANY_GID ((gid_t)-1)

/*
 * Opens the existing file path with flags (O_RDONLY, O_WRONLY or O_RDWR,
 * optionally O_APPEND and O_TRUNC; O_CREAT and O_EXCL are ignored).
 * O_TRUNC takes effect only after every check passed, so a refused file
 * is never truncated.  owner, unless SAFE_OPEN_ANY_UID, must own the
 * file.  *st_r (may be NULL) receives the file's status.
 */
int safe_open_existing(const char *path, int flags, uid_t owner, struct stat *st_r,
                       const char **error_r);

/*
 * Creates path, which must not exist (not even as a dangling link),
 * with flags (access mode, optionally O_APPEND) and exactly mode, then
 * changes its owner and group unless they are SAFE_OPEN_ANY_UID and
 * SAFE_OPEN_ANY_GID.  A file whose owner cannot be set is removed
 * again.  *st_r (may be NULL) receives the new file's status.
 */
int safe_open_create(const char *path, int flags, mode_t mode, uid_t owner, gid_t group,
                     struct stat *st_r, const char **error_r);

/*
 * Opens path as safe_open_existing() does when it exists, or creates it
 * as safe_open_create() does when it does not; a file appearing or
 * disappearing in between is handled by trying again.
 */
int safe_open(const char *path, int flags, mode_t mode, uid_t owner, gid_t group, struct stat *st_r,
              const char **error_r);

#endif
