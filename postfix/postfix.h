/*
 * postfix.h - the postfix command's private interface: one function per
 * command word, and the helpers they share for the environment, the
 * master process and the configuration checks.
 */
#ifndef POSTERN_POSTFIX_POSTFIX_H
#define POSTERN_POSTFIX_POSTFIX_H

#include <stdbool.h>
#include <sys/types.h>

/* The text every message names the system by, as Postfix's script does. */
#define POSTFIX_SYSTEM "the Postfix mail system"

/* What main() parsed. */
struct postfix_opts {
	const char *config_dir; /* -c, or NULL */
	bool debug;             /* -D */
	int verbose;            /* -v count */
};

/* A command: args[0] is the command word; returns the exit status. */
typedef int (*postfix_command_fn)(const struct postfix_opts *opts, char **args, int count);

/* postfix_env.c: stderr lines read "postfix: ..." until this names the script's tag. */
void postfix_env_log_init(void);
/* Switches stderr and log lines to "$syslog_name/postfix-script". */
void postfix_env_log_script(void);
/*
 * Loads main.cf and logging, builds the environment master and its
 * children inherit (MAIL_CONFIG, MAIL_VERBOSE, MAIL_DEBUG, PATH).
 */
void postfix_env_init(const struct postfix_opts *opts);
/* Fatal unless the command, daemon, configuration and queue directories exist. */
void postfix_env_check_dirs(void);
/* The path "$daemon_directory/master" (static storage). */
const char *postfix_env_master_path(void);

/* postfix_master.c */
/* True when a master holds the pid file lock ("master -t" says so). */
bool postfix_master_running(void);
/* The pid in pid/master.pid, or 0 when it cannot be read. */
pid_t postfix_master_pid(void);
/* Runs "master -w" and returns true when it reports a successful start. */
bool postfix_master_start(void);
/* Replaces this process with master in the foreground; returns only on failure. */
void postfix_master_exec_foreground(void);
/* Sends sig to the master process; false (logged) when that fails. */
bool postfix_master_signal(int sig);
/* Waits up to seconds for master to go away, logging while it waits. */
bool postfix_master_wait_gone(int seconds);

/* postfix_control.c */
int postfix_cmd_start(const struct postfix_opts *opts, char **args, int count);
int postfix_cmd_stop(const struct postfix_opts *opts, char **args, int count);
int postfix_cmd_abort(const struct postfix_opts *opts, char **args, int count);
int postfix_cmd_reload(const struct postfix_opts *opts, char **args, int count);
int postfix_cmd_status(const struct postfix_opts *opts, char **args, int count);

/* postfix_check.c */
/* The checks start runs first; fatal errors end the process. */
void postfix_check_fatal(void);
/* The warnings-only part of check; returns the number of warnings. */
size_t postfix_check_warn(void);
int postfix_cmd_check(const struct postfix_opts *opts, char **args, int count);
int postfix_cmd_set_permissions(const struct postfix_opts *opts, char **args, int count);

/* postfix_flush.c */
int postfix_cmd_flush(const struct postfix_opts *opts, char **args, int count);

/* postfix_logrotate.c */
int postfix_cmd_logrotate(const struct postfix_opts *opts, char **args, int count);

#endif
