/*
 * smtpd_data - DATA: the 354 reply, the message lines with
 * dot-unstuffing and the smtpd_forbid_bare_newline policy, the
 * Received: header in front, message_size_limit, and cleanup's verdict
 * as the final reply.  BDAT (smtpd_bdat.c) shares the content and
 * verdict functions.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/params.h"
#include "smtpd.h"
#include "util/msg.h"

/* Checks the state for DATA or BDAT; replies and returns false when not ready. */
bool smtpd_data_ready(struct smtpd_state *state, const char *cmd)
{
	if (state->sender == NULL || (state->rcpt_count == 0 && !state->rcpt_tried)) {
		smtpd_reply(state, "503 5.5.1 Error: need RCPT command");
		return false;
	}
	if (state->rcpt_count == 0) {
		smtpd_reply(state, "554 5.5.1 Error: no valid recipients");
		return false;
	}
	return true;
}

/* The RFC 5322 date of the Received: header, as Postfix writes it. */
static void smtpd_date(struct strbuf *out)
{
	time_t now = time(NULL);
	struct tm tm;
	char text[80];
	long off;

	localtime_r(&now, &tm);
	off = tm.tm_gmtoff / 60;
	strftime(text, sizeof(text), "%a, %e %b %Y %H:%M:%S", &tm);
	strbuf_printf(out, "%s %c%02ld%02ld (%s)", text, off < 0 ? '-' : '+', labs(off) / 60,
	              labs(off) % 60, tm.tm_zone);
}

static void smtpd_received(struct smtpd_state *state)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(line, "Received: from %s (%s [%s])",
	              state->helo_name ? state->helo_name : state->name, state->name, state->addr);
	cleanup_client_content(state->cleanup, strbuf_str(line), strbuf_len(line), false);
	strbuf_reset(line);
	strbuf_printf(line, "\tby %s (%s) with %s id %s", var_myhostname, var_mail_name,
	              state->protocol, state->queue_id);
	if (state->rcpt_count == 1) {
		cleanup_client_content(state->cleanup, strbuf_str(line), strbuf_len(line), false);
		strbuf_reset(line);
		strbuf_printf(line, "\tfor <%s>; ", state->rcpts[0].addr);
	} else {
		strbuf_append_str(line, ";");
		cleanup_client_content(state->cleanup, strbuf_str(line), strbuf_len(line), false);
		strbuf_reset(line);
		strbuf_append_str(line, "\t");
	}
	smtpd_date(line);
	cleanup_client_content(state->cleanup, strbuf_str(line), strbuf_len(line), false);
	strbuf_free(&line);
}

void smtpd_content(struct smtpd_state *state, const char *line, size_t len, bool partial)
{
	if (!state->content_started) {
		smtpd_received(state);
		state->content_started = true;
	}
	state->msg_bytes += (long long)len + (partial ? 0 : 2);
	if (var_message_size_limit > 0 && state->msg_bytes > var_message_size_limit)
		state->msg_too_big = true;
	if (!state->msg_too_big && !state->msg_bare_lf)
		cleanup_client_content(state->cleanup, line, len, partial);
}

/* cleanup's verdict bits, most severe first, with Postfix's replies. */
static const struct {
	int bit;
	const char *reply;
} smtpd_cleanup_replies[] = {
    {CLEANUP_STAT_DEFER, "451 4.7.1 Error: service unavailable"},
    {CLEANUP_STAT_BAD, "451 4.3.0 Error: internal protocol error"},
    {CLEANUP_STAT_SIZE, "552 5.3.4 Error: message file too big"},
    {CLEANUP_STAT_HOPS, "554 5.4.0 Error: too many hops"},
    {CLEANUP_STAT_CONT, "550 5.7.1 Error: message content rejected"},
    {CLEANUP_STAT_WRITE, "451 4.3.0 Error: queue file write error"},
    {CLEANUP_STAT_RCPT, "550 5.1.0 Error: no recipients specified"},
};

