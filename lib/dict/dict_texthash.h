/*
 * dict_texthash - "texthash:/path": a postmap(1) source file read into
 * memory at open, so small tables need no "postmap" step and no .db file.
 * Malformed lines are skipped with a warning naming file and line; for a
 * duplicate key the first entry wins with a warning, unless the flags say
 * DICT_FLAG_DUP_IGNORE (keep the first silently) or DICT_FLAG_DUP_REPLACE
 * (the last wins).  dict_changed() notices an edit of the file.
 */
#ifndef POSTERN_DICT_DICT_TEXTHASH_H
#define POSTERN_DICT_DICT_TEXTHASH_H

#include "dict/dict.h"

/*
 * Opens texthash:path.  NULL with *error_r ("open database PATH: reason",
 * "read PATH: reason") when the file cannot be read.
 */
struct dict *dict_texthash_open(const char *path, int flags, const char **error_r);

#endif
