/*
 * dict_pattern - the machinery that regexp:, pcre: and cidr: tables share.
 * Postfix reads these tables the same way (logical lines, if/endif
 * blocks, first match wins, bad lines warned about and skipped rather
 * than failing the open), so one copy of that behaviour keeps the three
 * types from drifting apart.  The warning texts follow Postfix's, since
 * administrators search logs for them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict_pattern.h"
#include "util/alloc.h"
#include "util/msg.h"

/* Returns the byte after the '}' that balances the '{' at open, or NULL. */
static const char *matching_brace(const char *open)
{
	int level = 0;

	for (const char *p = open; *p; p++) {
		if (*p == '{')
			level++;
		else if (*p == '}' && --level == 0)
			return p + 1;
	}
	return NULL;
}

/* Appends the trimmed text between p and end (exclusive) and a newline. */
static void append_rule(struct strbuf *text, const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	strbuf_append(text, p, (size_t)(end - p));
	strbuf_append_char(text, '\n');
}

/* True for the bytes that separate the rules of an inline table. */
static bool inline_separator(char c)
{
	return isspace((unsigned char)c) || c == ',';
}

/* Returns the end of the rule token at p: the next separator outside braces, or end. */
static const char *inline_token_end(const char *p, const char *end)
{
	int level = 0;

	for (; p < end && (level > 0 || !inline_separator(*p)); p++) {
		if (*p == '{')
			level++;
		else if (*p == '}')
			level--;
	}
	return p;
}

/* Why the token p[0..len) is not one braced rule ending at rule_end. */
static const char *inline_token_error(const char *type, const char *p, int len,
                                      const char *rule_end)
{
	if (*p != '{')
		return dict_errorf("%s map: no '{' at start of text in \"%.*s\"", type, len, p);
	if (rule_end == NULL)
		return dict_errorf("%s map: missing '}' in \"%.*s\"", type, len, p);
	return dict_errorf("%s map: syntax error after '}' in \"%.*s\"", type, len, p);
}

/*
 * Turns "{ {rule-1}, {rule-2} }" into "rule-1\nrule-2\n", as Postfix 3.7
 * does: the text inside the outer braces is split at whitespace and
 * commas outside braces, and each piece must be one braced rule.
 */
static char *load_inline(const char *type, const char *name, const char **error_r)
{
	const char *end = matching_brace(name);
	const char *p = name + 1, *token_end, *rule_end;
	struct strbuf *text;

	if (end == NULL) {
		*error_r = dict_errorf("%s map: missing '}' in \"%s\"", type, name);
		return NULL;
	}
	for (const char *q = end; *q; q++) {
		if (!isspace((unsigned char)*q)) {
			*error_r =
			    dict_errorf("%s map: syntax error after '}' in \"%s\"", type, name);
			return NULL;
		}
	}
	text = strbuf_new(STRBUF_UNLIMITED);
	for (end--;; p = token_end) {
		while (p < end && inline_separator(*p))
			p++;
		if (p >= end)
			return strbuf_export(&text);
		token_end = inline_token_end(p, end);
		rule_end = *p == '{' ? matching_brace(p) : NULL;
		if (rule_end != token_end) {
			*error_r = inline_token_error(type, p, (int)(token_end - p), rule_end);
			strbuf_free(&text);
			return NULL;
		}
		append_rule(text, p + 1, rule_end - 1);
	}
}

char *dict_pattern_load(const char *type, const char *name, const char **error_r)
{
	struct strbuf *text;
	char chunk[8192];
	size_t got;
	FILE *fp;

	if (*name == '{')
		return load_inline(type, name, error_r);
	if ((fp = fopen(name, "r")) == NULL) {
		*error_r = dict_errorf("open %s: %m", name);
		return NULL;
	}
	text = strbuf_new(STRBUF_UNLIMITED);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_append(text, chunk, got);
	if (ferror(fp)) {
		*error_r = dict_errorf("read %s: %m", name);
		fclose(fp);
		strbuf_free(&text);
		return NULL;
	}
	fclose(fp);
	return strbuf_export(&text);
}

void dict_pattern_reader_init(struct dict_pattern_reader *reader, const char *text,
                              const char *file)
{
	reader->pos = text;
	reader->file = file;
	reader->lineno = 0;
}

/* True for a line (up to end) that is empty, blank or a comment. */
static bool ignorable(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p == end || *p == '#';
}

/* Reads one logical line, which may start with whitespace; false at the end. */
static bool read_logical(struct dict_pattern_reader *reader, struct strbuf *line, int *lineno_r)
{
	bool started = false;

	strbuf_reset(line);
	while (*reader->pos) {
		const char *start = reader->pos;
		const char *end = strchr(start, '\n');

		if (end == NULL)
			end = start + strlen(start);
		if (!ignorable(start, end)) {
			if (started && !isspace((unsigned char)*start))
				break;
			if (!started) {
				started = true;
				*lineno_r = reader->lineno + 1;
			}
			strbuf_append(line, start, (size_t)(end - start));
		}
		reader->lineno++;
		reader->pos = *end ? end + 1 : end;
	}
	strbuf_trim_end(line, " \t\r\n\v\f");
	return started;
}

