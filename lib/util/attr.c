/*
 * attr - netstring attribute lists.  One byte-at-a-time state machine
 * parses every list, whether the bytes come from a blocking stream or
 * from an event loop in arbitrary chunks, so both paths share one set of
 * limit checks.  A declared length is checked against the limits while
 * its digits arrive and the payload is allocated only once the length is
 * known to be acceptable.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/attr.h"
#include "util/msg.h"

#define ATTR_ERROR_MAX 200
#define ATTR_TRACE_VALUE 40

const struct attr_limits attr_default_limits = {
    .value_max = ATTR_VALUE_MAX_DEFAULT,
    .list_max = ATTR_LIST_MAX_DEFAULT,
    .count_max = ATTR_COUNT_MAX_DEFAULT,
};

struct attr {
	char *name;  /* the payload, '=' replaced by NUL; owns the memory */
	char *value; /* inside the payload, NUL-terminated after value_len */
	size_t value_len;
};

struct attr_list {
	struct attr *attrs;
	size_t count;
	size_t capacity;
};

enum attr_state {
	ATTR_ST_LEN_FIRST, /* the first length digit of a netstring */
	ATTR_ST_ZERO,      /* "0" seen: only ":," may follow, ending the list */
	ATTR_ST_END_COMMA, /* "0:" seen */
	ATTR_ST_LEN,       /* more length digits or ':' */
	ATTR_ST_PAYLOAD,
	ATTR_ST_COMMA, /* the ',' after a payload */
	ATTR_ST_FAILED,
};

struct attr_parser {
	struct attr_limits limits;
	enum attr_state state;
	struct attr_list *list; /* the list being built */
	size_t list_bytes;      /* bytes of the current list so far */
	size_t len;             /* declared payload length */
	char *payload;
	size_t got;      /* payload bytes received */
	size_t name_len; /* valid only once has_eq */
	bool has_eq;
	char error[ATTR_ERROR_MAX];
};

static char attr_error[ATTR_ERROR_MAX];
static struct strbuf *attr_trace_buf;

/* Sets a static error text and returns it. */
static const char *attr_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *attr_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(attr_error, sizeof(attr_error), fmt, ap);
	va_end(ap);
	return attr_error;
}

/* Appends a peer's bytes for a log: printable, escaped, shortened. */
static void attr_quote(struct strbuf *out, const char *data, size_t len)
{
	size_t show = len < ATTR_TRACE_VALUE ? len : ATTR_TRACE_VALUE;

	for (size_t i = 0; i < show; i++) {
		unsigned char ch = (unsigned char)data[i];

		if (isprint(ch) && ch != '\\')
			strbuf_append_char(out, (char)ch);
		else
			strbuf_printf(out, "\\x%02x", ch);
	}
	if (show < len)
		strbuf_append_str(out, "...");
}

/* With msg_verbose, remembers one attribute for the trace of its list. */
static void attr_trace_add(const char *name, const char *value, size_t len)
{
	if (!msg_verbose)
		return;
	if (attr_trace_buf == NULL)
		attr_trace_buf = strbuf_new(STRBUF_UNLIMITED);
	strbuf_printf(attr_trace_buf, " %s=", name);
	attr_quote(attr_trace_buf, value, len);
}

/* With msg_verbose, logs the remembered attributes as one list. */
static void attr_trace_end(const char *label)
{
	if (!msg_verbose)
		return;
	msg_info("attr: %s:%s", label, attr_trace_buf ? strbuf_str(attr_trace_buf) : "");
	if (attr_trace_buf)
		strbuf_reset(attr_trace_buf);
}

static void attr_trace_list(const char *label, const struct attr_list *list)
{
	if (!msg_verbose)
		return;
	for (size_t i = 0; i < list->count; i++)
		attr_trace_add(list->attrs[i].name, list->attrs[i].value, list->attrs[i].value_len);
	attr_trace_end(label);
}

