/*
 * master_spawn - creates and tracks child processes.  A child gets what
 * master_proto.h promises and nothing more: the status pipe, the
 * lifeline and the service's listeners at fixed descriptor numbers, every
 * other descriptor closed, default signal dispositions and an
 * environment of export_environment plus MAIL_CONFIG.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "server/master_proto.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/split.h"

struct master_proc *master_procs;

struct master_proc *master_spawn_find(pid_t pid)
{
	for (struct master_proc *proc = master_procs; proc != NULL; proc = proc->next)
		if (proc->pid == pid)
			return proc;
	return NULL;
}

void master_spawn_terminate(struct master_proc *proc)
{
	if (proc->signalled)
		return;
	proc->signalled = true;
	if (kill(proc->pid, SIGTERM) < 0 && errno != ESRCH)
		msg_warn("kill process %ld: %m", (long)proc->pid);
}

void master_spawn_retire(struct master_serv *serv)
{
	for (struct master_proc *proc = master_procs; proc != NULL; proc = proc->next) {
		if (proc->serv != serv || proc->retired || proc->generation == serv->generation)
			continue;
		bool idle = proc->avail;

		master_status_forget(proc);
		proc->retired = true;
		if (idle)
			master_spawn_terminate(proc);
	}
}

/* The child's environment: export_environment, MAIL_CONFIG and the rest of master_proto.h. */
static void master_spawn_environment(const struct master_serv *serv)
{
	char *list = xstrdup(var_export_environment);
	char *cursor = list;
	struct argv *keep = argv_new();
	char generation[32];

	for (char *item; (item = split_next(&cursor, SPLIT_LIST_SEPARATORS)) != NULL;) {
		const char *value = strchr(item, '=') ? NULL : getenv(item);
		struct strbuf *pair = strbuf_new(STRBUF_UNLIMITED);

		if (strchr(item, '=') != NULL)
			strbuf_append_str(pair, item);
		else if (value != NULL)
			strbuf_printf(pair, "%s=%s", item, value);
		if (strbuf_len(pair) > 0)
			argv_add(keep, strbuf_str(pair));
		strbuf_free(&pair);
	}
	clearenv();
	for (size_t i = 0; i < keep->count; i++)
		if (putenv(xstrdup(keep->items[i])) != 0)
			msg_fatal("putenv: %m");
	snprintf(generation, sizeof(generation), "%u", serv->generation);
	if (setenv("MAIL_CONFIG", var_config_directory, 1) < 0 ||
	    setenv(MASTER_GENERATION_ENV, generation, 1) < 0 ||
	    (master_opts.verbose > 0 && setenv("MAIL_VERBOSE", "1", 1) < 0))
		msg_fatal("setenv: %m");
	argv_free(&keep);
	free(list);
}

/*
 * Moves the descriptors into place.  They may sit anywhere, including on
 * the target numbers, so each first goes above every target.
 */
static void master_spawn_descriptors(const struct master_serv *serv)
{
	int top = MASTER_LISTEN_FD + (int)serv->listen_count;
	int count = 2 + (int)serv->listen_count;
	int *fds = xcalloc((size_t)count, sizeof(*fds));

	fds[0] = serv->status_fd[1];
	fds[1] = master_lifeline[0];
	for (size_t i = 0; i < serv->listen_count; i++)
		fds[2 + i] = serv->listen_fds[i];
	for (int i = 0; i < count; i++)
		if ((fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, top + 1)) < 0)
			msg_fatal("dup: %m");
	for (int i = 0; i < count; i++)
		if (dup2(fds[i], MASTER_STATUS_FD + i) < 0)
			msg_fatal("dup2: %m");
	free(fds);
	closefrom(top);
}

static _Noreturn void master_spawn_child(struct master_serv *serv)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	master_spawn_descriptors(serv);
	master_spawn_environment(serv);
	execv(serv->path, serv->args->items);
	msg_fatal("exec %s: %m", serv->path);
}

void master_spawn(struct master_serv *serv)
{
	struct master_proc *proc;
	pid_t pid;

	if (serv->throttled || (serv->max_proc > 0 && serv->total_proc >= serv->max_proc)) {
		master_status_update(serv);
		return;
	}
	if ((pid = fork()) < 0) {
		msg_warn("%s: fork: %m -- throttling", serv->path);
		master_reap_throttle(serv);
		return;
	}
	if (pid == 0)
		master_spawn_child(serv);
	proc = xcalloc(1, sizeof(*proc));
	proc->pid = pid;
	proc->path = xstrdup(serv->path);
	proc->serv = serv;
	proc->generation = serv->generation;
	proc->avail = true;
	proc->next = master_procs;
	master_procs = proc;
	serv->total_proc++;
	serv->avail_proc++;
	serv->used = true;
	if (msg_verbose)
		msg_info("spawn %s pid %ld for service %s", serv->path, (long)pid, serv->name);
	master_status_update(serv);
}

bool master_spawn_start(struct master_serv *serv, struct strbuf *error)
{
	if (!master_listen_open(serv, error))
		return false;
	master_status_open(serv);
	master_wakeup_start(serv);
	master_status_update(serv);
	return true;
}

void master_spawn_stop(struct master_serv *serv)
{
	master_wakeup_stop(serv);
	master_reap_unthrottle_cancel(serv);
	master_listen_close(serv);
	for (struct master_proc *proc = master_procs; proc != NULL; proc = proc->next) {
		if (proc->serv != serv)
			continue;
		master_status_forget(proc);
		master_spawn_terminate(proc);
		proc->serv = NULL;
	}
	master_status_close(serv);
}
