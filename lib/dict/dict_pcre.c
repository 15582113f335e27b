/*
 * dict_pcre - the pcre: table type on PCRE2.  The rule syntax and search
 * live in dict_pattern; this file supplies PCRE's flags (i and s on by
 * default), compilation, matching and the capture groups for $n.
 *
 * Compilation uses no UTF mode: keys are bytes (addresses, header lines
 * in any charset), and a UTF check would make invalid bytes an error
 * instead of a plain mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dict/dict_pattern.h"
#include "dict/dict_pcre.h"
#include "util/alloc.h"
#include "util/msg.h"

struct dict_pcre {
	struct dict dict;
	struct dict_pattern_list rules;
	pcre2_match_data *match;  /* groups of the last match */
	uint32_t max_groups;      /* the most capture groups of any pattern */
	const char *key;          /* the key of the lookup in progress */
	struct strbuf *expansion; /* the value returned by the last lookup */
	char *label;              /* "pcre map FILE" */
};

/* The flag letters and the PCRE2 option each toggles. */
static const struct {
	char letter;
	uint32_t option;
} pcre_flag_table[] = {
    {'i', PCRE2_CASELESS}, {'m', PCRE2_MULTILINE}, {'s', PCRE2_DOTALL},
    {'x', PCRE2_EXTENDED}, {'A', PCRE2_ANCHORED},  {'E', PCRE2_DOLLAR_ENDONLY},
    {'U', PCRE2_UNGREEDY},
};

/* Turns the flag letters into pcre2_compile() options; false after a warning. */
static bool pcre_flags(const char *flags, unsigned *options_r, const char *label, int lineno)
{
	*options_r = PCRE2_CASELESS | PCRE2_DOTALL;
	for (const char *f = flags; *f; f++) {
		size_t i;

		/* PCRE2 dropped PCRE_EXTRA; Postfix on PCRE2 warns and goes on. */
		if (*f == 'X') {
			msg_warn("%s, line %d: ignoring obsolete regexp option \"%c\"", label,
			         lineno, *f);
			continue;
		}
		for (i = 0; i < sizeof(pcre_flag_table) / sizeof(pcre_flag_table[0]); i++)
			if (pcre_flag_table[i].letter == *f)
				break;
		if (i == sizeof(pcre_flag_table) / sizeof(pcre_flag_table[0])) {
			msg_warn("%s, line %d: unknown regexp option \"%c\": skipping this rule",
			         label, lineno, *f);
			return false;
		}
		*options_r ^= pcre_flag_table[i].option;
	}
	return true;
}

static void *pcre_compile_rule(void *context, const char *pattern, unsigned options,
                               const char *label, int lineno, size_t *groups_r)
{
	struct dict_pcre *dict = context;
	PCRE2_SIZE offset;
	uint32_t groups;
	pcre2_code *code;
	int err;

	code =
	    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &err, &offset, NULL);
	if (code == NULL) {
		PCRE2_UCHAR text[256];

		pcre2_get_error_message(err, text, sizeof(text));
		msg_warn("%s, line %d: error in regex at offset %zu: %s", label, lineno,
		         (size_t)offset, (const char *)text);
		return NULL;
	}
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
	*groups_r = groups;
	if (dict->match == NULL || groups > dict->max_groups) {
		dict->max_groups = groups;
		pcre2_match_data_free(dict->match);
		dict->match = pcre2_match_data_create(groups + 1, NULL);
		if (dict->match == NULL)
			msg_fatal("pcre2_match_data_create: out of memory");
	}
	return code;
}

static void pcre_free_rule(void *compiled)
{
	pcre2_code_free(compiled);
}

static int pcre_match(void *context, void *compiled, const char *key, int lineno)
{
	struct dict_pcre *dict = context;
	int rc = pcre2_match(compiled, (PCRE2_SPTR)key, strlen(key), 0, 0, dict->match, NULL);
	PCRE2_UCHAR text[256];

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	pcre2_get_error_message(rc, text, sizeof(text));
	msg_warn("%s, line %d: %s", dict->label, lineno, (const char *)text);
	return DICT_PATTERN_NOT_APPLICABLE;
}

static const char *pcre_group(void *context, size_t n, size_t *len_r)
{
	struct dict_pcre *dict = context;
	PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(dict->match);

	if (n >= pcre2_get_ovector_count(dict->match) || ovector[2 * n] == PCRE2_UNSET)
		return NULL;
	*len_r = ovector[2 * n + 1] - ovector[2 * n];
	return dict->key + ovector[2 * n];
}

static enum dict_status pcre_lookup(struct dict *base, const char *key, const char **value_r,
                                    const char **error_r)
{
	struct dict_pcre *dict = (struct dict_pcre *)base;

	dict->key = key;
	return dict_pattern_list_lookup(&dict->rules, key, pcre_match, pcre_group, dict,
	                                dict->expansion, value_r, error_r);
}

static void pcre_close(struct dict *base)
{
	struct dict_pcre *dict = (struct dict_pcre *)base;

	dict_pattern_list_free(&dict->rules, pcre_free_rule);
	pcre2_match_data_free(dict->match);
	strbuf_free(&dict->expansion);
	free(dict->label);
}

static const struct dict_pattern_regex_syntax pcre_syntax = {
    .flags = pcre_flags,
    .compile = pcre_compile_rule,
    .free = pcre_free_rule,
    .no_close_action = "ignoring",
};

static const struct dict_ops pcre_ops = {
    .lookup = pcre_lookup,
    .close = pcre_close,
};

struct dict *dict_pcre_open(const char *name, int flags, const char **error_r)
{
	char *text = dict_pattern_load("pcre", name, error_r);
	struct dict_pcre *dict;
	size_t label_len;

	if (text == NULL)
		return NULL;
	dict = xcalloc(1, sizeof(*dict));
	/* Patterns carry their own case rule (the i flag); Postfix never folds their keys. */
	dict_init(&dict->dict, &pcre_ops, "pcre", name, flags & ~DICT_FLAG_FOLD_CASE,
	          DICT_PROP_PATTERN | (*name == '{' ? 0 : DICT_PROP_FILE));
	if (*name != '{')
		dict_watch_file(&dict->dict, name);
	label_len = strlen("pcre map ") + strlen(name) + 1;
	dict->label = xmalloc(label_len);
	snprintf(dict->label, label_len, "pcre map %s", name);
	dict->expansion = strbuf_new(STRBUF_UNLIMITED);
	dict_pattern_list_parse_regex(&dict->rules, text, dict->label, name, &pcre_syntax, dict);
	free(text);
	return &dict->dict;
}
