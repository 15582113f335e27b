/*
 * single_server - the skeleton of a daemon that serves one client at a
 * time (smtpd, cleanup, smtp, local, showq): a daemon's main() is a spec
 * and one call,
 *
 *   static const struct single_server_spec spec = {
 *       .server = {.flags = SERVER_NETWORK, .post_init = smtpd_init},
 *       .service = smtpd_service,
 *   };
 *   int main(int argc, char **argv) { single_server_main(argc, argv, &spec); }
 *
 * The process waits on every listening descriptor (and master's
 * lifeline), accepts one client, reports busy to master, calls service
 * with a stream on the connection under a daemon_timeout watchdog, closes
 * the stream and reports available again.  It exits with status 0 after
 * max_use clients, after max_idle seconds without one, or when master
 * has gone (after finishing the client in hand).
 *
 * With -d and -s 0 it serves one client on descriptor 0 (a socket, as
 * inetd would hand it; e.g. socat EXEC:) and exits.
 */
#ifndef POSTERN_SERVER_SINGLE_SERVER_H
#define POSTERN_SERVER_SINGLE_SERVER_H

#include "server/server.h"
#include "util/stream.h"

/*
 * Serves one client.  The skeleton owns client and closes it (flushing
 * output) when service returns; argv holds the arguments after the
 * options.
 */
typedef void (*single_server_fn)(struct stream *client, const char *service_name, char **argv);

struct single_server_spec {
	struct server_spec server;
	single_server_fn service;
	server_hook_fn pre_accept; /* before each wait for a client; may be NULL */
};

/* Runs the daemon; never returns. */
_Noreturn void single_server_main(int argc, char **argv, const struct single_server_spec *spec);

#endif
