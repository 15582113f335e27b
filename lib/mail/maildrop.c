/*
 * maildrop - the maildrop record order as a small state machine.  Input
 * is collected in a bounded buffer only while a record is incomplete, so
 * memory stays below one record whatever the input's size.
 */
#include <stdlib.h>
#include <string.h>

#include "mail/maildrop.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* Where in the layout the parser is. */
enum maildrop_state {
	MAILDROP_TIME,     /* the T record comes next (files only) */
	MAILDROP_ENVELOPE, /* envelope records, up to M */
	MAILDROP_CONTENT,  /* content lines, up to X */
	MAILDROP_EXTRA,    /* after X: only E */
	MAILDROP_DONE,     /* after E: nothing */
	MAILDROP_FAILED,   /* refused input; refuses everything */
};

struct maildrop_parser {
	enum maildrop_state state;
	bool have_sender;
	bool partial;         /* the last content record was an L piece */
	struct strbuf *input; /* an incomplete record */
};

struct maildrop_parser *maildrop_parser_new(enum maildrop_source source)
{
	struct maildrop_parser *parser = xmalloc(sizeof(*parser));

	parser->state = source == MAILDROP_FROM_FILE ? MAILDROP_TIME : MAILDROP_ENVELOPE;
	parser->have_sender = false;
	parser->partial = false;
	parser->input = strbuf_new(MAILDROP_RECORD_MAX + 1 + QUEUE_FILE_LEN_BYTES);
	return parser;
}

void maildrop_parser_free(struct maildrop_parser **parser)
{
	if (*parser == NULL)
		return;
	strbuf_free(&(*parser)->input);
	free(*parser);
	*parser = NULL;
}

/* True for "SECONDS USECONDS" with 1..19 and 1..6 digits. */
static bool maildrop_time_ok(const char *data, size_t len)
{
	size_t i = 0, digits;

	for (digits = 0; i < len && data[i] >= '0' && data[i] <= '9'; i++)
		digits++;
	if (digits == 0 || digits > 19 || i >= len || data[i++] != ' ')
		return false;
	for (digits = 0; i < len && data[i] >= '0' && data[i] <= '9'; i++)
		digits++;
	return digits > 0 && digits <= 6 && i == len;
}

/* Checks the payload of an envelope record. */
static const char *maildrop_envelope_payload(const struct queue_file_record *rec)
{
	if (memchr(rec->data, 0, rec->len) != NULL)
		return "NUL byte in envelope record";
	if (rec->type == QUEUE_REC_ATTR &&
	    (rec->len == 0 || memchr(rec->data, '=', rec->len) == NULL))
		return "attribute record without name=value";
	return NULL;
}

/* The envelope: everything up to M. */
static const char *maildrop_envelope(struct maildrop_parser *parser,
                                     const struct queue_file_record *rec)
{
	switch (rec->type) {
	case QUEUE_REC_FROM:
		if (parser->have_sender)
			return "more than one sender record";
		parser->have_sender = true;
		return maildrop_envelope_payload(rec);
	case QUEUE_REC_ATTR:
	case QUEUE_REC_FULLNAME:
	case QUEUE_REC_RCPT:
	case QUEUE_REC_DSN_ENVID:
	case QUEUE_REC_DSN_RET:
	case QUEUE_REC_DSN_ORCPT:
	case QUEUE_REC_DSN_NOTIFY:
	case QUEUE_REC_ORCP:
		return maildrop_envelope_payload(rec);
	case QUEUE_REC_MESG:
		if (!parser->have_sender)
			return "no sender record";
		parser->state = MAILDROP_CONTENT;
		return NULL;
	default:
		return "unexpected record type in envelope";
	}
}

