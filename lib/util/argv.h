/*
 * argv - a growable, always NULL-terminated vector of strings that owns
 * copies of what it holds.  Used for command lines handed to execv(),
 * configuration lists split into words, and anything else that is "a
 * list of strings" (Postfix calls the same thing ARGV).
 */
#ifndef POSTERN_UTIL_ARGV_H
#define POSTERN_UTIL_ARGV_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct argv {
	char **items;    /* items[count] is always NULL */
	size_t count;    /* strings in use */
	size_t capacity; /* slots allocated, including the NULL one */
};

/* A new empty vector. */
struct argv *argv_new(void);

/* Frees *argv and every string in it (NULL is fine), and clears *argv. */
void argv_free(struct argv **argv);

/* Appends a copy of text. */
void argv_add(struct argv *argv, const char *text);

/* Appends a copy of the first len bytes of text (a NUL ends it earlier). */
void argv_add_n(struct argv *argv, const char *text, size_t len);

/* Frees the strings from index count on; no effect when already shorter. */
void argv_truncate(struct argv *argv, size_t count);

/*
 * Appends the strings to out with separator between them.  Returns false
 * when out's limit was reached; out then holds what fitted.
 */
bool argv_join(const struct argv *argv, const char *separator, struct strbuf *out);

/*
 * Splits text at runs of the delimiter characters; empty tokens are
 * dropped, so "a,, b" with ", " gives "a" and "b".
 */
struct argv *argv_split(const char *text, const char *delimiters);

/* Like argv_split(), appending the tokens to an existing vector. */
void argv_split_append(struct argv *argv, const char *text, const char *delimiters);

/* Sorts the strings in strcmp() order. */
void argv_sort(struct argv *argv);

/* Removes each string equal to the one before it (sort first for a set). */
void argv_uniq(struct argv *argv);

#endif
