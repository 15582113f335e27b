/*
 * postcat_print - prints one queue file in Postfix's postcat layout:
 * envelope records as "name: value", content lines as they are (partial
 * records joined into one line unless -o gives every record its own
 * line), and a banner at each segment.  Headers (-h) end at the first
 * line that is neither a header nor a folded continuation; the body (-b)
 * starts there.  Postfix classifies each partial record on its own; this
 * printer classifies lines, so a long header stays a header.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail/queue_file.h"
#include "postcat.h"
#include "util/msg.h"
#include "util/strbuf.h"

enum postcat_segment { POSTCAT_SEG_ENVELOPE, POSTCAT_SEG_CONTENT, POSTCAT_SEG_EXTRACTED };

struct postcat_state {
	const char *name;
	int flags;
	FILE *out;
	enum postcat_segment segment;
	bool in_headers;  /* content: still in the message headers */
	bool line_start;  /* content: the next record starts a line */
	bool line_shown;  /* content: the current line is printed */
	bool seen_header; /* content: a header line was seen */
};

/* The prefixes -o and -d ask for. */
static void postcat_prefix(struct postcat_state *st, int type, off_t offset)
{
	if (st->flags & POSTCAT_OFFSET)
		fprintf(st->out, "%9lld ", (long long)offset);
	if (st->flags & POSTCAT_TYPE)
		fprintf(st->out, "%3d ", type);
}

static void postcat_time(struct postcat_state *st, const char *label, const char *payload)
{
	time_t when = (time_t)strtoll(payload, NULL, 10);
	char text[64];

	strftime(text, sizeof(text), "%a %b %e %H:%M:%S %Y", localtime(&when));
	fprintf(st->out, "%s: %s\n", label, text);
}

/* An envelope or extracted-segment record. */
static void postcat_envelope(struct postcat_state *st, int type, const struct strbuf *payload,
                             off_t offset)
{
	const char *name = queue_file_type_name(type);

	if (!(st->flags & POSTCAT_ENVELOPE))
		return;
	postcat_prefix(st, type, offset);
	if (type == QUEUE_REC_TIME)
		postcat_time(st, name, payload->data);
	else if (type == QUEUE_REC_ATTR && strncmp(payload->data, "create_time=", 12) == 0)
		postcat_time(st, "create_time", payload->data + 12);
	else
		fprintf(st->out, "%s: %.*s\n", name, (int)payload->len, payload->data);
}

/* True when a line starts with a header name and a colon. */
static bool postcat_is_header(const char *data, size_t len)
{
	size_t i = 0;

	while (i < len && data[i] > ' ' && data[i] < 127 && data[i] != ':')
		i++;
	if (i == 0)
		return false;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	return i < len && data[i] == ':';
}

/* A content record: decides at each line start whether it is header or body. */
static void postcat_content(struct postcat_state *st, int type, const struct strbuf *payload,
                            off_t offset)
{
	bool partial = type == QUEUE_REC_CONT;

	if (st->line_start && st->in_headers) {
		bool folded =
		    payload->len > 0 && (payload->data[0] == ' ' || payload->data[0] == '\t');

		if (postcat_is_header(payload->data, payload->len) || (folded && st->seen_header))
			st->seen_header = true;
		else
			st->in_headers = false;
	}
	if (st->line_start)
		st->line_shown = st->flags & (st->in_headers ? POSTCAT_HEADERS : POSTCAT_BODY);
	if (st->line_shown) {
		if (st->line_start || (st->flags & (POSTCAT_OFFSET | POSTCAT_TYPE)))
			postcat_prefix(st, type, offset);
		fwrite(payload->data, 1, payload->len, st->out);
		if (!partial || (st->flags & POSTCAT_OFFSET))
			fputc('\n', st->out);
	}
	st->line_start = !partial;
}

/* A segment banner, shown with the envelope. */
static void postcat_banner(struct postcat_state *st, int type, off_t offset, const char *what)
{
	if (!(st->flags & POSTCAT_ENVELOPE))
		return;
	postcat_prefix(st, type, offset);
	fprintf(st->out, "*** %s %s ***\n", what, st->name);
}

/* One record; false when it does not belong where it is. */
static bool postcat_record(struct postcat_state *st, int type, const struct strbuf *payload,
                           off_t offset)
{
	if (type == QUEUE_REC_MESG && st->segment == POSTCAT_SEG_ENVELOPE) {
		st->segment = POSTCAT_SEG_CONTENT;
		postcat_banner(st, type, offset, "MESSAGE CONTENTS");
	} else if (type == QUEUE_REC_XTRA && st->segment == POSTCAT_SEG_CONTENT) {
		if (!st->line_start && st->line_shown && !(st->flags & POSTCAT_OFFSET))
			fputc('\n', st->out);
		st->segment = POSTCAT_SEG_EXTRACTED;
		postcat_banner(st, type, offset, "HEADER EXTRACTED");
	} else if (st->segment == POSTCAT_SEG_CONTENT &&
	           (type == QUEUE_REC_NORM || type == QUEUE_REC_CONT)) {
		postcat_content(st, type, payload, offset);
	} else if (st->segment != POSTCAT_SEG_CONTENT && queue_file_type_name(type) != NULL) {
		postcat_envelope(st, type, payload, offset);
	} else {
		return false;
	}
	return true;
}

bool postcat_print(int fd, const char *name, int flags, FILE *out)
{
	struct queue_file_reader *reader = queue_file_reader_new(fd, POSTCAT_RECORD_MAX);
	struct strbuf *payload = strbuf_new(POSTCAT_RECORD_MAX);
	struct postcat_state st = {
	    .name = name, .flags = flags, .out = out, .in_headers = true, .line_start = true};
	const char *error = NULL;
	off_t offset = 0;
	int type;
	enum queue_file_read_status status;

	if (flags & POSTCAT_ENVELOPE)
		fprintf(out, "*** ENVELOPE RECORDS %s ***\n", name); /* no record, no prefix */
	while ((status = queue_file_read(reader, &type, payload, &offset, &error)) ==
	       QUEUE_FILE_READ_OK) {
		if (offset == 0 && type != QUEUE_REC_SIZE) {
			error = "input is not a valid queue file";
			break;
		}
		if (type == QUEUE_REC_END) {
			postcat_banner(&st, type, offset, "MESSAGE FILE END");
			break;
		}
		if (!postcat_record(&st, type, payload, offset)) {
			error = "record out of place";
			break;
		}
	}
	if (status == QUEUE_FILE_READ_EOF)
		error = "unexpected end of file: no end record";
	if (error)
		msg_warn("%s: %s at offset %lld", name, error, (long long)offset);
	fflush(out);
	strbuf_free(&payload);
	queue_file_reader_free(&reader);
	return error == NULL;
}
