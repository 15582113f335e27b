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
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"

/* Opens a pcre table written from text; test_dict_table_remove() undoes it. */
static struct dict *open_table(const char *text, char **path_r)
{
	return test_dict_table_from_text(dict_pcre_open, "pcre", text, path_r);
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
	static const struct test_dict_table_case cases[] = {
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

	test_msg_capture_expect(path, "");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
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
	static const struct test_dict_table_case cases[] = {
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

	test_msg_capture_expect(path,
	                        "warning: pcre map FILE, line 10: ignoring obsolete regexp option "
	                        "\"X\"\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char substitution_table[] = "/^sub(x)(y)$/ a$1-b$(2)c$$d${1}e\n"
                                         "/^ten(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$/ r$10\n"
                                         "/^opt(x)?(y)$/ o[$1]$2\n"
                                         "/^(?<name>n)(m)$/ named:$1$2\n"
                                         "!!/^twice$/ double\n"
                                         "! /^neg/ negated\n";

static void test_substitution_and_negation(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"subxy", "ax-byc$dxe"}, {"SUBXY", "aX-bYc$dXe"}, {"tenabcdefghij", "rj"},
	    {"opty", "o[]y"},        {"optxy", "o[x]y"},      {"nm", "named:nm"},
	    {"twice", "double"},     {"neg", NULL},           {"other", "negated"},
	};
	char *path;
	struct dict *dict = open_table(substitution_table, &path);

	test_msg_capture_expect(path, "");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
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
	static const struct test_dict_table_case cases[] = {
	    {"subx", NULL},  {"nores", ""},  {"negy", NULL},   {"flag", NULL},
	    {"zeroq", NULL}, {"bigq", NULL}, {"good", "good"}, {"unterminated", NULL},
	};
	char *path;
	struct dict *dict = open_table(bad_rules_table, &path);

	test_msg_capture_expect(
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
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
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
	static const struct test_dict_table_case cases[] = {
	    {"onlyx", "x"}, {"a", "in:"}, {"ac", "in:c"}, {"ab", "ab:"}, {"abx", "ab:x"},
	    {"z", "zz"},    {"y", "yy"},  {"nx", "xx"},   {"x", NULL},   {"b", NULL},
	};
	char *path;
	struct dict *dict = open_table(if_table, &path);

	test_msg_capture_expect(
	    path, "warning: pcre map FILE, line 2: ignoring ENDIF without matching IF\n"
	          "warning: pcre map FILE, line 9: ignoring extra text after IF statement: "
	          "\"extra\"\n"
	          "warning: pcre map FILE, line 9: do not prepend whitespace to statements "
	          "between IF and ENDIF\n"
	          "warning: pcre map FILE, line 12: error in regex at offset 3: missing "
	          "closing parenthesis\n"
	          "warning: pcre map FILE, line 14: ignoring ENDIF without matching IF\n"
	          "warning: pcre map FILE, line 15: IF has no matching ENDIF\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_inline_table_and_open_errors(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"x", "y"}, {"qa", "a"}, {"other", NULL}};
	const char *error = NULL;
	struct dict *dict = dict_open("pcre:{ {/^x$/ y}, {/^q(.)$/ $1} }", NULL, 0, &error);

	assert_non_null(dict);
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
	assert_null(dict_pcre_open("{ {/^x$/ y} junk }", 0, &error));
	assert_string_equal(error, "pcre map: no '{' at start of text in \"junk\"");
	assert_null(dict_pcre_open("/nonexistent/postern/pcre", 0, &error));
	assert_string_equal(error, "open /nonexistent/postern/pcre: No such file or directory");
}

static int setup(void **state)
{
	test_msg_capture_start();
	return 0;
}

static int teardown(void **state)
{
	test_msg_capture_stop();
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
