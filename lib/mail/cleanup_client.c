/*
 * cleanup_client - the client side of the cleanup protocol documented in
 * cleanup/main.c.  Every call after the first failure is a no-op: the
 * stream's sticky error carries the failure to cleanup_client_finish(),
 * which turns it into CLEANUP_STAT_WRITE, so callers need one check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/cleanup_client.h"
#include "mail/queue_id.h"
#include "util/alloc.h"
#include "util/attr.h"
#include "util/sock.h"
#include "util/stream.h"
#include "util/strbuf.h"

#define CLEANUP_CLIENT_PROTOCOL "cleanup"
#define CLEANUP_CLIENT_REASON_MAX 1024
#define CLEANUP_CLIENT_PIECE 32768

struct cleanup_client {
	struct stream *stream;
	char queue_id[QUEUE_ID_SIZE];
};

/* The last error or reason text; valid until the next open. */
static char cleanup_client_text[CLEANUP_CLIENT_REASON_MAX];

static const struct attr_limits cleanup_client_limits = {
    .value_max = CLEANUP_CLIENT_REASON_MAX, .list_max = 4096, .count_max = 16};

static void cleanup_client_set_text(const char *prefix, const char *text)
{
	snprintf(cleanup_client_text, sizeof(cleanup_client_text), "%s%s", prefix, text);
}

/* Reads cleanup's reply: status (and queue_id or reason); false when there is none. */
static bool cleanup_client_reply(struct stream *stream, long *status_r, char *queue_id,
                                 const char **error_r)
{
	struct attr_list *reply = NULL;
	const char *reason;
	const char *id;

	if (attr_read(stream, &cleanup_client_limits, &reply, error_r) != ATTR_READ_OK)
		return false;
	if (!attr_get_long(reply, "status", 0, 0xffff, status_r)) {
		*error_r = "malformed reply from the cleanup service";
		attr_list_free(&reply);
		return false;
	}
	reason = attr_get_str(reply, "reason");
	cleanup_client_set_text("", reason ? reason : "");
	if (queue_id && (id = attr_get_str(reply, "queue_id")) != NULL &&
	    strlen(id) < QUEUE_ID_SIZE)
		strcpy(queue_id, id);
	attr_list_free(&reply);
	return true;
}

struct cleanup_client *cleanup_client_open(const char *socket_path, int flags, int timeout,
                                           const char **error_r)
{
	struct cleanup_client *client;
	const char *error;
	long status;
	int fd;

	if ((fd = sock_unix_connect(socket_path, timeout, &error)) < 0) {
		cleanup_client_set_text("connect to cleanup service: ", error);
		*error_r = cleanup_client_text;
		return NULL;
	}
	client = xcalloc(1, sizeof(*client));
	client->stream = stream_open(fd);
	stream_set_timeout(client->stream, timeout);
	if (!attr_expect_protocol(client->stream, CLEANUP_CLIENT_PROTOCOL, &error) ||
	    !attr_write_long(client->stream, "flags", flags) || !attr_write_end(client->stream) ||
	    !stream_flush(client->stream) ||
	    !cleanup_client_reply(client->stream, &status, client->queue_id, &error)) {
		cleanup_client_set_text("cleanup service: ", error ? error : "lost connection");
		status = -1;
	} else if (status != 0 || client->queue_id[0] == 0) {
		if (cleanup_client_text[0] == 0)
			cleanup_client_set_text("cleanup service: ", "no queue id");
		status = -1;
	}
	if (status != 0) {
		stream_close(&client->stream);
		free(client);
		*error_r = cleanup_client_text;
		return NULL;
	}
	return client;
}

const char *cleanup_client_queue_id(const struct cleanup_client *client)
{
	return client->queue_id;
}

void cleanup_client_sender(struct cleanup_client *client, const char *sender)
{
	attr_write_str(client->stream, "record", "sender");
	attr_write_str(client->stream, "value", sender);
	attr_write_end(client->stream);
}

void cleanup_client_attr(struct cleanup_client *client, const char *name, const char *value)
{
	attr_write_str(client->stream, "record", "attr");
	attr_write_str(client->stream, "name", name);
	attr_write_str(client->stream, "value", value);
	attr_write_end(client->stream);
}

void cleanup_client_recipient(struct cleanup_client *client, const char *recipient,
                              const char *orcpt, int dsn_notify)
{
	attr_write_str(client->stream, "record", "recipient");
	attr_write_str(client->stream, "value", recipient);
	if (orcpt != NULL)
		attr_write_str(client->stream, "orcpt", orcpt);
	if (dsn_notify != 0)
		attr_write_long(client->stream, "notify", dsn_notify);
	attr_write_end(client->stream);
}

/* One content record. */
static void cleanup_client_piece(struct cleanup_client *client, const char *data, size_t len,
                                 bool partial)
{
	attr_write_str(client->stream, "record", partial ? "part" : "line");
	attr_write_data(client->stream, "data", data, len);
	attr_write_end(client->stream);
}

void cleanup_client_content(struct cleanup_client *client, const char *line, size_t len,
                            bool partial)
{
	/* cleanup takes values up to 64 KiB: longer lines travel as pieces. */
	for (; len > CLEANUP_CLIENT_PIECE;
	     line += CLEANUP_CLIENT_PIECE, len -= CLEANUP_CLIENT_PIECE)
		cleanup_client_piece(client, line, CLEANUP_CLIENT_PIECE, true);
	cleanup_client_piece(client, line, len, partial);
}

int cleanup_client_finish(struct cleanup_client **client, const char **reason_r)
{
	struct stream *stream = (*client)->stream;
	const char *error = NULL;
	long status;

	if (!attr_write_str(stream, "record", "end") || !attr_write_end(stream) ||
	    !stream_flush(stream) || !cleanup_client_reply(stream, &status, NULL, &error)) {
		cleanup_client_set_text("", "lost connection with the cleanup service");
		status = CLEANUP_STAT_WRITE;
	}
	stream_close(&(*client)->stream);
	free(*client);
	*client = NULL;
	if (reason_r != NULL)
		*reason_r = cleanup_client_text;
	return (int)status;
}

void cleanup_client_abort(struct cleanup_client **client)
{
	if (*client == NULL)
		return;
	/* Closing without the end record tells cleanup to remove the file. */
	close(stream_release(&(*client)->stream));
	free(*client);
	*client = NULL;
}
