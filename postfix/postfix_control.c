/*
 * postfix_control - the commands that start, stop, signal and ask about
 * master.  Each refuses up front when master is in the wrong state, so
 * "postfix stop" twice says plainly that nothing runs.
 */
#include <signal.h>
#include <string.h>

#include "postfix.h"
#include "util/msg.h"

/* How long stop waits for master before it kills the process group. */
#define POSTFIX_STOP_WAIT 5

static void postfix_require_running(void)
{
	if (!postfix_master_running())
		msg_fatal("%s is not running", POSTFIX_SYSTEM);
}

int postfix_cmd_start(const struct postfix_opts *opts, char **args, int count)
{
	bool foreground = strcmp(args[0], "start-fg") == 0;

	if (postfix_master_running())
		msg_fatal("%s is already running", POSTFIX_SYSTEM);
	postfix_check_fatal();
	postfix_check_warn();
	msg_info("starting %s", POSTFIX_SYSTEM);
	if (foreground) {
		postfix_master_exec_foreground();
		msg_fatal("cannot start-fg the master daemon");
	}
	if (!postfix_master_start())
		msg_fatal("mail system startup failed");
	return 0;
}

int postfix_cmd_stop(const struct postfix_opts *opts, char **args, int count)
{
	pid_t pid;

	postfix_require_running();
	msg_info("stopping %s", POSTFIX_SYSTEM);
	pid = postfix_master_pid();
	if (!postfix_master_signal(SIGTERM))
		return 1;
	if (postfix_master_wait_gone(POSTFIX_STOP_WAIT))
		return 0;
	msg_warn("stopping %s with force", POSTFIX_SYSTEM);
	if (pid > 0 && kill(-pid, SIGKILL) < 0 && kill(pid, SIGKILL) < 0)
		msg_fatal("cannot kill master process %ld: %m", (long)pid);
	return 0;
}

int postfix_cmd_abort(const struct postfix_opts *opts, char **args, int count)
{
	postfix_require_running();
	msg_info("aborting %s", POSTFIX_SYSTEM);
	return postfix_master_signal(SIGTERM) ? 0 : 1;
}

int postfix_cmd_reload(const struct postfix_opts *opts, char **args, int count)
{
	postfix_require_running();
	msg_info("refreshing %s", POSTFIX_SYSTEM);
	return postfix_master_signal(SIGHUP) ? 0 : 1;
}

int postfix_cmd_status(const struct postfix_opts *opts, char **args, int count)
{
	if (!postfix_master_running()) {
		msg_info("%s is not running", POSTFIX_SYSTEM);
		return 1;
	}
	msg_info("%s is running: PID: %ld", POSTFIX_SYSTEM, (long)postfix_master_pid());
	return 0;
}
