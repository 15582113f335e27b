/*
 * mail_addr_find - look an address up in a list of tables in Postfix's
 * order, as canonical(5), virtual(5), access(5) and relocated(5) lookups
 * do.  For user+ext@domain the keys tried are:
 *
 *   user+ext@domain, user@domain, user+ext, user, @domain
 *
 * where the two bare-localpart keys are tried only when the domain is
 * local (the caller decides: $myorigin, $mydestination, interfaces), and
 * the extension keys only when recipient_delimiter has a character that
 * splits the localpart.  access(5) tables use their own order:
 *
 *   user+ext@domain, user@domain, domain, parent domains, user+ext@, user@
 *
 * where a.example.com's parents are example.com and com, or .example.com
 * and .com when parent_domain_matches_subdomains does not list the table.  Each key is tried
 * against every table before the next key.  Keys use the address's external form: a localpart that
 * is not a dot-atom is quoted ("joe user"@example.com), as table authors write it.  Case folding is
 * the tables' business (DICT_FLAG_FOLD_CASE).
 */
#ifndef POSTERN_MAIL_MAIL_ADDR_FIND_H
#define POSTERN_MAIL_MAIL_ADDR_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "dict/dict.h"
#include "util/strbuf.h"

/* True when domain (without '@', as written in the address) is local. */
typedef bool (*mail_addr_find_local_fn)(const char *domain, void *context);

/* Which manual page's search order to follow. */
enum mail_addr_find_style {
	MAIL_ADDR_FIND_REWRITE, /* canonical(5), virtual(5), relocated(5) */
	MAIL_ADDR_FIND_ACCESS,  /* access(5) */
};

struct mail_addr_find_options {
	enum mail_addr_find_style style;
	/* ACCESS: parent domains match as "example.com" (true), or only
	   as ".example.com" (false). */
	bool parent_domain_matches;
	/* recipient_delimiter: each character may start an extension;
	   NULL or "" for none. */
	const char *delimiters;
	/* REWRITE: whether the localpart-only keys apply; NULL means never. */
	mail_addr_find_local_fn is_local;
	void *context;
	/* owner_request_special: with '-' among the delimiters, do not
	   split "owner-list" or "list-request". */
	bool owner_request_special;
	/* double_bounce_sender, never split; NULL means "double-bounce". */
	const char *double_bounce_sender;
};

struct mail_addr_find_result {
	/* As the table holds it, i.e. in external (quoted) form; valid until
	   the next operation on the table. */
	const char *value;
	char *key; /* the key that matched */
	/* The delimiter and extension ("+foo") when the matching key did
	   not include them, for propagate_unmatched_extensions; else NULL. */
	char *extension;
};

/*
 * Looks address (internal form: localpart unquoted, "joe user@example.com")
 * up in the NULL-terminated tables.  DICT_FOUND fills *result, which the
 * caller releases with mail_addr_find_result_clear(); DICT_NOT_FOUND when
 * no key matched; a table error stops the search and is returned with
 * *error_r set.
 */
enum dict_status mail_addr_find(struct dict *const *tables, const char *address,
                                const struct mail_addr_find_options *options,
                                struct mail_addr_find_result *result, const char **error_r);

/* Frees the strings of a result and clears it; a cleared result is fine. */
void mail_addr_find_result_clear(struct mail_addr_find_result *result);

/*
 * Appends to out the external form of localpart: as is when it is a
 * dot-atom (or empty), otherwise in double quotes with '"' and '\'
 * escaped.
 */
void mail_addr_find_quote_local(struct strbuf *out, const char *localpart, size_t len);

#endif
