/*
 * maildrop - the layout of a maildrop file and of the stream that
 * sendmail hands to postdrop, and a validating parser for both.
 *
 * Both use the queue file record format (queue_file.h, docs/queue.md)
 * in the order Postfix's sendmail and postdrop write it:
 *
 *   T         arrival time "SECONDS USECONDS"; written by postdrop as
 *             the file's first record, never sent by sendmail
 *   A F S R   envelope: named attributes, full name, exactly one
 *   i < o n O sender, recipients with their DSN records
 *   M         start of content (any payload; Postfix's sendmail sends
 *             an empty one)
 *   N L       content lines; an L piece continues in the next record
 *   X         end of content
 *   E         end of file; nothing may follow
 *
 * Recipients that Postfix's sendmail -t extracts itself would follow X;
 * postern's sendmail instead sends the attribute
 * MAILDROP_ATTR_EXTRACT=yes and cleanup extracts them (and drops Bcc:),
 * so only E may follow X.
 *
 * The bytes come from any local user (postdrop is set-gid and its input
 * is the user's), so nothing is trusted: record lengths are bounded
 * before anything is buffered, text records may not hold NUL bytes, and
 * any record out of place makes the whole input malformed.
 */
#ifndef POSTERN_MAIL_MAILDROP_H
#define POSTERN_MAIL_MAILDROP_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/queue_file.h"

/* The longest record payload a maildrop parser accepts. */
#define MAILDROP_RECORD_MAX (64 * 1024)

/* The named attribute by which sendmail -t asks for recipients from headers. */
#define MAILDROP_ATTR_EXTRACT "extract_recipients"

/* Where the records come from. */
enum maildrop_source {
	MAILDROP_FROM_SENDMAIL, /* sendmail's stream to postdrop: no T record */
	MAILDROP_FROM_FILE,     /* a maildrop file: T first */
};

/* Receives each valid record in order; false stops the parser with error_r. */
typedef bool (*maildrop_record_fn)(const struct queue_file_record *rec, void *context,
                                   const char **error_r);

struct maildrop_parser;

/* A parser for one input from source. */
struct maildrop_parser *maildrop_parser_new(enum maildrop_source source);

/* Frees *parser (NULL is fine) and clears it. */
void maildrop_parser_free(struct maildrop_parser **parser);

/*
 * Consumes len bytes of input, split anywhere, and passes each complete
 * record that is in its place to fn.  Returns false with *error_r set
 * (static text, or fn's) on malformed input or when fn refused a record;
 * the parser then refuses all further input.
 */
bool maildrop_parser_feed(struct maildrop_parser *parser, const void *data, size_t len,
                          maildrop_record_fn fn, void *context, const char **error_r);

/* At end of input: true when the E record ended it, else false with *error_r. */
bool maildrop_parser_finish(const struct maildrop_parser *parser, const char **error_r);

#endif
