/*
 * safe_open - link-proof opening.  The checks run on the open
 * descriptor (fstat), not on the name, because only the descriptor
 * cannot change under us; the earlier lstat() exists to refuse links and
 * special files before open() could block on a FIFO or follow anything,
 * and to prove afterwards that the name still meant the same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/safe_open.h"

#define SAFE_OPEN_ERROR_MAX 4200
#define SAFE_OPEN_TRIES 3

static char safe_open_error[SAFE_OPEN_ERROR_MAX];

/* Sets *error_r to "path: reason" and errno to err; returns -1. */
static int safe_open_fail(const char **error_r, int err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int safe_open_fail(const char **error_r, int err, const char *path, const char *fmt, ...)
{
	va_list ap;
	int len;

	errno = err; /* for %m in fmt */
	len = snprintf(safe_open_error, sizeof(safe_open_error), "%s: ", path);
	if (len >= 0 && (size_t)len < sizeof(safe_open_error)) {
		va_start(ap, fmt);
		vsnprintf(safe_open_error + len, sizeof(safe_open_error) - (size_t)len, fmt, ap);
		va_end(ap);
	}
	*error_r = safe_open_error;
	errno = err;
	return -1;
}

/* Closes fd keeping errno, for failures after a successful open. */
static void safe_open_close(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
}

/* Removes a file we created but could not finish, keeping errno. */
static void safe_open_undo(const char *path, int fd)
{
	int saved = errno;

	unlink(path);
	close(fd);
	errno = saved;
}

/* Checks what lstat() or fstat() saw; returns a reason or NULL. */
static const char *safe_open_refusal(const struct stat *st, uid_t owner, char *buf, size_t size)
{
	if (S_ISLNK(st->st_mode))
		return "is a symbolic link";
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_nlink != 1) {
		snprintf(buf, size, "has %lu hard links", (unsigned long)st->st_nlink);
		return buf;
	}
	if (owner != SAFE_OPEN_ANY_UID && st->st_uid != owner) {
		snprintf(buf, size, "owned by uid %lu, not %lu", (unsigned long)st->st_uid,
		         (unsigned long)owner);
		return buf;
	}
	return NULL;
}

/* The checks after open(); on success, drops O_NONBLOCK and truncates. */
static int safe_open_verify(int fd, const char *path, int flags, uid_t owner,
                            const struct stat *before, struct stat *st_r, const char **error_r)
{
	struct stat st;
	char buf[80];
	const char *reason;

	if (fstat(fd, &st) < 0)
		return safe_open_fail(error_r, errno, path, "fstat: %m");
	if ((reason = safe_open_refusal(&st, owner, buf, sizeof(buf))) != NULL)
		return safe_open_fail(error_r, EPERM, path, "%s", reason);
	if (st.st_dev != before->st_dev || st.st_ino != before->st_ino)
		return safe_open_fail(error_r, EPERM, path, "file was replaced while being opened");
	if ((flags & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		return safe_open_fail(error_r, errno, path, "fcntl: %m");
	if ((flags & O_TRUNC) != 0) {
		if (ftruncate(fd, 0) < 0)
			return safe_open_fail(error_r, errno, path, "truncate: %m");
		if (fstat(fd, &st) < 0)
			return safe_open_fail(error_r, errno, path, "fstat: %m");
	}
	if (st_r != NULL)
		*st_r = st;
	return 0;
}

int safe_open_existing(const char *path, int flags, uid_t owner, struct stat *st_r,
                       const char **error_r)
{
	struct stat before;
	char buf[80];
	const char *reason;
	int open_flags = (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NOFOLLOW | O_NONBLOCK |
	                 O_NOCTTY | O_CLOEXEC;
	int fd;

	if (lstat(path, &before) < 0)
		return safe_open_fail(error_r, errno, path, "%m");
	if ((reason = safe_open_refusal(&before, owner, buf, sizeof(buf))) != NULL)
		return safe_open_fail(error_r, EPERM, path, "%s", reason);
	if ((fd = open(path, open_flags)) < 0) {
		if (errno == ELOOP)
			return safe_open_fail(error_r, EPERM, path, "is a symbolic link");
		return safe_open_fail(error_r, errno, path, "%m");
	}
	if (safe_open_verify(fd, path, flags, owner, &before, st_r, error_r) < 0) {
		safe_open_close(fd);
		return -1;
	}
	return fd;
}

int safe_open_create(const char *path, int flags, mode_t mode, uid_t owner, gid_t group,
                     struct stat *st_r, const char **error_r)
{
	int open_flags = (flags & ~O_TRUNC) | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC;
	int fd;

	if ((fd = open(path, open_flags, mode)) < 0)
		return safe_open_fail(error_r, errno, path, "create: %m");
	if ((owner != SAFE_OPEN_ANY_UID || group != SAFE_OPEN_ANY_GID) &&
	    fchown(fd, owner, group) < 0) {
		safe_open_fail(error_r, errno, path, "change owner: %m");
		goto undo;
	}
	/* After fchown, which may clear set-id bits; and past the umask. */
	if (fchmod(fd, mode) < 0) {
		safe_open_fail(error_r, errno, path, "change mode: %m");
		goto undo;
	}
	if (st_r != NULL && fstat(fd, st_r) < 0) {
		safe_open_fail(error_r, errno, path, "fstat: %m");
		goto undo;
	}
	return fd;

undo:
	safe_open_undo(path, fd);
	return -1;
}

int safe_open(const char *path, int flags, mode_t mode, uid_t owner, gid_t group, struct stat *st_r,
              const char **error_r)
{
	int fd = -1;

	for (int i = 0; i < SAFE_OPEN_TRIES; i++) {
		fd = safe_open_existing(path, flags, owner, st_r, error_r);
		if (fd >= 0 || errno != ENOENT)
			return fd;
		fd = safe_open_create(path, flags, mode, owner, group, st_r, error_r);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return fd;
}
