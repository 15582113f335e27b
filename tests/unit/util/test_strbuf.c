/* Unit tests for lib/util/strbuf: growth, the hard limit, printf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void test_append_grows_past_initial_capacity(void **state)
{
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);

	for (int i = 0; i < 1000; i++)
		assert_true(strbuf_append_char(buf, (char)('a' + i % 26)));
	assert_int_equal(strbuf_len(buf), 1000);
	assert_int_equal(strlen(strbuf_str(buf)), 1000);
	assert_int_equal(strbuf_str(buf)[26], 'a');
	strbuf_free(&buf);
	assert_null(buf);
}

static void test_limit_refuses_and_keeps_content(void **state)
{
	struct strbuf *buf = strbuf_new(5);

	assert_true(strbuf_append_str(buf, "abcd"));
	assert_false(strbuf_append_str(buf, "ef"));
	assert_string_equal(strbuf_str(buf), "abcd");
	assert_true(strbuf_append_char(buf, 'e'));
	assert_false(strbuf_append_char(buf, 'f'));
	assert_false(strbuf_printf(buf, "%d", 7));
	assert_string_equal(strbuf_str(buf), "abcde");
	assert_false(strbuf_set(buf, "123456"));
	assert_true(strbuf_set(buf, "12345"));
	strbuf_free(&buf);
}

static void test_printf_appends_binary_safe(void **state)
{
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);
	char long_text[300];

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = 0;
	assert_true(strbuf_append(buf, "a\0b", 3));
	assert_true(strbuf_printf(buf, "%s-%d", long_text, 42));
	assert_int_equal(strbuf_len(buf), 3 + 299 + 3);
	assert_memory_equal(strbuf_str(buf), "a\0b", 3);
	assert_string_equal(strbuf_str(buf) + 3 + 299, "-42");
	strbuf_free(&buf);
}

static void test_trim_truncate_export(void **state)
{
	struct strbuf *buf = strbuf_new(100);
	char *text;

	strbuf_set(buf, "line\r\n");
	strbuf_trim_end(buf, "\r\n");
	assert_string_equal(strbuf_str(buf), "line");
	strbuf_truncate(buf, 2);
	assert_string_equal(strbuf_str(buf), "li");
	strbuf_truncate(buf, 10);
	assert_int_equal(strbuf_len(buf), 2);
	text = strbuf_export(&buf);
	assert_null(buf);
	assert_string_equal(text, "li");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_grows_past_initial_capacity),
	    cmocka_unit_test(test_limit_refuses_and_keeps_content),
	    cmocka_unit_test(test_printf_appends_binary_safe),
	    cmocka_unit_test(test_trim_truncate_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
