/*
 * smtpd_rcpt - RCPT TO: the recipient, its DSN parameters (NOTIFY,
 * ORCPT), the recipient restrictions, and the hand-off to cleanup, which
 * is contacted at the first accepted recipient so that rejected
 * transactions never create a queue file (they log as NOQUEUE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "mail/smtp_cmd.h"
#include "smtpd.h"
#include "util/alloc.h"
#include "util/msg.h"

/* Parses NOTIFY= and ORCPT=; replies and returns false on a bad one. */
static bool smtpd_rcpt_params(struct smtpd_state *state, const char *params,
                              struct smtpd_rcpt *rcpt)
{
	char *copy = xstrdup(params);
	char *cursor = copy;
	char *name;
	char *value;
	bool ok = true;

	while (ok && smtp_cmd_param(&cursor, &name, &value)) {
		if (strcasecmp(name, "NOTIFY") == 0 && value) {
			if ((rcpt->notify = smtp_cmd_notify(value)) == 0) {
				smtpd_reply(state, "501 5.5.4 Error: Bad NOTIFY parameter syntax");
				ok = false;
			}
		} else if (strcasecmp(name, "ORCPT") == 0 && value) {
			struct strbuf *orcpt = strbuf_new((size_t)var_line_length_limit);

			if (!smtp_cmd_orcpt(value, orcpt)) {
				smtpd_reply(state, "501 5.5.4 Error: Bad ORCPT parameter syntax");
				ok = false;
			}
			free(rcpt->orcpt);
			rcpt->orcpt = strbuf_export(&orcpt);
		} else {
			smtpd_reply(state, "555 5.5.4 Unsupported option: %s%s%s", name,
			            value ? "=" : "", value ? value : "");
			ok = false;
		}
	}
	free(copy);
	return ok;
}

/* Connects to cleanup and sends the envelope so far; false after a reply. */
static bool smtpd_rcpt_open_queue(struct smtpd_state *state)
{
	const char *error;
	char size[32];

	state->cleanup = cleanup_client_open(
	    "public/cleanup", CLEANUP_FLAG_FILTER | CLEANUP_FLAG_MAP_OK, var_ipc_timeout, &error);
	if (state->cleanup == NULL) {
		msg_warn("%s", error);
		smtpd_reply(state, "451 4.3.0 Error: queue file write error");
		return false;
	}
	state->queue_id = xstrdup(cleanup_client_queue_id(state->cleanup));
	smtpd_log_client(state);
	cleanup_client_sender(state->cleanup, state->sender);
	cleanup_client_attr(state->cleanup, "client_name", state->name);
	cleanup_client_attr(state->cleanup, "client_address", state->addr);
	if (state->helo_name)
		cleanup_client_attr(state->cleanup, "helo_name", state->helo_name);
	cleanup_client_attr(state->cleanup, "protocol_name", state->protocol);
	if (state->envid)
		cleanup_client_attr(state->cleanup, "dsn_envid", state->envid);
	if (state->ret) {
		snprintf(size, sizeof(size), "%d", state->ret);
		cleanup_client_attr(state->cleanup, "dsn_ret", size);
	}
	if (state->body_type)
		cleanup_client_attr(state->cleanup, "encoding", state->body_type);
	if (state->smtputf8)
		cleanup_client_attr(state->cleanup, "smtputf8", "1");
	return true;
}

static void smtpd_rcpt_free(struct smtpd_rcpt *rcpt)
{
	free(rcpt->addr);
	free(rcpt->orcpt);
}

/* Keeps an accepted recipient and passes it on to cleanup. */
static void smtpd_rcpt_accept(struct smtpd_state *state, struct smtpd_rcpt *rcpt)
{
	if (state->cleanup == NULL && !smtpd_rcpt_open_queue(state)) {
		smtpd_rcpt_free(rcpt);
		return;
	}
	cleanup_client_recipient(state->cleanup, rcpt->addr, rcpt->orcpt, rcpt->notify);
	if (state->rcpt_count == state->rcpt_alloc) {
		state->rcpt_alloc = state->rcpt_alloc ? 2 * state->rcpt_alloc : 8;
		state->rcpts = xreallocarray(state->rcpts, state->rcpt_alloc, sizeof(*rcpt));
	}
	state->rcpts[state->rcpt_count++] = *rcpt;
	smtpd_reply(state, "250 2.1.5 Ok");
}

void smtpd_rcpt(struct smtpd_state *state, const char *args)
{
	struct smtpd_rcpt rcpt = {0};
	struct strbuf *addr;
	const char *params;
	const char *reject;

	if (state->sender == NULL) {
		smtpd_reply(state, "503 5.5.1 Error: need MAIL command");
		return;
	}
	state->rcpt_tried = true;
	addr = strbuf_new((size_t)var_line_length_limit);
	switch (smtp_cmd_path(args, "TO:", addr, &params)) {
	case SMTP_CMD_PATH_NO_KEYWORD:
		smtpd_reply(state, "501 5.5.4 Syntax: RCPT TO:<address>");
		break;
	case SMTP_CMD_PATH_BAD:
		smtpd_reply(state, "501 5.1.3 Bad recipient address syntax");
		break;
	case SMTP_CMD_PATH_OK:
		if (strbuf_len(addr) == 0) {
			smtpd_log_bad_address(state, "RCPT", args);
			smtpd_reply(state, "501 5.1.3 Bad recipient address syntax");
		} else if (!smtpd_rcpt_params(state, params, &rcpt)) {
			smtpd_rcpt_free(&rcpt);
		} else if (state->rcpt_count >= (size_t)var_smtpd_recipient_limit) {
			smtpd_rcpt_free(&rcpt);
			smtpd_reply(state, "452 4.5.3 Error: too many recipients");
		} else if ((reject = smtpd_check_rcpt(state, strbuf_str(addr))) != NULL) {
			smtpd_rcpt_free(&rcpt);
			smtpd_log_reject(state, reject, strbuf_str(addr));
			smtpd_reply(state, "%s", reject);
		} else {
			rcpt.addr = strbuf_export(&addr);
			smtpd_rcpt_accept(state, &rcpt);
		}
		break;
	}
	strbuf_free(&addr);
}