static bool attr_name_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Our own names must be valid; a bad one is a programming error. */
static size_t attr_check_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > ATTR_NAME_MAX)
		msg_panic("attr: bad attribute name length %zu", len);
	for (size_t i = 0; i < len; i++)
		if (!attr_name_char((unsigned char)name[i]))
			msg_panic("attr: bad attribute name \"%s\"", name);
	return len;
}

bool attr_append_data(struct strbuf *buf, const char *name, const void *data, size_t len)
{
	size_t mark = strbuf_len(buf);
	size_t payload = attr_check_name(name) + 1 + len;

	if (!strbuf_printf(buf, "%zu:%s=", payload, name) || !strbuf_append(buf, data, len) ||
	    !strbuf_append_char(buf, ',')) {
		strbuf_truncate(buf, mark);
		return false;
	}
	attr_trace_add(name, data, len);
	return true;
}

bool attr_append_str(struct strbuf *buf, const char *name, const char *value)
{
	return attr_append_data(buf, name, value, strlen(value));
}

bool attr_append_long(struct strbuf *buf, const char *name, long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld", value);
	return attr_append_str(buf, name, text);
}

bool attr_append_end(struct strbuf *buf)
{
	if (!strbuf_append(buf, "0:,", 3))
		return false;
	attr_trace_end("append");
	return true;
}

bool attr_write_data(struct stream *stream, const char *name, const void *data, size_t len)
{
	size_t payload = attr_check_name(name) + 1 + len;

	attr_trace_add(name, data, len);
	return stream_printf(stream, "%zu:%s=", payload, name) && stream_write(stream, data, len) &&
	       stream_write(stream, ",", 1);
}

bool attr_write_str(struct stream *stream, const char *name, const char *value)
{
	return attr_write_data(stream, name, value, strlen(value));
}

bool attr_write_long(struct stream *stream, const char *name, long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld", value);
	return attr_write_str(stream, name, text);
}

bool attr_write_end(struct stream *stream)
{
	char label[32];

	snprintf(label, sizeof(label), "write fd %d", stream_fd(stream));
	attr_trace_end(label);
	return stream_write(stream, "0:,", 3);
}

void attr_list_free(struct attr_list **list)
{
	if (*list == NULL)
		return;
	for (size_t i = 0; i < (*list)->count; i++)
		free((*list)->attrs[i].name);
	free((*list)->attrs);
	free(*list);
	*list = NULL;
}

size_t attr_list_count(const struct attr_list *list)
{
	return list->count;
}

static const struct attr *attr_find(const struct attr_list *list, const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->attrs[i].name, name) == 0)
			return &list->attrs[i];
	return NULL;
}

const char *attr_get_str(const struct attr_list *list, const char *name)
{
	const struct attr *attr = attr_find(list, name);

	if (attr == NULL || memchr(attr->value, 0, attr->value_len) != NULL)
		return NULL;
	return attr->value;
}

bool attr_get_data(const struct attr_list *list, const char *name, const void **data_r,
                   size_t *len_r)
{
	const struct attr *attr = attr_find(list, name);

	if (attr == NULL)
		return false;
	*data_r = attr->value;
	*len_r = attr->value_len;
	return true;
}

/* Strict decimal: optional '-', at least one digit, nothing else. */
static bool attr_parse_long(const struct attr *attr, long *value_r)
{
	const char *digits = attr->value[0] == '-' ? attr->value + 1 : attr->value;
	char *end;

	if (!isdigit((unsigned char)digits[0]))
		return false;
	errno = 0;
	*value_r = strtol(attr->value, &end, 10);
	return errno == 0 && end == attr->value + attr->value_len;
}

bool attr_get_long(const struct attr_list *list, const char *name, long min, long max,
                   long *value_r)
{
	const struct attr *attr = attr_find(list, name);
	long value;

	if (attr == NULL || !attr_parse_long(attr, &value) || value < min || value > max)
		return false;
	*value_r = value;
	return true;
}

