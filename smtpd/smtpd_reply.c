/*
 * smtpd_reply - write replies to the client.  An error reply (4xx or
 * 5xx) counts towards smtpd_soft_error_limit / smtpd_hard_error_limit
 * and, past the soft limit, is delayed by smtpd_error_sleep_time, as
 * Postfix slows down clients that make many errors.  Output is flushed
 * only when the client has no more pipelined input waiting.
 */
#include <stdarg.h>
#include <unistd.h>

#include "config/params.h"
#include "smtpd.h"
#include "util/msg.h"

void smtpd_reply(struct smtpd_state *state, const char *fmt, ...)
{
	struct strbuf *text = strbuf_new(4096);
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(text, fmt, ap);
	va_end(ap);
	state->last_code = strbuf_str(text)[0];
	if (state->last_code == '4' || state->last_code == '5') {
		state->error_count++;
		if (state->error_count > var_smtpd_soft_error_limit &&
		    var_smtpd_error_sleep_time > 0) {
			smtpd_flush(state);
			sleep((unsigned)var_smtpd_error_sleep_time);
		}
	}
	stream_write(state->client, strbuf_str(text), strbuf_len(text));
	stream_write(state->client, "\r\n", 2);
	strbuf_free(&text);
	if (stream_buffered_input(state->client) == 0)
		smtpd_flush(state);
}

bool smtpd_flush(struct smtpd_state *state)
{
	return stream_flush(state->client);
}
