/*
 * postfix_env - what every postfix command does first: logging under
 * postfix-script's name (so log lines keep Postfix's shape), the
 * configuration, the environment master inherits, and the directories
 * without which no command can work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "postfix.h"
#include "util/msg.h"

/* The PATH master, its children and the log compressor run with. */
#define POSTFIX_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static char postfix_stderr_tag[256] = "postfix";

/* Standard error shows the tag Postfix's commands show, not msg's progname. */
static void postfix_stderr_output(enum msg_level level, const char *text)
{
	fprintf(stderr, "%s: %s%s\n", postfix_stderr_tag, msg_level_prefix(level), text);
	fflush(stderr);
}

void postfix_env_log_init(void)
{
	msg_init("postfix-script");
	msg_output_reset();
	msg_output_add(postfix_stderr_output);
}

void postfix_env_log_script(void)
{
	snprintf(postfix_stderr_tag, sizeof(postfix_stderr_tag), "%s/postfix-script",
	         var_syslog_name);
}

void postfix_env_init(const struct postfix_opts *opts)
{
	char number[16];

	conf_load(opts->config_dir, NULL, CONF_LOAD_IMPORT | CONF_LOAD_LOGGING);
	setenv("MAIL_CONFIG", var_config_directory, 1);
	setenv("PATH", POSTFIX_PATH, 1);
	if (opts->verbose > 0) {
		snprintf(number, sizeof(number), "%d", opts->verbose);
		setenv("MAIL_VERBOSE", number, 1);
	}
	if (opts->debug)
		setenv("MAIL_DEBUG", "1", 1);
}

static bool postfix_env_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void postfix_env_check_dirs(void)
{
	if (!postfix_env_is_dir(var_command_directory))
		msg_fatal("no Postfix command directory %s!", var_command_directory);
	if (!postfix_env_is_dir(var_daemon_directory))
		msg_fatal("no Postfix daemon directory %s!", var_daemon_directory);
	if (access(postfix_env_master_path(), X_OK) < 0)
		msg_fatal("no Postfix master program %s!", postfix_env_master_path());
	if (!postfix_env_is_dir(var_config_directory))
		msg_fatal("no Postfix configuration directory %s!", var_config_directory);
	if (!postfix_env_is_dir(var_queue_directory))
		msg_fatal("no Postfix queue directory %s!", var_queue_directory);
}

const char *postfix_env_master_path(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/master", var_daemon_directory);
	return path;
}
