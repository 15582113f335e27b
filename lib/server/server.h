/*
 * server - what every daemon skeleton (single_server, multi_server,
 * trigger_server) does the same way: read the master command line,
 * load main.cf with the -o overrides, open logging, take over the
 * descriptors of master_proto.h, drop privileges, and afterwards report
 * status to master, notice master's death and accept clients.
 *
 * Start-up order, which matters:
 *   command line; MASTER_GENERATION_ENV (before import_environment
 *   clears it); main.cf with -o overrides; logging (syslog, or with
 *   maillog_file set, the postlog socket in public/ or, failing that,
 *   the file itself); the descriptors; the spec's pre_init (still
 *   privileged: open files here); chdir to queue_directory; when run as
 *   root: chroot to it unless -c, then mail_owner's groups and uid unless
 *   the spec keeps root; the spec's post_init.
 *
 * With -d there is no master: no status records are written and the
 * lifeline is not watched.
 */
#ifndef POSTERN_SERVER_SERVER_H
#define POSTERN_SERVER_SERVER_H

#include <stdbool.h>
#include <time.h>

#include "server/master_proto.h"
#include "server/server_args.h"

/* struct server_spec flags. */
#define SERVER_KEEP_ROOT (1 << 0) /* stay root unless master passes -u (local delivery) */
#define SERVER_NETWORK (1 << 1)   /* talks to the network: must never run as root */
#define SERVER_LOG_FILE (1 << 2)  /* writes maillog_file itself (postlogd) */

/* A start-up hook; argv holds the arguments after the options. */
typedef void (*server_hook_fn)(const char *service_name, char **argv);

/* What the skeletons share of a daemon's spec. */
struct server_spec {
	unsigned flags;           /* SERVER_* */
	server_hook_fn pre_init;  /* before privileges are dropped; may be NULL */
	server_hook_fn post_init; /* after; may be NULL */
};

/* A running daemon, as the skeletons see it. */
struct server {
	struct server_args *args;
	const struct server_spec *spec;
	int listen_fds[SERVER_ARGS_LISTEN_MAX];
	int listen_count;
	bool has_master; /* false with -d */
	unsigned generation;
	int reported;  /* last status kind sent to master, 0 before any */
	int use_count; /* clients (or triggers) served so far */
};

/*
 * Does the whole start-up described above.  Every problem is fatal: it
 * is a configuration or installation error, never a peer's doing.
 * listen_nonblock makes the listening descriptors non-blocking (sibling
 * children race for each connection).
 */
struct server *server_start(int argc, char **argv, const struct server_spec *spec,
                            bool listen_nonblock);

/*
 * Tells master the state (once per change).  When master cannot be told
 * (it has gone) the process exits with status 0.
 */
void server_report(struct server *server, enum master_status_kind kind);

/* True when master's lifeline shows end of file (never with -d). */
bool server_master_gone(const struct server *server);

/*
 * True when the file behind a lookup table this process opened has changed
 * since it was opened (logged as "table NAME has changed -- restarting").
 * Skeletons ask between clients and exit, so master starts a daemon that
 * reads the new table, as Postfix daemons do after postmap.
 */
bool server_tables_changed(void);

/*
 * Accepts one client on listen_fd: a connection, or for a "pass" service
 * the descriptor passed over it.  Returns -1 when a sibling won the race
 * or the client vanished (nothing logged) and on other failures (logged
 * as a warning).  The descriptor returned is blocking and close-on-exec.
 */
int server_accept(const struct server *server, int listen_fd);

/* Seconds on the monotonic clock, the unit of server_wait()'s deadline. */
time_t server_now(void);

/*
 * Waits until a listening socket is readable and returns it; -1 when a
 * signal interrupted the wait.  Exits (status 0, logged with -v) when
 * idle_deadline (server_now() seconds) passes first or master goes away.
 */
int server_wait(struct server *server, time_t idle_deadline);

/*
 * Ends the process with status: frees what start-up allocated (so leak
 * checkers stay quiet) and exits.
 */
_Noreturn void server_exit(struct server **server, int status);

#endif
