/*
 * Unit tests for lib/dict/dict_cidr: cidr_table(5)'s example, IPv4 and
 * IPv6 networks and addresses, brackets, "!" negation, if/endif, first
 * match wins, and each malformed rule's warning with file and line.  The
 * tables, keys, results and warnings below were checked against Debian's
 * Postfix 3.7 "postmap -q KEY cidr:FILE" on the same files.
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
#include "dict/dict_cidr.h"
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"

/* Opens a cidr table written from text; test_dict_table_remove() undoes it. */
static struct dict *open_table(const char *text, char **path_r)
{
	return test_dict_table_from_text(dict_cidr_open, "cidr", text, path_r);
}

static const char man_page_table[] = "# Rule order matters.\n"
                                     "192.168.1.1             OK\n"
                                     "192.168.0.0/16          REJECT\n"
                                     "2001:db8::1             OK\n"
                                     "2001:db8::/32           REJECT\n";

static void test_man_page_example_first_match_wins(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"192.168.1.1", "OK"},
	    {"192.168.2.3", "REJECT"},
	    {"192.168.255.255", "REJECT"},
	    {"192.169.0.1", NULL},
	    {"2001:db8::1", "OK"},
	    {"2001:DB8:0::0001", "OK"},
	    {"2001:db8::2", "REJECT"},
	    {"2001:db9::1", NULL},
	    {"[192.168.1.1]", NULL},
	    {"::ffff:192.168.1.1", NULL},
	    {"010.0.0.1", NULL},
	    {"not-an-address", NULL},
	    {"", NULL},
	};
	char *path;
	struct dict *dict = open_table(man_page_table, &path);

	test_msg_capture_expect(path, "");
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char syntax_table[] = "[10.0.0.0]/8 bracket1\n"
                                   "[172.16.0.0/12] bracket2\n"
                                   "[2001:db9::]/32 bracket6\n"
                                   "[2001:db8:6::/48] v6br\n"
                                   "::ffff:10.0.0.0/104 mapped\n"
                                   "1.2.3.0/24      result with   spaces\n"
                                   " continued\n"
                                   "5.6.7.8\n"
                                   "  spread over lines\n"
                                   "1.1.1.1/32 exact32\n"
                                   "3.3.0.0/016 leadzero16\n"
                                   "[4.4.4.4] justbr\n"
                                   "!127.0.0.0/8 notlocal\n";

static void test_brackets_ipv6_and_continuation(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"10.9.9.9", "bracket1"},
	    {"172.20.0.1", "bracket2"},
	    {"2001:db9::5", "bracket6"},
	    {"2001:db8:6::1", "v6br"},
	    {"::ffff:10.1.1.1", "mapped"},
	    {"1.2.3.9", "result with   spaces continued"},
	    {"5.6.7.8", "spread over lines"},
	    {"1.1.1.1", "exact32"},
	    {"3.3.1.1", "leadzero16"},
	    {"4.4.4.4", "justbr"},
	    {"127.0.0.1", NULL},
	    {"8.8.8.8", "notlocal"},
	    {"::1", NULL},
	};
	char *path;
	struct dict *dict = open_table(syntax_table, &path);

	test_msg_capture_expect(path, "");
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char bad_rules_table[] = "!\n"
                                      "! REJECT\n"
                                      "10.1.1.1/24 hostbits\n"
                                      "[2001:db8::1]/64 v6hostbits\n"
                                      "2.2.2.2/0 zerohost\n"
                                      "3.3.3.3/08 leadingzero\n"
                                      "10.2.0.0/33 badlen\n"
                                      "2001:db8:5::/129 v6badlen\n"
                                      "1.2.3.0/33\n"
                                      "10.3.0.0/x badmask\n"
                                      "10.4.0.0/ emptymask\n"
                                      "0.0.0.0/0x hexmask\n"
                                      "3.3.3.3/+8 plusmask\n"
                                      "300.1.1.1 badaddr\n"
                                      "300.1.1.0/24 badnet\n"
                                      "foo\n"
                                      "[10.5.0.0/16 nobracket\n"
                                      "4.4.4.5] closeonly\n"
                                      "10.6.0.0/16\n"
                                      "9.9.9.9 good\n";

