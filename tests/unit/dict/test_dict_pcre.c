/*
 * Unit tests for lib/dict/dict_pcre: pcre_table(5)'s examples, each flag,
 * $n substitution, if/endif, and malformed rules with their file:line
 * warnings.  The reference copy of Postfix 3.7 has no pcre module, so
 * the warnings follow Postfix 3.7's dict_pcre on PCRE2 as its source
 * reads; the rule syntax shared with regexp: is compared against
 * "postmap -q" in test_dict_regexp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_pcre.h"
#include "util/msg.h"
#include "util/strbuf.h"

static struct strbuf *warnings;

static void capture(enum msg_level level, const char *text)
{
	strbuf_printf(warnings, "%s%s\n", msg_level_prefix(level), text);
}

/* Writes text to a temporary file; returns its path (caller frees). */
static char *write_table(const char *text)
{
	char *path = strdup("/tmp/test_dict_pcre.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Opens a table from text, capturing its warnings with the path replaced by "FILE". */
static struct dict *open_table(const char *text, char **path_r)
{
	const char *error = NULL;
	struct dict *dict;

	*path_r = write_table(text);
	strbuf_reset(warnings);
	dict = dict_pcre_open(*path_r, 0, &error);
	if (dict == NULL)
		fail_msg("open %s: %s", *path_r, error);
	return dict;
}

static void expect_warnings(const char *path, const char *want)
{
	struct strbuf *got = strbuf_new(STRBUF_UNLIMITED);
	const char *p = strbuf_str(warnings), *hit;

	while ((hit = strstr(p, path)) != NULL) {
		strbuf_append(got, p, (size_t)(hit - p));
		strbuf_append_str(got, "FILE");
		p = hit + strlen(path);
	}
	strbuf_append_str(got, p);
	if (strcmp(strbuf_str(got), want) != 0) {
		const char *g = strbuf_str(got);
		size_t at = 0;

		while (g[at] && g[at] == want[at])
			at++;
		while (at > 0 && g[at - 1] != '\n')
			at--;
		fail_msg("warnings differ: got \"%.200s\", want \"%.200s\"", g + at, want + at);
	}
	strbuf_free(&got);
}

struct lookup_case {
	const char *key;
	const char *want; /* NULL: not found */
};

static void expect_lookups(struct dict *dict, const struct lookup_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *value = NULL, *error = NULL;
		enum dict_status status = dict->ops->lookup(dict, cases[i].key, &value, &error);

		if (cases[i].want == NULL && status != DICT_NOT_FOUND)
			fail_msg("key \"%s\": got status %d value \"%s\", want not found",
			         cases[i].key, status, status == DICT_FOUND ? value : "");
		if (cases[i].want != NULL &&
		    (status != DICT_FOUND || strcmp(value, cases[i].want) != 0))
			fail_msg("key \"%s\": got status %d value \"%s\", want \"%s\"",
			         cases[i].key, status, status == DICT_FOUND ? value : "",
			         cases[i].want);
	}
}

static void close_table(struct dict **dict, char **path)
{
	dict_close(dict);
	assert_null(*dict);
	unlink(*path);
	free(*path);
}

static const char man_page_table[] =
    "# Protect your outgoing majordomo exploders\n"
    "/^(?!owner-)(.*)-outgoing@(.*)/ 550 Use ${1}@${2} instead\n"
    "/^(friend@(?!my\\.domain$).*)$/  550 Stick this in your pipe $1\n"
    "/^noddy@my\\.domain$/\n"
    " 550 This user is a funny one. You really don't want to send mail to\n"
    " them as it only makes their head spin.\n"
    "/^Subject: make money fast/     REJECT\n"
    "~^[[:alnum:]+/]{60,}$~          OK\n";

static void test_man_page_examples(void **state)
{
	static const struct lookup_case cases[] = {
	    {"list-outgoing@example.com", "550 Use list@example.com instead"},
	    {"owner-list-outgoing@example.com", NULL},
	    {"friend@example.com", "550 Stick this in your pipe friend@example.com"},
	    {"friend@my.domain", NULL},
	    {"NODDY@my.domain", "550 This user is a funny one. You really don't want to send "
	                        "mail to them as it only makes their head spin."},
	    {"subject: Make Money Fast!", "REJECT"},
	    {"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5", "OK"},
	    {"nobody@example.com", NULL},
	};
	char *path;
	struct dict *dict = open_table(man_page_table, &path);

	expect_warnings(path, "");
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	close_table(&dict, &path);
}

static const char flags_table[] = "/^case$/i sensitive\n"
                                  "/^a.b$/s no-dotall\n"
                                  "/^line$/m multiline\n"
                                  "/^x y z$/x extended\n"
                                  "/b+c/A anchored\n"
                                  "/^end$/E endonly\n"
                                  "/^dollar$/ dollar-nl\n"
                                  "/^g(.+)x/U ungreedy:$1\n"
                                  "/^h(.+)x/ greedy:$1\n"
                                  "/^obsolete$/X extra\n"
                                  "/^dot.all$/ dotall\n";

static void test_each_flag(void **state)
{
	static const struct lookup_case cases[] = {
	    {"case", "sensitive"},
	    {"CASE", NULL},
	    {"a\nb", NULL},
	    {"axb", "no-dotall"},
	    {"one\nline\ntwo", "multiline"},
	    {"line", "multiline"},
	    {"xyz", "extended"},
	    {"x y z", NULL},
	    {"bbc", "anchored"},
	    {"abc", NULL},
	    {"end", "endonly"},
	    {"end\n", NULL},
	    {"dollar\n", "dollar-nl"},
	    {"gaxbx", "ungreedy:a"},
	    {"haxbx", "greedy:axb"},
	    {"OBSOLETE", "extra"},
	    {"dot\nall", "dotall"},
	};
	char *path;
	struct dict *dict = open_table(flags_table, &path);

	expect_warnings(path, "warning: pcre map FILE, line 10: ignoring obsolete regexp option "
	                      "\"X\"\n");
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	close_table(&dict, &path);
}

static const char substitution_table[] = "/^sub(x)(y)$/ a$1-b$(2)c$$d${1}e\n"
                                         "/^ten(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$/ r$10\n"
                                         "/^opt(x)?(y)$/ o[$1]$2\n"
                                         "/^(?<name>n)(m)$/ named:$1$2\n"
                                         "!!/^twice$/ double\n"
                                         "! /^neg/ negated\n";

static void test_substitution_and_negation(void **state)
{
	static const struct lookup_case cases[] = {
	    {"subxy", "ax-byc$dxe"}, {"SUBXY", "aX-bYc$dXe"}, {"tenabcdefghij", "rj"},
	    {"opty", "o[]y"},        {"optxy", "o[x]y"},      {"nm", "named:nm"},
	    {"twice", "double"},     {"neg", NULL},           {"other", "negated"},
	};
	char *path;
	struct dict *dict = open_table(substitution_table, &path);

	expect_warnings(path, "");
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	close_table(&dict, &path);
}

static const char bad_rules_table[] = "/^sub(x)$/ a$1b\n"
                                      "/nores/\n"
                                      "!/^neg(x)/ neg$1\n"
                                      "/bad(/ x\n"
                                      "/unterminated x\n"
                                      "/^flag/q bad\n"
                                      "/^dollarend$/ a$\n"
                                      "/^zero(.)$/ a$0\n"
                                      "/^big(.)$/ a$2\n"
                                      "/bad2(/ $1\n"
                                      "/bad3(/Xq x\n"
                                      "1abc\n"
                                      "/^good$/ good\n";

static void test_bad_rules_are_skipped_with_warnings(void **state)
{
	static const struct lookup_case cases[] = {
	    {"subx", NULL},  {"nores", ""},  {"negy", NULL},   {"flag", NULL},
	    {"zeroq", NULL}, {"bigq", NULL}, {"good", "good"}, {"unterminated", NULL},
	};
	char *path;
	struct dict *dict = open_table(bad_rules_table, &path);

	expect_warnings(
	    path,
	    "warning: pcre map FILE, line 1: non-numeric replacement index \"1b\"\n"
	    "warning: pcre map FILE, line 1: bad replacement syntax: skipping this rule\n"
	    "warning: pcre map FILE, line 2: no replacement text: using empty string\n"
	    "warning: pcre map FILE, line 3: $number found in negative match replacement text: "
	    "skipping this rule\n"
	    "warning: pcre map FILE, line 4: error in regex at offset 4: missing closing "
	    "parenthesis\n"
	    "warning: pcre map FILE, line 5: no closing regexp delimiter \"/\": ignoring this "
	    "rule\n"
	    "warning: pcre map FILE, line 6: unknown regexp option \"q\": skipping this rule\n"
	    "warning: empty macro name: \"a$\"\n"
	    "warning: pcre map FILE, line 7: bad replacement syntax: skipping this rule\n"
	    "warning: pcre map FILE, line 8: out-of-range replacement index \"0\"\n"
	    "warning: pcre map FILE, line 8: bad replacement syntax: skipping this rule\n"
	    "warning: pcre map FILE, line 9: out of range replacement index \"2\": skipping "
	    "this rule\n"
	    "warning: pcre map FILE, line 10: error in regex at offset 5: missing closing "
	    "parenthesis\n"
	    "warning: pcre map FILE, line 11: ignoring obsolete regexp option \"X\"\n"
	    "warning: pcre map FILE, line 11: unknown regexp option \"q\": skipping this rule\n"
	    "warning: pcre map FILE, line 12: ignoring unrecognized request\n");
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	close_table(&dict, &path);
}

static const char if_table[] = "/^only(.?)$/ $1\n"
                               "endif\n"
                               "if /^a/\n"
                               "if !/^ab/\n"
                               "/^a(.*)/ in:$1\n"
                               "endif\n"
                               "/^ab(.*)/ ab:$1\n"
                               "endif\n"
                               "IF /^z/ extra\n"
                               "/z/ zz\n"
                               "ENDIF\n"
                               "if /^y(/\n"
                               "/y/ yy\n"
                               "endif trailing\n"
                               "if /^n/\n"
                               "/x/ xx\n";

static void test_if_endif_nesting(void **state)
{
	static const struct lookup_case cases[] = {
	    {"onlyx", "x"}, {"a", "in:"}, {"ac", "in:c"}, {"ab", "ab:"}, {"abx", "ab:x"},
	    {"z", "zz"},    {"y", "yy"},  {"nx", "xx"},   {"x", NULL},   {"b", NULL},
	};
	char *path;
	struct dict *dict = open_table(if_table, &path);

	expect_warnings(path,
	                "warning: pcre map FILE, line 2: ignoring ENDIF without matching IF\n"
	                "warning: pcre map FILE, line 9: ignoring extra text after IF statement: "
	                "\"extra\"\n"
	                "warning: pcre map FILE, line 9: do not prepend whitespace to statements "
	                "between IF and ENDIF\n"
	                "warning: pcre map FILE, line 12: error in regex at offset 3: missing "
	                "closing parenthesis\n"
	                "warning: pcre map FILE, line 14: ignoring ENDIF without matching IF\n"
	                "warning: pcre map FILE, line 15: IF has no matching ENDIF\n");
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	close_table(&dict, &path);
}

static void test_inline_table_and_open_errors(void **state)
{
	static const struct lookup_case cases[] = {{"x", "y"}, {"qa", "a"}, {"other", NULL}};
	const char *error = NULL;
	struct dict *dict = dict_open("pcre:{ {/^x$/ y}, {/^q(.)$/ $1} }", NULL, 0, &error);

	assert_non_null(dict);
	expect_lookups(dict, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
	assert_null(dict_pcre_open("{ {/^x$/ y} junk }", 0, &error));
	assert_string_equal(error, "pcre map: no '{' at start of text in \"junk\"");
	assert_null(dict_pcre_open("/nonexistent/postern/pcre", 0, &error));
	assert_string_equal(error, "open /nonexistent/postern/pcre: No such file or directory");
}

static int setup(void **state)
{
	warnings = strbuf_new(STRBUF_UNLIMITED);
	msg_output_reset();
	msg_output_add(capture);
	return 0;
}

static int teardown(void **state)
{
	strbuf_free(&warnings);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_man_page_examples),
	    cmocka_unit_test(test_each_flag),
	    cmocka_unit_test(test_substitution_and_negation),
	    cmocka_unit_test(test_bad_rules_are_skipped_with_warnings),
	    cmocka_unit_test(test_if_endif_nesting),
	    cmocka_unit_test(test_inline_table_and_open_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
