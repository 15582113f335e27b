/*
 * multi_server - the skeleton of an event-loop daemon that serves many
 * clients at once (tlsmgr, tlsproxy, and any service whose requests are
 * short):
 *
 *   static const struct multi_server_spec spec = {
 *       .service = tlsmgr_request,
 *   };
 *   int main(int argc, char **argv) { multi_server_main(argc, argv, &spec); }
 *
 * The process accepts every client that arrives and calls service each
 * time a client's stream has input (readable, or input left buffered by
 * the previous call), under a daemon_timeout watchdog.  A client leaves
 * when service calls multi_server_disconnect() or the stream reports end
 * of file or an error after a service call.
 *
 * Master sees the process available while it can take another client:
 * busy once max_clients (when set) are connected or max_use connections
 * have been accepted (it then stops accepting and exits when its last
 * client leaves).  It exits after max_idle seconds without clients, and
 * at once when master has gone.
 */
#ifndef POSTERN_SERVER_MULTI_SERVER_H
#define POSTERN_SERVER_MULTI_SERVER_H

#include "server/server.h"
#include "util/stream.h"

/* Called with a client's stream; the skeleton owns the stream. */
typedef void (*multi_server_fn)(struct stream *client, const char *service_name, char **argv);

struct multi_server_spec {
	struct server_spec server;
	multi_server_fn service;       /* input from a client */
	multi_server_fn on_connect;    /* after accept; may be NULL */
	multi_server_fn on_disconnect; /* before the stream is closed; may be NULL */
	int max_clients;               /* 0: no limit */
};

/* Runs the daemon; never returns. */
_Noreturn void multi_server_main(int argc, char **argv, const struct multi_server_spec *spec);

/*
 * Ends a client's session: from within a callback the stream is closed
 * when the callback returns, otherwise at once.  Unknown streams are
 * ignored.
 */
void multi_server_disconnect(struct stream *client);

/* Clients connected now. */
int multi_server_client_count(void);

#endif
