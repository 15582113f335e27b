/*
 * dict_cmd_ops - the query side of postmap(1) and postalias(1): -q
 * (look a key up), -d (delete a key) and -s (list a table), over one or
 * more tables named "type:name", with keys folded to lower case for
 * fixed-key tables unless the command says otherwise.  A key of "-" reads
 * keys from standard input, one per line.
 */
#ifndef POSTERN_DICT_DICT_CMD_OPS_H
#define POSTERN_DICT_DICT_CMD_OPS_H

#include <stdio.h>

#include "dict/dict.h"
#include "dict/dict_cmd.h"

/*
 * Looks key up in the tables (count names) in order and prints the
 * first value found to out; for the key "-", does that for each line of
 * in and prints "key<separator>value" for each key found.  DICT_FOUND
 * when anything was found, DICT_NOT_FOUND when not, DICT_ERR_* with
 * *error_r when a table could not be opened or read.
 */
enum dict_status dict_cmd_ops_query(const struct dict_cmd *cmd, char *const *names, int count,
                                    const char *key, FILE *in, FILE *out, const char **error_r);

/*
 * Deletes key (or each line of in, for "-") from every table that has
 * it.  DICT_FOUND when anything was deleted, DICT_NOT_FOUND when not,
 * DICT_ERR_* with *error_r on failure.
 */
enum dict_status dict_cmd_ops_delete(const struct dict_cmd *cmd, char *const *names, int count,
                                     const char *key, FILE *in, const char **error_r);

/*
 * Prints every entry of the table name to out as "key<separator>value",
 * in the table's order.  DICT_FOUND on success (even when empty),
 * DICT_ERR_* with *error_r on failure.
 */
enum dict_status dict_cmd_ops_dump(const struct dict_cmd *cmd, const char *name, FILE *out,
                                   const char **error_r);

#endif
