/*
 * dict_static - "static:value": every key finds value.  A value with
 * spaces is written in braces, static:{ a value }; the braces and the
 * whitespace just inside them are not part of the value.
 */
#ifndef POSTERN_DICT_DICT_STATIC_H
#define POSTERN_DICT_DICT_STATIC_H

#include "dict/dict.h"

/*
 * Opens static:name.  Fails with "bad static:name syntax: ..." when the
 * braces do not balance or text follows the closing brace.
 */
struct dict *dict_static_open(const char *name, int flags, const char **error_r);

#endif