static void test_bad_rules_are_skipped_with_warnings(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"10.1.1.1", NULL}, {"2001:db8::1", NULL}, {"2.2.2.2", NULL},
	    {"3.3.3.3", NULL},  {"10.2.0.1", NULL},    {"10.5.0.1", NULL},
	    {"4.4.4.5", NULL},  {"10.6.0.1", NULL},    {"9.9.9.9", "good"},
	};
	char *path;
	struct dict *dict = open_table(bad_rules_table, &path);

	test_msg_capture_expect(
	    path,
	    "warning: cidr map FILE, line 1: no address pattern: skipping this rule\n"
	    "warning: cidr map FILE, line 2: bad address pattern: \"REJECT\": skipping this rule\n"
	    "warning: cidr map FILE, line 3: non-null host address bits in \"10.1.1.1/24\", "
	    "perhaps you should use \"10.1.1.0/24\" instead: skipping this rule\n"
	    "warning: cidr map FILE, line 4: non-null host address bits in \"2001:db8::1/64\", "
	    "perhaps you should use \"2001:db8::/64\" instead: skipping this rule\n"
	    "warning: cidr map FILE, line 5: non-null host address bits in \"2.2.2.2/0\", "
	    "perhaps you should use \"0.0.0.0/0\" instead: skipping this rule\n"
	    "warning: cidr map FILE, line 6: non-null host address bits in \"3.3.3.3/08\", "
	    "perhaps you should use \"3.0.0.0/8\" instead: skipping this rule\n"
	    "warning: cidr map FILE, line 7: bad mask length in \"10.2.0.0/33\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 8: bad mask length in \"2001:db8:5::/129\": skipping "
	    "this rule\n"
	    "warning: cidr map FILE, line 9: bad mask length in \"1.2.3.0/33\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 10: bad mask value in \"10.3.0.0/x\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 11: bad mask value in \"10.4.0.0/\": skipping this rule\n"
	    "warning: cidr map FILE, line 12: bad mask value in \"0.0.0.0/0x\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 13: bad mask value in \"3.3.3.3/+8\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 14: bad address pattern: \"300.1.1.1\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 15: bad network value in \"300.1.1.0/24\": skipping "
	    "this rule\n"
	    "warning: cidr map FILE, line 16: bad address pattern: \"foo\": skipping this rule\n"
	    "warning: cidr map FILE, line 17: missing ']' character after \"[10.5.0.0/16\": "
	    "skipping this rule\n"
	    "warning: cidr map FILE, line 18: bad address pattern: \"4.4.4.5]\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 19: no lookup result: skipping this rule\n");
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static const char if_table[] = "endif\n"
                               "if 192.0.2.0/24\n"
                               "if !192.0.2.128/25\n"
                               "192.0.2.0/26 low-quarter\n"
                               "endif\n"
                               "192.0.2.0/24 in-24\n"
                               "endif\n"
                               "IF 198.51.100.0/24 extra\n"
                               "198.51.100.1 one\n"
                               "ENDIF junk\n"
                               "if\n"
                               "if [2001:db8::]/32\n"
                               "!2001:db8:1::/48 not-db8-1\n"
                               "endif\n"
                               "!! 203.0.113.0/24 double\n"
                               "! 203.0.113.5 spaced-neg\n"
                               "if 300.0.0.0/8\n"
                               "x.x.x.x whatever\n"
                               "endif\n"
                               "if !\n"
                               "if 1.2.3.4 extra\n"
                               "0.0.0.0/0 any4\n"
                               "::/0 any6\n"
                               "if 10.0.0.0/8\n"
                               "if 10.1.0.0/16\n"
                               "10.1.2.3 deep\n";

