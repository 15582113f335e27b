/*
 * smtpd_misc - the small commands: NOOP, RSET, QUIT, VRFY (which never
 * reveals whether a user exists: 252, or 502 with
 * disable_vrfy_command) and ETRN (no fast flush service: every domain
 * is refused as Postfix refuses one outside fast_flush_domains).
 */
#include <string.h>

#include "config/params.h"
#include "smtpd.h"

void smtpd_noop(struct smtpd_state *state, const char *args)
{
	smtpd_reply(state, "250 2.0.0 Ok");
}

void smtpd_rset(struct smtpd_state *state, const char *args)
{
	if (*args) {
		smtpd_reply(state, "501 5.5.4 Syntax: RSET");
		return;
	}
	smtpd_reset(state);
	smtpd_reply(state, "250 2.0.0 Ok");
}

void smtpd_quit(struct smtpd_state *state, const char *args)
{
	smtpd_reply(state, "221 2.0.0 Bye");
	state->hangup = true;
}

void smtpd_vrfy(struct smtpd_state *state, const char *args)
{
	if (smtpd_param_bool("disable_vrfy_command", var_disable_vrfy_command)) {
		smtpd_reply(state, "502 5.5.1 VRFY command is disabled");
		return;
	}
	if (*args == 0) {
		smtpd_reply(state, "501 5.5.4 Syntax: VRFY address [SMTPUTF8]");
		return;
	}
	smtpd_reply(state, "252 2.0.0 %s", args);
}

void smtpd_etrn(struct smtpd_state *state, const char *args)
{
	if (state->sender) {
		smtpd_reply(state, "503 Error: MAIL transaction in progress");
		return;
	}
	if (*args == 0) {
		smtpd_reply(state, "500 Syntax: ETRN domain");
		return;
	}
	smtpd_log_etrn(state, args);
	smtpd_reply(state, "459 <%s>: service unavailable", args);
}
