/*
 * dict_cmd - building tables the way postmap(1) and postalias(1) do: from
 * a text source file (or standard input, for incremental updates) into a
 * hash:, btree: or lmdb: file, atomically for a full build, with
 * Postfix's handling of malformed lines (warn, skip, go on), duplicate
 * keys (warn and keep the first, unless told to replace or ignore),
 * ownership (a root caller acts as the source file's owner) and
 * permissions (a new table inherits the source's group and other read
 * bits).  dict_cmd_ops.h holds the lookups, deletions and listings.
 */
#ifndef POSTERN_DICT_DICT_CMD_H
#define POSTERN_DICT_DICT_CMD_H

#include <stdbool.h>

#include "dict/dict_source.h"

/* What the command line chose; shared with dict_cmd_ops.h. */
struct dict_cmd {
	enum dict_source_format format; /* the source format */
	const char *default_type;       /* for a name without "type:" (default_database_type) */
	int dict_flags;                 /* DICT_NUL_FLAG_* (-N, -n) */
	int dup_flags;                  /* DICT_FLAG_DUP_WARN, or _REPLACE (-r), or _IGNORE (-w) */
	bool fold;                      /* fold keys to lower case (not -f) */
	bool as_owner;                  /* as root, act as the source file's owner (not -o) */
	bool source_mode;               /* a new table inherits source read bits (not -p) */
	bool aliases;                   /* postalias: add "@" and the NIS entries */
	const char *hostname;           /* YP_MASTER_NAME's value, for aliases */
	const char *separator;          /* between key and value in listings */
};

/*
 * Splits "type:name" into *type_r and *name_r, pointing into text, which
 * it modifies; a name without a type gets cmd's default type.
 */
void dict_cmd_split(const struct dict_cmd *cmd, char *text, const char **type_r,
                    const char **name_r);

/*
 * Builds the table type_name ("hash:/etc/postfix/virtual") from its
 * source file, replacing any existing table only once the new one is
 * complete; with incremental, adds the entries read from standard input
 * to the table instead (creating it when missing).  Malformed lines and
 * duplicates are logged as warnings.  False with *error_r set when the
 * table could not be built; an existing table is then unchanged (for a
 * full build).
 */
bool dict_cmd_build(const struct dict_cmd *cmd, const char *type_name, bool incremental,
                    const char **error_r);

#endif
