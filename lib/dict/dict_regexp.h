/*
 * dict_regexp - regexp: tables, POSIX extended regular expressions as
 * regexp_table(5) describes them: "/pattern/flags result" rules tried in
 * order, "!" negation, nested if/endif blocks, $1 ${1} $(1) $$ in results.
 */
#ifndef POSTERN_DICT_DICT_REGEXP_H
#define POSTERN_DICT_DICT_REGEXP_H

#include "dict/dict.h"

/*
 * Opens regexp:name, name being a file or inline "{ {rule}, ... }".
 * Bad rules are logged and skipped as Postfix does; only an unreadable
 * file or malformed inline text fails the open (NULL, *error_r set).
 */
struct dict *dict_regexp_open(const char *name, int flags, const char **error_r);

#endif
