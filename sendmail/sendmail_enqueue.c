/*
 * sendmail_enqueue - one message from standard input to postdrop, in
 * the record order that lib/mail/maildrop.h defines: the envelope
 * (rewrite_context=local, full name, sender as given or the bare login
 * name, DSN attributes, recipients), then each input line as an N
 * record (L pieces for lines over line_length_limit; CR LF
 * and LF both end a line), then X and E.  Without -i a line "." ends the
 * input.  With -t the attribute extract_recipients=yes asks pickup to
 * have cleanup take the recipients from To:, Cc: and Bcc:.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "mail/header_addr.h"
#include "mail/maildrop.h"
#include "mail/queue_file.h"
#include "mail/submit_user.h"
#include "sendmail.h"
#include "util/argv.h"
#include "util/msg.h"
#include "util/strbuf.h"
#include "util/stream.h"

/* Sends a text record. */
static void sendmail_put(struct sendmail_postdrop *drop, int type, const char *text)
{
	sendmail_postdrop_put(drop, type, text, strlen(text));
}

/* Sends "name=value" as a named attribute record. */
static void sendmail_put_attr(struct sendmail_postdrop *drop, const char *name, const char *value)
{
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(buf, "%s=%s", name, value);
	sendmail_postdrop_put(drop, QUEUE_REC_ATTR, strbuf_str(buf), strbuf_len(buf));
	strbuf_free(&buf);
}

/* The full name: -F, else $NAME, else the first field of the password entry's GECOS. */
static const char *sendmail_full_name(const struct sendmail_opts *opts, const struct passwd *pw,
                                      struct strbuf *buf)
{
	const char *env = getenv("NAME");
	const char *gecos = pw != NULL && pw->pw_gecos != NULL ? pw->pw_gecos : "";

	if (opts->full_name != NULL)
		return opts->full_name;
	if (env != NULL)
		return env;
	strbuf_append(buf, gecos, strcspn(gecos, ","));
	return strbuf_str(buf);
}

/* The sender: -f with its angle brackets removed, else the login name. */
static const char *sendmail_sender(const struct sendmail_opts *opts, const struct passwd *pw,
                                   struct strbuf *buf)
{
	size_t len;

	if (opts->sender == NULL) {
		if (pw == NULL)
			msg_fatal_status(75, "no login name found for user ID %ld", (long)getuid());
		return pw->pw_name;
	}
	len = strlen(opts->sender);
	if (len >= 2 && opts->sender[0] == '<' && opts->sender[len - 1] == '>')
		strbuf_append(buf, opts->sender + 1, len - 2);
	else
		strbuf_append_str(buf, opts->sender);
	return strbuf_str(buf);
}

/* The envelope; returns the number of recipients sent. */
static size_t sendmail_envelope(struct sendmail_postdrop *drop, const struct sendmail_opts *opts)
{
	struct passwd *pw = getpwuid(getuid());
	struct strbuf *name = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *sender = strbuf_new(STRBUF_UNLIMITED);
	struct argv *rcpts = argv_new();
	char number[16];
	size_t count;

	sendmail_put_attr(drop, "rewrite_context", "local");
	sendmail_put(drop, QUEUE_REC_FULLNAME, sendmail_full_name(opts, pw, name));
	sendmail_put(drop, QUEUE_REC_FROM, sendmail_sender(opts, pw, sender));
	if (opts->envid != NULL)
		sendmail_put_attr(drop, "envelope_id", opts->envid);
	if (opts->ret != 0) {
		snprintf(number, sizeof(number), "%d", opts->ret);
		sendmail_put_attr(drop, "ret_flags", number);
	}
	if (opts->notify != 0) {
		snprintf(number, sizeof(number), "%d", opts->notify);
		sendmail_put_attr(drop, "notify_flags", number);
	}
	for (char **arg = opts->recipients; *arg != NULL; arg++)
		header_addr_list(*arg, strlen(*arg), (size_t)var_header_address_token_limit, rcpts);
	count = rcpts->count;
	for (size_t i = 0; i < count; i++)
		sendmail_put(drop, QUEUE_REC_RCPT, rcpts->items[i]);
	if (opts->extract)
		sendmail_put_attr(drop, MAILDROP_ATTR_EXTRACT, "yes");
	strbuf_free(&name);
	strbuf_free(&sender);
	argv_free(&rcpts);
	return count;
}

/* Reads standard input into content records; returns the recipients found in headers. */
static size_t sendmail_content(struct sendmail_postdrop *drop, const struct sendmail_opts *opts)
{
	struct stream *in = stream_open(STDIN_FILENO);
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	struct sendmail_header *hdr = sendmail_header_new();
	bool partial = false, starts;
	enum stream_line got;
	size_t len;

	sendmail_postdrop_put(drop, QUEUE_REC_MESG, "", 0);
	for (;;) {
		starts = !partial;
		got = stream_read_line(in, line, (size_t)var_line_length_limit);
		if (got == STREAM_LINE_ERROR && strbuf_len(line) == 0)
			break;
		partial = got == STREAM_LINE_TOO_LONG;
		len = strbuf_len(line);
		if (starts && !partial && opts->dot_ends && len == 1 && strbuf_str(line)[0] == '.')
			break;
		sendmail_header_line(hdr, strbuf_str(line), len, partial);
		sendmail_postdrop_put(drop, partial ? QUEUE_REC_CONT : QUEUE_REC_NORM,
		                      strbuf_str(line), len);
		if (got == STREAM_LINE_ERROR)
			break;
	}
	if (stream_error(in) != STREAM_ERR_NONE && stream_error(in) != STREAM_ERR_EOF)
		msg_fatal_status(75, "read standard input: %s", stream_err_text(stream_error(in)));
	if (partial)
		sendmail_postdrop_put(drop, QUEUE_REC_NORM, "", 0);
	(void)stream_release(&in);
	strbuf_free(&line);
	return sendmail_header_finish(&hdr);
}

void sendmail_enqueue(const struct sendmail_opts *opts)
{
	struct sendmail_postdrop *drop;
	size_t rcpts;

	submit_user_check("authorized_submit_users", var_authorized_submit_users, "submit mail",
	                  75);
	if (!opts->extract && opts->recipients[0] == NULL)
		msg_fatal_status(75, "Recipient addresses must be specified on the command line or "
		                     "via the -t option");
	drop = sendmail_postdrop_open(conf_directory_choose(opts->config_dir));
	rcpts = sendmail_envelope(drop, opts);
	if (sendmail_content(drop, opts) == 0 && opts->extract && rcpts == 0)
		msg_fatal_status(75, "No recipient addresses found in message header");
	sendmail_postdrop_put(drop, QUEUE_REC_XTRA, "", 0);
	sendmail_postdrop_put(drop, QUEUE_REC_END, "", 0);
	sendmail_postdrop_close(&drop);
}