/* Checks one present attribute against its spec entry. */
static bool attr_check_one(const struct attr *attr, const struct attr_spec *spec,
                           const char **error_r)
{
	struct strbuf *shown;
	long value;

	if (spec->type == ATTR_TYPE_DATA)
		return true;
	if (memchr(attr->value, 0, attr->value_len) != NULL) {
		*error_r = attr_set_error("attribute %s contains a null byte", spec->name);
		return false;
	}
	if (spec->type == ATTR_TYPE_STR)
		return true;
	if (attr_parse_long(attr, &value) && value >= spec->min && value <= spec->max)
		return true;
	shown = strbuf_new(STRBUF_UNLIMITED);
	attr_quote(shown, attr->value, attr->value_len);
	*error_r = attr_set_error("attribute %s: \"%s\" is not a number in %ld..%ld", spec->name,
	                          strbuf_str(shown), spec->min, spec->max);
	strbuf_free(&shown);
	return false;
}

bool attr_check(const struct attr_list *list, const struct attr_spec *spec, const char **error_r)
{
	for (; spec->name != NULL; spec++) {
		const struct attr *attr = attr_find(list, spec->name);

		if (attr == NULL) {
			if (spec->optional)
				continue;
			*error_r = attr_set_error("missing attribute %s", spec->name);
			return false;
		}
		if (!attr_check_one(attr, spec, error_r))
			return false;
	}
	return true;
}

struct attr_parser *attr_parser_new(const struct attr_limits *limits)
{
	struct attr_parser *parser = xcalloc(1, sizeof(*parser));

	parser->limits = limits ? *limits : attr_default_limits;
	parser->state = ATTR_ST_LEN_FIRST;
	return parser;
}

void attr_parser_free(struct attr_parser **parser)
{
	if (*parser == NULL)
		return;
	free((*parser)->payload);
	attr_list_free(&(*parser)->list);
	free(*parser);
	*parser = NULL;
}

bool attr_parser_idle(const struct attr_parser *parser)
{
	return parser->state == ATTR_ST_LEN_FIRST && parser->list_bytes == 0;
}

