/*
 * dict_inline - "inline:{ key=value, { key = value with spaces } }": a
 * small table written in the parameter itself.  Entries are separated by
 * commas or whitespace; a bare entry is key=value without whitespace
 * (braces inside a value may hold some: b={x y}); an entry in braces may
 * have whitespace around '=' and inside the value.  A later entry for the
 * same key replaces an earlier one.
 */
#ifndef POSTERN_DICT_DICT_INLINE_H
#define POSTERN_DICT_DICT_INLINE_H

#include "dict/dict.h"

/*
 * Opens inline:name, where name is the whole "{...}".  Errors read as
 * Postfix's: 'bad syntax: "inline:{a=1"; need "inline:{name=value...}"',
 * 'empty table: ...', "missing '=' after attribute name: ...".
 */
struct dict *dict_inline_open(const char *name, int flags, const char **error_r);

#endif
