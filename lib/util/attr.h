/*
 * attr - the netstring attribute lists that every postern service speaks
 * (DESIGN section 3).  An attribute is one netstring whose payload is
 * name=value, for example "19:queue_id=4C6E82A0C1,"; the value is binary
 * safe.  The empty netstring "0:," ends a list.
 *
 * Readers check every limit before allocating: names match
 * [a-z0-9_]{1,64}; a value, a whole list and the attribute count are
 * bounded by struct attr_limits.  Length digits have no leading zeros and
 * no sign.  A malformed list is reported through error_r, never fatal.
 *
 * Duplicates: a list that names the same attribute twice is malformed, so
 * no two readers can disagree about which value counts.  A protocol that
 * needs repetition sends one list per item (or nests an encoded list as a
 * binary value).  Unknown names are kept and ignored by attr_check(), so
 * a newer peer can add attributes without breaking an older one.
 *
 * With msg_verbose set, every list read or written is logged with its
 * names and shortened values.
 *
 * Error strings returned through error_r live in a static buffer, valid
 * until the next attr call that fails; the incremental parser's errors
 * live in the parser.
 */
#ifndef POSTERN_UTIL_ATTR_H
#define POSTERN_UTIL_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"
#include "util/stream.h"

/* The longest attribute name. */
#define ATTR_NAME_MAX 64

/* Bounds for a reader; the defaults are STYLE.md's IPC limits. */
struct attr_limits {
	size_t value_max; /* longest value in bytes */
	size_t list_max;  /* longest list in bytes, netstring framing included */
	size_t count_max; /* most attributes in one list */
};

#define ATTR_VALUE_MAX_DEFAULT (64 * 1024)
#define ATTR_LIST_MAX_DEFAULT (1024 * 1024)
#define ATTR_COUNT_MAX_DEFAULT 1024

/* The default limits, used where a function takes NULL for limits. */
extern const struct attr_limits attr_default_limits;

/*
 * Writing into a strbuf (for event-loop daemons that send later).  These
 * return false, leaving the buffer unchanged, when it would exceed its
 * limit.  A name that is not [a-z0-9_]{1,64} is a bug (panic).
 */
bool attr_append_str(struct strbuf *buf, const char *name, const char *value);
bool attr_append_long(struct strbuf *buf, const char *name, long value);
bool attr_append_data(struct strbuf *buf, const char *name, const void *data, size_t len);
/* Ends the list (and logs it with msg_verbose). */
bool attr_append_end(struct strbuf *buf);

/*
 * Writing to a stream; the output is buffered, so flush after
 * attr_write_end().  False once the stream has an error.
 */
bool attr_write_str(struct stream *stream, const char *name, const char *value);
bool attr_write_long(struct stream *stream, const char *name, long value);
bool attr_write_data(struct stream *stream, const char *name, const void *data, size_t len);
bool attr_write_end(struct stream *stream);

/* A parsed list; values are kept in arrival order. */
struct attr_list;

void attr_list_free(struct attr_list **list);

/* How many attributes the list holds (unknown ones included). */
size_t attr_list_count(const struct attr_list *list);

/* The value as a C string; NULL when absent or when it contains a NUL. */
const char *attr_get_str(const struct attr_list *list, const char *name);

/* The value as bytes; false when absent. */
bool attr_get_data(const struct attr_list *list, const char *name, const void **data_r,
                   size_t *len_r);

/*
 * The value as a decimal number in min..max (an optional '-', digits, no
 * spaces or '+'); false when absent, malformed or out of range.
 */
bool attr_get_long(const struct attr_list *list, const char *name, long min, long max,
                   long *value_r);

/* How attr_check() wants an attribute. */
enum attr_type {
	ATTR_TYPE_STR,  /* text without NUL bytes */
	ATTR_TYPE_DATA, /* any bytes */
	ATTR_TYPE_LONG, /* a decimal number in min..max */
};

struct attr_spec {
	const char *name; /* NULL ends a spec table */
	enum attr_type type;
	bool optional;
	long min; /* ATTR_TYPE_LONG only */
	long max;
};

/*
 * Checks a received message against its spec table (ended by a NULL
 * name): every required attribute is present and each present one has
 * its type.  Returns false with one error naming the attribute.
 */
bool attr_check(const struct attr_list *list, const struct attr_spec *spec, const char **error_r);

/* The outcome of attr_read(). */
enum attr_read_status {
	ATTR_READ_ERROR = -1, /* malformed, timeout, I/O error or EOF inside a list */
	ATTR_READ_EOF = 0,    /* the peer closed between lists */
	ATTR_READ_OK = 1,
};

/*
 * Reads one list from a blocking stream (bounded by its timeout), never
 * consuming input past the list's end.  On ATTR_READ_OK *list_r is set.
 * limits NULL means attr_default_limits.
 */
enum attr_read_status attr_read(struct stream *stream, const struct attr_limits *limits,
                                struct attr_list **list_r, const char **error_r);

/* The incremental parser for event-loop daemons. */
struct attr_parser;

/* A parser for a sequence of lists; limits NULL means the defaults. */
struct attr_parser *attr_parser_new(const struct attr_limits *limits);
void attr_parser_free(struct attr_parser **parser);

/*
 * Consumes bytes up to the end of the next complete list and returns how
 * many it took; *list_r is set (caller frees) when a list completed, NULL
 * when all len bytes were taken and more are needed.  Call again with the
 * rest of the data for pipelined lists.  Returns -1 with error_r on
 * malformed input; the parser then refuses everything.
 */
ssize_t attr_parser_feed(struct attr_parser *parser, const void *data, size_t len,
                         struct attr_list **list_r, const char **error_r);

/* True when the parser is between lists (EOF here is a clean close). */
bool attr_parser_idle(const struct attr_parser *parser);

/* The server's greeting: a list holding only protocol=service, flushed. */
bool attr_send_protocol(struct stream *stream, const char *service);

/*
 * Reads the greeting and refuses anything but protocol=service; the
 * error names both the wanted and the offered protocol.
 */
bool attr_expect_protocol(struct stream *stream, const char *service, const char **error_r);

#endif
