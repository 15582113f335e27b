/* Unit tests for lib/util/quote: log-safe text and C escapes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/quote.h"
#include "util/strbuf.h"

static const struct {
	const char *input;
	const char *want;
} printable_cases[] = {
    {"plain text 123 ~!", "plain text 123 ~!"},
    {"line\r\nbreak", "line??break"},
    {"tab\there", "tab?here"},
    {"esc\x1b[31m", "esc?[31m"},
    {"del\x7f", "del?"},
    {"caf\xc3\xa9", "caf\xc3\xa9"},                     /* é */
    {"\xe2\x82\xac euro", "\xe2\x82\xac euro"},         /* € */
    {"\xf0\x9f\x93\xa7 mail", "\xf0\x9f\x93\xa7 mail"}, /* U+1F4E7 */
    {"latin1 \xe9t\xe9", "latin1 ?t?"},                 /* not UTF-8 */
    {"\xc0\x8a overlong LF", "?? overlong LF"},         /* overlong */
    {"\xe0\x80\x8a", "???"},                            /* overlong, 3 bytes */
    {"\xed\xa0\x80", "???"},                            /* surrogate */
    {"\xf4\x90\x80\x80", "????"},                       /* above U+10FFFF */
    {"\xc2\x85 nel", "?? nel"},                         /* C1 control */
    {"cut \xe2\x82", "cut ??"},                         /* truncated */
    {"\x80\xbf", "??"},                                 /* stray continuation */
    {"\xff\xfe", "??"},
    {"", ""},
};

static void test_printable_in_place(void **state)
{
	for (size_t i = 0; i < sizeof(printable_cases) / sizeof(printable_cases[0]); i++) {
		char *copy = xstrdup(printable_cases[i].input);

		if (quote_printable(copy) != copy || strcmp(copy, printable_cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, copy,
			         printable_cases[i].want);
		free(copy);
	}
}

static void test_printable_append_matches_in_place(void **state)
{
	for (size_t i = 0; i < sizeof(printable_cases) / sizeof(printable_cases[0]); i++) {
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
		const char *input = printable_cases[i].input;
		/* An exact-size copy without a NUL catches any overread. */
		size_t len = strlen(input);
		char *exact = xmemdup(input, len ? len : 1);

		assert_true(quote_printable_append(out, exact, len));
		if (strcmp(strbuf_str(out), printable_cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, strbuf_str(out),
			         printable_cases[i].want);
		free(exact);
		strbuf_free(&out);
	}
}

static void test_printable_append_nul_and_limit(void **state)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

	assert_true(quote_printable_append(out, "a\0b", 3));
	assert_string_equal(strbuf_str(out), "a?b");
	strbuf_free(&out);

	/* "ab" then a 2-byte character that does not fit in 3 bytes. */
	out = strbuf_new(3);
	assert_false(quote_printable_append(out, "ab\xc3\xa9", 4));
	assert_string_equal(strbuf_str(out), "ab");
	strbuf_free(&out);
}

static void test_c_escape(void **state)
{
	static const struct {
		const char *input;
		size_t len;
		const char *want;
	} cases[] = {
	    {"abc", 3, "abc"},
	    {"a\r\nb", 4, "a\\r\\nb"},
	    {"\t\\\"", 3, "\\t\\\\\\\""},
	    {"\x01\x7f\xff", 3, "\\x01\\x7f\\xff"},
	    {"a\0b", 3, "a\\x00b"},
	    {"", 0, ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

		assert_true(quote_c_append(out, cases[i].input, cases[i].len));
		if (strcmp(strbuf_str(out), cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, strbuf_str(out),
			         cases[i].want);
		strbuf_free(&out);
	}
}

static void test_c_escape_limit_keeps_escapes_whole(void **state)
{
	struct strbuf *out = strbuf_new(4);

	assert_false(quote_c_append(out, "ab\n\x01", 4));
	assert_string_equal(strbuf_str(out), "ab\\n");
	strbuf_free(&out);
	out = strbuf_new(4);
	assert_false(quote_c_append(out, "a\x01", 2));
	assert_string_equal(strbuf_str(out), "a");
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printable_in_place),
	    cmocka_unit_test(test_printable_append_matches_in_place),
	    cmocka_unit_test(test_printable_append_nul_and_limit),
	    cmocka_unit_test(test_c_escape),
	    cmocka_unit_test(test_c_escape_limit_keeps_escapes_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
