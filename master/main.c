/*
 * NAME
 *   master - postern's resident process supervisor
 *
 * SYNOPSIS
 *   master [-dstvw] [-c config_dir] [-e exit_time]
 *
 * DESCRIPTION
 *   master reads main.cf and master.cf, opens every listening socket
 *   that master.cf names, and runs the daemons on demand: when a
 *   connection (or a trigger) waits on a service's socket and none of its
 *   processes is available, master forks one more, up to the service's
 *   process limit (master.cf field 7; "-" is default_process_limit, 0 is
 *   no limit).  Daemons leave on their own after max_idle or max_use.
 *   The whole configuration is checked before anything is opened: a bad
 *   master.cf line is reported with its file and line number and master
 *   exits without starting anything.
 *
 *   The command of a master.cf entry is a program in daemon_directory,
 *   as in Postfix, or (an extension, used by the tests) an absolute path.
 *   Wakeups (field 6, "N" or "N?" for "not before the first use") work
 *   for unix, unix-dgram and fifo services; master refuses them for inet
 *   and pass services.
 *
 *   A service whose processes exit with an error before they ever served
 *   a client is throttled: master stops spawning it for
 *   service_throttle_time while every other service goes on.
 *
 *   Options:
 *   -c config_dir  read main.cf and master.cf in config_dir; daemons get
 *                  it as MAIL_CONFIG.
 *   -d             stay attached: keep stdin, stdout and stderr and the
 *                  session (for debugging and for tests).
 *   -e exit_time   exit after exit_time seconds; children finish at their
 *                  convenience.
 *   -s             keep stdout, so that maillog_file = /dev/stdout works.
 *   -t             test mode: exit 0 when no master holds the pid file
 *                  lock (master is not running), 1 when one does.
 *   -v             verbose logging, also passed on to every daemon.
 *   -w             start in the background and exit 0 only once that
 *                  master finished initializing, within 100 seconds
 *                  (postfix start).
 *
 *   Signals:
 *   SIGHUP   reload: reread both files.  Unchanged services keep their
 *            sockets and processes; changed ones keep their sockets where
 *            the address is the same and their old processes finish the
 *            client they have; removed services are closed and their
 *            processes terminated; new ones are opened.  A configuration
 *            with errors is refused and the running one stays.
 *   SIGTERM, SIGINT, SIGQUIT
 *            pass SIGTERM to every daemon and terminate.
 *
 * PROTOCOL
 *   master and its daemons speak lib/server/master_proto.h: descriptors
 *   3 (status pipe), 4 (lifeline), 5 and up (listeners); the command line
 *   "command [-c] [-u] [-v]... -n service -t type -s count [args]",
 *   where -c means the daemon must not chroot (instance mode or chroot =
 *   n) and -u that the service is unprivileged (master.cf field 4); and
 *   the status records "available" and "busy".  Wakeups (master.cf field
 *   6) write MASTER_TRIGGER_WAKEUP to a unix, unix-dgram or fifo service.
 *
 *   Privileges: in root mode master execs every daemon as root; the
 *   daemon's skeleton chroots to queue_directory (unless it got -c, for
 *   chroot = n) and drops to mail_owner after its start-up, as Postfix
 *   daemons do.  A daemon keeps root only when it declares that it may
 *   (local delivery) and master.cf says unprivileged = n (no -u); master
 *   refuses unprivileged = n for the network-facing smtpd, smtp, lmtp
 *   and tlsproxy.  In instance mode (master not started by root) mail_owner
 *   must name the user running master, and every daemon runs as that
 *   user with -c.
 *
 * PARAMETERS
 *   config_directory (/etc/postfix) where main.cf and master.cf are
 *   daemon_directory (/usr/lib/postern) where the daemons are
 *   data_directory (/var/lib/postfix) where master.lock is
 *   default_process_limit (100) process limit for "-" in master.cf
 *   export_environment (TZ MAIL_CONFIG LANG) what daemons inherit
 *   import_environment (see postconf -d) what master keeps at start-up
 *   inet_interfaces (all) addresses for inet services given as a bare port
 *   inet_protocols (all) address families for them (ipv4, ipv6, all)
 *   mail_name (postern) the name in "already running"
 *   mail_owner (postfix) the user of unprivileged daemons
 *   mail_version (0.1) logged at start and reload
 *   master_service_disable () "type" or "name/type" services not to start
 *   process_id_directory (pid) where master.pid is, under queue_directory
 *   queue_directory (/var/spool/postfix) master's working directory
 *   service_throttle_time (60s) pause after a service failed to start
 *   syslog_facility, syslog_name, maillog_file where the log goes
 *
 * LOG LINES
 *   daemon started -- version VERSION, configuration DIR
 *   reload -- version VERSION, configuration DIR
 *   terminating on signal N
 *   master exit time has arrived
 *   warning: process PATH pid PID exit status N
 *   warning: process PATH pid PID killed by signal N
 *   warning: PATH: bad command startup -- throttling
 *   warning: PATH: fork: REASON -- throttling
 *   warning: service "NAME" (ENDPOINT) has reached its process limit "N": new
 *     clients may experience noticeable delays
 *   warning: to avoid this condition, increase the process count in
 *     master.cf or reduce the service time per client
 *   warning: see http://www.postfix.org/STRESS_README.html for examples of
 *     stress-adapting configuration settings
 *     (these three at most once per 1000 seconds and service, never for a
 *     limit of 1 such as qmgr's; ENDPOINT is
 *     the service name of an inet service, else private/NAME or public/NAME)
 *   warning: reload: configuration errors; keeping the running configuration
 *   fatal: the MAIL_NAME mail system is already running
 *   fatal: PATH: line N: REASON          (a bad master.cf entry)
 *
 *   Exits of processes that master itself sent SIGTERM (stop, reload)
 *   are not logged.
 *
 * SECURITY
 *   master runs as root in production and never reads data from the
 *   network; status records come from its own children and are checked
 *   against its process table.  Children get a cleaned environment and
 *   only their own descriptors.
 *
 * SEE ALSO
 *   postfix(1), master(5) (master.cf), lib/server/master_proto.h
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "server/master_proto.h"
#include "util/events.h"
#include "util/msg.h"

/* How long master -w waits for the background master to finish starting. */
#define MASTER_START_TIMEOUT 100

