/*
 * dict_pcre - pcre: tables, Perl-compatible regular expressions (PCRE2)
 * as pcre_table(5) describes them: the rule syntax of regexp: tables
 * with PCRE's flags i, m, s, x, A, E, U (X is ignored with a warning, as
 * by Postfix built on PCRE2).
 */
#ifndef POSTERN_DICT_DICT_PCRE_H
#define POSTERN_DICT_DICT_PCRE_H

#include "dict/dict.h"

/*
 * Opens pcre:name, name being a file or inline "{ {rule}, ... }".  Bad
 * rules are logged and skipped; only an unreadable file or malformed
 * inline text fails the open (NULL, *error_r set).
 */
struct dict *dict_pcre_open(const char *name, int flags, const char **error_r);

#endif
