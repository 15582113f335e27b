/*
 * dict_source - readers for the text formats that tables are built from:
 * postmap(1)'s "key whitespace value" files and aliases(5)'s "name:
 * value, value" files.  Both share Postfix's logical lines: a line that
 * starts with whitespace continues the previous one, and blank lines and
 * lines whose first non-blank character is '#' are skipped (also between
 * a line and its continuation).
 *
 * The reader is an iterator over (key, value, line) records.  A malformed
 * line is reported on its own, so the caller chooses: texthash warns and
 * goes on, a strict postmap can stop before touching the existing table.
 */
#ifndef POSTERN_DICT_DICT_SOURCE_H
#define POSTERN_DICT_DICT_SOURCE_H

enum dict_source_format {
	/* "key value": the key ends at the first whitespace outside double
	   quotes (a backslash protects the next character) and keeps its
	   quotes, so "a b" v is the key "a b" with the quotes; the value is the
	   rest without surrounding whitespace; continuation lines are joined
	   with their leading whitespace kept. */
	DICT_SOURCE_POSTMAP,
	/* "name: value, ...": the name may be quoted ("a b": ...), the value
	   is a comma-separated list normalized as Postfix stores it: "a ,b"
	   becomes "a, b", \root becomes root, "Name<u@x>" becomes
	   "Name <u@x>", while |"cmd arg", :include:/file and /file stay as
	   written. */
	DICT_SOURCE_ALIASES,
};

enum dict_source_status {
	DICT_SOURCE_RECORD,   /* a record is returned */
	DICT_SOURCE_END,      /* the end of the input */
	DICT_SOURCE_BAD_LINE, /* a malformed record, skipped; reading may go on */
	DICT_SOURCE_SKIPPED,  /* a line skipped with a complete warning; reading may go on */
	DICT_SOURCE_ERROR,    /* the input cannot be read further */
};

/* One record; the strings stay valid until the next dict_source_next(). */
struct dict_source_record {
	const char *key; /* folded when the source was opened with DICT_FLAG_FOLD_CASE */
	const char *value;
	int line; /* the first physical line of the record */
};

struct dict_source;

/*
 * Opens path for reading in format; flags may hold DICT_FLAG_FOLD_CASE.
 * NULL with *error_r ("open PATH: reason") and errno kept on failure.
 */
struct dict_source *dict_source_open(const char *path, enum dict_source_format format, int flags,
                                     const char **error_r);

/*
 * Reads from the open descriptor fd (not closed by dict_source_close),
 * naming it label in messages (e.g. "-" for standard input).  NULL with
 * *error_r on failure.
 */
struct dict_source *dict_source_fdopen(int fd, const char *label, enum dict_source_format format,
                                       int flags, const char **error_r);

/*
 * Reads the next record into *record.  For the other statuses, *error_r
 * says what and where.  DICT_SOURCE_BAD_LINE: "PATH, line N: expected
 * format: key whitespace value" or "PATH, line N: need name:value pair";
 * texthash appends " -- ignoring this line", as Postfix's texthash does,
 * postmap and postalias do not.  DICT_SOURCE_SKIPPED: a warning that
 * every Postfix reader words the same, "PATH: logical line must not start
 * with whitespace: \"first 30 bytes...\"" (no line number) or "PATH,
 * line N: unbalanced '\"' in 'LINE' -- ignoring this line".
 * DICT_SOURCE_ERROR: "read PATH: reason".  Unprintable bytes in messages
 * are shown as '?'.
 */
enum dict_source_status dict_source_next(struct dict_source *source,
                                         struct dict_source_record *record, const char **error_r);

/* The path or label given at open, for messages. */
const char *dict_source_name(const struct dict_source *source);

/* Closes the source (NULL is fine) and clears *source. */
void dict_source_close(struct dict_source **source);

#endif
