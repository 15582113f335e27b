/*
 * single_server - the one-client-at-a-time loop.  Siblings share the
 * listening sockets and all wake up for one connection, so the sockets
 * are non-blocking and a lost accept race simply means waiting again.
 * The idle clock runs from the end of the last client, not from the last
 * wake-up, so lost races do not keep an idle process alive.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "config/params.h"
#include "server/single_server.h"
#include "util/msg.h"

static time_t single_server_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Waits for a client until the idle deadline; returns its descriptor, or
 * -1 after a lost race.  Exits on idle timeout and when master is gone.
 */
static int single_server_wait(struct server *server, time_t idle_deadline)
{
	struct pollfd pfds[SERVER_ARGS_LISTEN_MAX + 1];
	int count = server->listen_count;
	time_t left = idle_deadline - single_server_now();
	int n;

	for (int i = 0; i < count; i++)
		pfds[i] = (struct pollfd){.fd = server->listen_fds[i], .events = POLLIN};
	pfds[count] =
	    (struct pollfd){.fd = server->has_master ? MASTER_LIFELINE_FD : -1, .events = POLLIN};
	n = poll(pfds, (nfds_t)count + 1, left > 0 ? (int)left * 1000 : 0);
	if (n < 0 && errno != EINTR)
		msg_fatal("poll: %m");
	if (n == 0) {
		if (msg_verbose)
			msg_info("idle timeout -- exiting");
		server_exit(&server, 0);
	}
	if (n > 0 && pfds[count].revents) {
		if (msg_verbose)
			msg_info("master disconnect -- exiting");
		server_exit(&server, 0);
	}
	for (int i = 0; n > 0 && i < count; i++)
		if (pfds[i].revents)
			return server_accept(server, pfds[i].fd);
	return -1;
}

static void single_server_serve(const struct single_server_spec *spec, struct server *server,
                                int fd)
{
	struct stream *client = stream_open(fd);

	alarm((unsigned)var_daemon_timeout);
	spec->service(client, server->args->service_name, server->args->extra->items);
	stream_close(&client);
	alarm(0);
	server->use_count++;
}

_Noreturn void single_server_main(int argc, char **argv, const struct single_server_spec *spec)
{
	struct server *server = server_start(argc, argv, &spec->server, true);
	time_t idle_deadline = single_server_now() + var_max_idle;
	int fd;

	signal(SIGALRM, SIG_DFL);
	if (server->args->debug && server->listen_count == 0) {
		if ((fd = dup(STDIN_FILENO)) < 0)
			msg_fatal("dup standard input: %m");
		single_server_serve(spec, server, fd);
		server_exit(&server, 0);
	}
	while (server->use_count < var_max_use && !server_master_gone(server) &&
	       !server_tables_changed()) {
		server_report(server, MASTER_STATUS_AVAILABLE);
		if (spec->pre_accept)
			spec->pre_accept(server->args->service_name, server->args->extra->items);
		if ((fd = single_server_wait(server, idle_deadline)) < 0)
			continue;
		server_report(server, MASTER_STATUS_BUSY);
		single_server_serve(spec, server, fd);
		idle_deadline = single_server_now() + var_max_idle;
	}
	server_exit(&server, 0);
}
