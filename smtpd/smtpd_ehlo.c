/*
 * smtpd_ehlo - HELO and EHLO: remember the client's name, reset any
 * mail transaction, and list the ESMTP extensions that
 * smtpd_discard_ehlo_keywords leaves in.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "smtpd.h"
#include "util/alloc.h"
#include "util/argv.h"
#include "util/split.h"

static bool smtpd_helo_start(struct smtpd_state *state, const char *verb, const char *args)
{
	if (*args == 0) {
		smtpd_reply(state, "501 Syntax: %s hostname", verb);
		return false;
	}
	smtpd_reset(state);
	free(state->helo_name);
	state->helo_name = xstrdup(args);
	return true;
}

void smtpd_helo(struct smtpd_state *state, const char *args)
{
	if (!smtpd_helo_start(state, "HELO", args))
		return;
	state->protocol = "SMTP";
	smtpd_reply(state, "250 %s", var_myhostname);
}

/* True when smtpd_discard_ehlo_keywords names keyword. */
static bool smtpd_ehlo_discarded(const struct argv *discard, const char *keyword)
{
	for (size_t i = 0; i < discard->count; i++)
		if (strcasecmp(discard->items[i], keyword) == 0)
			return true;
	return false;
}

void smtpd_ehlo(struct smtpd_state *state, const char *args)
{
	static const char *const keywords[] = {
	    "PIPELINING", "SIZE", "VRFY",     "ETRN",     "ENHANCEDSTATUSCODES",
	    "8BITMIME",   "DSN",  "SMTPUTF8", "CHUNKING",
	};
	struct argv *discard;
	struct argv *lines;

	if (!smtpd_helo_start(state, "EHLO", args))
		return;
	state->protocol = "ESMTP";
	state->ehlo_seen = true;
	discard = argv_split(var_smtpd_discard_ehlo_keywords, SPLIT_LIST_SEPARATORS);
	lines = argv_new();
	argv_add(lines, var_myhostname);
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (smtpd_ehlo_discarded(discard, keywords[i]))
			continue;
		if (strcmp(keywords[i], "SIZE") == 0 && var_message_size_limit > 0) {
			struct strbuf *size = strbuf_new(64);

			strbuf_printf(size, "SIZE %ld", var_message_size_limit);
			argv_add(lines, strbuf_str(size));
			strbuf_free(&size);
		} else {
			argv_add(lines, keywords[i]);
		}
	}
	for (size_t i = 0; i < lines->count; i++)
		smtpd_reply(state, "250%c%s", i + 1 < lines->count ? '-' : ' ', lines->items[i]);
	argv_free(&lines);
	argv_free(&discard);
}
