/*
 * master_status - the demand side of the process model.  Children write
 * "available" and "busy" records to their service's status pipe; master
 * keeps per-service counts and watches a service's listeners only while
 * no child of it is available and the process limit leaves room, so a
 * waiting connection makes master spawn exactly when nobody else would
 * take it.  A new child counts as available from the moment it is forked,
 * which stops one connection from spawning a crowd.  A service whose
 * processes are all busy at its limit gets Postfix's warning that new
 * clients will wait, which log watchers look for.
 */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "master.h"
#include "server/master_proto.h"
#include "util/events.h"
#include "util/msg.h"

/* Seconds between two process limit warnings of one service. */
#define MASTER_STATUS_BUSY_WARN 1000

static void master_status_demand(int fd, int what, void *context)
{
	master_spawn(context);
}

/*
 * Postfix's three-line warning when every process of a service is busy
 * at its limit, at most once per MASTER_STATUS_BUSY_WARN seconds.
 */
static void master_status_busy_warning(struct master_serv *serv)
{
	time_t now = time(NULL);

	if (serv->busy_warn_time != 0 && now - serv->busy_warn_time < MASTER_STATUS_BUSY_WARN)
		return;
	serv->busy_warn_time = now;
	msg_warn("service \"%s\" (%s) has reached its process limit \"%u\": new clients may "
	         "experience noticeable delays",
	         serv->name, serv->type == MASTER_CF_INET ? serv->name : serv->endpoints->items[0],
	         serv->max_proc);
	msg_warn("to avoid this condition, increase the process count in master.cf or reduce the "
	         "service time per client");
	msg_warn("see http://www.postfix.org/STRESS_README.html for examples of stress-adapting "
	         "configuration settings");
}

void master_status_update(struct master_serv *serv)
{
	bool room = serv->max_proc == 0 || serv->total_proc < serv->max_proc;
	bool want = !serv->throttled && serv->avail_proc == 0 && room;

	if (!room && serv->avail_proc == 0 && serv->max_proc > 1)
		master_status_busy_warning(serv);

	if (want == serv->listening)
		return;
	for (size_t i = 0; i < serv->listen_count; i++) {
		if (want)
			events_enable_read(serv->listen_fds[i], master_status_demand, serv);
		else
			events_disable_read(serv->listen_fds[i]);
	}
	serv->listening = want;
}

void master_status_forget(struct master_proc *proc)
{
	struct master_serv *serv = proc->serv;

	if (serv != NULL && !proc->retired) {
		serv->total_proc--;
		if (proc->avail)
			serv->avail_proc--;
	}
	proc->avail = false;
}

static void master_status_record(struct master_serv *serv, const struct master_status *rec)
{
	struct master_proc *proc = master_spawn_find(rec->pid);

	if (proc == NULL || proc->serv != serv) {
		msg_warn("service %s: status record from unknown process %ld", serv->name,
		         (long)rec->pid);
		return;
	}
	if (proc->retired || rec->generation != proc->generation) {
		/* A child of an older configuration: done once it is idle. */
		if (rec->status == MASTER_STATUS_AVAILABLE)
			master_spawn_terminate(proc);
		return;
	}
	switch (rec->status) {
	case MASTER_STATUS_AVAILABLE:
		if (!proc->avail)
			serv->avail_proc++;
		proc->avail = true;
		break;
	case MASTER_STATUS_BUSY:
		if (proc->avail)
			serv->avail_proc--;
		proc->avail = false;
		proc->use_count++;
		break;
	default:
		msg_warn("service %s: process %ld: unknown status %d", serv->name, (long)rec->pid,
		         rec->status);
		return;
	}
	master_status_update(serv);
}

static void master_status_event(int fd, int what, void *context)
{
	struct master_serv *serv = context;
	struct master_status rec;
	ssize_t n;

	while ((n = read(fd, &rec, sizeof(rec))) == (ssize_t)sizeof(rec))
		master_status_record(serv, &rec);
	if (n > 0)
		msg_warn("service %s: short status record (%zd bytes)", serv->name, n);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		msg_warn("service %s: read status pipe: %m", serv->name);
}

void master_status_open(struct master_serv *serv)
{
	if (pipe2(serv->status_fd, O_CLOEXEC) < 0)
		msg_fatal("pipe: %m");
	if (fcntl(serv->status_fd[0], F_SETFL, O_NONBLOCK) < 0)
		msg_fatal("fcntl status pipe: %m");
	events_enable_read(serv->status_fd[0], master_status_event, serv);
}

void master_status_close(struct master_serv *serv)
{
	if (serv->status_fd[0] < 0)
		return;
	events_disable(serv->status_fd[0]);
	close(serv->status_fd[0]);
	close(serv->status_fd[1]);
	serv->status_fd[0] = serv->status_fd[1] = -1;
}
