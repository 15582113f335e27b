/*
 * smtpd_log - every log line smtpd writes about a client, in Postfix's
 * shapes, because pflogsumm, fail2ban and administrators' scripts parse
 * them.  Text the client chose is made printable first (C escapes for the
 * pipelining report, which shows the raw bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "smtpd.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/quote.h"

/* The printable form of peer text (the caller frees it). */
static char *smtpd_log_text(const char *text)
{
	return quote_printable(xstrdup(text));
}

static const char *smtpd_log_id(const struct smtpd_state *state)
{
	return state->queue_id ? state->queue_id : "NOQUEUE";
}

void smtpd_log_connect(const struct smtpd_state *state)
{
	msg_info("connect from %s", state->namaddr);
}

void smtpd_log_disconnect(const struct smtpd_state *state)
{
	static const char *const names[SMTPD_CNT_COUNT] = {
	    "helo", "ehlo", "mail", "rcpt", "data", "bdat",
	    "rset", "noop", "vrfy", "etrn", "quit", "unknown",
	};
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	int ok = 0, total = 0;

	strbuf_printf(line, "disconnect from %s", state->namaddr);
	for (int i = 0; i < SMTPD_CNT_COUNT; i++) {
		if (state->counts[i][1] == 0)
			continue;
		ok += state->counts[i][0];
		total += state->counts[i][1];
		strbuf_printf(line, " %s=%d", names[i], state->counts[i][0]);
		if (state->counts[i][0] != state->counts[i][1])
			strbuf_printf(line, "/%d", state->counts[i][1]);
	}
	strbuf_printf(line, " commands=%d", ok);
	if (ok != total)
		strbuf_printf(line, "/%d", total);
	msg_info("%s", strbuf_str(line));
	strbuf_free(&line);
}

void smtpd_log_client(const struct smtpd_state *state)
{
	msg_info("%s: client=%s", state->queue_id, state->namaddr);
}

/* "ID: reject: WHERE from CLIENT: TEXT; from=<> to=<> proto=P helo=<H>" */
static void smtpd_log_reject_where(const struct smtpd_state *state, const char *where,
                                   const char *text, const char *rcpt)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	char *quoted;

	strbuf_printf(line, "%s: reject: %s from %s: %s;", smtpd_log_id(state), where,
	              state->namaddr, text);
	if (state->sender) {
		quoted = smtpd_log_text(state->sender);
		strbuf_printf(line, " from=<%s>", quoted);
		free(quoted);
	}
	if (rcpt) {
		quoted = smtpd_log_text(rcpt);
		strbuf_printf(line, " to=<%s>", quoted);
		free(quoted);
	}
	strbuf_printf(line, " proto=%s", state->protocol);
	if (state->helo_name) {
		quoted = smtpd_log_text(state->helo_name);
		strbuf_printf(line, " helo=<%s>", quoted);
		free(quoted);
	}
	msg_info("%s", strbuf_str(line));
	strbuf_free(&line);
}

void smtpd_log_reject(const struct smtpd_state *state, const char *reply, const char *rcpt)
{
	char *quoted = smtpd_log_text(reply);

	smtpd_log_reject_where(state, "RCPT", quoted, rcpt);
	free(quoted);
}

void smtpd_log_bare_lf(const struct smtpd_state *state)
{
	smtpd_log_reject_where(state, state->where, "bare <LF> received",
	                       state->rcpt_count ? state->rcpts[state->rcpt_count - 1].addr : NULL);
}

void smtpd_log_pipelining(const struct smtpd_state *state, const char *after, const char *data,
                          size_t len)
{
	struct strbuf *text = strbuf_new(400);

	quote_c_append(text, data, len > 100 ? 100 : len);
	msg_info("improper command pipelining after %s from %s: %s", after, state->namaddr,
	         strbuf_str(text));
	strbuf_free(&text);
}

void smtpd_log_forbidden(const struct smtpd_state *state, const char *line)
{
	char *quoted = smtpd_log_text(line);

	msg_warn("non-SMTP command from %s: %.100s", state->namaddr, quoted);
	free(quoted);
}

void smtpd_log_etrn(const struct smtpd_state *state, const char *args)
{
	char *quoted = smtpd_log_text(args);

	msg_warn("reject: ETRN %.100s... from %s", quoted, state->namaddr);
	free(quoted);
}

void smtpd_log_bdat_syntax(const struct smtpd_state *state, const char *line)
{
	char *quoted = smtpd_log_text(line);

	msg_warn("%s: malformed BDAT command syntax from %s: %.100s", smtpd_log_id(state),
	         state->namaddr, quoted);
	free(quoted);
}

void smtpd_log_bad_address(const struct smtpd_state *state, const char *cmd, const char *args)
{
	char *quoted = smtpd_log_text(args);
	const char *addr = strchr(quoted, ':');

	msg_warn("Illegal address syntax from %s in %s command: %.100s", state->namaddr, cmd,
	         addr ? addr + 1 : quoted);
	free(quoted);
}
