/*
 * dict_file - locking and atomic replacement of table files.  Postfix
 * rebuilds a table in place under an exclusive flock; we rebuild beside it
 * and rename, which Postfix's readers tolerate (they notice the rename as
 * a change and restart), while still taking Postfix's lock so that its
 * postmap and ours never interleave writes to one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict/dict_file.h"
#include "util/alloc.h"

bool dict_file_lock(int fd, int op)
{
	while (flock(fd, op) < 0) {
		if (errno != EINTR)
			return false;
	}
	return true;
}

/* True when path still names the file open as fd. */
static bool dict_file_same(int fd, const char *path)
{
	struct stat fd_st, path_st;

	if (fstat(fd, &fd_st) < 0 || stat(path, &path_st) < 0)
		return false;
	return fd_st.st_dev == path_st.st_dev && fd_st.st_ino == path_st.st_ino;
}

int dict_file_open_locked(const char *path, int open_flags, int op, struct strbuf *error)
{
	for (;;) {
		int fd = open(path, open_flags | O_CLOEXEC, 0644);
		int saved;

		if (fd < 0) {
			saved = errno;
			strbuf_reset(error);
			strbuf_printf(error, "open %s: %m", path);
			errno = saved;
			return -1;
		}
		if (!dict_file_lock(fd, op)) {
			saved = errno;
			strbuf_reset(error);
			strbuf_printf(error, "lock %s: %m", path);
			close(fd);
			errno = saved;
			return -1;
		}
		if (dict_file_same(fd, path))
			return fd;
		close(fd);
	}
}

char *dict_file_temp_path(const char *path)
{
	struct strbuf *temp = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(temp, "%s.%ld.tmp", path, (long)getpid());
	(void)unlink(strbuf_str(temp));
	return strbuf_export(&temp);
}

/* Gives the new file the old one's permissions; ownership only if we may. */
static void dict_file_copy_owner(int temp_fd, int old_fd)
{
	struct stat st;

	if (fstat(old_fd, &st) < 0)
		return;
	if (fchown(temp_fd, st.st_uid, st.st_gid) < 0) {
		/* Not root: the new file stays owned by us, as Postfix's would. */
	}
	if (fchmod(temp_fd, st.st_mode & 07777) < 0) {
		/* The default mode is a safe fallback. */
	}
}

/*
 * Syncs the directory holding path so the rename itself survives a crash.
 * Best effort: the table is already complete and in place.
 */
static void dict_file_sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		if (fsync(fd) < 0) {
			/* Some file systems refuse fsync on directories. */
		}
		close(fd);
	}
	free(copy);
}

bool dict_file_commit(const char *temp, int temp_fd, const char *path, int old_fd,
                      struct strbuf *error)
{
	strbuf_reset(error);
	if (old_fd >= 0)
		dict_file_copy_owner(temp_fd, old_fd);
	if (fsync(temp_fd) < 0) {
		strbuf_printf(error, "fsync %s: %m", temp);
		return false;
	}
	if (rename(temp, path) < 0) {
		strbuf_printf(error, "rename %s to %s: %m", temp, path);
		return false;
	}
	dict_file_sync_dir(path);
	return true;
}
