/*
 * smtpd_proto - the command loop: read a command line with the length
 * limit, find the command in the table, run it, keep the counters of the
 * "disconnect from" line, and end the session on QUIT, a forbidden
 * (non-SMTP) command, too many errors, a timeout or a lost connection.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "config/params.h"
#include "mail/smtp_cmd.h"
#include "smtpd.h"
#include "util/msg.h"
#include "util/quote.h"

struct smtpd_cmd {
	const char *name;
	void (*action)(struct smtpd_state *state, const char *args);
	enum smtpd_counter counter;
	bool need_helo; /* refused before HELO/EHLO with smtpd_helo_required */
};

static const struct smtpd_cmd smtpd_cmds[] = {
    {"HELO", smtpd_helo, SMTPD_CNT_HELO, false}, {"EHLO", smtpd_ehlo, SMTPD_CNT_EHLO, false},
    {"MAIL", smtpd_mail, SMTPD_CNT_MAIL, true},  {"RCPT", smtpd_rcpt, SMTPD_CNT_RCPT, true},
    {"DATA", smtpd_data, SMTPD_CNT_DATA, true},  {"BDAT", smtpd_bdat, SMTPD_CNT_BDAT, true},
    {"RSET", smtpd_rset, SMTPD_CNT_RSET, false}, {"NOOP", smtpd_noop, SMTPD_CNT_NOOP, false},
    {"VRFY", smtpd_vrfy, SMTPD_CNT_VRFY, true},  {"ETRN", smtpd_etrn, SMTPD_CNT_ETRN, true},
    {"QUIT", smtpd_quit, SMTPD_CNT_QUIT, false},
};

static const struct smtpd_cmd *smtpd_cmd_find(const char *verb)
{
	for (size_t i = 0; i < sizeof(smtpd_cmds) / sizeof(smtpd_cmds[0]); i++)
		if (strcasecmp(verb, smtpd_cmds[i].name) == 0)
			return &smtpd_cmds[i];
	return NULL;
}

/* Logs input that a client sent ahead of a reply it had to wait for. */
void smtpd_check_pipelining(struct smtpd_state *state, const char *after)
{
	const char *data;
	size_t len;

	if (state->pipelining_logged || stream_buffered_input(state->client) == 0)
		return;
	len = stream_peek(state->client, &data);
	smtpd_log_pipelining(state, after, data, len);
	state->pipelining_logged = true;
}

/* Peeks for input that arrived before the greeting. */
static void smtpd_check_early_talker(struct smtpd_state *state)
{
	char byte;

	if (recv(stream_fd(state->client), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1) {
		const char *data;
		size_t len = stream_peek(state->client, &data);

		smtpd_log_pipelining(state, "CONNECT", data, len);
		state->pipelining_logged = true;
	}
}

/* The bare-LF policy of smtpd_forbid_bare_newline for this client. */
bool smtpd_bare_lf_rejected(const struct smtpd_state *state)
{
	return strcasecmp(var_smtpd_forbid_bare_newline, "reject") == 0 && !state->bare_lf_excluded;
}

/* Runs one command line; false ends the session. */
static bool smtpd_command(struct smtpd_state *state, enum stream_line kind)
{
	char verb[16];
	const char *args = smtp_cmd_verb(strbuf_str(state->line), verb, sizeof(verb));
	const struct smtpd_cmd *cmd = smtpd_cmd_find(verb);

	if (kind == STREAM_LINE_LF && smtpd_bare_lf_rejected(state)) {
		smtpd_log_bare_lf(state);
		smtpd_reply(state, "550 5.5.2 %s Error: bare <LF> received", var_myhostname);
		return false;
	}
	if (verb[0] == 0) {
		smtpd_reply(state, "500 5.5.2 Error: bad syntax");
		return true;
	}
	if (cmd == NULL) {
		state->counts[SMTPD_CNT_UNKNOWN][1]++;
		if (smtpd_check_forbidden(verb)) {
			smtpd_log_forbidden(state, strbuf_str(state->line));
			smtpd_reply(state, "221 2.7.0 Error: I can break rules, too. Goodbye.");
			return false;
		}
		smtpd_reply(state, "500 5.5.2 Error: command not recognized");
		return true;
	}
	state->counts[cmd->counter][1]++;
	state->where = cmd->name;
	if (cmd->need_helo && smtpd_param_bool("smtpd_helo_required", var_smtpd_helo_required) &&
	    state->helo_name == NULL) {
		smtpd_reply(state, "503 5.5.1 Error: send HELO/EHLO first");
	} else {
		cmd->action(state, args);
	}
	if (state->last_code == '2' || state->last_code == '3')
		state->counts[cmd->counter][0]++;
	if (!state->ehlo_seen && !state->hangup)
		smtpd_check_pipelining(state, cmd->name);
	return !state->hangup;
}

/*
 * The stream refuses output after a timeout (its error is sticky), so the
 * 421 goes straight to the socket, without waiting.
 */
void smtpd_timeout_reply(struct smtpd_state *state)
{
	char text[512];
	int len = snprintf(text, sizeof(text), "421 4.4.2 %s Error: timeout exceeded\r\n",
	                   var_myhostname);

	if (len > 0 && (size_t)len < sizeof(text))
		(void)send(stream_fd(state->client), text, (size_t)len,
		           MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Reports why the client went away; true when the session is over. */
static bool smtpd_read_failed(struct smtpd_state *state)
{
	if (stream_error(state->client) == STREAM_ERR_TIMEOUT) {
		smtpd_timeout_reply(state);
		msg_info("timeout after %s from %s", state->where, state->namaddr);
	} else {
		msg_info("lost connection after %s from %s", state->where, state->namaddr);
	}
	return true;
}

void smtpd_proto(struct smtpd_state *state)
{
	enum stream_line kind;

	stream_set_timeout(state->client, var_smtpd_timeout);
	smtpd_check_early_talker(state);
	smtpd_reply(state, "220 %s", var_smtpd_banner);
	smtpd_flush(state);
	for (;;) {
		if (state->error_count >= var_smtpd_hard_error_limit) {
			msg_info("too many errors after %s from %s", state->where, state->namaddr);
			smtpd_reply(state, "421 4.7.0 %s Error: too many errors", var_myhostname);
			break;
		}
		if (stream_buffered_input(state->client) == 0 && !smtpd_flush(state))
			break;
		kind = stream_read_line(state->client, state->line, (size_t)var_line_length_limit);
		if (kind == STREAM_LINE_ERROR && smtpd_read_failed(state))
			break;
		if (kind == STREAM_LINE_TOO_LONG)
			kind = stream_skip_line(state->client);
		if (kind == STREAM_LINE_ERROR && smtpd_read_failed(state))
			break;
		if (!smtpd_command(state, kind))
			break;
	}
	smtpd_flush(state);
}
