/*
 * dict_pattern - what the rule-list table types (regexp, pcre, cidr)
 * share: loading the rules from a file or from an inline "{ {rule},
 * {rule} }" name, splitting them into logical lines as Postfix does,
 * parsing delimited /pattern/flags rules with if/endif blocks, checking
 * and expanding $1 ${1} $(1) and $$ in results, and the first-match
 * search itself.  A type supplies only how to compile and match one
 * pattern.
 */
#ifndef POSTERN_DICT_DICT_PATTERN_H
#define POSTERN_DICT_DICT_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "dict/dict.h"
#include "util/strbuf.h"

/* Walks the text of a table one logical line at a time. */
struct dict_pattern_reader {
	const char *pos;  /* the next unread byte */
	const char *file; /* the table's name, for the leading-whitespace warning */
	int lineno;       /* physical lines consumed so far */
};

/*
 * Loads the rules of table name: a file, or (name starting with "{") the
 * inline rules, one per line.  type ("regexp") names the table in
 * errors.  Returns the text, which the caller frees, or NULL with
 * *error_r set (by dict_errorf()).
 */
char *dict_pattern_load(const char *type, const char *name, const char **error_r);

/* Starts reading text; file must outlive the reader. */
void dict_pattern_reader_init(struct dict_pattern_reader *reader, const char *text,
                              const char *file);

/*
 * Reads the next logical line into line: a line that starts with
 * non-whitespace plus every following line that starts with whitespace
 * (without the newlines); blank and comment lines are skipped, even
 * inside a continued line.  Trailing whitespace is removed.  A logical
 * line that starts with whitespace is warned about and skipped, as
 * Postfix does.  *lineno_r is its first physical line.  False at the end.
 */
bool dict_pattern_read(struct dict_pattern_reader *reader, struct strbuf *line, int *lineno_r);

/* True when text starts with keyword (any case) not followed by an alphanumeric. */
bool dict_pattern_keyword(const char *text, const char *keyword);

/* Moves *cursor past whitespace; returns the new position. */
char *dict_pattern_skip_space(char **cursor);

/*
 * Checks the $ syntax of a result, logging Postfix's warnings with label
 * and lineno; a negated pattern must not use $number.  *max_r receives
 * the largest group number used (0 for none), for the caller to compare
 * with the compiled pattern's groups.  False when the rule must be
 * skipped.
 */
bool dict_pattern_check_result(const char *result, bool negated, size_t *max_r, const char *label,
                               int lineno);

/* Returns group n of the last match, or NULL when the group did not take part. */
typedef const char *(*dict_pattern_group_fn)(void *context, size_t n, size_t *len_r);

/*
 * Appends result to out with each $n, ${n} and $(n) replaced by the
 * group's text and $$ by $.  result must have passed
 * dict_pattern_check_result().
 */
void dict_pattern_expand(const char *result, dict_pattern_group_fn group, void *context,
                         struct strbuf *out);

/* The kinds of rule in a list. */
enum dict_pattern_kind {
	DICT_PATTERN_MATCH, /* pattern result */
	DICT_PATTERN_IF,    /* if pattern */
	DICT_PATTERN_ENDIF, /* endif */
};

struct dict_pattern_rule {
	enum dict_pattern_kind kind;
	bool negate;
	int lineno;
	void *compiled; /* the type's compiled pattern (MATCH, IF) */
	char *result;   /* MATCH only */
	size_t skip_to; /* IF: where the search goes on when the test fails */
};

/* An ordered rule list with its if/endif pairing state. */
struct dict_pattern_list {
	struct dict_pattern_rule *rules;
	size_t count;
	size_t capacity;
	size_t *open_ifs; /* indexes of ifs not yet closed, innermost last */
	size_t depth;
	size_t open_capacity;
};

/* Appends "pattern result"; the list takes compiled and copies result. */
void dict_pattern_list_add_match(struct dict_pattern_list *list, bool negate, int lineno,
                                 void *compiled, const char *result);

/* Appends "if pattern" and opens a block. */
void dict_pattern_list_add_if(struct dict_pattern_list *list, bool negate, int lineno,
                              void *compiled);

/* Closes the innermost block; false (nothing added) when none is open. */
bool dict_pattern_list_add_endif(struct dict_pattern_list *list, int lineno);

/*
 * Ends parsing: logs "IF has no matching ENDIF" for each open block,
 * innermost first.  Open blocks extend to the end of the table.
 */
void dict_pattern_list_finish(struct dict_pattern_list *list, const char *label);

/* Frees what a compile function returned. */
typedef void (*dict_pattern_free_fn)(void *compiled);

/* Turns a rule's flag letters into the type's options; false after a warning. */
typedef bool (*dict_pattern_flags_fn)(const char *flags, unsigned *options_r, const char *label,
                                      int lineno);

/* Compiles pattern with options, or logs why not and returns NULL. */
typedef void *(*dict_pattern_compile_fn)(void *context, const char *pattern, unsigned options,
                                         const char *label, int lineno, size_t *groups_r);

/*
 * Matches key against the rule written at lineno: 1 match, 0 no match,
 * DICT_PATTERN_NOT_APPLICABLE when the rule cannot apply to such a key at
 * all (a negated rule then does not match either: an IPv6 key never
 * matches "!192.0.2.0/24").  An engine error (PCRE2's match limit, a
 * regexec failure) is logged by the match function with the table and
 * line, as "pcre map FILE, line N: match limit exceeded", and answered
 * with DICT_PATTERN_NOT_APPLICABLE: like Postfix, the search goes on with
 * the next rule instead of failing every lookup of that key for ever.
 */
#define DICT_PATTERN_NOT_APPLICABLE 2
typedef int (*dict_pattern_match_fn)(void *context, void *compiled, const char *key, int lineno);

/*
 * What a regexp-style type supplies to the parser.  Postfix checks a
 * rule in a fixed order (delimiters, flags, result syntax, then the
 * pattern itself), which decides which of several warnings a bad rule
 * gets; splitting flags from compilation lets the parser keep it.
 */
struct dict_pattern_regex_syntax {
	dict_pattern_flags_fn flags;
	dict_pattern_compile_fn compile;
	dict_pattern_free_fn free;
	/* how "no closing regexp delimiter" ends: "skipping" (regexp) or "ignoring" (pcre) */
	const char *no_close_action;
};

/*
 * Parses a regexp- or pcre-style table: "/pattern/flags result",
 * "!/pattern/flags result", "if /pattern/flags", "if !/pattern/flags",
 * "endif"; any run of "!" and whitespace before the pattern negates it
 * once per "!".  Bad lines are logged with label ("regexp map FILE") and
 * skipped, as Postfix does.  file names the table in the
 * leading-whitespace warning.
 */
void dict_pattern_list_parse_regex(struct dict_pattern_list *list, const char *text,
                                   const char *label, const char *file,
                                   const struct dict_pattern_regex_syntax *syntax, void *context);

/*
 * The first-match search.  On a match the result goes into out
 * (expanded through group when group is not NULL) and *value_r points at
 * it.
 */
enum dict_status dict_pattern_list_lookup(const struct dict_pattern_list *list, const char *key,
                                          dict_pattern_match_fn match, dict_pattern_group_fn group,
                                          void *context, struct strbuf *out, const char **value_r,
                                          const char **error_r);

/* Frees the rules (through free_fn) and the list's memory; the list is empty after. */
void dict_pattern_list_free(struct dict_pattern_list *list, dict_pattern_free_fn free_fn);

#endif
