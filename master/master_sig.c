/*
 * master_sig - master's signals, all handled from the event loop (never
 * in signal context): SIGHUP reloads, SIGCHLD reaps, and SIGTERM, SIGINT
 * and SIGQUIT pass SIGTERM on to every child and end master by the same
 * signal, as Postfix's master does.  SIGPIPE is ignored so that a write
 * to a vanished peer is an error, not a death.
 */
#include <signal.h>
#include <unistd.h>

#include "master.h"
#include "util/events.h"
#include "util/msg.h"

void master_sig_terminate_children(void)
{
	for (struct master_proc *proc = master_procs; proc != NULL; proc = proc->next)
		master_spawn_terminate(proc);
	/* Grandchildren (delivery commands) are in master's process group. */
	if (getpgrp() == getpid()) {
		signal(SIGTERM, SIG_IGN);
		kill(-getpid(), SIGTERM);
	}
}

static void master_sig_death(int signo, int what, void *context)
{
	msg_info("terminating on signal %d", signo);
	master_sig_terminate_children();
	signal(signo, SIG_DFL);
	raise(signo);
	_exit(1);
}

void master_sig_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	events_signal(SIGHUP, master_reload, NULL);
	events_signal(SIGCHLD, master_reap, NULL);
	events_signal(SIGTERM, master_sig_death, NULL);
	events_signal(SIGINT, master_sig_death, NULL);
	events_signal(SIGQUIT, master_sig_death, NULL);
}
