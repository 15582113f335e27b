/*
 * postdrop_file - the maildrop file's life: created under a temporary
 * name that is not a queue id (so pickup never opens it half-written),
 * mode 0644; when complete it is fsync'ed, given the owner-execute bit
 * (0744, Postfix's mark of a complete maildrop file) and renamed to its
 * queue id.  On any failure, or a HUP/INT/QUIT/TERM signal, the
 * temporary file is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "config/params.h"
#include "mail/queue_file.h"
#include "postdrop.h"
#include "util/msg.h"
#include "util/safe_open.h"
#include "util/units.h"

/* The file a fatal error or a signal removes; empty when none. */
static char postdrop_remove_path[64];

void postdrop_file_remove(void)
{
	if (postdrop_remove_path[0] != 0)
		(void)unlink(postdrop_remove_path);
	postdrop_remove_path[0] = 0;
}

static void postdrop_file_signal(int sig)
{
	if (postdrop_remove_path[0] != 0)
		(void)unlink(postdrop_remove_path);
	_exit(1);
}

/* Removes the file on the signals that postdrop(1) promises to handle. */
static void postdrop_file_signals(void)
{
	static const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};
	struct sigaction sa = {.sa_handler = postdrop_file_signal};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void postdrop_file_create(struct postdrop_file *file)
{
	struct timeval now;
	const char *error;
	struct stat st;
	bool long_ids;

	if (!units_bool("enable_long_queue_ids", var_enable_long_queue_ids, &long_ids, &error))
		msg_fatal("%s", error);
	postdrop_file_signals();
	gettimeofday(&now, NULL);
	snprintf(file->temp_path, sizeof(file->temp_path), "maildrop/T%ld.%06ld", (long)getpid(),
	         (long)now.tv_usec);
	file->fd = safe_open_create(file->temp_path, O_RDWR, 0644, SAFE_OPEN_ANY_UID,
	                            SAFE_OPEN_ANY_GID, &st, &error);
	if (file->fd < 0)
		msg_fatal("create file %s", error);
	snprintf(postdrop_remove_path, sizeof(postdrop_remove_path), "%s", file->temp_path);
	msg_cleanup_set(postdrop_file_remove);
	queue_id_make(file->queue_id, long_ids, now.tv_sec, now.tv_usec, st.st_ino);
	file->writer = queue_file_writer_new(file->fd);
	if (!queue_file_printf(file->writer, QUEUE_REC_TIME, "%ld %ld", (long)now.tv_sec,
	                       (long)now.tv_usec))
		msg_fatal("%s: write: %m", file->temp_path);
}

void postdrop_file_finish(struct postdrop_file *file)
{
	char path[64];

	snprintf(path, sizeof(path), "maildrop/%s", file->queue_id);
	if (!queue_file_flush(file->writer) || fsync(file->fd) < 0 || fchmod(file->fd, 0744) < 0)
		msg_fatal("%s: write: %m", file->temp_path);
	if (renameat2(AT_FDCWD, file->temp_path, AT_FDCWD, path, RENAME_NOREPLACE) < 0)
		msg_fatal("rename %s to %s: %m", file->temp_path, path);
	postdrop_remove_path[0] = 0;
	queue_file_writer_free(&file->writer);
	if (close(file->fd) < 0)
		msg_fatal("%s: close: %m", path);
	file->fd = -1;
}
