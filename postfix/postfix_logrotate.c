/*
 * postfix_logrotate - rotates maillog_file as Postfix 3.4 and later do:
 * rename it with a time stamp, have a running master restart postlogd
 * (SIGHUP) so new lines go to a fresh file, then compress the old one.
 * Whatever fails is reported in one fatal line, as Postfix's script
 * collects the errors of its subshell.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/params.h"
#include "postfix.h"
#include "util/msg.h"

/* Time postlogd gets to reopen the log before the old file is compressed. */
#define POSTFIX_LOGROTATE_SETTLE 1

static void postfix_logrotate_require(const char *name, const char *value)
{
	if (*value == 0)
		msg_fatal("empty '%s' parameter value - logfile rotation failed", name);
}

/* Runs the compressor on path; false with the reason in error. */
static bool postfix_logrotate_compress(const char *path, char *error, size_t size)
{
	int status;
	pid_t pid;

	if ((pid = fork()) < 0) {
		snprintf(error, size, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		execlp(var_maillog_file_compressor, var_maillog_file_compressor, path,
		       (char *)NULL);
		fprintf(stderr, "%s: %s\n", var_maillog_file_compressor, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	snprintf(error, size, "%s %s: failed", var_maillog_file_compressor, path);
	return false;
}

/* The suffix format is the administrator's parameter, so it cannot be a literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static bool postfix_logrotate_suffix(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	return strftime(buf, size, var_maillog_file_rotate_suffix, localtime_r(&now, &tm)) > 0;
}
#pragma GCC diagnostic pop

int postfix_cmd_logrotate(const struct postfix_opts *opts, char **args, int count)
{
	char suffix[256], rotated[4096], error[4352];

	if (count != 1)
		msg_fatal("usage postfix %s (no arguments)", args[0]);
	postfix_logrotate_require("maillog_file", var_maillog_file);
	postfix_logrotate_require("maillog_file_compressor", var_maillog_file_compressor);
	postfix_logrotate_require("maillog_file_rotate_suffix", var_maillog_file_rotate_suffix);
	if (strncmp(var_maillog_file, "/dev/", 5) == 0)
		msg_fatal("not rotating '%s'", var_maillog_file);
	if (!postfix_logrotate_suffix(suffix, sizeof(suffix)))
		msg_fatal("logfile '%s' rotation failed: bad maillog_file_rotate_suffix: %s",
		          var_maillog_file, var_maillog_file_rotate_suffix);
	snprintf(rotated, sizeof(rotated), "%s.%s", var_maillog_file, suffix);
	if (rename(var_maillog_file, rotated) < 0)
		msg_fatal("logfile '%s' rotation failed: rename to %s: %m", var_maillog_file,
		          rotated);
	if (postfix_master_running()) {
		if (!postfix_master_signal(SIGHUP))
			msg_fatal("logfile '%s' rotation failed: cannot signal master",
			          var_maillog_file);
		sleep(POSTFIX_LOGROTATE_SETTLE);
	}
	if (!postfix_logrotate_compress(rotated, error, sizeof(error)))
		msg_fatal("logfile '%s' rotation failed: %s", var_maillog_file, error);
	return 0;
}
