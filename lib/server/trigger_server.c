/*
 * trigger_server - waiting for and reading trigger bytes.  A fifo or
 * datagram socket is read directly and non-blocking: a sibling may have
 * taken the bytes first.  A stream socket gets one short read after the
 * accept, because a trigger client writes its bytes and goes away.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config/params.h"
#include "server/trigger_server.h"
#include "util/msg.h"

/* One read from a freshly accepted trigger client; the count or -1. */
static ssize_t trigger_server_read_client(int fd, char *buf, size_t size)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n = -1;

	if (poll(&pfd, 1, TRIGGER_SERVER_READ_TIMEOUT * 1000) > 0)
		n = read(fd, buf, size);
	close(fd);
	return n;
}

/* Reads one trigger from the readable fd; the byte count, or <= 0 for none. */
static ssize_t trigger_server_read(const struct server *server, int fd, char *buf, size_t size)
{
	const char *type = server->args->service_type;
	int client;

	if (strcmp(type, "fifo") == 0)
		return read(fd, buf, size);
	if (strcmp(type, "unix-dgram") == 0)
		return recv(fd, buf, size, MSG_DONTWAIT);
	if ((client = server_accept(server, fd)) < 0)
		return -1;
	return trigger_server_read_client(client, buf, size);
}

static void trigger_server_call(const struct trigger_server_spec *spec, struct server *server,
                                const char *buf, size_t len)
{
	server_report(server, MASTER_STATUS_BUSY);
	alarm((unsigned)(spec->watchdog ? *spec->watchdog : var_daemon_timeout));
	spec->trigger(buf, len, server->args->service_name, server->args->extra->items);
	alarm(0);
	server->use_count++;
}

_Noreturn void trigger_server_main(int argc, char **argv, const struct trigger_server_spec *spec)
{
	struct server *server = server_start(argc, argv, &spec->server, true);
	time_t idle_deadline = server_now() + var_max_idle;
	static char buf[TRIGGER_SERVER_BUF_SIZE];
	ssize_t len;
	int fd;

	signal(SIGALRM, SIG_DFL);
	while (server->use_count < var_max_use && !server_master_gone(server) &&
	       !server_tables_changed()) {
		server_report(server, MASTER_STATUS_AVAILABLE);
		if (spec->pre_accept)
			spec->pre_accept(server->args->service_name, server->args->extra->items);
		if ((fd = server_wait(server, idle_deadline)) < 0)
			continue;
		if ((len = trigger_server_read(server, fd, buf, sizeof(buf))) <= 0)
			continue;
		trigger_server_call(spec, server, buf, (size_t)len);
		idle_deadline = server_now() + var_max_idle;
	}
	server_exit(&server, 0);
}
