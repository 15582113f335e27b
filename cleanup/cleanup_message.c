/*
 * cleanup_message - the message content: header inspection and the
 * headers cleanup adds, the size limit, and the extracted segment.
 *
 * A logical header may span several physical lines (folding) and a
 * physical line several pieces (partial lines longer than
 * line_length_limit), so each header is collected as encoded records in
 * state->pending, with its text in state->header, until the next line
 * shows it is complete; then it is kept (the records are copied out) or
 * dropped.  A header longer than header_size_limit is written as it is,
 * uninspected.  The first line that is neither a header nor a folded
 * continuation ends the headers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cleanup.h"
#include "config/params.h"
#include "mail/cleanup_client.h"
#include "mail/header_addr.h"
#include "util/msg.h"
#include "util/quote.h"

/* Copies records from an encoded buffer to the queue file. */
static void cleanup_message_copy(struct cleanup_state *state, const struct strbuf *records)
{
	struct queue_file_record rec;
	const char *error;
	size_t used;

	for (size_t pos = 0; pos < records->len; pos += used)
		if (queue_file_parse(records->data + pos, records->len - pos, records->len, &rec,
		                     &used, &error) != QUEUE_FILE_PARSE_OK)
			msg_panic("%s: cannot parse own header records: %s", state->queue_id,
			          error);
		else if (state->status == 0)
			queue_file_put(state->writer, rec.type, rec.data, rec.len);
}

/* Writes one content piece unless the message already failed. */
static void cleanup_message_put(struct cleanup_state *state, const char *data, size_t len,
                                bool partial)
{
	if (state->status == 0)
		queue_file_put(state->writer, partial ? QUEUE_REC_CONT : QUEUE_REC_NORM, data, len);
}

static void cleanup_message_put_str(struct cleanup_state *state, const char *text)
{
	cleanup_message_put(state, text, strlen(text), false);
	state->cont_length += (long)strlen(text) + 1;
}

/* The length of the header name at the start of a line, or 0 when it is no header. */
static size_t cleanup_message_header_name(const char *data, size_t len)
{
	size_t name = 0;
	size_t i;

	while (name < len && data[name] > ' ' && data[name] < 127 && data[name] != ':')
		name++;
	for (i = name; i < len && (data[i] == ' ' || data[i] == '\t'); i++)
		;
	return name > 0 && i < len && data[i] == ':' ? name : 0;
}

static bool cleanup_message_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Logs "QUEUEID: message-id=VALUE" with the value made printable. */
static void cleanup_message_log_id(struct cleanup_state *state, const char *value)
{
	char *text = strndup(value, 1000);

	while (*text && isspace((unsigned char)*text))
		memmove(text, text + 1, strlen(text));
	for (size_t n = strlen(text); n > 0 && isspace((unsigned char)text[n - 1]); n--)
		text[n - 1] = 0;
	msg_info("%s: message-id=%s", state->queue_id, quote_printable(text));
	free(text);
}

/* Inspects the collected header; false when it must be dropped. */
static bool cleanup_message_inspect(struct cleanup_state *state)
{
	const char *text = state->header->data;
	size_t name_len = cleanup_message_header_name(text, state->header->len);
	const char *value = strchr(text, ':') + 1;
	size_t value_len = state->header->len - (size_t)(value - text);

	if ((state->flags & CLEANUP_FLAG_EXTRACT) &&
	    (cleanup_message_is(text, name_len, "To") || cleanup_message_is(text, name_len, "Cc") ||
	     cleanup_message_is(text, name_len, "Bcc")))
		header_addr_list(value, value_len, (size_t)var_header_address_token_limit,
		                 state->extracted);
	if (cleanup_message_is(text, name_len, "Received") &&
	    ++state->hop_count >= var_hopcount_limit)
		cleanup_fail(state, CLEANUP_STAT_HOPS);
	if (cleanup_message_is(text, name_len, "Message-ID") && !state->seen_message_id) {
		state->seen_message_id = true;
		cleanup_message_log_id(state, value);
	}
	state->seen_date |= cleanup_message_is(text, name_len, "Date");
	state->seen_from |= cleanup_message_is(text, name_len, "From");
	for (size_t i = 0; i < cleanup_drop_headers->count; i++)
		if (cleanup_message_is(text, name_len, cleanup_drop_headers->items[i]))
			return false;
	return true;
}

/* Ends the header being collected: writes or drops it. */
static void cleanup_message_header_flush(struct cleanup_state *state)
{
	if (state->pending->len > 0 && cleanup_message_inspect(state))
		cleanup_message_copy(state, state->pending);
	strbuf_reset(state->pending);
	strbuf_reset(state->header);
	state->header_spilled = false;
}

