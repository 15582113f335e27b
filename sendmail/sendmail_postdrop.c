/*
 * sendmail_postdrop - the postdrop child: $command_directory/postdrop -r
 * on one end of a socket pair (its standard input and output), records
 * written to it, and its report read back (postdrop/main.c, PROTOCOL).
 * sendmail never writes the queue itself; postdrop is the set-gid
 * program that may.  When sendmail dies on a fatal error the child gets
 * SIGTERM, so it removes its half-written file.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/params.h"
#include "mail/queue_file.h"
#include "sendmail.h"
#include "util/alloc.h"
#include "util/attr.h"
#include "util/msg.h"
#include "util/strbuf.h"
#include "util/stream.h"

/* How long postdrop may take to answer. */
#define SENDMAIL_POSTDROP_TIMEOUT 3600

struct sendmail_postdrop {
	pid_t pid;
	struct stream *stream;
	struct strbuf *record;
	char path[4096];
};

static pid_t sendmail_postdrop_pid;

/* msg_cleanup hook: a fatal error ends the child, which removes its file. */
static void sendmail_postdrop_kill(void)
{
	if (sendmail_postdrop_pid > 0)
		(void)kill(sendmail_postdrop_pid, SIGTERM);
}

/* The "unable to execute" fatal error, with the real user as Postfix names it. */
static _Noreturn void sendmail_postdrop_fail(struct sendmail_postdrop *drop, const char *why)
{
	struct passwd *pw = getpwuid(getuid());

	msg_fatal_status(75, "%s(%ld): unable to execute %s -r: %s", pw ? pw->pw_name : "unknown",
	                 (long)getuid(), drop->path, why);
}

/* Reads one attribute list from postdrop; fatal when there is none. */
static struct attr_list *sendmail_postdrop_read(struct sendmail_postdrop *drop)
{
	struct attr_list *list = NULL;
	const char *error = "lost connection";

	if (attr_read(drop->stream, NULL, &list, &error) != ATTR_READ_OK)
		sendmail_postdrop_fail(drop, error);
	return list;
}

struct sendmail_postdrop *sendmail_postdrop_open(const char *config_dir)
{
	struct sendmail_postdrop *drop = xcalloc(1, sizeof(*drop));
	struct attr_list *greeting;
	const char *proto;
	int pair[2];

	snprintf(drop->path, sizeof(drop->path), "%s/postdrop", var_command_directory);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
		msg_fatal_status(75, "socketpair: %m");
	if ((drop->pid = fork()) < 0)
		msg_fatal_status(75, "fork: %m");
	if (drop->pid == 0) {
		if (dup2(pair[1], 0) < 0 || dup2(pair[1], 1) < 0)
			_exit(75);
		execl(drop->path, "postdrop", "-r", "-c", config_dir, (char *)NULL);
		msg_fatal_status(75, "execute %s: %m", drop->path);
	}
	close(pair[1]);
	sendmail_postdrop_pid = drop->pid;
	msg_cleanup_set(sendmail_postdrop_kill);
	signal(SIGPIPE, SIG_IGN);
	drop->stream = stream_open(pair[0]);
	stream_set_timeout(drop->stream, SENDMAIL_POSTDROP_TIMEOUT);
	drop->record = strbuf_new(STRBUF_UNLIMITED);
	greeting = sendmail_postdrop_read(drop);
	proto = attr_get_str(greeting, "protocol");
	if (proto == NULL || strcmp(proto, "postdrop_protocol") != 0 ||
	    attr_get_str(greeting, "queue_id") == NULL)
		sendmail_postdrop_fail(drop, "protocol error");
	if (msg_verbose)
		msg_info("queue id %s", attr_get_str(greeting, "queue_id"));
	attr_list_free(&greeting);
	return drop;
}

void sendmail_postdrop_put(struct sendmail_postdrop *drop, int type, const char *data, size_t len)
{
	strbuf_reset(drop->record);
	queue_file_encode(drop->record, type, data, len);
	if (!stream_write(drop->stream, strbuf_str(drop->record), strbuf_len(drop->record)))
		sendmail_postdrop_fail(drop, stream_err_text(stream_error(drop->stream)));
}

void sendmail_postdrop_close(struct sendmail_postdrop **dropp)
{
	struct sendmail_postdrop *drop = *dropp;
	struct attr_list *reply;
	long status = -1;
	int wstatus;

	if (!stream_flush(drop->stream) || shutdown(stream_fd(drop->stream), SHUT_WR) < 0)
		sendmail_postdrop_fail(drop, stream_err_text(stream_error(drop->stream)));
	reply = sendmail_postdrop_read(drop);
	if (!attr_get_long(reply, "status", 0, 0xffff, &status) || status != 0)
		sendmail_postdrop_fail(drop, "status error");
	attr_list_free(&reply);
	while (waitpid(drop->pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			msg_fatal_status(75, "waitpid: %m");
	}
	sendmail_postdrop_pid = 0;
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
		sendmail_postdrop_fail(drop, "Application error");
	stream_close(&drop->stream);
	strbuf_free(&drop->record);
	free(drop);
	*dropp = NULL;
}
