/*
 * trigger_server - the skeleton of a daemon woken by trigger bytes
 * (pickup, qmgr; see MASTER_TRIGGER_* in master_proto.h) and of
 * postlogd, which receives one log record per datagram:
 *
 *   static const struct trigger_server_spec spec = {
 *       .trigger = pickup_trigger,
 *   };
 *   int main(int argc, char **argv) { trigger_server_main(argc, argv, &spec); }
 *
 * What one "trigger" is depends on the service type: for fifo, whatever
 * one read(2) returns; for unix, inet and pass, what the client wrote
 * in its first write on a fresh connection (waited for at most
 * TRIGGER_SERVER_READ_TIMEOUT seconds), after which the connection is
 * closed; for unix-dgram, one datagram.  Around each call the process
 * reports busy and then available; it exits on max_use triggers,
 * max_idle seconds without one, or when master has gone.
 */
#ifndef POSTERN_SERVER_TRIGGER_SERVER_H
#define POSTERN_SERVER_TRIGGER_SERVER_H

#include <stddef.h>

#include "server/server.h"

/* Longest trigger (or datagram) passed in one call; longer ones are cut. */
#define TRIGGER_SERVER_BUF_SIZE 16384

/* How long a connected trigger client may take to send its bytes. */
#define TRIGGER_SERVER_READ_TIMEOUT 10

/* Handles the len (> 0) bytes of one trigger. */
typedef void (*trigger_server_fn)(const char *data, size_t len, const char *service_name,
                                  char **argv);

struct trigger_server_spec {
	struct server_spec server;
	trigger_server_fn trigger;
	server_hook_fn pre_accept; /* before each wait for a trigger; may be NULL */
	const int *watchdog;       /* seconds for one trigger; NULL: daemon_timeout */
};

/* Runs the daemon; never returns. */
_Noreturn void trigger_server_main(int argc, char **argv, const struct trigger_server_spec *spec);

#endif
