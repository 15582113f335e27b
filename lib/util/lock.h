/*
 * lock - advisory file locks by the methods Postfix names: "flock"
 * (flock(2), one lock per open file), "fcntl" (POSIX record locks, one
 * lock per process and file) and "dotlock" (a FILE.lock file created
 * exclusively, which mail readers also honour on NFS-shared spools).
 * Mailbox delivery combines them as mailbox_delivery_lock says.
 *
 * Outcomes other than LOCK_ACQUIRED set *error_r to a short reason
 * without the file name, e.g. "fcntl: Resource temporarily unavailable";
 * the storage is reused by the next lock_* call.
 */
#ifndef POSTERN_UTIL_LOCK_H
#define POSTERN_UTIL_LOCK_H

#include <stdbool.h>

enum lock_method { LOCK_METHOD_FLOCK, LOCK_METHOD_FCNTL, LOCK_METHOD_DOTLOCK };

enum lock_op {
	LOCK_OP_UNLOCK,   /* release what this descriptor holds */
	LOCK_OP_SHARED,   /* readers; many at a time */
	LOCK_OP_EXCLUSIVE /* one writer, no readers */
};

enum lock_status {
	LOCK_ACQUIRED, /* done (also for LOCK_OP_UNLOCK) */
	LOCK_BUSY,     /* someone else holds it and we did not (or no longer) wait */
	LOCK_FAILED    /* a system error; see *error_r */
};

/* Looks up a method by its Postfix name; false for an unknown name. */
bool lock_method_parse(const char *name, enum lock_method *method_r);

/* The Postfix name of a method ("flock", "fcntl", "dotlock"). */
const char *lock_method_name(enum lock_method method);

/* Every method name, in the order postconf -l lists them, NULL-ended. */
const char *const *lock_method_names(void);

/*
 * Locks or unlocks the whole file open on fd with the flock or fcntl
 * method (dotlock needs a path: use lock_dotlock()).  With wait, blocks
 * until the lock is granted; without, returns LOCK_BUSY at once.
 */
enum lock_status lock_fd(int fd, enum lock_method method, enum lock_op op, bool wait,
                         const char **error_r);

/*
 * Takes the dot-lock for path by creating "path.lock" exclusively.  Up
 * to attempts tries, delay seconds apart; a lock file whose last change
 * is more than stale_after seconds old is taken to be left over from a
 * crash and removed.  Returns LOCK_BUSY when every attempt found the
 * lock held (Postfix: deliver_lock_attempts, deliver_lock_delay,
 * stale_lock_time).
 */
enum lock_status lock_dotlock(const char *path, int attempts, int delay, int stale_after,
                              const char **error_r);

/* Removes "path.lock"; false with *error_r set when that fails. */
bool lock_dotlock_release(const char *path, const char **error_r);

#endif
