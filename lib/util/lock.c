/*
 * lock - file locking.  Interrupted waits are retried here, so a signal
 * handler in a daemon never turns into a spurious lock failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/lock.h"
#include "util/msg.h"

#define LOCK_ERROR_MAX 4200

static const char *const lock_names[] = {"flock", "fcntl", "dotlock", NULL};

static char lock_error[LOCK_ERROR_MAX];

/* Formats *error_r; returns status so callers can return the call. */
static enum lock_status lock_fail(enum lock_status status, const char **error_r, const char *fmt,
                                  ...) __attribute__((format(printf, 3, 4)));

static enum lock_status lock_fail(enum lock_status status, const char **error_r, const char *fmt,
                                  ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lock_error, sizeof(lock_error), fmt, ap);
	va_end(ap);
	*error_r = lock_error;
	return status;
}

bool lock_method_parse(const char *name, enum lock_method *method_r)
{
	for (int i = 0; lock_names[i] != NULL; i++) {
		if (strcmp(name, lock_names[i]) == 0) {
			*method_r = (enum lock_method)i;
			return true;
		}
	}
	return false;
}

const char *lock_method_name(enum lock_method method)
{
	if ((size_t)method >= sizeof(lock_names) / sizeof(lock_names[0]) - 1)
		msg_panic("lock_method_name: bad method %d", (int)method);
	return lock_names[method];
}

const char *const *lock_method_names(void)
{
	return lock_names;
}

static int lock_fcntl(int fd, enum lock_op op, bool wait)
{
	static const short types[] = {F_UNLCK, F_RDLCK, F_WRLCK};
	struct flock fl = {.l_type = types[op], .l_whence = SEEK_SET};
	int ret;

	while ((ret = fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl)) < 0 && errno == EINTR)
		continue;
	/* POSIX lets a refused F_SETLK report EACCES as well as EAGAIN. */
	if (ret < 0 && errno == EACCES)
		errno = EAGAIN;
	return ret;
}

static int lock_flock(int fd, enum lock_op op, bool wait)
{
	static const int ops[] = {LOCK_UN, LOCK_SH, LOCK_EX};
	int ret;

	while ((ret = flock(fd, ops[op] | (wait ? 0 : LOCK_NB))) < 0 && errno == EINTR)
		continue;
	return ret;
}

enum lock_status lock_fd(int fd, enum lock_method method, enum lock_op op, bool wait,
                         const char **error_r)
{
	int ret;

	if (op != LOCK_OP_UNLOCK && op != LOCK_OP_SHARED && op != LOCK_OP_EXCLUSIVE)
		msg_panic("lock_fd: bad operation %d", (int)op);
	if (method == LOCK_METHOD_FCNTL)
		ret = lock_fcntl(fd, op, wait);
	else if (method == LOCK_METHOD_FLOCK)
		ret = lock_flock(fd, op, wait);
	else
		msg_panic("lock_fd: method %d does not lock descriptors", (int)method);
	if (ret == 0)
		return LOCK_ACQUIRED;
	return lock_fail(errno == EAGAIN || errno == EWOULDBLOCK ? LOCK_BUSY : LOCK_FAILED, error_r,
	                 "%s: %m", lock_names[method]);
}

/* "path.lock", allocated. */
static char *lock_dotlock_path(const char *path)
{
	size_t len = strlen(path);
	char *lock_path = xmalloc(len + sizeof(".lock"));

	memcpy(lock_path, path, len);
	memcpy(lock_path + len, ".lock", sizeof(".lock"));
	return lock_path;
}

/* Removes lock_path if stale; true when the caller should retry at once. */
static bool lock_dotlock_clear_stale(const char *lock_path, int stale_after)
{
	struct stat st;

	if (lstat(lock_path, &st) < 0)
		return errno == ENOENT;
	if (time(NULL) - st.st_mtime <= stale_after)
		return false;
	return unlink(lock_path) == 0 || errno == ENOENT;
}

enum lock_status lock_dotlock(const char *path, int attempts, int delay, int stale_after,
                              const char **error_r)
{
	char *lock_path = lock_dotlock_path(path);
	enum lock_status status = LOCK_BUSY;
	int removed = 0;
	int fd;

	for (int i = 0; i < attempts; i++) {
		fd = open(lock_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd >= 0) {
			close(fd);
			status = LOCK_ACQUIRED;
			break;
		}
		if (errno != EEXIST) {
			status = lock_fail(LOCK_FAILED, error_r, "create %s: %m", lock_path);
			break;
		}
		/* A removed stale lock earns a free retry, but only so many. */
		if (removed < attempts && lock_dotlock_clear_stale(lock_path, stale_after)) {
			removed++;
			i--;
		} else if (i + 1 < attempts && delay > 0)
			sleep((unsigned int)delay);
	}
	if (status == LOCK_BUSY)
		lock_fail(LOCK_BUSY, error_r, "%s: lock is held by another process", lock_path);
	free(lock_path);
	return status;
}

bool lock_dotlock_release(const char *path, const char **error_r)
{
	char *lock_path = lock_dotlock_path(path);
	bool ok = unlink(lock_path) == 0;

	if (!ok)
		lock_fail(LOCK_FAILED, error_r, "remove %s: %m", lock_path);
	free(lock_path);
	return ok;
}
