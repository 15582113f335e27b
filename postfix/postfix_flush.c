/*
 * postfix_flush - asks the queue manager to retry deferred mail now by
 * writing the flush trigger byte to public/qmgr, which is a UNIX socket
 * or a fifo depending on master.cf's qmgr type.  Without a listener the
 * command fails as Postfix's postqueue -f does: the mail system is down.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "config/params.h"
#include "postfix.h"
#include "server/master_proto.h"
#include "util/msg.h"
#include "util/sock.h"

/* Seconds to wait for the queue manager to accept the trigger. */
#define POSTFIX_FLUSH_TIMEOUT 10

/* Opens the trigger endpoint; -1 with a warning when nobody listens. */
static int postfix_flush_open(const char *path)
{
	const char *error;
	struct stat st;
	int fd;

	if (stat(path, &st) < 0) {
		msg_warn("unable to look up public/qmgr: %m");
		return -1;
	}
	if (S_ISFIFO(st.st_mode)) {
		if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
			msg_warn("unable to open public/qmgr: %m");
		return fd;
	}
	if ((fd = sock_unix_connect(path, POSTFIX_FLUSH_TIMEOUT, &error)) < 0)
		msg_warn("unable to connect to public/qmgr: %s", error);
	return fd;
}

int postfix_cmd_flush(const struct postfix_opts *opts, char **args, int count)
{
	const char trigger = MASTER_TRIGGER_FLUSH;
	char path[4096];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "%s/public/qmgr", var_queue_directory);
	if ((fd = postfix_flush_open(path)) < 0)
		msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
	ok = write(fd, &trigger, 1) == 1;
	if (!ok)
		msg_warn("unable to write to public/qmgr: %m");
	close(fd);
	if (!ok)
		msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
	return 0;
}