struct master_opts master_opts;
struct master_serv *master_services;
int master_lifeline[2] = {-1, -1};

static _Noreturn void master_usage(void)
{
	msg_fatal("usage: master [-dstvw] [-c config_dir] [-e exit_time]");
}

/* Returns true for -t, which only tests. */
static bool master_options(int argc, char **argv)
{
	bool test = false;
	int ch;

	while ((ch = getopt(argc, argv, "c:de:stvw")) != -1) {
		switch (ch) {
		case 'c':
			master_opts.config_dir = optarg;
			break;
		case 'd':
			master_opts.debug = true;
			break;
		case 'e':
			if ((master_opts.exit_time = atoi(optarg)) <= 0)
				master_usage();
			break;
		case 's':
			master_opts.keep_stdout = true;
			break;
		case 't':
			test = true;
			break;
		case 'v':
			msg_verbose++;
			master_opts.verbose++;
			break;
		case 'w':
			master_opts.wait_start = true;
			break;
		default:
			master_usage();
		}
	}
	if (optind != argc)
		master_usage();
	return test;
}

/* Descriptors 0-2 must be taken, or a pipe could land there. */
static void master_stdio_open(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		continue;
	if (fd < 0)
		msg_fatal("open /dev/null: %m");
	close(fd);
}

/* -w: the parent waits for the background master's word and exits with it. */
static int master_background(void)
{
	struct pollfd pollfd = {.events = POLLIN};
	int pipefd[2];
	char byte;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		msg_fatal("pipe: %m");
	if ((pid = fork()) < 0)
		msg_fatal("fork: %m");
	if (pid == 0) {
		close(pipefd[0]);
		return pipefd[1];
	}
	close(pipefd[1]);
	pollfd.fd = pipefd[0];
	_exit(poll(&pollfd, 1, MASTER_START_TIMEOUT * 1000) == 1 && read(pipefd[0], &byte, 1) == 1
	          ? 0
	          : 1);
}

/* Leaves the terminal and session, unless -d asked to stay. */
static void master_detach(void)
{
	int null;

	if (master_opts.debug)
		return;
	if (setsid() < 0 && getsid(0) != getpid())
		msg_fatal("setsid: %m");
	if ((null = open("/dev/null", O_RDWR)) < 0)
		msg_fatal("open /dev/null: %m");
	dup2(null, 0);
	if (!master_opts.keep_stdout)
		dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
}

static void master_exit_event(int fd, int what, void *context)
{
	msg_info("master exit time has arrived");
	exit(0);
}

/* Opens every service; any failure is fatal before a child exists. */
static void master_start(void)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	if (pipe2(master_lifeline, O_CLOEXEC) < 0)
		msg_fatal("pipe: %m");
	master_sig_init();
	for (struct master_serv *serv = master_services; serv != NULL; serv = serv->next)
		if (!master_spawn_start(serv, error))
			msg_fatal("%s: line %u: service %s: %s", master_config_file(), serv->line,
			          serv->name, strbuf_str(error));
	if (master_opts.exit_time > 0)
		events_timer_set(master_exit_event, NULL, master_opts.exit_time * 1000);
	strbuf_free(&error);
}

int main(int argc, char **argv)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	int notify = -1;

	msg_init("master");
	master_stdio_open();
	if (master_options(argc, argv)) {
		conf_load(master_opts.config_dir, NULL, 0);
		if (chdir(var_queue_directory) < 0)
			msg_fatal("chdir %s: %m", var_queue_directory);
		return master_pid_running() ? 1 : 0;
	}
	if ((master_services = master_config_read(error)) == NULL && strbuf_len(error) > 0)
		msg_fatal("%s", strbuf_str(error));
	if (chdir(var_queue_directory) < 0)
		msg_fatal("chdir %s: %m", var_queue_directory);
	if (master_opts.wait_start)
		notify = master_background();
	master_pid_lock();
	master_detach();
	master_start();
	msg_info("daemon started -- version %s, configuration %s", var_mail_version,
	         var_config_directory);
	if (notify >= 0 && (write(notify, "", 1) != 1 || close(notify) < 0))
		msg_warn("notify the starting process: %m");
	strbuf_free(&error);
	events_loop();
	return 0;
}
