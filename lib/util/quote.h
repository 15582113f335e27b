/*
 * quote - make untrusted text safe to show.
 *
 * Log lines carry text that peers chose (HELO names, addresses, reply
 * text).  Before such text reaches a log, every byte that is not
 * printable ASCII and not part of a well-formed printable UTF-8
 * character becomes '?', as Postfix's log lines show it, so a peer can
 * neither forge a line break nor plant terminal escapes.  Debug traces
 * use C-style escapes instead, which keep every byte recoverable.
 */
#ifndef POSTERN_UTIL_QUOTE_H
#define POSTERN_UTIL_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* The byte that replaces unprintable input. */
#define QUOTE_REPLACEMENT '?'

/*
 * Replaces, in place, every byte of text that is a control character,
 * DEL, or not part of a valid UTF-8 encoding of a printable character
 * (overlong forms, surrogates, code points above U+10FFFF and C1
 * controls count as invalid) with QUOTE_REPLACEMENT.  Returns text.
 */
char *quote_printable(char *text);

/*
 * Appends the printable form of len bytes of data (NUL bytes included)
 * to out.  Returns false when out's limit cut the text short; out then
 * ends with whole characters only.
 */
bool quote_printable_append(struct strbuf *out, const void *data, size_t len);

/*
 * Appends len bytes of data to out with C escapes: \n \r \t \\ \" and
 * \xHH for every other byte outside printable ASCII.  Returns false when
 * out's limit cut the text short; escapes are never cut in half.
 */
bool quote_c_append(struct strbuf *out, const void *data, size_t len);

#endif
