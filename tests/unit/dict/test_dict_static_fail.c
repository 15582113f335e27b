/*
 * Unit tests for lib/dict/dict_static, dict_fail and dict_environ: the
 * tables without data files.  Expected values and error texts come from
 * Postfix 3.7's postmap -q on the same names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"

static void test_static_values(void **state)
{
	static const struct {
		const char *table;
		const char *want;
	} cases[] = {
	    {"static:foo", "foo"},
	    {"static:a b", "a b"},
	    {"static:{ value with spaces }", "value with spaces"},
	    {"static:{x}", "x"},
	    {"static:{ {nested} }", "{nested}"},
	    {"static:smtp:[relay]:25", "smtp:[relay]:25"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		const char *value = NULL;
		struct dict *dict = dict_open(cases[i].table, NULL, 0, &error);

		if (dict == NULL)
			fail_msg("%s: got error %s, want a table", cases[i].table, error);
		for (const char *const *key = (const char *const[]){"x", "ANY", "", NULL}; *key;
		     key++) {
			if (dict_lookup(dict, *key, &value, &error) != DICT_FOUND ||
			    strcmp(value, cases[i].want) != 0)
				fail_msg("%s key \"%s\": got \"%s\", want \"%s\"", cases[i].table,
				         *key, value ? value : "(none)", cases[i].want);
		}
		dict_close(&dict);
	}
}

static void test_static_errors(void **state)
{
	static const struct {
		const char *table;
		const char *want;
	} cases[] = {
	    {"static:{ a }  ", "bad static:name syntax: syntax error after '}' in \"{ a }  \""},
	    {"static:{a", "bad static:name syntax: missing '}' in \"{a\""},
	    {"static:{a}b", "bad static:name syntax: syntax error after '}' in \"{a}b\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		struct dict *dict = dict_open(cases[i].table, NULL, 0, &error);

		if (dict != NULL)
			fail_msg("%s: got a table, want error %s", cases[i].table, cases[i].want);
		if (strcmp(error, cases[i].want) != 0)
			fail_msg("%s: got error \"%s\", want \"%s\"", cases[i].table, error,
			         cases[i].want);
	}
}

static void test_fail_always_retries(void **state)
{
	const char *error = NULL;
	const char *key, *value;
	struct dict *dict = dict_open("fail:broken", NULL, 0, &error);
	const char *want = "table fail:broken: operation failed (the fail table always fails)";

	assert_non_null(dict);
	assert_int_equal(dict_lookup(dict, "k", &value, &error), DICT_ERR_RETRY);
	assert_string_equal(error, want);
	error = NULL;
	assert_int_equal(dict_update(dict, "k", "v", &error), DICT_ERR_RETRY);
	assert_non_null(error);
	error = NULL;
	assert_int_equal(dict_delete(dict, "k", &error), DICT_ERR_RETRY);
	assert_non_null(error);
	error = NULL;
	assert_int_equal(dict_iterate(dict, true, &key, &value, &error), DICT_ERR_RETRY);
	assert_non_null(error);
	dict_close(&dict);
}

static void test_environ(void **state)
{
	const char *error = NULL;
	const char *value = NULL;
	struct dict *dict = dict_open("environ:env", NULL, 0, &error);

	assert_int_equal(setenv("POSTERN_TEST_VAR", "set value", 1), 0);
	assert_int_equal(unsetenv("POSTERN_TEST_UNSET"), 0);
	assert_int_equal(dict_lookup(dict, "POSTERN_TEST_VAR", &value, &error), DICT_FOUND);
	assert_string_equal(value, "set value");
	assert_int_equal(dict_lookup(dict, "POSTERN_TEST_UNSET", &value, &error), DICT_NOT_FOUND);
	dict_close(&dict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_values),
	    cmocka_unit_test(test_static_errors),
	    cmocka_unit_test(test_fail_always_retries),
	    cmocka_unit_test(test_environ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
