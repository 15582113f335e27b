/*
 * smtpd_bdat - BDAT (RFC 3030 CHUNKING): exact byte counts, no
 * dot-stuffing.  Chunks are split into lines for cleanup; a CR LF or a
 * bare LF ends a line, and a line longer than line_length_limit goes
 * on in pieces.  A line can span chunks.
 */
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "mail/smtp_cmd.h"
#include "smtpd.h"
#include "util/msg.h"

/* Passes the buffered line on; partial when it continues. */
static void smtpd_bdat_emit(struct smtpd_state *state, bool partial)
{
	struct strbuf *line = state->bdat_line;

	if (!partial && strbuf_len(line) > 0 && strbuf_str(line)[strbuf_len(line) - 1] == '\r')
		strbuf_truncate(line, strbuf_len(line) - 1);
	smtpd_content(state, strbuf_str(line), strbuf_len(line), partial);
	strbuf_reset(line);
}

/* Splits one piece of chunk data into lines. */
static void smtpd_bdat_lines(struct smtpd_state *state, const char *data, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		size_t room = state->bdat_line->limit - strbuf_len(state->bdat_line);

		if (take > room)
			take = room;
		strbuf_append(state->bdat_line, data, take);
		data += take;
		len -= take;
		if (len > 0 && *data == '\n') {
			smtpd_bdat_emit(state, false);
			data++;
			len--;
		} else if (strbuf_len(state->bdat_line) == state->bdat_line->limit) {
			smtpd_bdat_emit(state, true);
		}
	}
}

/* Reads size bytes of chunk data; feed selects whether they are kept. */
static bool smtpd_bdat_read(struct smtpd_state *state, long long size, bool feed)
{
	char buf[8192];

	while (size > 0) {
		size_t want = size > (long long)sizeof(buf) ? sizeof(buf) : (size_t)size;

		if (!stream_read_exact(state->client, buf, want))
			return false;
		if (feed)
			smtpd_bdat_lines(state, buf, want);
		size -= (long long)want;
	}
	return true;
}

/* Parses "count [LAST]"; false on bad syntax. */
static bool smtpd_bdat_args(const char *args, long long *size_r, bool *last_r)
{
	char count[32];
	const char *rest = smtp_cmd_verb(args, count, sizeof(count));

	*last_r = strcasecmp(rest, "LAST") == 0;
	return smtp_cmd_size(count, size_r) && strlen(args) > 0 && (*rest == 0 || *last_r);
}

void smtpd_bdat(struct smtpd_state *state, const char *args)
{
	long long size;
	bool last;
	bool ready;

	if (!smtpd_bdat_args(args, &size, &last)) {
		smtpd_log_bdat_syntax(state, strbuf_str(state->line));
		smtpd_reply(state, "521 5.5.4 Syntax: BDAT count [LAST]");
		state->hangup = true;
		return;
	}
	ready = state->bdat_busy || smtpd_data_ready(state, "BDAT");
	if (!smtpd_bdat_read(state, size, ready)) {
		msg_info("lost connection after BDAT from %s", state->namaddr);
		state->hangup = true;
		return;
	}
	if (!ready) {
		state->bdat_error = true;
		return;
	}
	state->bdat_busy = true;
	state->bdat_total += size;
	state->where = "BDAT";
	if (!last) {
		smtpd_reply(state, "250 2.0.0 Ok: %lld bytes", state->bdat_total);
		return;
	}
	if (strbuf_len(state->bdat_line) > 0)
		smtpd_bdat_emit(state, false);
	smtpd_message_end(state);
}
