/*
 * main_cf - the main.cf file: reading it into name/value entries, and the
 * small helpers shared by its readers.
 *
 * The syntax is Postfix's: a logical line starts in the first column and
 * continues over following lines that start with whitespace; blank lines
 * and lines whose first non-blank character is '#' are ignored anywhere,
 * even between a line and its continuation; "name = value" with the
 * whitespace around '=' and at the end trimmed; the last definition of a
 * name wins.  Expansion of $name lives in main_cf_expand.h and rewriting
 * the file in main_cf_edit.h.
 */
#ifndef POSTERN_CONFIG_MAIN_CF_H
#define POSTERN_CONFIG_MAIN_CF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* The longest logical line accepted, against runaway files. */
#define MAIN_CF_LINE_MAX (1024 * 1024)

/* The largest main.cf read, in bytes. */
#define MAIN_CF_FILE_MAX (16 * 1024 * 1024)

/* One definition: where it came from and what it says. */
struct main_cf_entry {
	char *name;
	char *value; /* trimmed, continuation lines joined, not expanded */
	int line;    /* first physical line; 0 for a command-line override */
};

/* The definitions of one file in file order, duplicates kept. */
struct main_cf {
	char *path; /* as named in messages ("/etc/postfix/main.cf") */
	struct main_cf_entry *entries;
	size_t count;
	size_t capacity;
};

/* An empty configuration whose messages name path. */
struct main_cf *main_cf_new(const char *path);

/* Frees *cf (NULL is fine) and clears it. */
void main_cf_free(struct main_cf **cf);

/*
 * Appends the definitions in text (len bytes, the whole file).  Returns
 * false with "path, line N: reason" in error on a malformed line; entries
 * before it stay.  A logical line that starts with whitespace (only
 * possible on the first line) is ignored with a warning, as Postfix does.
 */
bool main_cf_parse(struct main_cf *cf, const char *text, size_t len, struct strbuf *error);

/*
 * Reads the file at path.  A missing file gives an empty configuration
 * when missing_ok is true.  Returns NULL with a message in error.
 */
struct main_cf *main_cf_read(const char *path, bool missing_ok, struct strbuf *error);

/* Adds a definition that overrides the file's (line 0, e.g. from -o). */
void main_cf_set(struct main_cf *cf, const char *name, const char *value);

/* The definition that wins for name, or NULL when the file has none. */
const struct main_cf_entry *main_cf_find(const struct main_cf *cf, const char *name);

/*
 * Splits "name=value" or "name = value" as main.cf lines are split.
 * On success *name_r and *value_r are new strings the caller frees;
 * otherwise returns false with the reason in *error_r ("missing '='
 * after attribute name" or "missing attribute name").
 */
bool main_cf_split(const char *text, char **name_r, char **value_r, const char **error_r);

/*
 * Reads a whole regular file (at most max bytes) into a new buffer the
 * caller frees; *len_r gets its length.  Returns NULL with errno set.
 */
char *main_cf_slurp(const char *path, size_t max, size_t *len_r);

#endif