/* Adds a piece to the current header; one too long is written uninspected. */
static void cleanup_message_header_add(struct cleanup_state *state, const char *data, size_t len,
                                       bool partial)
{
	if (!state->header_spilled && state->header->len + len > (size_t)var_header_size_limit) {
		cleanup_message_copy(state, state->pending);
		strbuf_reset(state->pending);
		strbuf_reset(state->header);
		state->header_spilled = true;
	}
	if (state->header_spilled) {
		cleanup_message_put(state, data, len, partial);
		return;
	}
	queue_file_encode(state->pending, partial ? QUEUE_REC_CONT : QUEUE_REC_NORM, data, len);
	if (state->line_start && state->header->len > 0)
		strbuf_append_char(state->header, '\n');
	strbuf_append(state->header, data, len);
	/* Inspection sees text, never NUL bytes. */
	for (size_t i = state->header->len - len; i < state->header->len; i++)
		if (state->header->data[i] == 0)
			state->header->data[i] = ' ';
}

/* The Message-Id: value cleanup makes: <YYYYMMDDHHMMSS.QUEUEID@myhostname>, or <QUEUEID@...>. */
static void cleanup_message_make_id(struct cleanup_state *state, struct strbuf *out)
{
	time_t when = state->arrival.tv_sec;
	char stamp[32];

	if (cleanup_long_queue_ids) {
		strbuf_printf(out, "<%s@%s>", state->queue_id, var_myhostname);
		return;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", gmtime(&when));
	strbuf_printf(out, "<%s.%s@%s>", stamp, state->queue_id, var_myhostname);
}

/* Adds Message-Id:, Date: and From: when missing, as Postfix does for local mail. */
static void cleanup_message_headers_done(struct cleanup_state *state)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	bool add = (state->flags & CLEANUP_FLAG_LOCAL) || cleanup_always_add_headers;
	time_t when = state->arrival.tv_sec;
	char date[80];

	if (!state->seen_message_id && add) {
		strbuf_append_str(line, "Message-Id: ");
		cleanup_message_make_id(state, line);
		cleanup_message_log_id(state, line->data + strlen("Message-Id:"));
		cleanup_message_put_str(state, line->data);
	} else if (!state->seen_message_id) {
		cleanup_message_log_id(state, "<>");
	}
	if (!state->seen_date && add) {
		strftime(date, sizeof(date), "Date: %a, %e %b %Y %H:%M:%S %z (%Z)",
		         localtime(&when));
		cleanup_message_put_str(state, date);
	}
	if (!state->seen_from && add) {
		strbuf_reset(line);
		strbuf_printf(line, "From: %s",
		              state->sender && *state->sender ? state->sender : "MAILER-DAEMON");
		cleanup_message_put_str(state, line->data);
	}
	strbuf_free(&line);
	state->part = CLEANUP_PART_BODY;
}

/* The first content record: the M record and the start of the content. */
static void cleanup_message_start(struct cleanup_state *state)
{
	if (!state->sender_seen) {
		msg_warn("%s: content before sender", state->queue_id);
		cleanup_fail(state, CLEANUP_STAT_BAD);
	}
	state->mesg_offset = queue_file_offset(state->writer);
	queue_file_printf(state->writer, QUEUE_REC_MESG, QUEUE_REC_MESG_FORMAT, 0L);
	state->data_offset = queue_file_offset(state->writer);
	state->part = CLEANUP_PART_HEADERS;
}

/* A piece while in the headers: collect, or end the headers. */
static void cleanup_message_header_piece(struct cleanup_state *state, const char *data, size_t len,
                                         bool partial)
{
	bool folded = len > 0 && (data[0] == ' ' || data[0] == '\t');

	if (!state->line_start || (folded && (state->pending->len > 0 || state->header_spilled))) {
		cleanup_message_header_add(state, data, len, partial);
		return;
	}
	cleanup_message_header_flush(state);
	if (cleanup_message_header_name(data, len) > 0) {
		cleanup_message_header_add(state, data, len, partial);
		return;
	}
	cleanup_message_headers_done(state);
	cleanup_message_put(state, data, len, partial);
}

void cleanup_message_line(struct cleanup_state *state, const char *data, size_t len, bool partial)
{
	if (state->part == CLEANUP_PART_ENVELOPE)
		cleanup_message_start(state);
	state->cont_length += (long)len + (partial ? 0 : 1);
	if (var_message_size_limit > 0 && state->cont_length > var_message_size_limit)
		cleanup_fail(state, CLEANUP_STAT_SIZE);
	if (state->part == CLEANUP_PART_HEADERS)
		cleanup_message_header_piece(state, data, len, partial);
	else
		cleanup_message_put(state, data, len, partial);
	state->line_start = !partial;
}

void cleanup_message_end(struct cleanup_state *state)
{
	if (state->part == CLEANUP_PART_ENVELOPE)
		cleanup_message_start(state);
	if (state->part == CLEANUP_PART_HEADERS) {
		cleanup_message_header_flush(state);
		cleanup_message_headers_done(state);
	}
	state->xtra_offset = queue_file_offset(state->writer);
	queue_file_put(state->writer, QUEUE_REC_XTRA, "", 0);
	for (size_t i = 0; i < state->extracted->count; i++)
		cleanup_envelope_extracted(state, state->extracted->items[i]);
	if (state->rcpt_count == 0)
		cleanup_fail(state, CLEANUP_STAT_RCPT);
}
