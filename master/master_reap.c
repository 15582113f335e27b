/*
 * master_reap - collects children that exited, logs abnormal exits in
 * Postfix's shapes, and throttles a service whose children fail before
 * they ever served a client: such a service is broken (bad command,
 * bad configuration), and respawning it at full speed would only fill
 * the log.  Other services are not affected.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "config/conf.h"
#include "master.h"
#include "util/events.h"
#include "util/msg.h"

static void master_reap_unthrottle(int fd, int what, void *context)
{
	struct master_serv *serv = context;

	serv->throttled = false;
	master_status_update(serv);
}

void master_reap_throttle(struct master_serv *serv)
{
	serv->throttled = true;
	events_timer_set(master_reap_unthrottle, serv, var_service_throttle_time * 1000);
	master_status_update(serv);
}

void master_reap_unthrottle_cancel(struct master_serv *serv)
{
	events_timer_cancel(master_reap_unthrottle, serv);
	serv->throttled = false;
}

static void master_reap_log(const struct master_proc *proc, int status)
{
	/* Children master itself told to go are not news. */
	if (proc->signalled && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		msg_warn("process %s pid %ld exit status %d", proc->path, (long)proc->pid,
		         WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		msg_warn("process %s pid %ld killed by signal %d", proc->path, (long)proc->pid,
		         WTERMSIG(status));
}

static void master_reap_one(struct master_proc *proc, int status)
{
	struct master_serv *serv = proc->serv;
	bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;

	master_reap_log(proc, status);
	master_status_forget(proc);
	if (serv != NULL && failed && !proc->retired && !proc->signalled && proc->use_count == 0 &&
	    !serv->throttled) {
		msg_warn("%s: bad command startup -- throttling", serv->path);
		master_reap_throttle(serv);
	}
	for (struct master_proc **pp = &master_procs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == proc) {
			*pp = proc->next;
			break;
		}
	}
	free(proc->path);
	free(proc);
	if (serv != NULL)
		master_status_update(serv);
}

void master_reap(int signo, int what, void *context)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct master_proc *proc = master_spawn_find(pid);

		if (proc != NULL)
			master_reap_one(proc, status);
	}
}
