/*
 * cleanup_envelope - the envelope records: sender, named attributes and
 * recipients, with the duplicate recipient filter.  Each recipient is
 * written as Postfix writes it: its DSN ORCPT and NOTIFY records, the
 * original recipient (the address as received, before any rewriting),
 * then the recipient itself.
 */
#include <string.h>

#include "cleanup.h"
#include "config/params.h"
#include "mail/cleanup_client.h"
#include "util/alloc.h"
#include "util/msg.h"

void cleanup_envelope_sender(struct cleanup_state *state, const char *sender)
{
	if (state->sender_seen || state->part != CLEANUP_PART_ENVELOPE) {
		msg_warn("%s: unexpected sender record", state->queue_id);
		cleanup_fail(state, CLEANUP_STAT_BAD);
		return;
	}
	state->sender_seen = true;
	state->sender = xstrdup(sender);
	queue_file_put_str(state->writer, QUEUE_REC_FROM, sender);
}

void cleanup_envelope_attr(struct cleanup_state *state, const char *name, const char *value)
{
	if (*name == 0 || strchr(name, '=') != NULL || state->part != CLEANUP_PART_ENVELOPE) {
		msg_warn("%s: bad attribute record", state->queue_id);
		cleanup_fail(state, CLEANUP_STAT_BAD);
		return;
	}
	queue_file_printf(state->writer, QUEUE_REC_ATTR, "%s=%s", name, value);
}

/*
 * True when the (recipient, orcpt) pair was seen before; remembers up to
 * duplicate_filter_limit pairs, as Postfix's filter does.
 */
static bool cleanup_envelope_duplicate(struct cleanup_state *state, const char *recipient,
                                       const char *orcpt)
{
	struct strbuf *key = strbuf_new(STRBUF_UNLIMITED);
	bool seen = false;

	strbuf_printf(key, "%s\n%s", orcpt ? orcpt : "", recipient);
	for (size_t i = 0; !seen && i < state->rcpt_seen->count; i++)
		seen = strcmp(state->rcpt_seen->items[i], key->data) == 0;
	if (!seen && state->rcpt_seen->count < (size_t)var_duplicate_filter_limit)
		argv_add(state->rcpt_seen, key->data);
	strbuf_free(&key);
	return seen;
}

/* Writes one recipient's records unless it is a duplicate. */
static void cleanup_envelope_write_recipient(struct cleanup_state *state, const char *recipient,
                                             const char *orcpt, long notify)
{
	if (cleanup_envelope_duplicate(state, recipient, orcpt))
		return;
	if (orcpt != NULL)
		queue_file_put_str(state->writer, QUEUE_REC_DSN_ORCPT, orcpt);
	if (notify != 0)
		queue_file_printf(state->writer, QUEUE_REC_DSN_NOTIFY, "%ld", notify);
	queue_file_put_str(state->writer, QUEUE_REC_ORCP, recipient);
	queue_file_put_str(state->writer, QUEUE_REC_RCPT, recipient);
	state->rcpt_count++;
}

void cleanup_envelope_recipient(struct cleanup_state *state, const char *recipient,
                                const char *orcpt, long notify)
{
	if (state->part != CLEANUP_PART_ENVELOPE) {
		msg_warn("%s: unexpected recipient record", state->queue_id);
		cleanup_fail(state, CLEANUP_STAT_BAD);
		return;
	}
	cleanup_envelope_write_recipient(state, recipient, orcpt, notify);
}

void cleanup_envelope_extracted(struct cleanup_state *state, const char *recipient)
{
	cleanup_envelope_write_recipient(state, recipient, NULL, 0);
}