bool dict_pattern_read(struct dict_pattern_reader *reader, struct strbuf *line, int *lineno_r)
{
	while (read_logical(reader, line, lineno_r)) {
		if (!isspace((unsigned char)strbuf_str(line)[0]))
			return true;
		msg_warn("%s: logical line must not start with whitespace: \"%s\"", reader->file,
		         strbuf_str(line));
	}
	return false;
}

bool dict_pattern_keyword(const char *text, const char *keyword)
{
	size_t len = strlen(keyword);

	return strncasecmp(text, keyword, len) == 0 && !isalnum((unsigned char)text[len]);
}

char *dict_pattern_skip_space(char **cursor)
{
	while (isspace((unsigned char)**cursor))
		(*cursor)++;
	return *cursor;
}

/*
 * Finds the macro name after a '$' at p: "{name}", "(name)" (nesting
 * counted) or a run of [A-Za-z0-9_].  Sets *name_r and *len_r and returns
 * the byte after the reference, or NULL for a missing close.
 */
static const char *macro_name(const char *p, const char **name_r, size_t *len_r)
{
	if (*p == '{' || *p == '(') {
		char open = *p, close = *p == '{' ? '}' : ')';
		int level = 1;

		*name_r = ++p;
		for (; *p; p++) {
			if (*p == open)
				level++;
			else if (*p == close && --level == 0)
				break;
		}
		if (*p == 0)
			return NULL;
		*len_r = (size_t)(p - *name_r);
		return p + 1;
	}
	*name_r = p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	*len_r = (size_t)(p - *name_r);
	return p;
}

/* The group number in name[0..len), or 0 when it is not all digits or huge. */
static size_t group_number(const char *name, size_t len, bool *numeric_r)
{
	size_t n = 0;

	*numeric_r = len > 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)name[i])) {
			*numeric_r = false;
			return 0;
		}
		n = n > 100000 ? n : n * 10 + (size_t)(name[i] - '0');
	}
	return n;
}

/*
 * Checks one $ reference at p (just after the '$').  Returns the next
 * byte, or NULL when the scan cannot go on.  A bad index is reported but
 * the scan goes on (*bad_r is set), as Postfix's does.  *max_r collects
 * the largest index.
 */
static const char *check_reference(const char *result, const char *p, bool *bad_r, size_t *max_r,
                                   const char *label, int lineno)
{
	const char *name;
	size_t len, n;
	bool numeric;

	if ((p = macro_name(p, &name, &len)) == NULL) {
		msg_warn("truncated macro reference: \"%s\"", result);
		return NULL;
	}
	if (len == 0) {
		msg_warn("empty macro name: \"%s\"", result);
		return NULL;
	}
	n = group_number(name, len, &numeric);
	if (!numeric) {
		msg_warn("%s, line %d: non-numeric replacement index \"%.*s\"", label, lineno,
		         (int)len, name);
		*bad_r = true;
	} else if (n == 0) {
		msg_warn("%s, line %d: out-of-range replacement index \"%.*s\"", label, lineno,
		         (int)len, name);
		*bad_r = true;
	} else if (n > *max_r) {
		*max_r = n;
	}
	return p;
}

bool dict_pattern_check_result(const char *result, bool negated, size_t *max_r, const char *label,
                               int lineno)
{
	const char *p = result;
	bool bad = false;

	*max_r = 0;
	while (p != NULL && *p) {
		if (*p++ != '$')
			continue;
		if (*p == '$') {
			p++;
			continue;
		}
		if ((p = check_reference(result, p, &bad, max_r, label, lineno)) == NULL)
			bad = true;
	}
	if (bad) {
		msg_warn("%s, line %d: bad replacement syntax: skipping this rule", label, lineno);
		return false;
	}
	if (negated && *max_r > 0) {
		msg_warn("%s, line %d: $number found in negative match replacement text: "
		         "skipping this rule",
		         label, lineno);
		return false;
	}
	return true;
}

void dict_pattern_expand(const char *result, dict_pattern_group_fn group, void *context,
                         struct strbuf *out)
{
	const char *p = result;

