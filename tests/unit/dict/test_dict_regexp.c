/*
 * Unit tests for lib/dict/dict_regexp (and the shared dict_pattern rule
 * machinery).  The tables, keys, results and warnings below were checked
 * against Debian's Postfix 3.7 "postmap -q" on the same files.
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

#include "dict/dict_regexp.h"
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"

/* Opens a regexp table written from text; test_dict_table_remove() undoes it. */
static struct dict *open_table(const char *text, char **path_r)
{
	return test_dict_table_from_text(dict_regexp_open, "regexp", text, path_r);
}

static const char man_page_table[] = "# from regexp_table(5)\n"
                                     "/[%!@].*[%!@]/       550 Sender-specified routing rejected\n"
                                     "/^postmaster@/       OK\n"
                                     "if !/^owner-/\n"
                                     "/^(.*)-outgoing@(.*)$/  550 Use ${1}@${2} instead\n"
                                     "endif\n"
                                     "~^[[:alnum:]+/]{60,}$~          BASE64\n";

static void test_man_page_examples(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"a@b@c", "550 Sender-specified routing rejected"},
	    {"postmaster@example.com", "OK"},
	    {"POSTMASTER@example.com", "OK"},
	    {"list-outgoing@example.com", "550 Use list@example.com instead"},
	    {"owner-list-outgoing@example.com", NULL},
	    {"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5", "BASE64"},
	    {"nobody@example.com", NULL},
	};
	char *path;
	struct dict *dict = open_table(man_page_table, &path);

	test_msg_capture_expect(path, "");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char syntax_table[] = "/^sub(x)(y)$/ a$1-b$(2)c$$d${1}e\n"
                                   "/^ten(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$/ r$10\n"
                                   "/^opt(x)?$/ o[$1]\n"
                                   "/^cs$/i casesens\n"
                                   "/^nl$/m multi\n"
                                   "/^(ab)+$/x basic\n"
                                   "/^multi$/ first\n"
                                   "  second\n"
                                   "# a comment inside a continued line\n"
                                   "\tthird\n"
                                   "|^bar(.)|  pipe$1\n"
                                   "/^a\\/b$/ slash\n"
                                   "/^trail$/   spaced result   \n"
                                   "! /^neg/ negated\n";

static void test_flags_substitution_continuation(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"subxy", "ax-byc$dxe"},
	    {"SUBXY", "aX-bYc$dXe"},
	    {"tenabcdefghij", "rj"},
	    {"opt", "o[]"},
	    {"optx", "o[x]"},
	    {"cs", "casesens"},
	    {"CS", "negated"},
	    {"a\nnl\nb", "multi"},
	    {"(ab)+", "basic"},
	    {"abab", "negated"},
	    {"multi", "first  second\tthird"},
	    {"barz", "pipez"},
	    {"a/b", "slash"},
	    {"trail", "spaced result"},
	    {"neg", NULL},
	};
	char *path;
	struct dict *dict = open_table(syntax_table, &path);

	test_msg_capture_expect(path, "");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char bad_rules_table[] = "/^sub(x)$/ a$1b\n"
                                      "/nores/\n"
                                      "!/^neg(x)/ neg$1\n"
                                      "/bad[/ x\n"
                                      "/unterminated x\n"
                                      "/^flag/q bad\n"
                                      "/^dollarend$/ a$\n"
                                      "/^dn(.)$/ a${1\n"
                                      "/^zero(.)$/ a$0\n"
                                      "/^big(.)$/ a$2\n"
                                      "/^nest(.)$/ ${1${1}}\n"
                                      " /^x$/ continued\n"
                                      "1abc\n"
                                      "/^good$/ good\n";

