/* Unit tests for lib/util/argv: growth, termination, split, join, sort. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/argv.h"
#include "util/strbuf.h"

/* Joins with "|" so a test can compare the whole vector at once. */
static void assert_argv(const struct argv *argv, const char *want)
{
	struct strbuf *got = strbuf_new(STRBUF_UNLIMITED);

	argv_join(argv, "|", got);
	if (strcmp(strbuf_str(got), want) != 0)
		fail_msg("got \"%s\", want \"%s\"", strbuf_str(got), want);
	assert_null(argv->items[argv->count]);
	strbuf_free(&got);
}

static void test_add_grows_and_stays_terminated(void **state)
{
	struct argv *argv = argv_new();
	char text[16];

	for (int i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "s%d", i);
		argv_add(argv, text);
		assert_int_equal(argv->count, i + 1);
		assert_null(argv->items[argv->count]);
	}
	text[0] = 'X';
	assert_string_equal(argv->items[0], "s0");
	assert_string_equal(argv->items[99], "s99");
	argv_free(&argv);
	assert_null(argv);
	argv_free(&argv);
}

static void test_add_n_copies_prefix(void **state)
{
	struct argv *argv = argv_new();

	argv_add_n(argv, "abcdef", 3);
	argv_add_n(argv, "ab\0cd", 5);
	argv_add_n(argv, "xyz", 0);
	assert_argv(argv, "abc|ab|");
	assert_int_equal(argv->count, 3);
	argv_free(&argv);
}

static void test_truncate(void **state)
{
	struct argv *argv = argv_split("a b c d", " ");

	argv_truncate(argv, 10);
	assert_argv(argv, "a|b|c|d");
	argv_truncate(argv, 2);
	assert_int_equal(argv->count, 2);
	assert_argv(argv, "a|b");
	argv_add(argv, "e");
	assert_argv(argv, "a|b|e");
	argv_truncate(argv, 0);
	assert_argv(argv, "");
	argv_free(&argv);
}

static void test_split_table(void **state)
{
	static const struct {
		const char *text;
		const char *delimiters;
		const char *want;
		size_t count;
	} cases[] = {
	    {"a, b c", ", \t\r\n", "a|b|c", 3},
	    {"  ,,a,,  b,,", ", ", "a|b", 2},
	    {"", ", ", "", 0},
	    {",,, ", ", ", "", 0},
	    {"one", ", ", "one", 1},
	    {"a\tb\nc\rd", " \t\r\n", "a|b|c|d", 4},
	    {"a:b", "", "a:b", 1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct argv *argv = argv_split(cases[i].text, cases[i].delimiters);

		if (argv->count != cases[i].count)
			fail_msg("split \"%s\": got %zu tokens, want %zu", cases[i].text,
			         argv->count, cases[i].count);
		assert_argv(argv, cases[i].want);
		argv_free(&argv);
	}
}

static void test_split_append_keeps_existing(void **state)
{
	struct argv *argv = argv_new();

	argv_add(argv, "first");
	argv_split_append(argv, "x y", " ");
	assert_argv(argv, "first|x|y");
	argv_free(&argv);
}

static void test_join_respects_limit(void **state)
{
	struct argv *argv = argv_split("aa bb cc", " ");
	struct strbuf *out = strbuf_new(6);

	assert_false(argv_join(argv, ", ", out));
	assert_string_equal(strbuf_str(out), "aa, bb");
	strbuf_free(&out);
	out = strbuf_new(100);
	assert_true(argv_join(argv, ", ", out));
	assert_string_equal(strbuf_str(out), "aa, bb, cc");
	strbuf_free(&out);
	argv_free(&argv);
}

static void test_sort_uniq(void **state)
{
	struct argv *argv = argv_split("pear apple pear fig apple apple", " ");

	argv_uniq(argv);
	assert_argv(argv, "pear|apple|pear|fig|apple");
	argv_sort(argv);
	assert_argv(argv, "apple|apple|fig|pear|pear");
	argv_uniq(argv);
	assert_argv(argv, "apple|fig|pear");
	argv_truncate(argv, 0);
	argv_sort(argv);
	argv_uniq(argv);
	assert_argv(argv, "");
	argv_free(&argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_grows_and_stays_terminated),
	    cmocka_unit_test(test_add_n_copies_prefix),
	    cmocka_unit_test(test_truncate),
	    cmocka_unit_test(test_split_table),
	    cmocka_unit_test(test_split_append_keeps_existing),
	    cmocka_unit_test(test_join_respects_limit),
	    cmocka_unit_test(test_sort_uniq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