/* Replies with cleanup's verdict; a reason from cleanup replaces the text. */
static void smtpd_verdict(struct smtpd_state *state, int status, const char *reason)
{
	if (status == CLEANUP_STAT_OK) {
		state->error_count = 0;
		if (state->bdat_busy)
			smtpd_reply(state, "250 2.0.0 Ok: %lld bytes queued as %s",
			            state->bdat_total, state->queue_id);
		else
			smtpd_reply(state, "250 2.0.0 Ok: queued as %s", state->queue_id);
		return;
	}
	for (size_t i = 0; i < sizeof(smtpd_cleanup_replies) / sizeof(smtpd_cleanup_replies[0]);
	     i++) {
		if (status & smtpd_cleanup_replies[i].bit) {
			if ((status & (CLEANUP_STAT_CONT | CLEANUP_STAT_DEFER)) && reason &&
			    *reason)
				smtpd_reply(state, "%s", reason);
			else
				smtpd_reply(state, "%s", smtpd_cleanup_replies[i].reply);
			return;
		}
	}
	smtpd_reply(state, "451 4.3.0 Error: internal error %d", status);
}

void smtpd_message_end(struct smtpd_state *state)
{
	const char *reason = NULL;

	state->where = "END-OF-MESSAGE";
	if (!state->content_started)
		smtpd_content(state, "", 0, true);
	if (state->msg_too_big) {
		cleanup_client_abort(&state->cleanup);
		smtpd_reply(state, "552 5.3.4 Message size exceeds fixed limit");
	} else if (state->msg_bare_lf) {
		cleanup_client_abort(&state->cleanup);
		smtpd_log_bare_lf(state);
		smtpd_reply(state, "550 5.5.2 %s Error: bare <LF> received", var_myhostname);
	} else {
		smtpd_verdict(state, cleanup_client_finish(&state->cleanup, &reason), reason);
	}
	smtpd_reset(state);
}

/* Reads the message after 354; false when the connection failed. */
static bool smtpd_data_read(struct smtpd_state *state)
{
	bool line_start = true;
	bool normalize = strcasecmp(var_smtpd_forbid_bare_newline, "no") != 0;
	const char *text;
	size_t len;

	for (;;) {
		enum stream_line kind =
		    stream_read_line(state->client, state->line, (size_t)var_line_length_limit);

		if (kind == STREAM_LINE_ERROR)
			return false;
		text = strbuf_str(state->line);
		len = strbuf_len(state->line);
		if (line_start && len == 1 && text[0] == '.' && kind != STREAM_LINE_TOO_LONG) {
			if (kind == STREAM_LINE_CRLF || !normalize)
				return true;
			continue;
		}
		if (kind == STREAM_LINE_LF && smtpd_bare_lf_rejected(state))
			state->msg_bare_lf = true;
		if (line_start && len > 0 && text[0] == '.')
			text++, len--;
		smtpd_content(state, text, len, kind == STREAM_LINE_TOO_LONG);
		line_start = kind != STREAM_LINE_TOO_LONG;
	}
}

void smtpd_data(struct smtpd_state *state, const char *args)
{
	if (*args) {
		smtpd_reply(state, "501 5.5.4 Syntax: DATA");
		return;
	}
	if (state->bdat_busy || state->bdat_error) {
		smtpd_reply(state, "503 5.5.1 Error: DATA after BDAT");
		return;
	}
	if (!smtpd_data_ready(state, "DATA"))
		return;
	smtpd_check_pipelining(state, "DATA");
	smtpd_reply(state, "354 End data with <CR><LF>.<CR><LF>");
	smtpd_flush(state);
	state->where = "DATA";
	if (!smtpd_data_read(state)) {
		smtpd_reset(state);
		state->hangup = true;
		if (stream_error(state->client) == STREAM_ERR_TIMEOUT)
			smtpd_timeout_reply(state);
		msg_info("%s after DATA (%lld bytes) from %s",
		         stream_error(state->client) == STREAM_ERR_TIMEOUT ? "timeout"
		                                                           : "lost connection",
		         state->msg_bytes, state->namaddr);
		return;
	}
	smtpd_message_end(state);
}