/* Moves the state machine over one record; NULL or why it is out of place. */
static const char *maildrop_step(struct maildrop_parser *parser,
                                 const struct queue_file_record *rec)
{
	switch (parser->state) {
	case MAILDROP_TIME:
		if (rec->type != QUEUE_REC_TIME || !maildrop_time_ok(rec->data, rec->len))
			return "file does not start with an arrival time record";
		parser->state = MAILDROP_ENVELOPE;
		return NULL;
	case MAILDROP_ENVELOPE:
		return maildrop_envelope(parser, rec);
	case MAILDROP_CONTENT:
		if (rec->type == QUEUE_REC_NORM || rec->type == QUEUE_REC_CONT) {
			parser->partial = rec->type == QUEUE_REC_CONT;
			return NULL;
		}
		if (rec->type != QUEUE_REC_XTRA || parser->partial)
			return "unexpected record type in message content";
		parser->state = MAILDROP_EXTRA;
		return NULL;
	case MAILDROP_EXTRA:
		if (rec->type != QUEUE_REC_END)
			return "unexpected record type after message content";
		parser->state = MAILDROP_DONE;
		return NULL;
	default:
		return "data after the end record";
	}
}

/* Parses and hands on the complete records at the start of data; returns the bytes used. */
static size_t maildrop_records(struct maildrop_parser *parser, const char *data, size_t len,
                               maildrop_record_fn fn, void *context, const char **error_r)
{
	struct queue_file_record rec;
	size_t done = 0, used;

	while (done < len) {
		if (parser->state == MAILDROP_DONE) {
			*error_r = "data after the end record";
			break;
		}
		switch (queue_file_parse(data + done, len - done, MAILDROP_RECORD_MAX, &rec, &used,
		                         error_r)) {
		case QUEUE_FILE_PARSE_MORE:
			return done;
		case QUEUE_FILE_PARSE_ERROR:
			parser->state = MAILDROP_FAILED;
			return done;
		case QUEUE_FILE_PARSE_OK:
			break;
		}
		if ((*error_r = maildrop_step(parser, &rec)) != NULL || !fn(&rec, context, error_r))
			break;
		done += used;
	}
	if (done < len)
		parser->state = MAILDROP_FAILED;
	return done;
}

/* Marks the parser failed with why; returns false. */
static bool maildrop_fail(struct maildrop_parser *parser, const char *why, const char **error_r)
{
	parser->state = MAILDROP_FAILED;
	*error_r = why;
	return false;
}

bool maildrop_parser_feed(struct maildrop_parser *parser, const void *data, size_t len,
                          maildrop_record_fn fn, void *context, const char **error_r)
{
	const char *bytes = data;
	size_t used, old, fresh;

	if (parser->state == MAILDROP_FAILED)
		return maildrop_fail(parser, "input already refused", error_r);
	/* First complete the record left incomplete by the previous call. */
	while (len > 0 && (old = strbuf_len(parser->input)) > 0) {
		fresh = parser->input->limit - old;
		if (fresh == 0)
			return maildrop_fail(parser, "record too long", error_r);
		fresh = fresh < len ? fresh : len;
		strbuf_append(parser->input, bytes, fresh);
		used = maildrop_records(parser, strbuf_str(parser->input), old + fresh, fn, context,
		                        error_r);
		if (parser->state == MAILDROP_FAILED)
			return false;
		if (used == 0) {
			bytes += fresh;
			len -= fresh;
			continue;
		}
		/* The old bytes were one incomplete record, so used > old. */
		strbuf_reset(parser->input);
		bytes += used - old;
		len -= used - old;
	}
	used = maildrop_records(parser, bytes, len, fn, context, error_r);
	if (parser->state == MAILDROP_FAILED)
		return false;
	if (!strbuf_append(parser->input, bytes + used, len - used))
		return maildrop_fail(parser, "record too long", error_r);
	return true;
}

bool maildrop_parser_finish(const struct maildrop_parser *parser, const char **error_r)
{
	if (parser->state == MAILDROP_DONE && strbuf_len(parser->input) == 0)
		return true;
	*error_r =
	    parser->state == MAILDROP_FAILED ? "input already refused" : "premature end of input";
	return false;
}
