/*
 * eugid - temporarily acting as another user.  A root process that works
 * on a user's files on that user's behalf (postmap building a table from
 * a file the user owns) switches its effective user and group, and its
 * supplementary groups, so that the files it creates belong to that user
 * and it can read only what the user may read; it switches back before
 * the next file.
 */
#ifndef POSTERN_UTIL_EUGID_H
#define POSTERN_UTIL_EUGID_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Makes uid and gid the effective ids and gid the only supplementary
 * group.  The process must have effective uid 0.  False with errno set on
 * failure, in which case the ids are back to root.
 */
bool eugid_set(uid_t uid, gid_t gid);

/*
 * Returns to effective root with the supplementary groups the process had
 * before eugid_set().  False with errno set on failure.
 */
bool eugid_restore(void);

#endif
