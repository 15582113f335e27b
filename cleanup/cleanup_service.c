/*
 * cleanup_service - one client, one message: the protocol described in
 * main.c.  A malformed request is a warning and a closed connection, and
 * any way out other than a successful end removes the queue file.
 */
#include <string.h>

#include "cleanup.h"
#include "config/params.h"
#include "mail/cleanup_client.h"
#include "util/attr.h"
#include "util/msg.h"

#define CLEANUP_PROTOCOL "cleanup"

/* Requests carry one content piece; the client splits longer lines. */
static const struct attr_limits cleanup_limits = {
    .value_max = ATTR_VALUE_MAX_DEFAULT, .list_max = 2 * ATTR_VALUE_MAX_DEFAULT, .count_max = 8};

/* The reply text for status bits, the most serious first. */
static const struct {
	int status;
	const char *text;
} cleanup_reasons[] = {
    {CLEANUP_STAT_BAD, "Internal protocol error"},
    {CLEANUP_STAT_WRITE, "Error writing message file"},
    {CLEANUP_STAT_DEFER, "Service unavailable"},
    {CLEANUP_STAT_SIZE, "Message file too big"},
    {CLEANUP_STAT_HOPS, "Too many hops"},
    {CLEANUP_STAT_CONT, "Message content rejected"},
    {CLEANUP_STAT_RCPT, "No recipients specified"},
};

void cleanup_fail(struct cleanup_state *state, int status)
{
	state->status |= status;
}

static const char *cleanup_reason(int status)
{
	for (size_t i = 0; i < sizeof(cleanup_reasons) / sizeof(cleanup_reasons[0]); i++)
		if (status & cleanup_reasons[i].status)
			return cleanup_reasons[i].text;
	return "Success";
}

static void cleanup_reply(struct stream *client, int status, const char *queue_id)
{
	attr_write_long(client, "status", status);
	if (queue_id != NULL)
		attr_write_str(client, "queue_id", queue_id);
	else
		attr_write_str(client, "reason", cleanup_reason(status));
	attr_write_end(client);
	stream_flush(client);
}

/* Applies one record request; false when it is malformed. */
static bool cleanup_record(struct cleanup_state *state, const struct attr_list *req,
                           const char *record)
{
	const char *value = attr_get_str(req, "value");
	const void *data;
	size_t len;
	long notify = 0;

	if (strcmp(record, "line") == 0 || strcmp(record, "part") == 0) {
		if (!attr_get_data(req, "data", &data, &len))
			return false;
		cleanup_message_line(state, data, len, record[0] == 'p');
	} else if (strcmp(record, "sender") == 0 && value != NULL) {
		cleanup_envelope_sender(state, value);
	} else if (strcmp(record, "attr") == 0 && value && attr_get_str(req, "name")) {
		cleanup_envelope_attr(state, attr_get_str(req, "name"), value);
	} else if (strcmp(record, "recipient") == 0 && value != NULL) {
		if (attr_get_data(req, "notify", &data, &len) &&
		    !attr_get_long(req, "notify", 1, 15, &notify))
			return false;
		cleanup_envelope_recipient(state, value, attr_get_str(req, "orcpt"), notify);
	} else {
		return false;
	}
	return true;
}

/* Ends the message: on success the file is durable before the reply. */
static void cleanup_end(struct stream *client, struct cleanup_state *state)
{
	cleanup_message_end(state);
	if (state->status == 0 && (state->flags & CLEANUP_FLAG_DISCARD)) {
		msg_info("%s: discard: client request", state->queue_id);
		cleanup_queue_remove(state);
	} else if (state->status == 0) {
		cleanup_queue_finish(state);
	}
	if (state->status != 0)
		cleanup_queue_remove(state);
	cleanup_reply(client, state->status, NULL);
	if (state->status == 0 && !(state->flags & (CLEANUP_FLAG_DISCARD | CLEANUP_FLAG_HOLD)))
		cleanup_queue_trigger();
}

/* Reads records until the end request; false when the client failed. */
static bool cleanup_receive(struct stream *client, struct cleanup_state *state)
{
	struct attr_list *req = NULL;
	const char *error = "unexpected end of file";
	const char *record;

	for (;;) {
		if (attr_read(client, &cleanup_limits, &req, &error) != ATTR_READ_OK) {
			if (msg_verbose || stream_error(client) != STREAM_ERR_EOF)
				msg_warn("%s: read request: %s", state->queue_id, error);
			return false;
		}
		if ((record = attr_get_str(req, "record")) != NULL && strcmp(record, "end") == 0) {
			attr_list_free(&req);
			return true;
		}
		if (record == NULL || !cleanup_record(state, req, record)) {
			msg_warn("%s: malformed request from client", state->queue_id);
			attr_list_free(&req);
			return false;
		}
		attr_list_free(&req);
	}
}

void cleanup_service(struct stream *client, const char *service_name, char **argv)
{
	struct cleanup_state *state;
	struct attr_list *req = NULL;
	const char *error = "unexpected end of file";
	long flags;

	stream_set_timeout(client, var_ipc_timeout);
	if (!attr_send_protocol(client, CLEANUP_PROTOCOL) ||
	    attr_read(client, &cleanup_limits, &req, &error) != ATTR_READ_OK ||
	    !attr_get_long(req, "flags", 0, 0xffff, &flags)) {
		msg_warn("read cleanup request: %s", req ? "malformed flags" : error);
		attr_list_free(&req);
		return;
	}
	attr_list_free(&req);
	state = cleanup_state_new((int)flags);
	if (!cleanup_queue_create(state, &error)) {
		cleanup_reply(client, CLEANUP_STAT_WRITE, NULL);
	} else {
		cleanup_reply(client, 0, state->queue_id);
		if (cleanup_receive(client, state))
			cleanup_end(client, state);
		else
			cleanup_queue_remove(state);
	}
	cleanup_state_free(&state);
}
