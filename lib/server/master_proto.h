/*
 * master_proto - the contract between master and the daemons it spawns.
 *
 * master execs a daemon with these descriptors open (everything else
 * closed):
 *   MASTER_STATUS_FD     write end of the service's status pipe; the child
 *                        writes struct master_status records to it.
 *   MASTER_LIFELINE_FD   read end of a pipe whose write end only master
 *                        holds: EOF (readable with zero bytes) means master
 *                        is gone and the child should finish and exit.
 *   MASTER_LISTEN_FD ... MASTER_LISTEN_FD + count - 1
 *                        the service's listening sockets (or the fifo, or
 *                        the unix-dgram socket), shared by all its children.
 * and this command line, built from master.cf:
 *   command [-c] [-u] [-d] [-v]... -n service -t type -s count
 *           [-o name=value]... [other arguments]
 *   -n  the service name (master.cf field 1, e.g. "smtp", "127.0.0.1:25")
 *   -t  the service type ("inet", "unix", "unix-dgram", "fifo", "pass")
 *   -s  how many listening descriptors start at MASTER_LISTEN_FD
 *   -o  a main.cf override from master.cf
 *   -c  the daemon may not chroot (instance mode, or chroot = n)
 *   -u  the service is unprivileged (master.cf field 4, default y): a
 *       daemon that could keep root (local delivery) drops to mail_owner
 *       too; without -u only such daemons keep root
 *   -d  stay in the foreground, no master (debugging)
 *   -v  more verbose logging; repeatable
 * The environment holds MAIL_CONFIG (the configuration directory), the
 * names listed in export_environment, and MAIL_VERBOSE when -v was given.
 *
 * Each record is written with one write(2) of sizeof(struct master_status)
 * bytes, well under PIPE_BUF, so records from many children never mix.
 * A child says MASTER_STATUS_AVAILABLE when it is ready to accept and
 * MASTER_STATUS_BUSY when it took a client; master spawns another child
 * only when no child of the service is available and the service is below
 * its process limit.  A child that exits on max_use or max_idle just exits.
 *
 * Trigger services (pickup, qmgr, and wakeup in master.cf) are woken by a
 * single byte written to their socket; see MASTER_TRIGGER_*.
 */
#ifndef POSTERN_SERVER_MASTER_PROTO_H
#define POSTERN_SERVER_MASTER_PROTO_H

#include <sys/types.h>

#define MASTER_STATUS_FD 3
#define MASTER_LIFELINE_FD 4
#define MASTER_LISTEN_FD 5

enum master_status_kind {
	MASTER_STATUS_AVAILABLE = 1,
	MASTER_STATUS_BUSY = 2,
};

/* One status record; generation lets master ignore a stale child's records after reload. */
struct master_status {
	pid_t pid;
	unsigned generation;
	int status;
};

/* The trigger bytes written to a trigger service's socket. */
#define MASTER_TRIGGER_WAKEUP 'W' /* periodic wakeup from master.cf */
#define MASTER_TRIGGER_FLUSH 'F'  /* deliver deferred mail now (postqueue -f) */
#define MASTER_TRIGGER_SCAN 'A'   /* scan the incoming queue (from cleanup) */

/* Environment variable carrying the generation a child reports. */
#define MASTER_GENERATION_ENV "MASTER_GENERATION"

#endif
