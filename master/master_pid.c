/*
 * master_pid - the pid file $queue_directory/$process_id_directory/
 * master.pid: master's pid right-aligned in a 32-column field (4 columns
 * per byte of an unsigned long, as Postfix writes it on 64-bit hosts) and
 * a newline, under an exclusive flock() for as long as master runs.  The
 * lock, not the file's existence, says whether master runs, so a file
 * left by a crash does not block a restart.  $data_directory/master.lock
 * gets the same treatment, as in Postfix, so that two instances
 * configured with one data directory cannot both run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "util/lock.h"
#include "util/msg.h"

static const char *master_pid_path(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/master.pid", var_process_id_directory);
	return path;
}

/* Locks path for good and writes the pid into it; fatal when another master holds it. */
static void master_pid_lock_file(const char *path, mode_t mode)
{
	const char *reason;
	char text[64];
	int fd, len;

	/* Deliberately kept open (and locked) until master exits. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode)) < 0)
		msg_fatal("open lock file %s: %m", path);
	switch (lock_fd(fd, LOCK_METHOD_FLOCK, LOCK_OP_EXCLUSIVE, false, &reason)) {
	case LOCK_ACQUIRED:
		break;
	case LOCK_BUSY:
		msg_fatal("the %s mail system is already running", var_mail_name);
	case LOCK_FAILED:
		msg_fatal("open lock file %s: unable to set exclusive lock: %s", path, reason);
	}
	len = snprintf(text, sizeof(text), "%*lu\n", (int)sizeof(unsigned long) * 4,
	               (unsigned long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, text, (size_t)len, 0) != len)
		msg_fatal("update lock file %s: %m", path);
}

void master_pid_lock(void)
{
	char path[4096];

	master_pid_lock_file(master_pid_path(), 0644);
	snprintf(path, sizeof(path), "%s/master.lock", var_data_directory);
	master_pid_lock_file(path, 0600);
}

bool master_pid_running(void)
{
	const char *reason;
	bool running;
	int fd;

	if ((fd = open(master_pid_path(), O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return false;
	running = lock_fd(fd, LOCK_METHOD_FLOCK, LOCK_OP_EXCLUSIVE, false, &reason) == LOCK_BUSY;
	close(fd);
	return running;
}