	while (*p) {
		const char *dollar = strchr(p, '$');
		const char *name, *text;
		size_t len, text_len = 0;
		bool numeric;

		if (dollar == NULL) {
			strbuf_append_str(out, p);
			return;
		}
		strbuf_append(out, p, (size_t)(dollar - p));
		if (dollar[1] == '$') {
			strbuf_append_char(out, '$');
			p = dollar + 2;
			continue;
		}
		if ((p = macro_name(dollar + 1, &name, &len)) == NULL)
			msg_panic("dict_pattern_expand: unchecked result \"%s\"", result);
		text = group(context, group_number(name, len, &numeric), &text_len);
		if (text != NULL)
			strbuf_append(out, text, text_len);
	}
}

/* Appends a rule and returns it, zeroed apart from the common fields. */
static struct dict_pattern_rule *add_rule(struct dict_pattern_list *list,
                                          enum dict_pattern_kind kind, bool negate, int lineno)
{
	struct dict_pattern_rule *rule;

	if (list->count == list->capacity) {
		list->capacity = list->capacity ? 2 * list->capacity : 16;
		list->rules = xreallocarray(list->rules, list->capacity, sizeof(*list->rules));
	}
	rule = &list->rules[list->count++];
	memset(rule, 0, sizeof(*rule));
	rule->kind = kind;
	rule->negate = negate;
	rule->lineno = lineno;
	return rule;
}

void dict_pattern_list_add_match(struct dict_pattern_list *list, bool negate, int lineno,
                                 void *compiled, const char *result)
{
	struct dict_pattern_rule *rule = add_rule(list, DICT_PATTERN_MATCH, negate, lineno);

	rule->compiled = compiled;
	rule->result = xstrdup(result);
}

void dict_pattern_list_add_if(struct dict_pattern_list *list, bool negate, int lineno,
                              void *compiled)
{
	add_rule(list, DICT_PATTERN_IF, negate, lineno)->compiled = compiled;
	if (list->depth == list->open_capacity) {
		list->open_capacity = list->open_capacity ? 2 * list->open_capacity : 8;
		list->open_ifs =
		    xreallocarray(list->open_ifs, list->open_capacity, sizeof(*list->open_ifs));
	}
	list->open_ifs[list->depth++] = list->count - 1;
}

bool dict_pattern_list_add_endif(struct dict_pattern_list *list, int lineno)
{
	if (list->depth == 0)
		return false;
	add_rule(list, DICT_PATTERN_ENDIF, false, lineno);
	list->rules[list->open_ifs[--list->depth]].skip_to = list->count - 1;
	return true;
}

void dict_pattern_list_finish(struct dict_pattern_list *list, const char *label)
{
	while (list->depth > 0) {
		struct dict_pattern_rule *rule = &list->rules[list->open_ifs[--list->depth]];

		msg_warn("%s, line %d: IF has no matching ENDIF", label, rule->lineno);
		rule->skip_to = list->count;
	}
	xfree_ptr(&list->open_ifs);
	list->open_capacity = 0;
}

enum dict_pattern_parse {
	PARSE_OK,
	PARSE_EMPTY,    /* nothing where the pattern should be */
	PARSE_NO_CLOSE, /* no closing delimiter */
};

/*
 * Parses "/pattern/flags" at *cursor, terminating pattern and flags in
 * place.  Any byte may delimit.  A backslash protects the next byte and
 * is kept for the regex engine; a backslash that ends the line closes
 * the pattern, which is what Postfix makes of it.
 */
static enum dict_pattern_parse delimited(char **cursor, char **pattern_r, char **flags_r,
                                         char *delim_r)
{
	char *p = *cursor;

	if ((*delim_r = *p) == 0)
		return PARSE_EMPTY;
	*pattern_r = ++p;
	for (; *p; p++) {
		if (*p == '\\') {
			if (p[1] == 0)
				break;
			p++;
		} else if (*p == *delim_r) {
			break;
		}
	}
	if (*p == 0)
		return PARSE_NO_CLOSE;
	*p++ = 0;
	*flags_r = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = 0;
	*cursor = p;
	return PARSE_OK;
}

/* A rule's pattern, split out of its line but not yet compiled. */
struct regex_pattern {
	char *pattern;
	unsigned options;
	bool negate;
};

/*
 * Parses "[!]/pattern/flags" at *cursor, each "!" toggling the negation
 * and whitespace allowed around them; false after a warning.
 */
static bool parse_pattern(char **cursor, struct regex_pattern *pat, const char *label, int lineno,
                          const struct dict_pattern_regex_syntax *syntax)
{
	char *flags, delim;

	pat->negate = false;
	for (; **cursor == '!' || isspace((unsigned char)**cursor); (*cursor)++)
		if (**cursor == '!')
			pat->negate = !pat->negate;
	switch (delimited(cursor, &pat->pattern, &flags, &delim)) {
	case PARSE_EMPTY:
		msg_warn("%s, line %d: no regexp: skipping this rule", label, lineno);
		return false;
	case PARSE_NO_CLOSE:
		msg_warn("%s, line %d: no closing regexp delimiter \"%c\": %s this rule", label,
		         lineno, delim, syntax->no_close_action);
		return false;
	case PARSE_OK:
		break;
	}
	return syntax->flags(flags, &pat->options, label, lineno);
}

