/*
 * master.h - master's private state: the services of master.cf with their
 * listeners, status pipes and process counts, and the child processes.
 *
 * A service lives as long as its name/type pair stays in master.cf; a
 * reload that changes its settings updates it in place and bumps its
 * generation, so children of the older configuration are "retired" and
 * finish at their convenience.
 */
#ifndef POSTERN_MASTER_MASTER_H
#define POSTERN_MASTER_MASTER_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "config/master_cf.h"
#include "util/argv.h"
#include "util/strbuf.h"

/* One master.cf service. */
struct master_serv {
	/* From the configuration (master_config.c). */
	char *name; /* field 1: "smtp", "127.0.0.1:25", "pickup" */
	enum master_cf_type type;
	char *path;             /* the program, daemon_directory/command unless absolute */
	struct argv *args;      /* the command line handed to execv() */
	struct argv *endpoints; /* socket paths or inet addresses to listen on */
	char *signature;        /* every setting whose change restarts the service */
	unsigned line;          /* master.cf line, for messages */
	bool privileged;        /* unprivileged = n */
	bool chroot;            /* chroot = y (root mode only) */
	unsigned max_proc;      /* 0: no limit */
	unsigned wakeup;        /* seconds, 0: none */
	bool wakeup_when_used;  /* wakeup field ends in '?' */

	/* Run-time state. */
	int *listen_fds;
	size_t listen_count;
	int status_fd[2];      /* the status pipe: [0] master reads, [1] children write */
	unsigned generation;   /* children of an older generation are retired */
	unsigned total_proc;   /* current-generation children */
	unsigned avail_proc;   /* of which available */
	bool listening;        /* listen fds are watched for demand */
	bool throttled;        /* no spawning until the throttle timer fires */
	bool used;             /* a child was spawned (for "N?" wakeups) */
	time_t busy_warn_time; /* last "reached its process limit" warning */
	struct master_serv *next;
	struct master_serv *tmp_next; /* master_reload.c's new list while it is built */
};

/* One child process. */
struct master_proc {
	pid_t pid;
	char *path;               /* the program, for log lines after its service is gone */
	struct master_serv *serv; /* NULL once its service was removed */
	unsigned generation;
	bool avail;         /* counted in serv->avail_proc */
	bool retired;       /* from an older configuration: not counted */
	bool signalled;     /* master sent it SIGTERM */
	unsigned use_count; /* busy reports: 0 at exit with an error is a bad start */
	struct master_proc *next;
};

/* The options main() parsed; read by the other files. */
struct master_opts {
	const char *config_dir; /* -c, or NULL */
	int verbose;            /* -v count, passed on to children */
	bool debug;             /* -d: foreground, keep stdio */
	bool keep_stdout;       /* -s */
	bool wait_start;        /* -w */
	int exit_time;          /* -e seconds, 0: none */
};

extern struct master_opts master_opts;
/* The services now in effect, in master.cf order. */
extern struct master_serv *master_services;
/* Every live child, of current, retired and removed services. */
extern struct master_proc *master_procs;
/* The lifeline pipe: children hold the read end, only master the write end. */
extern int master_lifeline[2];
/* True when master runs as root; false is instance mode. */
extern bool master_root_mode;

/*
 * master_config.c: reads main.cf (conf_load()) and master.cf and returns
 * the services they describe, nothing opened yet.  NULL with "file: line
 * N: reason" in error when anything is wrong.  conf_load() failures are
 * fatal, as for every program.
 */
struct master_serv *master_config_read(struct strbuf *error);
/* Frees a list of services that have no listeners, pipes or children. */
void master_config_free(struct master_serv **list);
/* The path of master.cf in the configuration directory. */
const char *master_config_file(void);

/* master_listen.c: opens every endpoint of serv; false with error set. */
bool master_listen_open(struct master_serv *serv, struct strbuf *error);
/* Closes serv's listeners (its children keep their copies). */
void master_listen_close(struct master_serv *serv);
/* Resolves an inet service name into the addresses to listen on. */
bool master_listen_inet_endpoints(const char *name, struct argv *out, struct strbuf *error);

/* master_status.c: creates serv's status pipe and starts reading it. */
void master_status_open(struct master_serv *serv);
/* Stops reading and closes serv's status pipe. */
void master_status_close(struct master_serv *serv);
/* Starts or stops watching listeners, as serv's counts and flags ask. */
void master_status_update(struct master_serv *serv);
/* Counts proc out of its service's totals (at exit or retirement). */
void master_status_forget(struct master_proc *proc);

/* master_spawn.c: forks and execs one child of serv. */
void master_spawn(struct master_serv *serv);
/* Starts a service: listeners, status pipe, wakeup timer; false with error set. */
bool master_spawn_start(struct master_serv *serv, struct strbuf *error);
/* Stops a service: closes everything and SIGTERMs its children. */
void master_spawn_stop(struct master_serv *serv);
/* The child with that pid, or NULL. */
struct master_proc *master_spawn_find(pid_t pid);
/* Sends SIGTERM to proc once. */
void master_spawn_terminate(struct master_proc *proc);
/* Marks every child of serv older than its generation as retired. */
void master_spawn_retire(struct master_serv *serv);

/* master_reap.c: collects exited children (the SIGCHLD callback). */
void master_reap(int signo, int what, void *context);
/* Stops spawning serv for service_throttle_time. */
void master_reap_throttle(struct master_serv *serv);
/* Cancels a pending throttle timer (the service is going away). */
void master_reap_unthrottle_cancel(struct master_serv *serv);

/* master_wakeup.c: starts or stops serv's wakeup timer. */
void master_wakeup_start(struct master_serv *serv);
void master_wakeup_stop(struct master_serv *serv);

/* master_reload.c: rereads the configuration (the SIGHUP callback). */
void master_reload(int signo, int what, void *context);

/*
 * master_pid.c: takes the locks of pid/master.pid and data_directory/
 * master.lock and writes the pid into both; fatal when either is held.
 */
void master_pid_lock(void);
/* For -t: true when a running master holds the pid file lock. */
bool master_pid_running(void);

/*
 * master_privilege.c: checks mail_owner against the mode master runs in;
 * fatal on a mismatch.
 */
void master_privilege_init(void);
/* False with error set when serv may not run as configured. */
bool master_privilege_check(const struct master_serv *serv, struct strbuf *error);

/* master_sig.c: installs the signal callbacks. */
void master_sig_init(void);
/* Sends SIGTERM to every child, for a shutdown. */
void master_sig_terminate_children(void);

#endif
