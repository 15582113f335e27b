/*
 * single_server - the one-client-at-a-time loop.  Siblings share the
 * listening sockets and all wake up for one connection, so the sockets
 * are non-blocking and a lost accept race simply means waiting again.
 * The idle clock runs from the end of the last client, not from the last
 * wake-up, so lost races do not keep an idle process alive.
 */
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "config/params.h"
#include "server/single_server.h"
#include "util/msg.h"

/* Waits for a client; its descriptor, or -1 after a lost race or a signal. */
static int single_server_wait(struct server *server, time_t idle_deadline)
{
	int listen_fd = server_wait(server, idle_deadline);

	return listen_fd < 0 ? -1 : server_accept(server, listen_fd);
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
	time_t idle_deadline = server_now() + var_max_idle;
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
		idle_deadline = server_now() + var_max_idle;
	}
	server_exit(&server, 0);
}
