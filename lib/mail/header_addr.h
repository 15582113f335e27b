/*
 * header_addr - the addresses in an RFC 5322 address-list header value
 * (To:, Cc:, Bcc:, ...), in internal form: a quoted local part loses its
 * quotes and backslashes, comments and display names are dropped, group
 * names are skipped and their members kept, a source route in <@a,@b:x@y>
 * is dropped.  The parser accepts anything (header values are a peer's
 * bytes); unbalanced quotes, comments and angle brackets end at the end of
 * the value.
 */
#ifndef POSTERN_MAIL_HEADER_ADDR_H
#define POSTERN_MAIL_HEADER_ADDR_H

#include <stddef.h>

#include "util/argv.h"

/*
 * Appends to out each non-empty address of the value (len bytes, may
 * contain anything), at most max addresses; returns how many it added.
 */
size_t header_addr_list(const char *value, size_t len, size_t max, struct argv *out);

#endif