static void test_if_endif_and_negation(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"192.0.2.1", "low-quarter"},
	    {"192.0.2.70", "in-24"},
	    {"192.0.2.200", "in-24"},
	    {"198.51.100.1", "one"},
	    {"198.51.100.2", "spaced-neg"},
	    {"2001:db8::1", "not-db8-1"},
	    {"2001:db8:1::1", "any6"},
	    {"203.0.113.5", "double"},
	    {"203.0.113.6", "double"},
	    {"8.8.8.8", "spaced-neg"},
	    {"::1", "any6"},
	    {"10.1.2.3", "spaced-neg"},
	};
	char *path;
	struct dict *dict = open_table(if_table, &path);

	test_msg_capture_expect(
	    path,
	    "warning: cidr map FILE, line 1: ENDIF without IF: skipping this rule\n"
	    "warning: cidr map FILE, line 8: bad mask value in \"198.51.100.0/24 extra\": "
	    "skipping this rule\n"
	    "warning: cidr map FILE, line 10: garbage after ENDIF: skipping this rule\n"
	    "warning: cidr map FILE, line 11: no address pattern: skipping this rule\n"
	    "warning: cidr map FILE, line 17: bad network value in \"300.0.0.0/8\": skipping "
	    "this rule\n"
	    "warning: cidr map FILE, line 18: bad address pattern: \"x.x.x.x\": skipping this "
	    "rule\n"
	    "warning: cidr map FILE, line 19: ENDIF without IF: skipping this rule\n"
	    "warning: cidr map FILE, line 20: no address pattern: skipping this rule\n"
	    "warning: cidr map FILE, line 21: bad address pattern: \"1.2.3.4 extra\": skipping "
	    "this rule\n"
	    "warning: cidr map FILE, line 25: IF has no matching ENDIF\n"
	    "warning: cidr map FILE, line 24: IF has no matching ENDIF\n");
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_leading_whitespace_line_is_skipped(void **state)
{
	static const struct test_dict_table_case cases[] = {{"1.2.3.4", NULL}, {"1.2.3.5", "ok"}};
	char *path;
	struct dict *dict = open_table("  1.2.3.4 lead\n1.2.3.5 ok\n", &path);

	test_msg_capture_expect(path, "warning: FILE: logical line must not start with whitespace: "
	                              "\"  1.2.3.4 lead\"\n");
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	test_dict_table_remove(&dict, &path);
}

static void test_inline_table_and_open_errors(void **state)
{
	static const struct test_dict_table_case cases[] = {
	    {"1.2.3.4", "a"}, {"1.2.3.5", "b"}, {"1.2.3.6", "c d"}, {"::1", NULL}};
	static const struct {
		const char *name;
		const char *error;
	} bad[] = {
	    {"{ {1.2.3.4 a},  x  y  }", "cidr map: no '{' at start of text in \"x\""},
	    {"{ {1.2.3.4 a}", "cidr map: missing '}' in \"{ {1.2.3.4 a}\""},
	    {"{ {1.2.3.4 a} } x", "cidr map: syntax error after '}' in \"{ {1.2.3.4 a} } x\""},
	    {"{{1.2.3.6 c}x}", "cidr map: syntax error after '}' in \"{1.2.3.6 c}x\""},
	    {"/nonexistent/postern/cidr", "open /nonexistent/postern/cidr: No such file or "
	                                  "directory"},
	};
	const char *error = NULL;
	struct dict *dict =
	    dict_open("cidr:{ {1.2.3.4 a},{1.2.3.6 c d}, {!1.2.3.4/32 b} }", NULL, 0, &error);

	assert_non_null(dict);
	test_dict_table_expect_cases(dict, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		if (dict_cidr_open(bad[i].name, 0, &error) != NULL || error == NULL)
			fail_msg("\"%s\": opened, want an error", bad[i].name);
		if (strcmp(error, bad[i].error) != 0)
			fail_msg("\"%s\": got error \"%s\", want \"%s\"", bad[i].name, error,
			         bad[i].error);
	}
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
	    cmocka_unit_test(test_man_page_example_first_match_wins),
	    cmocka_unit_test(test_brackets_ipv6_and_continuation),
	    cmocka_unit_test(test_bad_rules_are_skipped_with_warnings),
	    cmocka_unit_test(test_if_endif_and_negation),
	    cmocka_unit_test(test_leading_whitespace_line_is_skipped),
	    cmocka_unit_test(test_inline_table_and_open_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
