/*
 * dict_brace - the "{ text }" grouping that Postfix accepts in table
 * names (static:{ a value }, inline:{ a=1, { b = two words } }): braces
 * nest, the text inside is trimmed, and nothing may follow the closing
 * brace.  Shared by the table types that take such names.
 */
#ifndef POSTERN_DICT_DICT_BRACE_H
#define POSTERN_DICT_DICT_BRACE_H

#include <stdbool.h>

/*
 * When text (after leading whitespace) opens with '{', replaces the
 * closing brace with a NUL and points *inner_r at the trimmed text
 * inside; otherwise *inner_r is text itself.  False with *error_r
 * ("missing '}' in ...", "syntax error after '}' in ...") when the braces
 * do not balance or something follows the closing one.
 */
bool dict_brace_strip(char *text, char **inner_r, const char **error_r);

/*
 * Returns the next token of *cursor, ending at a character of separators
 * outside braces, NUL-terminates it in place and advances *cursor; NULL
 * when only separators remain.  A token may hold separators inside
 * balanced braces ("b={x y}", "{ b = two words }").
 */
char *dict_brace_token(char **cursor, const char *separators);

/*
 * Splits "name = value" in place: the name ends at whitespace or '=',
 * whitespace around '=' and at the end of the value is dropped.  False
 * with *error_r when no '=' follows the name.
 */
bool dict_brace_split_pair(char *text, char **name_r, char **value_r, const char **error_r);

#endif
