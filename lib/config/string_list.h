/*
 * string_list - lists of plain names: authorized_submit_users,
 * authorized_flush_users, authorized_mailq_users and the like.
 *
 * A pattern matches a name that equals it, ignoring case; a "type:name"
 * pattern matches when the table has the name as a key (static:anyone
 * therefore matches everyone).  See match_list.h for the list syntax:
 * separators, "/file/name" includes and "!" negation.
 */
#ifndef POSTERN_CONFIG_STRING_LIST_H
#define POSTERN_CONFIG_STRING_LIST_H

#include "config/match_list.h"
#include "util/strbuf.h"

/*
 * Parses a string list; tables may be NULL (then "type:name" patterns
 * are errors).  Returns NULL with error set to a message naming the bad
 * pattern.
 */
struct string_list *string_list_new(const char *patterns, const struct match_list_tables *tables,
                                    struct strbuf *error);

/* Frees *list (NULL is fine) and clears it. */
void string_list_free(struct string_list **list);

/*
 * Matches name.  MATCH_LIST_ERROR when a table lookup failed, with
 * *error_r valid until the next match on the list.
 */
enum match_list_result string_list_match(struct string_list *list, const char *name,
                                         const char **error_r);

#endif
