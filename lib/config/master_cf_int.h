/*
 * master_cf_int - what master_cf.c, master_cf_print.c and master_cf_edit.c
 * share.  Not for other callers: they use master_cf.h.
 */
#ifndef POSTERN_CONFIG_MASTER_CF_INT_H
#define POSTERN_CONFIG_MASTER_CF_INT_H

#include "config/master_cf.h"
#include "util/strbuf.h"

/*
 * One stretch of the file: an entry with the comment lines inside it, or
 * comment and blank lines between entries.  text holds the exact bytes,
 * newlines included, so an unedited file is written back unchanged.
 */
struct master_cf_item {
	char *text;
	struct master_cf_service *svc; /* NULL for comment and blank lines */
};

struct master_cf {
	char *path;
	struct master_cf_item *items;
	size_t item_count;
	size_t item_capacity;
	/* Indexes into items of the entries, in file order. */
	size_t *entries;
	size_t entry_count;
};

/* Formats an error into the module's buffer and returns it. */
const char *master_cf_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parses one logical line (an entry without its newlines) into a service;
 * errors read "where: what" with where naming file and line.
 */
struct master_cf_service *master_cf_parse_entry(const char *line, const char *where,
                                                const char **error_r);

/* Frees *svc (NULL is fine) and clears it. */
void master_cf_service_free(struct master_cf_service **svc);

/* Appends an item owning text and svc. */
void master_cf_add_item(struct master_cf *cf, char *text, struct master_cf_service *svc);

/* Rebuilds the entry index and the superseded marks after a change. */
void master_cf_reindex(struct master_cf *cf);

/*
 * Appends svc as one logical line (fold false: the postconf -M form) or
 * folded (the -Mf form, each line ending in a newline, which is also how
 * the editors write entries).
 */
void master_cf_format_entry(const struct master_cf_service *svc, bool fold, struct strbuf *out);

/*
 * Appends the command words of svc (from argv[0]) normalised, folding
 * when fold is true; column is where the first word starts.
 */
void master_cf_format_command(const struct master_cf_service *svc, bool fold, size_t column,
                              struct strbuf *out);

#endif