static void parse_if(struct dict_pattern_list *list, char *p, const char *label, int lineno,
                     const struct dict_pattern_regex_syntax *syntax, void *context)
{
	struct regex_pattern pat;
	size_t groups;
	void *compiled;

	if (!parse_pattern(&p, &pat, label, lineno, syntax))
		return;
	if (*dict_pattern_skip_space(&p)) {
		msg_warn("%s, line %d: ignoring extra text after IF statement: \"%s\"", label,
		         lineno, p);
		msg_warn("%s, line %d: do not prepend whitespace to statements between IF and "
		         "ENDIF",
		         label, lineno);
	}
	compiled = syntax->compile(context, pat.pattern, pat.options, label, lineno, &groups);
	if (compiled != NULL)
		dict_pattern_list_add_if(list, pat.negate, lineno, compiled);
}

static void parse_match(struct dict_pattern_list *list, char *p, const char *label, int lineno,
                        const struct dict_pattern_regex_syntax *syntax, void *context)
{
	struct regex_pattern pat;
	size_t groups, max_used;
	void *compiled;

	if (!parse_pattern(&p, &pat, label, lineno, syntax))
		return;
	if (*dict_pattern_skip_space(&p) == 0)
		msg_warn("%s, line %d: no replacement text: using empty string", label, lineno);
	if (!dict_pattern_check_result(p, pat.negate, &max_used, label, lineno))
		return;
	compiled = syntax->compile(context, pat.pattern, pat.options, label, lineno, &groups);
	if (compiled == NULL)
		return;
	if (max_used > groups) {
		msg_warn("%s, line %d: out of range replacement index \"%zu\": skipping this rule",
		         label, lineno, max_used);
		syntax->free(compiled);
		return;
	}
	dict_pattern_list_add_match(list, pat.negate, lineno, compiled, p);
}

void dict_pattern_list_parse_regex(struct dict_pattern_list *list, const char *text,
                                   const char *label, const char *file,
                                   const struct dict_pattern_regex_syntax *syntax, void *context)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	struct dict_pattern_reader reader;
	int lineno;

	dict_pattern_reader_init(&reader, text, file);
	while (dict_pattern_read(&reader, line, &lineno)) {
		char *p = line->data;

		if (dict_pattern_keyword(p, "if")) {
			parse_if(list, p + 2, label, lineno, syntax, context);
		} else if (dict_pattern_keyword(p, "endif")) {
			p += 5;
			if (!dict_pattern_list_add_endif(list, lineno))
				msg_warn("%s, line %d: ignoring ENDIF without matching IF", label,
				         lineno);
			else if (*dict_pattern_skip_space(&p))
				msg_warn("%s, line %d: ignoring extra text after ENDIF", label,
				         lineno);
		} else if (isalnum((unsigned char)*p)) {
			msg_warn("%s, line %d: ignoring unrecognized request", label, lineno);
		} else {
			parse_match(list, p, label, lineno, syntax, context);
		}
	}
	dict_pattern_list_finish(list, label);
	strbuf_free(&line);
}

enum dict_status dict_pattern_list_lookup(const struct dict_pattern_list *list, const char *key,
                                          dict_pattern_match_fn match, dict_pattern_group_fn group,
                                          void *context, struct strbuf *out, const char **value_r,
                                          const char **error_r)
{
	size_t i = 0;

	while (i < list->count) {
		const struct dict_pattern_rule *rule = &list->rules[i];
		int matched;

		if (rule->kind == DICT_PATTERN_ENDIF) {
			i++;
			continue;
		}
		matched = match(context, rule->compiled, key, rule->lineno);
		if (matched == DICT_PATTERN_NOT_APPLICABLE || (matched == 1) == rule->negate) {
			i = rule->kind == DICT_PATTERN_IF ? rule->skip_to : i + 1;
			continue;
		}
		if (rule->kind == DICT_PATTERN_IF) {
			i++;
			continue;
		}
		strbuf_reset(out);
		if (group != NULL)
			dict_pattern_expand(rule->result, group, context, out);
		else
			strbuf_append_str(out, rule->result);
		*value_r = strbuf_str(out);
		return DICT_FOUND;
	}
	return DICT_NOT_FOUND;
}

void dict_pattern_list_free(struct dict_pattern_list *list, dict_pattern_free_fn free_fn)
{
	for (size_t i = 0; i < list->count; i++) {
		if (list->rules[i].compiled != NULL)
			free_fn(list->rules[i].compiled);
		free(list->rules[i].result);
	}
	free(list->rules);
	free(list->open_ifs);
	memset(list, 0, sizeof(*list));
}
