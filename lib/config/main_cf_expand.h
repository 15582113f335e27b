/*
 * main_cf_expand - Postfix's $name expansion of parameter values.
 *
 * Forms: $name, ${name}, $(name), ${name?value}, ${name:value},
 * ${name?{value}}, ${name:{value}}, ${name?{value1}:{value2}} and a
 * relational first item "${{a} == {b} ...}" with ==, !=, <, <=, >, >=
 * (numeric when both sides are digits) and their "level" forms comparing
 * compatibility levels ("3.6" <level "3.10").  "$$" is a literal "$".
 * Looked-up values are expanded in turn; nesting deeper than
 * MAIN_CF_EXPAND_DEPTH (a $name loop) is an error, not a stack overflow.
 */
#ifndef POSTERN_CONFIG_MAIN_CF_EXPAND_H
#define POSTERN_CONFIG_MAIN_CF_EXPAND_H

#include <stdbool.h>

#include "util/strbuf.h"

#define MAIN_CF_EXPAND_DEPTH 100

/*
 * Returns the unexpanded value of name, or NULL when it is undefined
 * (which expands to nothing).  A lookup that fails puts a message in
 * error and returns NULL; expansion then stops.
 */
typedef const char *(*main_cf_lookup_fn)(const char *name, void *context, struct strbuf *error);

/*
 * Appends the expansion of text to out.  Returns false with the reason in
 * error (e.g. "unreasonable macro call nesting: \"name\"", "truncated
 * macro reference: \"...\"").
 */
bool main_cf_expand(const char *text, main_cf_lookup_fn lookup, void *context, struct strbuf *out,
                    struct strbuf *error);

/* Called by main_cf_expand_names() for each name; len bytes at name. */
typedef void (*main_cf_name_fn)(const char *name, size_t len, void *context);

/*
 * Reports every parameter name text refers to, at any nesting, without
 * evaluating conditions: what postconf counts as "used".
 */
void main_cf_expand_names(const char *text, main_cf_name_fn found, void *context);

/*
 * Parses a compatibility level "major[.minor[.patch]]" into a number that
 * orders levels.  Returns false for anything else.
 */
bool main_cf_expand_level(const char *text, long long *level_r);

#endif
