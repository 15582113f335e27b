/* Unit tests for lib/mail/smtp_cmd: verbs, paths, ESMTP parameters, xtext. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/dsn.h"
#include "mail/smtp_cmd.h"
#include "util/alloc.h"
#include "util/strbuf.h"

static void test_verb(void **unused)
{
	static const struct {
		const char *line, *verb, *rest;
	} cases[] = {
	    {"EHLO a.example", "EHLO", "a.example"},
	    {"  quit", "quit", ""},
	    {"MAIL   FROM:<a@b>", "MAIL", "FROM:<a@b>"},
	    {"", "", ""},
	    {"VERYLONGVERBBEYONDBUFFER x", "VERYLONGVERBBEY", "x"},
	};
	char verb[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *rest = smtp_cmd_verb(cases[i].line, verb, sizeof(verb));

		if (strcmp(verb, cases[i].verb) != 0 || strcmp(rest, cases[i].rest) != 0)
			fail_msg("%s: got %s|%s, want %s|%s", cases[i].line, verb, rest,
			         cases[i].verb, cases[i].rest);
	}
}

static void test_path_table(void **unused)
{
	static const struct {
		const char *text;
		enum smtp_cmd_path_status status;
		const char *addr, *params;
	} cases[] = {
	    {"FROM:<a@b>", SMTP_CMD_PATH_OK, "a@b", ""},
	    {"from: <a@b> SIZE=10 BODY=8BITMIME", SMTP_CMD_PATH_OK, "a@b", "SIZE=10 BODY=8BITMIME"},
	    {"FROM:<>", SMTP_CMD_PATH_OK, "", ""},
	    {"FROM:<> SIZE=1", SMTP_CMD_PATH_OK, "", "SIZE=1"},
	    {"FROM:a@b", SMTP_CMD_PATH_OK, "a@b", ""},
	    {"FROM:<@r1,@r2:u@d>", SMTP_CMD_PATH_OK, "u@d", ""},
	    {"FROM:<\"a b\"@c>", SMTP_CMD_PATH_OK, "a b@c", ""},
	    {"FROM:<\"a\\\"b\"@c>", SMTP_CMD_PATH_OK, "a\"b@c", ""},
	    {"FROM:<a@b", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<a b@c>", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<a@b>x", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<\"a@b>", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<a\001@b>", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<a<b@c>", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:<@r1>", SMTP_CMD_PATH_BAD, "", NULL},
	    {"FROM:", SMTP_CMD_PATH_BAD, "", NULL},
	    {"TO:<a@b>", SMTP_CMD_PATH_NO_KEYWORD, "", NULL},
	    {"FRO", SMTP_CMD_PATH_NO_KEYWORD, "", NULL},
	};
	struct strbuf *addr = strbuf_new(256);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *params = NULL;
		char *copy = xstrdup(cases[i].text);
		enum smtp_cmd_path_status status = smtp_cmd_path(copy, "FROM:", addr, &params);

		if (status != cases[i].status)
			fail_msg("%s: got status %d, want %d", cases[i].text, status,
			         cases[i].status);
		if (status == SMTP_CMD_PATH_OK && (strcmp(strbuf_str(addr), cases[i].addr) != 0 ||
		                                   strcmp(params, cases[i].params) != 0))
			fail_msg("%s: got <%s> [%s], want <%s> [%s]", cases[i].text,
			         strbuf_str(addr), params, cases[i].addr, cases[i].params);
		free(copy);
	}
	strbuf_free(&addr);
}

/* Every prefix of a valid command parses without reading past its end. */
static void test_path_prefixes(void **unused)
{
	const char *text = "FROM:<@r:\"x y\"@example.com> SIZE=100 RET=HDRS ENVID=a+2Bb";
	struct strbuf *addr = strbuf_new(256);
	size_t ok = 0;

	for (size_t len = 0; len <= strlen(text); len++) {
		char *prefix = xmalloc(len + 1);
		const char *params;

		memcpy(prefix, text, len);
		prefix[len] = 0;
		ok += smtp_cmd_path(prefix, "FROM:", addr, &params) == SMTP_CMD_PATH_OK;
		free(prefix);
	}
	/* From the closing '>' on, every prefix is a whole path. */
	assert_int_equal(ok, strlen(text) - strlen("FROM:<@r:\"x y\"@example.com>") + 1);
	strbuf_free(&addr);
}

static void test_params(void **unused)
{
	char text[] = "  SIZE=10 SMTPUTF8  BODY=8BITMIME =x";
	char *cursor = text, *name, *value;
	struct strbuf *got = strbuf_new(256);

	while (smtp_cmd_param(&cursor, &name, &value))
		strbuf_printf(got, "[%s|%s]", name, value ? value : "NULL");
	assert_string_equal(strbuf_str(got), "[SIZE|10][SMTPUTF8|NULL][BODY|8BITMIME][|x]");
	strbuf_free(&got);
}

static void test_size(void **unused)
{
	long long size = -1;

	assert_true(smtp_cmd_size("0", &size) && size == 0);
	assert_true(smtp_cmd_size("10240000", &size) && size == 10240000);
	assert_true(smtp_cmd_size("9223372036854775799", &size));
	assert_false(smtp_cmd_size("99999999999999999999", &size));
	assert_false(smtp_cmd_size("", &size));
	assert_false(smtp_cmd_size("12a", &size));
	assert_false(smtp_cmd_size("-1", &size));
	assert_false(smtp_cmd_size(" 1", &size));
}

static void test_notify(void **unused)
{
	static const struct {
		const char *value;
		int bits;
	} cases[] = {
	    {"NEVER", DSN_NOTIFY_NEVER},
	    {"success,FAILURE", DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE},
	    {"DELAY,SUCCESS,FAILURE", DSN_NOTIFY_ANY},
	    {"NEVER,SUCCESS", 0},
	    {"SUCCESS,", 0},
	    {",SUCCESS", 0},
	    {"SUCCESS,SUCCESS", 0},
	    {"FOO", 0},
	    {"", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int bits = smtp_cmd_notify(cases[i].value);

		if (bits != cases[i].bits)
			fail_msg("%s: got %d, want %d", cases[i].value, bits, cases[i].bits);
	}
}

static void test_xtext_orcpt(void **unused)
{
	struct strbuf *out = strbuf_new(64);

	assert_true(smtp_cmd_xtext("a+2Bb+3D", out));
	assert_string_equal(strbuf_str(out), "a+b=");
	strbuf_reset(out);
	assert_false(smtp_cmd_xtext("a+2b", out));
	strbuf_reset(out);
	assert_false(smtp_cmd_xtext("a+2", out));
	strbuf_reset(out);
	assert_false(smtp_cmd_xtext("a=b", out));
	strbuf_reset(out);
	assert_false(smtp_cmd_xtext("a b", out));
	assert_true(smtp_cmd_orcpt("rfc822;a+40b@c", out));
	assert_string_equal(strbuf_str(out), "rfc822;a@b@c");
	assert_false(smtp_cmd_orcpt("foo", out));
	assert_false(smtp_cmd_orcpt(";a@b", out));
	assert_false(smtp_cmd_orcpt("rfc822;", out));
	assert_false(smtp_cmd_orcpt("rf c;a", out));
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verb),          cmocka_unit_test(test_path_table),
	    cmocka_unit_test(test_path_prefixes), cmocka_unit_test(test_params),
	    cmocka_unit_test(test_size),          cmocka_unit_test(test_notify),
	    cmocka_unit_test(test_xtext_orcpt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
