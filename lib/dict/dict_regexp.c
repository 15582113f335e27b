/*
 * dict_regexp - the regexp: table type on regcomp(3)/regexec(3).  The
 * rule syntax and search live in dict_pattern; this file supplies the
 * flags (i and x on by default, m off), compilation and matching, and
 * hands capture groups to the $n expansion.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict_pattern.h"
#include "dict/dict_regexp.h"
#include "util/alloc.h"
#include "util/msg.h"

struct dict_regexp {
	struct dict dict;
	struct dict_pattern_list rules;
	regmatch_t *pmatch; /* groups of the last match, sized for the largest pattern */
	size_t pmatch_size;
	const char *key;          /* the key of the lookup in progress */
	struct strbuf *expansion; /* the value returned by the last lookup */
	char *label;              /* "regexp map FILE" */
};

/* Turns the flag letters into regcomp() flags; false after a warning. */
static bool regexp_flags(const char *flags, unsigned *cflags_r, const char *label, int lineno)
{
	*cflags_r = REG_EXTENDED | REG_ICASE;
	for (const char *f = flags; *f; f++) {
		switch (*f) {
		case 'i':
			*cflags_r ^= REG_ICASE;
			break;
		case 'x':
			*cflags_r ^= REG_EXTENDED;
			break;
		case 'm':
			*cflags_r ^= REG_NEWLINE;
			break;
		default:
			msg_warn("%s, line %d: unknown regexp option \"%c\": skipping this rule",
			         label, lineno, *f);
			return false;
		}
	}
	return true;
}

static void *regexp_compile(void *context, const char *pattern, unsigned cflags, const char *label,
                            int lineno, size_t *groups_r)
{
	struct dict_regexp *dict = context;
	regex_t *re = xmalloc(sizeof(*re));
	int err;

	if ((err = regcomp(re, pattern, (int)cflags)) != 0) {
		char text[256];

		regerror(err, re, text, sizeof(text));
		msg_warn("%s, line %d: %s", label, lineno, text);
		free(re);
		return NULL;
	}
	*groups_r = re->re_nsub;
	if (re->re_nsub + 1 > dict->pmatch_size) {
		dict->pmatch_size = re->re_nsub + 1;
		dict->pmatch = xreallocarray(dict->pmatch, dict->pmatch_size, sizeof(regmatch_t));
	}
	return re;
}

static void regexp_free(void *compiled)
{
	regex_t *re = compiled;

	regfree(re);
	free(re);
}

static int regexp_match(void *context, void *compiled, const char *key, int lineno)
{
	struct dict_regexp *dict = context;
	regex_t *re = compiled;
	int err = regexec(re, key, re->re_nsub + 1, dict->pmatch, 0);
	char text[256];

	if (err == 0)
		return 1;
	if (err == REG_NOMATCH)
		return 0;
	regerror(err, re, text, sizeof(text));
	msg_warn("%s, line %d: %s", dict->label, lineno, text);
	return DICT_PATTERN_NOT_APPLICABLE;
}

static const char *regexp_group(void *context, size_t n, size_t *len_r)
{
	struct dict_regexp *dict = context;
	const regmatch_t *m = &dict->pmatch[n];

	if (m->rm_so < 0)
		return NULL;
	*len_r = (size_t)(m->rm_eo - m->rm_so);
	return dict->key + m->rm_so;
}

static enum dict_status regexp_lookup(struct dict *base, const char *key, const char **value_r,
                                      const char **error_r)
{
	struct dict_regexp *dict = (struct dict_regexp *)base;

	dict->key = key;
	return dict_pattern_list_lookup(&dict->rules, key, regexp_match, regexp_group, dict,
	                                dict->expansion, value_r, error_r);
}

static void regexp_close(struct dict *base)
{
	struct dict_regexp *dict = (struct dict_regexp *)base;

	dict_pattern_list_free(&dict->rules, regexp_free);
	free(dict->pmatch);
	strbuf_free(&dict->expansion);
	free(dict->label);
}

static const struct dict_pattern_regex_syntax regexp_syntax = {
    .flags = regexp_flags,
    .compile = regexp_compile,
    .free = regexp_free,
    .no_close_action = "skipping",
};

static const struct dict_ops regexp_ops = {
    .lookup = regexp_lookup,
    .close = regexp_close,
};

struct dict *dict_regexp_open(const char *name, int flags, const char **error_r)
{
	char *text = dict_pattern_load("regexp", name, error_r);
	struct dict_regexp *dict;
	size_t label_len;

	if (text == NULL)
		return NULL;
	dict = xcalloc(1, sizeof(*dict));
	/* Patterns carry their own case rule (the i flag); Postfix never folds their keys. */
	dict_init(&dict->dict, &regexp_ops, "regexp", name, flags & ~DICT_FLAG_FOLD_CASE,
	          DICT_PROP_PATTERN | (*name == '{' ? 0 : DICT_PROP_FILE));
	if (*name != '{')
		dict_watch_file(&dict->dict, name);
	label_len = strlen("regexp map ") + strlen(name) + 1;
	dict->label = xmalloc(label_len);
	snprintf(dict->label, label_len, "regexp map %s", name);
	dict->expansion = strbuf_new(STRBUF_UNLIMITED);
	dict_pattern_list_parse_regex(&dict->rules, text, dict->label, name, &regexp_syntax, dict);
	free(text);
	return &dict->dict;
}
