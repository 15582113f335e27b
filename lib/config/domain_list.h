/*
 * domain_list - lists of host or domain names: mydestination,
 * relay_domains, fast_flush_domains, the domain half of every host list.
 *
 * A pattern "example.com" matches the name example.com, and with
 * MATCH_LIST_PARENT also every name below it; without the flag,
 * ".example.com" matches the names below example.com.  Matching ignores
 * case.  A "type:table" pattern matches when the table has the name, or
 * (tables of fixed strings only) one of its parent domains: for
 * a.b.example.com the keys are a.b.example.com, then b.example.com,
 * example.com, com with MATCH_LIST_PARENT, or .b.example.com,
 * .example.com, .com without it.  See match_list.h for the list syntax.
 */
#ifndef POSTERN_CONFIG_DOMAIN_LIST_H
#define POSTERN_CONFIG_DOMAIN_LIST_H

#include "config/match_list.h"
#include "util/strbuf.h"

/*
 * Parses a domain list.  flags is zero or MATCH_LIST_PARENT; tables may
 * be NULL (then "type:name" patterns are errors).  Returns NULL with
 * error set to a message naming the bad pattern.
 */
struct domain_list *domain_list_new(const char *patterns, unsigned flags,
                                    const struct match_list_tables *tables, struct strbuf *error);

/* Frees *list (NULL is fine) and clears it. */
void domain_list_free(struct domain_list **list);

/*
 * Matches a host or domain name; for a mail address (anything with "@")
 * the part after the last "@" is matched.  MATCH_LIST_ERROR when a table
 * lookup failed, with *error_r valid until the next match on the list.
 */
enum match_list_result domain_list_match(struct domain_list *list, const char *name,
                                         const char **error_r);

/*
 * Matches an already lowercased name against one item of any match list
 * with domain-list rules; net_list uses it for client host names.
 */
enum match_list_result domain_list_match_item(struct match_list *list,
                                              const struct match_list_item *item, const char *name);

#endif