/* Puts the parser in its failed state with an error; returns false. */
static bool attr_fail(struct attr_parser *parser, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool attr_fail(struct attr_parser *parser, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(parser->error, sizeof(parser->error), "malformed attribute list: ");
	vsnprintf(parser->error + n, sizeof(parser->error) - (size_t)n, fmt, ap);
	va_end(ap);
	parser->state = ATTR_ST_FAILED;
	return false;
}

/* The longest payload the limits allow: a maximal name, '=', a maximal value. */
static size_t attr_payload_max(const struct attr_parser *parser)
{
	size_t fixed = ATTR_NAME_MAX + 1;

	if (parser->limits.value_max > (size_t)-1 / 2 - fixed)
		return (size_t)-1 / 2;
	return parser->limits.value_max + fixed;
}

/* One length digit; refuses a length beyond the limits before it grows. */
static bool attr_length_digit(struct attr_parser *parser, int digit)
{
	size_t max = attr_payload_max(parser);

	if (parser->len > (max - (size_t)digit) / 10)
		return attr_fail(parser, "attribute length exceeds the limit of %zu bytes", max);
	parser->len = parser->len * 10 + (size_t)digit;
	return true;
}

/* The ':' after a length: the last checks before the payload is allocated. */
static bool attr_start_payload(struct attr_parser *parser)
{
	if (parser->list->count >= parser->limits.count_max)
		return attr_fail(parser, "more than %zu attributes", parser->limits.count_max);
	/* The ':' and ',' around the payload count too. */
	if (parser->len + 2 > parser->limits.list_max - parser->list_bytes)
		return attr_fail(parser, "list exceeds the limit of %zu bytes",
		                 parser->limits.list_max);
	parser->payload = xmalloc(parser->len + 1);
	parser->got = 0;
	parser->has_eq = false;
	parser->state = ATTR_ST_PAYLOAD;
	return true;
}

/* Validates name bytes as they arrive, so a bad name fails early. */
static bool attr_payload_byte(struct attr_parser *parser, char ch)
{
	size_t at = parser->got;

	parser->payload[parser->got++] = ch;
	if (parser->has_eq)
		return true;
	if (ch == '=') {
		if (at == 0)
			return attr_fail(parser, "empty attribute name");
		parser->has_eq = true;
		parser->name_len = at;
		if (parser->len - at - 1 > parser->limits.value_max)
			return attr_fail(parser, "value of %.*s exceeds the limit of %zu bytes",
			                 (int)at, parser->payload, parser->limits.value_max);
		return true;
	}
	if (!attr_name_char((unsigned char)ch))
		return attr_fail(parser, "bad character 0x%02x in attribute name",
		                 (unsigned char)ch);
	if (at >= ATTR_NAME_MAX)
		return attr_fail(parser, "attribute name longer than %d bytes", ATTR_NAME_MAX);
	return true;
}

/* The ',' after a payload: the attribute joins the list. */
static bool attr_finish_attr(struct attr_parser *parser)
{
	struct attr_list *list = parser->list;
	struct attr *attr;

	if (!parser->has_eq)
		return attr_fail(parser, "attribute without '='");
	parser->payload[parser->name_len] = 0;
	parser->payload[parser->len] = 0;
	if (attr_find(list, parser->payload) != NULL)
		return attr_fail(parser, "duplicate attribute %s", parser->payload);
	if (list->count == list->capacity) {
		list->capacity = list->capacity ? list->capacity * 2 : 8;
		list->attrs = xreallocarray(list->attrs, list->capacity, sizeof(*list->attrs));
	}
	attr = &list->attrs[list->count++];
	attr->name = parser->payload;
	attr->value = parser->payload + parser->name_len + 1;
	attr->value_len = parser->len - parser->name_len - 1;
	parser->payload = NULL;
	parser->len = 0;
	parser->state = ATTR_ST_LEN_FIRST;
	return true;
}

/* Advances the state machine by one framing byte (not payload). */
static bool attr_framing_byte(struct attr_parser *parser, char ch)
{
	bool digit = ch >= '0' && ch <= '9';

	switch (parser->state) {
	case ATTR_ST_LEN_FIRST:
		if (ch == '0') {
			parser->state = ATTR_ST_ZERO;
			return true;
		}
		if (!digit)
			return attr_fail(parser, "bad character 0x%02x where a length should start",
			                 (unsigned char)ch);
		parser->len = 0;
		parser->state = ATTR_ST_LEN;
		return attr_length_digit(parser, ch - '0');
	case ATTR_ST_ZERO:
		if (ch != ':')
			return attr_fail(parser, digit ? "length with a leading zero"
			                               : "missing ':' after length");
		parser->state = ATTR_ST_END_COMMA;
		return true;
	case ATTR_ST_END_COMMA:
	case ATTR_ST_COMMA:
		if (ch != ',')
			return attr_fail(parser, "missing ',' after netstring");
		return parser->state == ATTR_ST_COMMA ? attr_finish_attr(parser) : true;
	case ATTR_ST_LEN:
		if (digit)
			return attr_length_digit(parser, ch - '0');
		if (ch != ':')
			return attr_fail(parser, "missing ':' after length");
		return attr_start_payload(parser);
	default:
		msg_panic("attr: framing byte in parser state %d", (int)parser->state);
	}
}

/* Takes payload bytes in bulk; name bytes one at a time. */
static size_t attr_payload_bytes(struct attr_parser *parser, const char *data, size_t len)
{
	size_t want = parser->len - parser->got;
	size_t used = 0;

	while (used < len && used < want && !parser->has_eq)
		if (!attr_payload_byte(parser, data[used++]))
			return used;
	if (parser->has_eq) {
		size_t bulk = len - used < want - used ? len - used : want - used;

		memcpy(parser->payload + parser->got, data + used, bulk);
		parser->got += bulk;
		used += bulk;
	}
	if (parser->got == parser->len)
		parser->state = ATTR_ST_COMMA;
	return used;
}

ssize_t attr_parser_feed(struct attr_parser *parser, const void *data, size_t len,
                         struct attr_list **list_r, const char **error_r)
{
	const char *bytes = data;
	size_t used = 0;

	*list_r = NULL;
	while (used < len && parser->state != ATTR_ST_FAILED) {
		bool ended = parser->state == ATTR_ST_END_COMMA;
		size_t step = 1;

		if (parser->list == NULL)
			parser->list = xcalloc(1, sizeof(*parser->list));
		if (parser->state == ATTR_ST_PAYLOAD)
			step = attr_payload_bytes(parser, bytes + used, len - used);
		else if (!attr_framing_byte(parser, bytes[used]))
			break;
		used += step;
		if (parser->list_bytes > parser->limits.list_max - step) {
			attr_fail(parser, "list exceeds the limit of %zu bytes",
			          parser->limits.list_max);
			break;
		}
		parser->list_bytes += step;
		if (ended) {
			*list_r = parser->list;
			parser->list = NULL;
			parser->list_bytes = 0;
			parser->state = ATTR_ST_LEN_FIRST;
			attr_trace_list("parsed", *list_r);
			return (ssize_t)used;
		}
	}
	if (parser->state == ATTR_ST_FAILED) {
		*error_r = parser->error;
		return -1;
	}
	return (ssize_t)used;
}

enum attr_read_status attr_read(struct stream *stream, const struct attr_limits *limits,
                                struct attr_list **list_r, const char **error_r)
{
	struct attr_parser *parser = attr_parser_new(limits);
	enum attr_read_status status = ATTR_READ_ERROR;
	const char *data;
	const char *error;
	size_t avail;
	ssize_t used;

	*list_r = NULL;
	while (*list_r == NULL) {
		if ((avail = stream_peek(stream, &data)) == 0) {
			if (stream_error(stream) == STREAM_ERR_EOF && attr_parser_idle(parser))
				status = ATTR_READ_EOF;
			else
				*error_r = attr_set_error("%s while reading an attribute list",
				                          stream_err_text(stream_error(stream)));
			break;
		}
		if ((used = attr_parser_feed(parser, data, avail, list_r, &error)) < 0) {
			*error_r = attr_set_error("%s", error);
			break;
		}
		stream_skip(stream, (size_t)used);
	}
	attr_parser_free(&parser);
	if (*list_r != NULL)
		status = ATTR_READ_OK;
	return status;
}

bool attr_send_protocol(struct stream *stream, const char *service)
{
	return attr_write_str(stream, "protocol", service) && attr_write_end(stream) &&
	       stream_flush(stream);
}

bool attr_expect_protocol(struct stream *stream, const char *service, const char **error_r)
{
	static const struct attr_spec spec[] = {{.name = "protocol", .type = ATTR_TYPE_STR}, {0}};
	struct attr_list *list;
	const char *offered;
	struct strbuf *shown;

	switch (attr_read(stream, NULL, &list, error_r)) {
	case ATTR_READ_ERROR:
		return false;
	case ATTR_READ_EOF:
		*error_r = attr_set_error("connection closed before the protocol greeting");
		return false;
	default:
		break;
	}
	if (!attr_check(list, spec, error_r)) {
		attr_list_free(&list);
		return false;
	}
	offered = attr_get_str(list, "protocol");
	if (strcmp(offered, service) != 0) {
		shown = strbuf_new(STRBUF_UNLIMITED);
		attr_quote(shown, offered, strlen(offered));
		*error_r = attr_set_error("protocol mismatch: want \"%s\", server speaks \"%s\"",
		                          service, strbuf_str(shown));
		strbuf_free(&shown);
		attr_list_free(&list);
		return false;
	}
	attr_list_free(&list);
	return true;
}