static void test_bad_rules_are_skipped_with_warnings(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"subx", NULL}, {"nores", ""},    {"negy", NULL},         {"flag", NULL},
	    {"dnq", NULL},  {"zeroq", NULL},  {"bigq", NULL},         {"nestq", NULL},
	    {"x", NULL},    {"good", "good"}, {"unterminated", NULL},
	};
	char *path;
	struct dict *dict = open_table(bad_rules_table, &path);

	test_msg_capture_expect(
	    path,
	    "warning: regexp map FILE, line 1: non-numeric replacement index \"1b\"\n"
	    "warning: regexp map FILE, line 1: bad replacement syntax: skipping this rule\n"
	    "warning: regexp map FILE, line 2: no replacement text: using empty string\n"
	    "warning: regexp map FILE, line 3: $number found in negative match replacement "
	    "text: skipping this rule\n"
	    "warning: regexp map FILE, line 4: Invalid regular expression\n"
	    "warning: regexp map FILE, line 5: no closing regexp delimiter \"/\": skipping this "
	    "rule\n"
	    "warning: regexp map FILE, line 6: unknown regexp option \"q\": skipping this rule\n"
	    "warning: empty macro name: \"a$\"\n"
	    "warning: regexp map FILE, line 7: bad replacement syntax: skipping this rule\n"
	    "warning: truncated macro reference: \"a${1\"\n"
	    "warning: regexp map FILE, line 8: bad replacement syntax: skipping this rule\n"
	    "warning: regexp map FILE, line 9: out-of-range replacement index \"0\"\n"
	    "warning: regexp map FILE, line 9: bad replacement syntax: skipping this rule\n"
	    "warning: regexp map FILE, line 10: out of range replacement index \"2\": skipping "
	    "this rule\n"
	    "warning: regexp map FILE, line 11: non-numeric replacement index \"1${1}\"\n"
	    "warning: empty macro name: \"${1${1}} /^x$/ continued\"\n"
	    "warning: regexp map FILE, line 11: bad replacement syntax: skipping this rule\n"
	    "warning: regexp map FILE, line 13: ignoring unrecognized request\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char order_table[] = "/bad[/\n"
                                  "/bad2[/ a$\n"
                                  "/bad3[/ $1\n"
                                  "/x/q $1\n"
                                  "!/neg(.)/ $1\n"
                                  "!!/^x$/ double\n"
                                  "! ! /^y$/ twice\n"
                                  "!/^z$/ not-z\n";

/* Postfix checks flags, then the result, then compiles: the order decides the warnings. */
static void test_check_order_and_repeated_negation(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"x", "double"}, {"y", "twice"}, {"z", NULL}, {"w", "not-z"}};
	char *path;
	struct dict *dict = open_table(order_table, &path);

	test_msg_capture_expect(
	    path, "warning: regexp map FILE, line 1: no replacement text: using empty string\n"
	          "warning: regexp map FILE, line 1: Invalid regular expression\n"
	          "warning: empty macro name: \"a$\"\n"
	          "warning: regexp map FILE, line 2: bad replacement syntax: skipping this rule\n"
	          "warning: regexp map FILE, line 3: Invalid regular expression\n"
	          "warning: regexp map FILE, line 4: unknown regexp option \"q\": skipping this "
	          "rule\n"
	          "warning: regexp map FILE, line 5: $number found in negative match replacement "
	          "text: skipping this rule\n");
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
                               "if/^y/\n"
                               "/y/ yy\n"
                               "endif trailing\n"
                               "if\n"
                               "/^q/ q\n"
                               "if /^n/\n"
                               "if /^nn/\n"
                               "/x/ xx\n";

static void test_if_endif_nesting(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"onlyx", "x"},  {"a", "in:"}, {"ac", "in:c"}, {"ab", "ab:"},
	    {"abx", "ab:x"}, {"z", "zz"},  {"y", "yy"},    {"yz", "yy"},
	    {"q", "q"},      {"x", NULL},  {"b", NULL},
	};
	char *path;
	struct dict *dict = open_table(if_table, &path);

	test_msg_capture_expect(
	    path, "warning: regexp map FILE, line 2: ignoring ENDIF without matching IF\n"
	          "warning: regexp map FILE, line 9: ignoring extra text after IF statement: "
	          "\"extra\"\n"
	          "warning: regexp map FILE, line 9: do not prepend whitespace to statements "
	          "between IF and ENDIF\n"
	          "warning: regexp map FILE, line 14: ignoring extra text after ENDIF\n"
	          "warning: regexp map FILE, line 15: no regexp: skipping this rule\n"
	          "warning: regexp map FILE, line 18: IF has no matching ENDIF\n"
	          "warning: regexp map FILE, line 17: IF has no matching ENDIF\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_leading_whitespace_at_start(void **state)
{
	static const struct test_dict_table_case cases[] = {{"lead", NULL}, {"next", "n"}};
	char *path;
	struct dict *dict = open_table(" /^lead$/ L\n  more\n/^next$/ n\n", &path);

	test_msg_capture_expect(path, "warning: FILE: logical line must not start with whitespace: "
	                              "\" /^lead$/ L  more\"\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_trailing_backslash_closes_pattern(void **state)
{
	static const struct test_dict_table_case cases[] = {{"c", ""}, {"d", "dd"}, {"x", NULL}};
	char *path;
	struct dict *dict = open_table("/c\\\n/d/ dd\n", &path);

	test_msg_capture_expect(path,
	                        "warning: regexp map FILE, line 1: no replacement text: using "
	                        "empty string\n");
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_inline_table(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"x", "y"}, {"z", "{w}"}, {"qa", "a"}, {"s", "a b"}};
	static const struct {
		const char *name;
		const char *error;
	} bad[] = {
	    {"{ {/^x$/ y} junk }", "regexp map: no '{' at start of text in \"junk\""},
	    {"{ {/^x$/ y}", "regexp map: missing '}' in \"{ {/^x$/ y}\""},
	    {"{ } x", "regexp map: syntax error after '}' in \"{ } x\""},
	    {"{ {/a/ b}{/c/ d} }", "regexp map: syntax error after '}' in \"{/a/ b}{/c/ d}\""},
	};
	const char *error = NULL;
	struct dict *dict =
	    dict_regexp_open("{ {/^x$/ y}, { /^z$/ {w} } ,{/^q(.)$/ $1},{ /^s$/ a b }}", 0, &error);

	assert_non_null(dict);
	test_dict_table_expect_type_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		if (dict_regexp_open(bad[i].name, 0, &error) != NULL || error == NULL)
			fail_msg("\"%s\": opened, want an error", bad[i].name);
		if (strcmp(error, bad[i].error) != 0)
			fail_msg("\"%s\": got error \"%s\", want \"%s\"", bad[i].name, error,
			         bad[i].error);
	}
}

static void test_missing_file_fails_open(void **state)
{
	const char *error = NULL;

	assert_null(dict_regexp_open("/nonexistent/postern/regexp", 0, &error));
	assert_non_null(strstr(error, "/nonexistent/postern/regexp"));
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
	    cmocka_unit_test(test_flags_substitution_continuation),
	    cmocka_unit_test(test_bad_rules_are_skipped_with_warnings),
	    cmocka_unit_test(test_check_order_and_repeated_negation),
	    cmocka_unit_test(test_if_endif_nesting),
	    cmocka_unit_test(test_leading_whitespace_at_start),
	    cmocka_unit_test(test_trailing_backslash_closes_pattern),
	    cmocka_unit_test(test_inline_table),
	    cmocka_unit_test(test_missing_file_fails_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
