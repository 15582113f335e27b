/*
 * split - in-place tokenizers for Postfix's configuration syntax.
 *
 * Every function here works on a writable NUL-terminated string: tokens
 * are cut out by writing NUL bytes into it and returned as pointers into
 * it, so nothing is allocated.  Nothing reads past the terminating NUL.
 * When a function reports an error the string and the cursor are left
 * as they were, so the caller can quote the offending text.
 *
 * Error strings are constant phrases without context ("missing '}'");
 * callers add the file, line and text, e.g. "%s in \"%s\"".
 */
#ifndef POSTERN_UTIL_SPLIT_H
#define POSTERN_UTIL_SPLIT_H

#include <stdbool.h>

/* The separators of Postfix's list-valued parameters. */
#define SPLIT_LIST_SEPARATORS ", \t\r\n"
/* Whitespace only, as between master.cf fields. */
#define SPLIT_SPACE_SEPARATORS " \t\r\n"

/*
 * Returns the next token from *cursor, skipping leading separators and
 * ending the token at the next separator (which is overwritten), and
 * advances *cursor past it.  Returns NULL when only separators remain.
 * "a, b c" with SPLIT_LIST_SEPARATORS gives "a", "b", "c".
 */
char *split_next(char **cursor, const char *separators);

/*
 * Like split_next(), with braces grouping text the way Postfix reads
 * "-o { name = value }", "inline:{ { k = v }, k2 = v2 }" and
 * "${name?{a b}:{c}}":
 *  - a token that starts with '{' runs to its matching '}' and is
 *    returned without those braces and with surrounding whitespace
 *    trimmed ("{ a = b }" gives "a = b", "{}" gives "");
 *  - separators inside braces elsewhere in a token do not end it, and
 *    such braces are kept ("${x?{a b}}" stays one token as written).
 * Returns NULL with *error_r NULL at the end of the text, or NULL with
 * *error_r set to "missing '}'" for an unclosed brace or to "syntax
 * error after '}'" when a braced token is followed by anything but a
 * separator ("{a}b").
 */
char *split_next_braced(char **cursor, const char *separators, const char **error_r);

/*
 * Splits "name = value" or "name=value" at the first '=' into a name and
 * a value with surrounding whitespace trimmed (the value may be empty).
 * Returns false with *error_r set to "missing attribute name" or
 * "missing '=' after attribute name".
 */
bool split_nameval(char *text, char **name_r, char **value_r, const char **error_r);

/*
 * Ends text at the first occurrence of ch and returns what follows it,
 * or returns NULL (text unchanged) when ch does not occur.
 * split_at("user@example.com", '@') leaves "user" and returns
 * "example.com".
 */
char *split_at(char *text, char ch);

/* Like split_at() at the last occurrence of ch ("a@b@c" → "a@b", "c"). */
char *split_at_last(char *text, char ch);

/* Removes leading and trailing whitespace in place; returns the start. */
char *split_trim(char *text);

#endif
