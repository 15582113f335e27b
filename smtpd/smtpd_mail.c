/*
 * smtpd_mail - MAIL FROM: the sender address and its ESMTP parameters
 * (SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH), and the reset of a mail
 * transaction (RSET, HELO/EHLO, after a message).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "mail/dsn.h"
#include "mail/smtp_cmd.h"
#include "smtpd.h"
#include "util/alloc.h"

void smtpd_reset(struct smtpd_state *state)
{
	if (state->cleanup)
		cleanup_client_abort(&state->cleanup);
	free(state->sender);
	free(state->envid);
	free(state->body_type);
	free(state->queue_id);
	for (size_t i = 0; i < state->rcpt_count; i++) {
		free(state->rcpts[i].addr);
		free(state->rcpts[i].orcpt);
	}
	state->rcpt_count = 0;
	state->rcpt_tried = false;
	state->sender = state->envid = state->body_type = state->queue_id = NULL;
	state->ret = 0;
	state->smtputf8 = false;
	state->size = 0;
	state->bdat_busy = state->bdat_error = false;
	strbuf_reset(state->bdat_line);
	state->msg_bytes = state->bdat_total = 0;
	state->msg_too_big = state->msg_bare_lf = state->content_started = false;
}

/* Checks one MAIL FROM parameter; replies and returns false when it is bad. */
static bool smtpd_mail_param(struct smtpd_state *state, const char *name, const char *value)
{
	struct strbuf *buf;

	if (strcasecmp(name, "SIZE") == 0 && value) {
		if (!smtp_cmd_size(value, &state->size)) {
			smtpd_reply(state, "501 5.5.4 Bad message size syntax");
			return false;
		}
		if (var_message_size_limit > 0 && state->size > var_message_size_limit) {
			smtpd_reply(state, "552 5.3.4 Message size exceeds fixed limit");
			return false;
		}
		return true;
	}
	if (strcasecmp(name, "BODY") == 0 && value &&
	    (strcasecmp(value, "7BIT") == 0 || strcasecmp(value, "8BITMIME") == 0 ||
	     strcasecmp(value, "BINARYMIME") == 0)) {
		free(state->body_type);
		state->body_type = xstrdup(value);
		for (char *p = state->body_type; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		return true;
	}
	if (strcasecmp(name, "SMTPUTF8") == 0 && value == NULL) {
		state->smtputf8 = true;
		return true;
	}
	if (strcasecmp(name, "RET") == 0 && value) {
		state->ret = strcasecmp(value, "FULL") == 0   ? DSN_RET_FULL
		             : strcasecmp(value, "HDRS") == 0 ? DSN_RET_HDRS
		                                              : 0;
		if (state->ret == 0)
			smtpd_reply(state, "501 5.5.4 Bad RET parameter syntax");
		return state->ret != 0;
	}
	if (strcasecmp(name, "ENVID") == 0 && value) {
		buf = strbuf_new(100);
		if (*value == 0 || !smtp_cmd_xtext(value, buf)) {
			smtpd_reply(state, "501 5.5.4 Bad ENVID parameter syntax");
			strbuf_free(&buf);
			return false;
		}
		free(state->envid);
		state->envid = strbuf_export(&buf);
		return true;
	}
	if (strcasecmp(name, "AUTH") == 0 && value)
		return true;
	smtpd_reply(state, "555 5.5.4 Unsupported option: %s%s%s", name, value ? "=" : "",
	            value ? value : "");
	return false;
}

/* Walks the parameters; false when one was refused (and replied to). */
static bool smtpd_mail_params(struct smtpd_state *state, const char *params)
{
	char *copy = xstrdup(params);
	char *cursor = copy;
	char *name;
	char *value;
	bool ok = true;

	while (ok && smtp_cmd_param(&cursor, &name, &value))
		ok = smtpd_mail_param(state, name, value);
	free(copy);
	return ok;
}

void smtpd_mail(struct smtpd_state *state, const char *args)
{
	struct strbuf *addr;
	const char *params;

	if (state->bdat_error) {
		smtpd_reply(state, "503 5.5.1 Error: MAIL after BDAT");
		return;
	}
	if (state->sender) {
		smtpd_reply(state, "503 5.5.1 Error: nested MAIL command");
		return;
	}
	addr = strbuf_new((size_t)var_line_length_limit);
	switch (smtp_cmd_path(args, "FROM:", addr, &params)) {
	case SMTP_CMD_PATH_NO_KEYWORD:
		smtpd_reply(state, "501 5.5.4 Syntax: MAIL FROM:<address>");
		break;
	case SMTP_CMD_PATH_BAD:
		smtpd_log_bad_address(state, "MAIL", args);
		smtpd_reply(state, "501 5.1.7 Bad sender address syntax");
		break;
	case SMTP_CMD_PATH_OK:
		if (!smtpd_mail_params(state, params)) {
			smtpd_reset(state);
			break;
		}
		state->sender = strbuf_export(&addr);
		smtpd_reply(state, "250 2.1.0 Ok");
		break;
	}
	strbuf_free(&addr);
}
