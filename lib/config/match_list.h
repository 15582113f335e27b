/*
 * match_list - the pattern lists behind mydestination, relay_domains,
 * mynetworks, debug_peer_list and many other parameters.
 *
 * A list is a string of patterns separated by whitespace and/or commas.
 * "/file/name" is replaced by the patterns in that file (any number per
 * line; lines starting with "#" are comments).  "!pattern" negates: when
 * it matches, the search ends with "no match"; "!/file/name" negates
 * every pattern in the file.  "type:name" is a lookup table, opened when
 * the list is created, and matches when the table has the key.  A pattern
 * that starts with "[" is never a table, so "[::1]" is an address.  The
 * first pattern that matches decides.
 *
 * This module parses a list and walks it; domain_list and net_list supply
 * what a pattern means.  Lookup tables are not part of this layer: the
 * caller hands in struct match_list_tables, and without it a "type:name"
 * pattern is an error when the list is created.
 */
#ifndef POSTERN_CONFIG_MATCH_LIST_H
#define POSTERN_CONFIG_MATCH_LIST_H

#include <stdbool.h>

#include "util/strbuf.h"

/* The answer of a list and of a table lookup. */
enum match_list_result {
	MATCH_LIST_ERROR = -1, /* a table lookup failed: a temporary error */
	MATCH_LIST_NO = 0,     /* not found, or a negated pattern matched */
	MATCH_LIST_YES = 1,
};

/*
 * Flag: "example.com" also matches names below example.com; set it when
 * the list's feature name appears in parent_domain_matches_subdomains
 * (match_list_parent_flag() below).
 * Without it "example.com" matches only itself and ".example.com"
 * matches the names below it.  As in Postfix, ".example.com" matches
 * nothing useful when the flag is set.
 */
#define MATCH_LIST_PARENT (1u << 0)

/*
 * The flag for the list of feature (a parameter name such as
 * "relay_domains" or "mynetworks"): MATCH_LIST_PARENT when
 * parent_domain_matches_subdomains names it exactly, else 0.  Reads
 * var_parent_domain_matches_subdomains, so call it after conf_load().
 */
unsigned match_list_parent_flag(const char *feature);

/*
 * Opens the table "type:name" for the list being created.  Returns a
 * handle for the lookup and close functions, or NULL with *error_r set
 * (e.g. an unsupported type, a missing file).  *fixed_r starts true;
 * clear it for pattern tables (regexp, pcre, cidr), which are asked only
 * for the whole name, never for its parent domains.
 */
typedef void *(*match_list_open_fn)(void *context, const char *type, const char *name,
                                    bool *fixed_r, const char **error_r);

/*
 * Looks key up in an open table: MATCH_LIST_YES when present,
 * MATCH_LIST_NO when absent, MATCH_LIST_ERROR with *error_r set when the
 * table could not answer.  The error text need only live until the next
 * call on the table.
 */
typedef enum match_list_result (*match_list_lookup_fn)(void *table, const char *key,
                                                       const char **error_r);

/* Closes a table handle from match_list_open_fn. */
typedef void (*match_list_close_fn)(void *table);

/* How a list reaches lookup tables; the list keeps a copy. */
struct match_list_tables {
	match_list_open_fn open;
	match_list_lookup_fn lookup;
	match_list_close_fn close; /* may be NULL */
	void *context;             /* passed to open */
};

/* One pattern after parsing. */
struct match_list_item {
	char *pattern;    /* lowercased; a table's "type:name" keeps its case */
	bool negated;     /* written with an odd number of "!" */
	bool is_table;    /* a "type:name" pattern */
	void *table;      /* the open table when is_table */
	bool table_fixed; /* the table takes parent-domain keys */
	void *data;       /* what the list kind compiled the pattern into */
};

/*
 * Checks one pattern when the list is created and may set item->data.
 * Called for table patterns too, before the table is opened, so a kind
 * can refuse one.  On failure sets error to a message that names the
 * pattern; the list adds the file and line.
 */
typedef bool (*match_list_compile_fn)(struct match_list_item *item, struct strbuf *error);

/* Frees what match_list_compile_fn stored in item->data. */
typedef void (*match_list_release_fn)(void *data);

/* What the patterns of one kind of list mean; both functions may be NULL. */
struct match_list_kind {
	match_list_compile_fn compile;
	match_list_release_fn release;
};

/*
 * Parses patterns, reading included files and opening tables.  flags is
 * zero or MATCH_LIST_PARENT; tables may be NULL.  Returns NULL with error
 * set to a message naming the offending pattern (and the file and line
 * when it came from "/file/name"); the caller prefixes its parameter
 * name.  A "#" in the middle of a line is logged as a warning and ends
 * that line, as Postfix does.
 */
struct match_list *match_list_new(const char *patterns, unsigned flags,
                                  const struct match_list_kind *kind,
                                  const struct match_list_tables *tables, struct strbuf *error);

/* Closes the tables, frees *list (NULL is fine) and clears it. */
void match_list_free(struct match_list **list);

/* The flags given to match_list_new(). */
unsigned match_list_flags(const struct match_list *list);

/* Matches one item against the subject the list kind passes through. */
typedef enum match_list_result (*match_list_item_fn)(struct match_list *list,
                                                     const struct match_list_item *item,
                                                     const void *subject);

/*
 * Walks the list in order and stops at the first item that matches or
 * fails: MATCH_LIST_YES, or MATCH_LIST_NO when that item is negated or
 * nothing matched.  On MATCH_LIST_ERROR sets *error_r to a message valid
 * until the next match on this list.
 */
enum match_list_result match_list_match(struct match_list *list, match_list_item_fn match,
                                        const void *subject, const char **error_r);

/*
 * Looks key up in a table item for a match_list_item_fn; on failure
 * remembers the message that match_list_match() hands out.
 */
enum match_list_result match_list_lookup(struct match_list *list,
                                         const struct match_list_item *item, const char *key);

/* Lowercases ASCII letters of text into buf, as patterns are stored. */
void match_list_fold(struct strbuf *buf, const char *text);

#endif
