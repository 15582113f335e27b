/*
 * multi_server - the event loop over lib/util/events.  Clients are kept
 * in a doubly linked list so a disconnect inside a callback can be
 * deferred until the callback is off the stack: the service may still
 * hold the stream when it asks to go.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/params.h"
#include "server/multi_server.h"
#include "util/alloc.h"
#include "util/events.h"
#include "util/msg.h"

struct multi_server_client {
	struct stream *stream;
	bool leaving; /* disconnect asked for during a callback */
	bool in_call;
	struct multi_server_client *prev;
	struct multi_server_client *next;
};

static const struct multi_server_spec *multi_server_spec;
static struct server *multi_server_self;
static struct multi_server_client *multi_server_clients;
static int multi_server_clients_now;
static bool multi_server_accepting;

int multi_server_client_count(void)
{
	return multi_server_clients_now;
}

static void multi_server_idle(int fd, int what, void *context)
{
	if (msg_verbose)
		msg_info("idle timeout -- exiting");
	server_exit(&multi_server_self, 0);
}

static void multi_server_lifeline(int fd, int what, void *context)
{
	if (msg_verbose)
		msg_info("master disconnect -- exiting");
	server_exit(&multi_server_self, 0);
}

static bool multi_server_full(void)
{
	int limit = multi_server_spec->max_clients;

	return multi_server_self->use_count >= var_max_use ||
	       (limit > 0 && multi_server_clients_now >= limit);
}

static void multi_server_accept_event(int fd, int what, void *context);

/* Accepts while there is room, tells master, and arms the idle timer. */
static void multi_server_update(void)
{
	bool want = !multi_server_full();

	if (want != multi_server_accepting) {
		for (int i = 0; i < multi_server_self->listen_count; i++) {
			if (want)
				events_enable_read(multi_server_self->listen_fds[i],
				                   multi_server_accept_event, NULL);
			else
				events_disable_read(multi_server_self->listen_fds[i]);
		}
		multi_server_accepting = want;
	}
	server_report(multi_server_self, want ? MASTER_STATUS_AVAILABLE : MASTER_STATUS_BUSY);
	if (multi_server_clients_now > 0)
		events_timer_cancel(multi_server_idle, NULL);
	else if (multi_server_self->use_count >= var_max_use || server_tables_changed())
		server_exit(&multi_server_self, 0);
	else
		events_timer_set(multi_server_idle, NULL, var_max_idle * 1000);
}

static void multi_server_close(struct multi_server_client *client)
{
	if (multi_server_spec->on_disconnect)
		multi_server_spec->on_disconnect(client->stream,
		                                 multi_server_self->args->service_name,
		                                 multi_server_self->args->extra->items);
	events_disable(stream_fd(client->stream));
	stream_close(&client->stream);
	if (client->prev)
		client->prev->next = client->next;
	else
		multi_server_clients = client->next;
	if (client->next)
		client->next->prev = client->prev;
	free(client);
	multi_server_clients_now--;
	multi_server_update();
}

/* Runs one callback under the watchdog, marking the client as in use. */
static void multi_server_call(multi_server_fn fn, struct multi_server_client *client)
{
	client->in_call = true;
	alarm((unsigned)var_daemon_timeout);
	fn(client->stream, multi_server_self->args->service_name,
	   multi_server_self->args->extra->items);
	alarm(0);
	client->in_call = false;
}

/*
 * Calls service while input is buffered, since the descriptor will not
 * become readable again for bytes already read; stops when a call
 * consumes nothing.
 */
static void multi_server_read_event(int fd, int what, void *context)
{
	struct multi_server_client *client = context;
	size_t before;

	do {
		before = stream_buffered_input(client->stream);
		multi_server_call(multi_server_spec->service, client);
	} while (!client->leaving && stream_error(client->stream) == STREAM_ERR_NONE &&
	         stream_buffered_input(client->stream) > 0 &&
	         stream_buffered_input(client->stream) != before);
	if (client->leaving || stream_error(client->stream) != STREAM_ERR_NONE)
		multi_server_close(client);
}

static void multi_server_accept_event(int fd, int what, void *context)
{
	struct multi_server_client *client;
	int client_fd = server_accept(multi_server_self, fd);

	if (client_fd < 0)
		return;
	client = xcalloc(1, sizeof(*client));
	client->stream = stream_open(client_fd);
	client->next = multi_server_clients;
	if (client->next)
		client->next->prev = client;
	multi_server_clients = client;
	multi_server_clients_now++;
	multi_server_self->use_count++;
	multi_server_update();
	if (multi_server_spec->on_connect)
		multi_server_call(multi_server_spec->on_connect, client);
	if (client->leaving)
		multi_server_close(client);
	else
		events_enable_read(client_fd, multi_server_read_event, client);
}

void multi_server_disconnect(struct stream *stream)
{
	struct multi_server_client *client = multi_server_clients;

	while (client && client->stream != stream)
		client = client->next;
	if (client == NULL)
		return;
	if (client->in_call)
		client->leaving = true;
	else
		multi_server_close(client);
}

_Noreturn void multi_server_main(int argc, char **argv, const struct multi_server_spec *spec)
{
	multi_server_spec = spec;
	multi_server_self = server_start(argc, argv, &spec->server, true);
	signal(SIGALRM, SIG_DFL);
	if (multi_server_self->has_master)
		events_enable_read(MASTER_LIFELINE_FD, multi_server_lifeline, NULL);
	multi_server_update();
	events_loop();
	server_exit(&multi_server_self, 0);
}
