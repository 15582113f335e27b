/*
 * sendmail_modes - everything but queueing a message, done as Postfix
 * does it: by running the command that owns the job (newaliases,
 * postqueue -p, postfix start), or for -q by writing the flush trigger
 * to the queue manager as "postfix flush" does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "mail/mail_trigger.h"
#include "mail/submit_user.h"
#include "sendmail.h"
#include "server/master_proto.h"
#include "util/msg.h"

/* How long -q waits for the queue manager's socket. */
#define SENDMAIL_FLUSH_TIMEOUT 10

/* Runs $command_directory/COMMAND with argument arg (may be NULL) and the configuration. */
static _Noreturn void sendmail_exec(const char *command, const char *arg, const char *config_dir)
{
	char path[4096];
	const char *args[6];
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", var_command_directory, command);
	args[n++] = command;
	if (config_dir != NULL) {
		args[n++] = command[0] == 'n' ? "-C" : "-c";
		args[n++] = config_dir;
	}
	if (arg != NULL)
		args[n++] = arg;
	args[n] = NULL;
	execv(path, (char *const *)args);
	msg_fatal_status(75, "execute %s: %m", path);
}

/* -q: the queue manager rescans the deferred queue now. */
static _Noreturn void sendmail_flush(void)
{
	char path[512];
	const char *error;

	submit_user_check("authorized_flush_users", var_authorized_flush_users,
	                  "flush the mail queue", 75);
	if (chdir(var_queue_directory) < 0)
		msg_fatal_status(75, "chdir %s: %m", var_queue_directory);
	snprintf(path, sizeof(path), "public/%s", var_queue_service_name);
	if (!mail_trigger(path, MASTER_TRIGGER_FLUSH, SENDMAIL_FLUSH_TIMEOUT, &error)) {
		msg_warn("%s", error);
		msg_fatal_status(75, "Cannot flush mail queue - mail system is down");
	}
	exit(0);
}

_Noreturn void sendmail_run_mode(const struct sendmail_opts *opts)
{
	switch (opts->mode) {
	case SENDMAIL_NEWALIASES:
		sendmail_exec("newaliases", NULL, opts->config_dir);
	case SENDMAIL_MAILQ:
		sendmail_exec("postqueue", "-p", opts->config_dir);
	case SENDMAIL_DAEMON:
		sendmail_exec("postfix", "start", opts->config_dir);
	case SENDMAIL_FLUSH:
		sendmail_flush();
	case SENDMAIL_SMTP:
		msg_fatal_status(75, "unsupported: -bs (smtpd has no stand-alone mode yet)");
	case SENDMAIL_ENQUEUE:
		break;
	}
	msg_panic("sendmail_run_mode: mode %d", (int)opts->mode);
}
