/*
 * dict_cidr - cidr: tables as cidr_table(5) describes them: rules
 * "network/prefix result" or "address result" (IPv4 or IPv6, optionally
 * in brackets), "!" negation, nested "if"/"endif" blocks, first match
 * wins.  Keys are single addresses compared in binary form.
 */
#ifndef POSTERN_DICT_DICT_CIDR_H
#define POSTERN_DICT_DICT_CIDR_H

#include "dict/dict.h"

/*
 * Opens cidr:name, name being a file or inline "{ {rule}, ... }".  Bad
 * rules are logged and skipped as Postfix does; only an unreadable file
 * or malformed inline text fails the open (NULL, *error_r set).
 */
struct dict *dict_cidr_open(const char *name, int flags, const char **error_r);

#endif
