/*
 * NAME
 *	postfix - start, stop and check the mail system
 *
 * SYNOPSIS
 *	postfix [-Dv] [-c config_dir] command [argument ...]
 *
 * DESCRIPTION
 *	Controls the master(8) process and checks the installation, doing
 *	in C what Postfix's postfix-script does in shell.  Before any
 *	command it reads main.cf (a bad line is fatal with the file and line
 *	number) and requires that command_directory, daemon_directory (with
 *	the master program), config_directory and queue_directory exist.
 *
 *	start		Refuses when master already runs.  Checks the
 *			configuration (master.cf must exist and parse; a bad
 *			line is fatal with file and line and nothing starts;
 *			with maillog_file set master.cf needs the postlog
 *			unix-dgram service), creates missing queue directories,
 *			warns about wrong ownership and permissions, then runs
 *			"master -w", which returns once the master daemon has
 *			initialized in the background.
 *	start-fg	Like start, but master runs in the foreground ("master
 *			-s": this process becomes master), for supervisors and
 *			containers; SIGTERM stops it.
 *	stop		Sends SIGTERM to master, waits up to 5 seconds for it
 *			to go, then kills its process group with SIGKILL.
 *	abort		Sends SIGTERM to master without waiting, as Postfix 3.7
 *			does (master itself stops its children at once).
 *	reload		Sends SIGHUP: master rereads its configuration.
 *	status		Exit 0 when master runs, 1 when not, with a message.
 *	check		The start checks without starting anything; also warns
 *			about group or world writable files in config_directory.
 *	set-permissions [name=value ...]
 *			Sets each name=value in main.cf, then creates missing
 *			queue directories and gives every one its owner, group
 *			and mode (lib/mail/queue_dirs.h).
 *	flush		Writes the flush trigger byte to public/qmgr; without a
 *			queue manager listening, "Cannot flush mail queue - mail
 *			system is down" and exit 69 (EX_UNAVAILABLE).
 *	logrotate	Renames maillog_file to maillog_file.SUFFIX (suffix:
 *			strftime(maillog_file_rotate_suffix)), sends SIGHUP to a
 *			running master so postlogd reopens the file, then runs
 *			maillog_file_compressor on the renamed file.  Files
 *			under /dev are never rotated.
 *
 *	-c config_dir	Use config_dir instead of $MAIL_CONFIG or the default.
 *	-D		With start: daemons run under debugger_command
 *			(exported to master as MAIL_DEBUG).
 *	-v		More verbose logging, also for master and the daemons
 *			(MAIL_VERBOSE).
 *
 *	Messages name the system "the Postfix mail system", whatever
 *	mail_name says, because init scripts and monitoring match those
 *	exact lines.
 *
 * PROTOCOL
 *	master: "master -t" exits 0 when no master holds the lock on
 *	$queue_directory/pid/master.pid; the first line of that file holds
 *	master's pid.  master's environment holds MAIL_CONFIG.  flush writes
 *	one MASTER_TRIGGER_FLUSH byte to public/qmgr (socket or fifo).
 *
 * PARAMETERS
 *	command_directory (/usr/sbin)	must exist.
 *	config_directory (/etc/postfix)	main.cf, master.cf; checked for
 *					group or world writable files.
 *	daemon_directory (/usr/lib/postern)	where master lives.
 *	data_directory (/var/lib/postfix)	created and checked.
 *	queue_directory (/var/spool/postfix)	created and checked.
 *	mail_owner (postfix)		owner of the queue directories.
 *	setgid_group (postdrop)		group of maildrop and public.
 *	maillog_file ()			the file logrotate rotates.
 *	maillog_file_compressor (gzip)	compresses the rotated file.
 *	maillog_file_rotate_suffix (%Y%m%d-%H%M%S)	strftime format.
 *	syslog_name (postfix)		log lines read syslog_name/postfix-script.
 *
 * LOG LINES
 *	Written to standard error as "postfix/postfix-script: TEXT" and to
 *	the log as "postfix/postfix-script[PID]: TEXT":
 *	  starting the Postfix mail system
 *	  stopping the Postfix mail system
 *	  waiting for the Postfix mail system to terminate
 *	  warning: stopping the Postfix mail system with force
 *	  aborting the Postfix mail system
 *	  refreshing the Postfix mail system
 *	  the Postfix mail system is running: PID: N
 *	  the Postfix mail system is not running
 *	  fatal: the Postfix mail system is already running
 *	  fatal: the Postfix mail system is not running
 *	  fatal: mail system startup failed
 *	  fatal: unknown command: 'WORD'. Usage: postfix start (or ...)
 *	  warning: not owned by USER: PATH
 *	  warning: not owned by group GROUP: PATH
 *	  warning: group or other writable: PATH
 *	  warning: mode MODE should be MODE: PATH
 *	Before main.cf is read, messages read "postfix: fatal: ...".
 *
 * SECURITY
 *	Meant for the superuser (or the instance owner in instance mode).
 *	Not set-id.  The environment is cut down to import_environment
 *	before anything is started.
 *
 * SEE ALSO
 *	master/main.c, lib/mail/queue_dirs.h, postfix(1) of Postfix.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postfix.h"
#include "util/msg.h"

static const struct {
	const char *name;
	postfix_command_fn run;
} postfix_commands[] = {
    {"start", postfix_cmd_start},   {"start-fg", postfix_cmd_start},
    {"stop", postfix_cmd_stop},     {"abort", postfix_cmd_abort},
    {"reload", postfix_cmd_reload}, {"status", postfix_cmd_status},
    {"check", postfix_cmd_check},   {"set-permissions", postfix_cmd_set_permissions},
    {"flush", postfix_cmd_flush},   {"logrotate", postfix_cmd_logrotate},
};

static _Noreturn void usage(void)
{
	msg_fatal("usage: postfix [-c config_dir] [-Dv] command");
}

/* getopt's own complaint would name the full path we were run by. */
static _Noreturn void usage_error(const char *what, int option)
{
	fprintf(stderr, "postfix: %s -- '%c'\n", what, option);
	usage();
}

static postfix_command_fn postfix_find(const char *name)
{
	for (size_t i = 0; i < sizeof(postfix_commands) / sizeof(postfix_commands[0]); i++)
		if (strcmp(postfix_commands[i].name, name) == 0)
			return postfix_commands[i].run;
	msg_fatal("unknown command: '%s'. Usage: postfix start (or stop, reload, abort, flush, "
	          "check, status, set-permissions, logrotate)",
	          name);
}

int main(int argc, char **argv)
{
	struct postfix_opts opts = {0};
	postfix_command_fn run;
	int ch;

	postfix_env_log_init();
	opterr = 0;
	while ((ch = getopt(argc, argv, "+:c:Dv")) != -1) {
		switch (ch) {
		case 'c':
			opts.config_dir = optarg;
			break;
		case 'D':
			opts.debug = true;
			break;
		case 'v':
			opts.verbose++;
			msg_verbose++;
			break;
		case ':':
			usage_error("option requires an argument", optopt);
		default:
			usage_error("invalid option", optopt);
		}
	}
	postfix_env_init(&opts);
	postfix_env_log_script();
	postfix_env_check_dirs();
	run = postfix_find(optind < argc ? argv[optind] : "");
	return run(&opts, argv + optind, argc - optind);
}
