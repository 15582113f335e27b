/* Unit tests for lib/util/split: tokens, braces, name=value, split_at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/split.h"
#include "util/strbuf.h"

/* Tokens joined by "|", ending in "!error" when the splitter failed. */
static char *split_all(const char *input, bool braced, const char **error_r)
{
	/* An exact-size copy lets the sanitizer build catch any overread. */
	char *copy = xstrdup(input);
	char *cursor = copy;
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	const char *error = NULL;
	char *token;
	int n = 0;

	for (;;) {
		token = braced ? split_next_braced(&cursor, ", \t\r\n", &error)
		               : split_next(&cursor, ", \t\r\n");
		if (token == NULL)
			break;
		strbuf_printf(out, "%s%s", n++ ? "|" : "", token);
	}
	*error_r = error;
	free(copy);
	return strbuf_export(&out);
}

static void test_split_next_table(void **state)
{
	static const struct {
		const char *input;
		const char *want;
	} cases[] = {
	    {"a, b c", "a|b|c"}, {"  a", "a"},     {"a  ", "a"},       {"", ""},
	    {" ,\t\r\n", ""},    {"a,,,b", "a|b"}, {"{a b}", "{a|b}"}, {"x=y,z", "x=y|z"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error;
		char *got = split_all(cases[i].input, false, &error);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("split_next \"%s\": got \"%s\", want \"%s\"", cases[i].input, got,
			         cases[i].want);
		free(got);
	}
}

static void test_split_next_cursor_stays_at_end(void **state)
{
	char text[] = "a ";
	char *cursor = text;

	assert_string_equal(split_next(&cursor, " "), "a");
	assert_null(split_next(&cursor, " "));
	assert_null(split_next(&cursor, " "));
	assert_int_equal(*cursor, 0);
}

static void test_split_braced_table(void **state)
{
	static const struct {
		const char *input;
		const char *want;
		const char *error;
	} cases[] = {
	    {"{ name = value }", "name = value", NULL},
	    {"-o { a = b } -o c=d", "-o|a = b|-o|c=d", NULL},
	    {"inline:{ { k = v }, k2 = v2 }", "inline:{ { k = v }, k2 = v2 }", NULL},
	    {"{ { k = v }, k2 = v2 }", "{ k = v }, k2 = v2", NULL},
	    {"${name?{a b}:{c}} next", "${name?{a b}:{c}}|next", NULL},
	    {"{}", "", NULL},
	    {"{ }, x", "|x", NULL},
	    {"{a},{b}", "a|b", NULL},
	    {"a}b", "a}b", NULL},
	    {"", "", NULL},
	    {"{ a", "", "missing '}'"},
	    {"x { a", "x", "missing '}'"},
	    {"x{ a", "", "missing '}'"},
	    {"{{a}", "", "missing '}'"},
	    {"{a}b", "", "syntax error after '}'"},
	    {"{a=b}}", "", "syntax error after '}'"},
	    {"ok {a}{b}", "ok", "syntax error after '}'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error;
		char *got = split_all(cases[i].input, true, &error);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("braced \"%s\": got \"%s\", want \"%s\"", cases[i].input, got,
			         cases[i].want);
		if ((error == NULL) != (cases[i].error == NULL) ||
		    (error && strcmp(error, cases[i].error) != 0))
			fail_msg("braced \"%s\": got error \"%s\", want \"%s\"", cases[i].input,
			         error ? error : "(none)",
			         cases[i].error ? cases[i].error : "(none)");
		free(got);
	}
}

static void test_split_braced_error_leaves_text(void **state)
{
	char text[] = "a {b}c d";
	char *cursor = text;
	const char *error;

	assert_string_equal(split_next_braced(&cursor, " ", &error), "a");
	assert_null(error);
	assert_null(split_next_braced(&cursor, " ", &error));
	assert_non_null(error);
	assert_string_equal(cursor, "{b}c d");
}

static void test_split_nameval_table(void **state)
{
	static const struct {
		const char *input;
		const char *name;
		const char *value;
		const char *error;
	} cases[] = {
	    {"name=value", "name", "value", NULL},
	    {"  name  =  value with space  ", "name", "value with space", NULL},
	    {"name=", "name", "", NULL},
	    {"a=b=c", "a", "b=c", NULL},
	    {"\tn\t=\tv\t", "n", "v", NULL},
	    {"", NULL, NULL, "missing attribute name"},
	    {"   ", NULL, NULL, "missing attribute name"},
	    {"=b", NULL, NULL, "missing attribute name"},
	    {"  = b", NULL, NULL, "missing attribute name"},
	    {"name", NULL, NULL, "missing '=' after attribute name"},
	    {"name value", NULL, NULL, "missing '=' after attribute name"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *copy = xstrdup(cases[i].input);
		char *name = NULL;
		char *value = NULL;
		const char *error = NULL;
		bool ok = split_nameval(copy, &name, &value, &error);

		if (cases[i].error == NULL) {
			if (!ok)
				fail_msg("nameval \"%s\": got error \"%s\", want success",
				         cases[i].input, error);
			if (strcmp(name, cases[i].name) != 0 || strcmp(value, cases[i].value) != 0)
				fail_msg("nameval \"%s\": got [%s]=[%s], want [%s]=[%s]",
				         cases[i].input, name, value, cases[i].name,
				         cases[i].value);
		} else {
			if (ok || strcmp(error, cases[i].error) != 0)
				fail_msg("nameval \"%s\": got %s, want error \"%s\"",
				         cases[i].input, ok ? "success" : error, cases[i].error);
			assert_string_equal(copy, cases[i].input);
		}
		free(copy);
	}
}

static void test_split_at(void **state)
{
	char addr[] = "a@b@c";
	char other[] = "a@b@c";
	char none[] = "abc";

	assert_string_equal(split_at(addr, '@'), "b@c");
	assert_string_equal(addr, "a");
	assert_string_equal(split_at_last(other, '@'), "c");
	assert_string_equal(other, "a@b");
	assert_null(split_at(none, '@'));
	assert_null(split_at_last(none, '@'));
	assert_null(split_at(none, 0));
	assert_string_equal(none, "abc");
}

static void test_split_trim(void **state)
{
	char text[] = " \t a b \r\n";
	char blank[] = "  \t ";
	char empty[] = "";

	assert_string_equal(split_trim(text), "a b");
	assert_string_equal(split_trim(blank), "");
	assert_string_equal(split_trim(empty), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_next_table),
	    cmocka_unit_test(test_split_next_cursor_stays_at_end),
	    cmocka_unit_test(test_split_braced_table),
	    cmocka_unit_test(test_split_braced_error_leaves_text),
	    cmocka_unit_test(test_split_nameval_table),
	    cmocka_unit_test(test_split_at),
	    cmocka_unit_test(test_split_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
