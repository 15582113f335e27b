/*
 * postfix_master - everything the postfix command does to the master
 * process.  Whether master runs is master's own answer ("master -t"),
 * so the lock protocol on master.pid stays master's business; the pid
 * for signals comes from the first line of that file, as Postfix's
 * script reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/params.h"
#include "postfix.h"
#include "util/msg.h"

/*
 * Runs master with args (NULL-ended, after argv[0]); quiet sends its
 * output to /dev/null.  Returns its exit status, or -1 when it could not
 * be run or died of a signal.
 */
static int postfix_master_run(const char *const *args, bool quiet)
{
	const char *argv[8] = {"master"};
	int status;
	pid_t pid;

	for (size_t i = 0; args[i] != NULL && i + 2 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[i + 1] = args[i];
	if ((pid = fork()) < 0) {
		msg_warn("fork: %m");
		return -1;
	}
	if (pid == 0) {
		int null = quiet ? open("/dev/null", O_WRONLY) : -1;

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execv(postfix_env_master_path(), (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool postfix_master_running(void)
{
	static const char *const test[] = {"-t", NULL};

	return postfix_master_run(test, true) != 0;
}

pid_t postfix_master_pid(void)
{
	char path[4096], line[64];
	FILE *fp;
	long pid = 0;

	snprintf(path, sizeof(path), "%s/pid/master.pid", var_queue_directory);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), fp) != NULL)
		pid = strtol(line, NULL, 10);
	fclose(fp);
	return pid > 0 ? (pid_t)pid : 0;
}

bool postfix_master_start(void)
{
	static const char *const start[] = {"-w", NULL};

	return postfix_master_run(start, false) == 0;
}

void postfix_master_exec_foreground(void)
{
	char *const argv[] = {"master", "-s", NULL};

	execv(postfix_env_master_path(), argv);
	msg_warn("cannot execute %s: %m", postfix_env_master_path());
}

bool postfix_master_signal(int sig)
{
	pid_t pid = postfix_master_pid();

	if (pid == 0) {
		msg_warn("cannot read a process ID from %s/pid/master.pid", var_queue_directory);
		return false;
	}
	if (kill(pid, sig) < 0) {
		msg_warn("cannot signal master process %ld: %m", (long)pid);
		return false;
	}
	return true;
}

/* Sleeps about a tenth of a second. */
static void postfix_master_nap(void)
{
	struct timespec tenth = {0, 100 * 1000 * 1000};

	nanosleep(&tenth, NULL);
}

bool postfix_master_wait_gone(int seconds)
{
	for (int tenths = 0; tenths < seconds * 10; tenths++) {
		if (!postfix_master_running())
			return true;
		if (tenths > 0 && tenths % 10 == 0)
			msg_info("waiting for %s to terminate", POSTFIX_SYSTEM);
		postfix_master_nap();
	}
	return !postfix_master_running();
}
