/*
 * header_addr - a one-pass scanner over an address list.  It keeps two
 * buffers per mailbox, the text outside angle brackets and the text
 * inside them; at a separator the angle text wins when there was one.
 */
#include <stdbool.h>
#include <string.h>

#include "mail/header_addr.h"
#include "util/strbuf.h"

struct header_addr_scan {
	struct strbuf *plain; /* outside <>, without comments and white space */
	struct strbuf *angle; /* inside <> */
	bool had_angle;
	int in_angle;
	int comment; /* nesting depth */
	bool quote;
	struct argv *out;
	size_t added;
	size_t max;
};

/* Ends one mailbox: appends its address, if any, and resets the buffers. */
static void header_addr_emit(struct header_addr_scan *scan)
{
	struct strbuf *addr = scan->had_angle ? scan->angle : scan->plain;
	const char *text = addr->data;
	const char *colon;

	if (scan->had_angle && text[0] == '@' && (colon = strchr(text, ':')) != NULL)
		text = colon + 1;
	if (*text && scan->added < scan->max) {
		argv_add(scan->out, text);
		scan->added++;
	}
	strbuf_reset(scan->plain);
	strbuf_reset(scan->angle);
	scan->had_angle = false;
	scan->in_angle = 0;
}

/* Adds one address character to the buffer of the current context. */
static void header_addr_keep(struct header_addr_scan *scan, char ch)
{
	strbuf_append_char(scan->in_angle ? scan->angle : scan->plain, ch);
}

/* Handles one character outside quotes and comments. */
static void header_addr_special(struct header_addr_scan *scan, char ch)
{
	switch (ch) {
	case '"':
		scan->quote = true;
		break;
	case '(':
		scan->comment = 1;
		break;
	case '<':
		scan->in_angle = 1;
		scan->had_angle = true;
		strbuf_reset(scan->angle);
		break;
	case '>':
		scan->in_angle = 0;
		break;
	case ',':
	case ';':
		if (!scan->in_angle || ch == ';')
			header_addr_emit(scan);
		else
			header_addr_keep(scan, ch);
		break;
	case ':':
		if (scan->in_angle)
			header_addr_keep(scan, ch);
		else
			strbuf_reset(scan->plain); /* a group's display name */
		break;
	case ' ':
	case '\t':
	case '\r':
	case '\n':
		break;
	default:
		header_addr_keep(scan, ch);
		break;
	}
}

size_t header_addr_list(const char *value, size_t len, size_t max, struct argv *out)
{
	struct header_addr_scan scan = {
	    .plain = strbuf_new(len + 1), .angle = strbuf_new(len + 1), .out = out, .max = max};

	for (size_t i = 0; i < len; i++) {
		char ch = value[i];

		if (ch == 0)
			continue;
		if (scan.quote) {
			if (ch == '\\' && i + 1 < len)
				header_addr_keep(&scan, value[++i]);
			else if (ch == '"')
				scan.quote = false;
			else
				header_addr_keep(&scan, ch);
		} else if (scan.comment > 0) {
			if (ch == '\\')
				i++;
			else if (ch == '(')
				scan.comment++;
			else if (ch == ')')
				scan.comment--;
		} else {
			header_addr_special(&scan, ch);
		}
	}
	header_addr_emit(&scan);
	strbuf_free(&scan.plain);
	strbuf_free(&scan.angle);
	return scan.added;
}
