/*
 * master_wakeup - the wakeup field of master.cf: every N seconds master
 * writes MASTER_TRIGGER_WAKEUP to the service's own endpoint, which makes
 * a trigger daemon (pickup, qmgr) look for work even when nobody told it.
 * With "N?" the wakeup happens only once the service was used, so an idle
 * optional service is not started just to be woken.  Every write is
 * non-blocking: a service that does not keep up misses a wakeup, master
 * never waits for it.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "master.h"
#include "server/master_proto.h"
#include "util/events.h"
#include "util/msg.h"

/* Sends the byte over a new non-blocking socket of the given type. */
static void master_wakeup_socket(const char *path, int type)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char byte = MASTER_TRIGGER_WAKEUP;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		msg_warn("wakeup %s: socket: %m", path);
		return;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || write(fd, &byte, 1) != 1) {
		if (msg_verbose)
			msg_info("wakeup %s: %m", path);
	}
	close(fd);
}

static void master_wakeup_fifo(const char *path)
{
	char byte = MASTER_TRIGGER_WAKEUP;
	int fd;

	if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		msg_warn("wakeup %s: open: %m", path);
		return;
	}
	if (write(fd, &byte, 1) != 1 && msg_verbose)
		msg_info("wakeup %s: %m", path);
	close(fd);
}

static void master_wakeup_event(int fd, int what, void *context)
{
	struct master_serv *serv = context;
	const char *path = serv->endpoints->items[0];

	if (!serv->wakeup_when_used || serv->used) {
		if (msg_verbose)
			msg_info("wakeup service %s", serv->name);
		if (serv->type == MASTER_CF_FIFO)
			master_wakeup_fifo(path);
		else
			master_wakeup_socket(
			    path, serv->type == MASTER_CF_UNIX_DGRAM ? SOCK_DGRAM : SOCK_STREAM);
	}
	events_timer_set(master_wakeup_event, serv, (int)serv->wakeup * 1000);
}

void master_wakeup_start(struct master_serv *serv)
{
	if (serv->wakeup > 0)
		events_timer_set(master_wakeup_event, serv, (int)serv->wakeup * 1000);
}

void master_wakeup_stop(struct master_serv *serv)
{
	events_timer_cancel(master_wakeup_event, serv);
}
