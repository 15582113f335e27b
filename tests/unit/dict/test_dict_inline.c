/*
 * Unit tests for lib/dict/dict_inline: the inline:{...} syntax, checked
 * case by case against what Postfix 3.7's "postmap -q KEY 'inline:{...}'"
 * answers, including its error wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dict/dict.h"

struct inline_case {
	const char *table;
	const char *key;
	const char *want; /* NULL: not found */
};

static void check_lookup(const struct inline_case *c, int flags)
{
	const char *error = NULL;
	const char *value = NULL;
	struct dict *dict = dict_open(c->table, NULL, flags, &error);
	enum dict_status status;

	if (dict == NULL)
		fail_msg("%s: got open error \"%s\", want a table", c->table, error);
	status = dict_lookup(dict, c->key, &value, &error);
	if (c->want == NULL && status != DICT_NOT_FOUND)
		fail_msg("%s key %s: got status %d, want not found", c->table, c->key, status);
	if (c->want != NULL && (status != DICT_FOUND || strcmp(value, c->want) != 0))
		fail_msg("%s key %s: got status %d value \"%s\", want \"%s\"", c->table, c->key,
		         status, status == DICT_FOUND ? value : "", c->want);
	dict_close(&dict);
}

static void test_lookups(void **state)
{
	static const struct inline_case cases[] = {
	    {"inline:{a=1, b=2}", "a", "1"},
	    {"inline:{a=1, b=2}", "b", "2"},
	    {"inline:{a=1, b=2}", "c", NULL},
	    {"inline:{ a=1 b=2 }", "b", "2"},
	    {"inline:{a=1,,b=2}", "b", "2"},
	    {"inline:{ { b = two words } }", "b", "two words"},
	    {"inline:{ {b=x} , c=y}", "b", "x"},
	    {"inline:{ {b=x} , c=y}", "c", "y"},
	    {"inline:{a=1,a=2}", "a", "2"},
	    {"inline:{a=x=y}", "a", "x=y"},
	    {"inline:{a=1;b=2}", "a", "1;b=2"},
	    {"inline:{a=1;b=2}", "b", NULL},
	    {"inline:{ {b={x y}} }", "b", "{x y}"},
	    {"inline:{ { b = {x} } }", "b", "{x}"},
	    {"inline:{b={x}}", "b", "{x}"},
	    {"inline:{=x}", "a", NULL},
	    {"inline:{=x}", "", "x"},
	    {"inline:{ {  b  =  } }", "b", ""},
	    {"inline:{\n a=1,\n\t{ b = 2 }\n}", "b", "2"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_lookup(&cases[i], 0);
}

static void test_fold_case(void **state)
{
	static const struct inline_case folded[] = {
	    {"inline:{A=1}", "a", "1"},
	    {"inline:{A=1}", "A", "1"},
	    {"inline:{a=One}", "A", "One"},
	};
	static const struct inline_case exact[] = {
	    {"inline:{A=1}", "a", NULL},
	    {"inline:{A=1}", "A", "1"},
	};

	for (size_t i = 0; i < sizeof(folded) / sizeof(folded[0]); i++)
		check_lookup(&folded[i], DICT_FLAG_FOLD_CASE);
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		check_lookup(&exact[i], 0);
}

static void test_syntax_errors(void **state)
{
	static const struct {
		const char *table;
		const char *detail;
	} cases[] = {
	    {"inline:{}", "bad syntax"},
	    {"inline:{a=1", "bad syntax"},
	    {"inline:a=1", "bad syntax"},
	    {"inline:{a=1}x", "bad syntax"},
	    {"inline:{ {b=x }", "bad syntax"},
	    {"inline:{ }", "empty table"},
	    {"inline:{ , }", "empty table"},
	    {"inline:{a=1,b}", "missing '=' after attribute name"},
	    {"inline:{ a = 1 , { b = two words } }", "missing '=' after attribute name"},
	    {"inline:{ { a b = c } }", "missing '=' after attribute name"},
	    {"inline:{a=1 2, c = 3 4}", "missing '=' after attribute name"},
	    {"inline:{b=1,{ c }}", "missing '=' after attribute name"},
	    {"inline:{b=1,{}}", "no key found; expected format: key = value"},
	    {"inline:{ {a}=x }", "syntax error after '}' in \"{a}=x\""},
	    {"inline:{ {b=x}y }", "syntax error after '}' in \"{b=x}y\""},
	};
	char want[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		struct dict *dict = dict_open(cases[i].table, NULL, 0, &error);

		snprintf(want, sizeof(want), "%s: \"%s\"; need \"inline:{name=value...}\"",
		         cases[i].detail, cases[i].table);
		if (dict != NULL)
			fail_msg("%s: got a table, want error %s", cases[i].table, want);
		if (strcmp(error, want) != 0)
			fail_msg("%s: got error \"%s\", want \"%s\"", cases[i].table, error, want);
	}
}

static void test_iterate_in_order_and_read_only(void **state)
{
	const char *error = NULL;
	const char *key, *value;
	struct dict *dict = dict_open("inline:{z=1, a=2, { m = 3 }}", NULL, 0, &error);
	const char *want[] = {"z", "a", "m"};
	size_t count = 0;

	for (bool first = true; dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND;
	     first = false) {
		assert_true(count < 3);
		if (strcmp(key, want[count]) != 0)
			fail_msg("entry %zu: got %s, want %s", count, key, want[count]);
		count++;
	}
	assert_int_equal(count, 3);
	assert_int_equal(dict_update(dict, "k", "v", &error), DICT_ERR_CONFIG);
	dict_close(&dict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookups),
	    cmocka_unit_test(test_fold_case),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_iterate_in_order_and_read_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
