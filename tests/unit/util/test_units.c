/* Unit tests for lib/util/units: times, numbers, booleans, messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/units.h"

/* Checks one parser outcome: want_error NULL means success with want. */
static void check(const char *what, bool ok, long long got, const char *error, long long want,
                  const char *want_error)
{
	if (want_error == NULL && !ok)
		fail_msg("%s: got error \"%s\", want %lld", what, error, want);
	if (want_error == NULL && got != want)
		fail_msg("%s: got %lld, want %lld", what, got, want);
	if (want_error != NULL && ok)
		fail_msg("%s: got %lld, want error \"%s\"", what, got, want_error);
	if (want_error != NULL && strcmp(error, want_error) != 0)
		fail_msg("%s: got error \"%s\", want \"%s\"", what, error, want_error);
}

#define BAD_TIME(v) "parameter t: bad time value or unit: " v

static void test_time_table(void **state)
{
	static const struct {
		const char *text;
		char def_unit;
		int min;
		int max;
		long long want;
		const char *error;
	} cases[] = {
	    {"300", 's', 1, INT_MAX, 300, NULL},
	    {"300s", 's', 1, INT_MAX, 300, NULL},
	    {"5m", 's', 1, INT_MAX, 300, NULL},
	    {"1h", 's', 1, INT_MAX, 3600, NULL},
	    {"2d", 's', 1, INT_MAX, 172800, NULL},
	    {"1w", 's', 1, INT_MAX, 604800, NULL},
	    {"0", 'h', 0, INT_MAX, 0, NULL},
	    {"0h", 'h', 0, INT_MAX, 0, NULL},
	    {"4", 'h', 0, INT_MAX, 14400, NULL},
	    {"3", 'd', 0, INT_MAX, 259200, NULL},
	    {"+5", 's', 0, INT_MAX, 5, NULL},
	    {"010", 's', 0, INT_MAX, 10, NULL},
	    {"2147483647", 's', 0, INT_MAX, INT_MAX, NULL},
	    {"3550w", 's', 0, INT_MAX, 3550LL * 604800, NULL},
	    {"2147483648", 's', 0, INT_MAX, 0, BAD_TIME("2147483648")},
	    {"3551w", 's', 0, INT_MAX, 0, BAD_TIME("3551w")},
	    {"596524h", 's', 0, INT_MAX, 0, BAD_TIME("596524h")},
	    {"99999999999999999999s", 's', 0, INT_MAX, 0, BAD_TIME("99999999999999999999s")},
	    {"10x", 's', 0, INT_MAX, 0, BAD_TIME("10x")},
	    {"10S", 's', 0, INT_MAX, 0, BAD_TIME("10S")},
	    {"10ss", 's', 0, INT_MAX, 0, BAD_TIME("10ss")},
	    {"5m3s", 's', 0, INT_MAX, 0, BAD_TIME("5m3s")},
	    {"-5s", 's', 0, INT_MAX, 0, BAD_TIME("-5s")},
	    {"", 's', 0, INT_MAX, 0, BAD_TIME("")},
	    {"s", 's', 0, INT_MAX, 0, BAD_TIME("s")},
	    {" 5s", 's', 0, INT_MAX, 0, BAD_TIME(" 5s")},
	    {"5 s", 's', 0, INT_MAX, 0, BAD_TIME("5 s")},
	    {"1.5h", 's', 0, INT_MAX, 0, BAD_TIME("1.5h")},
	    {"0x10", 's', 0, INT_MAX, 0, BAD_TIME("0x10")},
	    {"1e3", 's', 0, INT_MAX, 0, BAD_TIME("1e3")},
	    {"+", 's', 0, INT_MAX, 0, BAD_TIME("+")},
	    {"0", 's', 1, INT_MAX, 0, "invalid t: 0 (min 1)"},
	    {"0m", 's', 1, INT_MAX, 0, "invalid t: 0 (min 1)"},
	    {"2h", 's', 0, 3600, 0, "invalid t: 7200 (max 3600)"},
	    {"1h", 's', 0, 3600, 3600, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		int got = -1;
		bool ok = units_time("t", cases[i].text, cases[i].def_unit, cases[i].min,
		                     cases[i].max, &got, &error);
		char what[64];

		snprintf(what, sizeof(what), "time \"%s\"", cases[i].text);
		check(what, ok, got, error, cases[i].want, cases[i].error);
	}
}

static void test_time_bad_default_unit_panics(void **state)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		const char *error;
		int seconds;

		msg_output_reset();
		units_time("t", "5", 'x', 0, INT_MAX, &seconds, &error);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("bad default unit: got status 0x%x, want SIGABRT", status);
}

#define BAD_NUM(v) "bad numerical configuration: n = " v

static void test_int_table(void **state)
{
	static const struct {
		const char *text;
		int min;
		int max;
		long long want;
		const char *error;
	} cases[] = {
	    {"2048", 512, INT_MAX, 2048, NULL},
	    {"0", INT_MIN, INT_MAX, 0, NULL},
	    {"-1", INT_MIN, INT_MAX, -1, NULL},
	    {"+7", 0, INT_MAX, 7, NULL},
	    {"010", 0, INT_MAX, 10, NULL},
	    {"2147483647", 0, INT_MAX, INT_MAX, NULL},
	    {"-2147483648", INT_MIN, INT_MAX, INT_MIN, NULL},
	    {"2147483648", 0, INT_MAX, 0, BAD_NUM("2147483648")},
	    {"-2147483649", INT_MIN, INT_MAX, 0, BAD_NUM("-2147483649")},
	    {"99999999999999999999", 0, INT_MAX, 0, BAD_NUM("99999999999999999999")},
	    {"", 0, INT_MAX, 0, BAD_NUM("")},
	    {"10x", 0, INT_MAX, 0, BAD_NUM("10x")},
	    {"1k", 0, INT_MAX, 0, BAD_NUM("1k")},
	    {"0x10", 0, INT_MAX, 0, BAD_NUM("0x10")},
	    {" 5", 0, INT_MAX, 0, BAD_NUM(" 5")},
	    {"5 ", 0, INT_MAX, 0, BAD_NUM("5 ")},
	    {"-", 0, INT_MAX, 0, BAD_NUM("-")},
	    {"--1", INT_MIN, INT_MAX, 0, BAD_NUM("--1")},
	    {"39", 512, INT_MAX, 0, "invalid n parameter value 39 < 512"},
	    {"-1", 0, INT_MAX, 0, "invalid n parameter value -1 < 0"},
	    {"101", 0, 100, 0, "invalid n parameter value 101 > 100"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		int got = -12345;
		bool ok = units_int("n", cases[i].text, cases[i].min, cases[i].max, &got, &error);
		char what[64];

		snprintf(what, sizeof(what), "int \"%s\"", cases[i].text);
		check(what, ok, got, error, cases[i].want, cases[i].error);
	}
}

static void test_long_table(void **state)
{
	static const struct {
		const char *text;
		long min;
		long max;
		long long want;
		const char *error;
	} cases[] = {
	    {"10240000", 0, LONG_MAX, 10240000, NULL},
	    {"99999999999", 0, LONG_MAX, 99999999999LL, NULL},
	    {"9223372036854775807", 0, LONG_MAX, LONG_MAX, NULL},
	    {"9223372036854775808", 0, LONG_MAX, 0, BAD_NUM("9223372036854775808")},
	    {"-1", LONG_MIN, LONG_MAX, -1, NULL},
	    {"-1", 0, LONG_MAX, 0, "invalid n parameter value -1 < 0"},
	    {"11", 0, 10, 0, "invalid n parameter value 11 > 10"},
	    {"10M", 0, LONG_MAX, 0, BAD_NUM("10M")},
	    {"", 0, LONG_MAX, 0, BAD_NUM("")},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		long got = -12345;
		bool ok = units_long("n", cases[i].text, cases[i].min, cases[i].max, &got, &error);
		char what[64];

		snprintf(what, sizeof(what), "long \"%s\"", cases[i].text);
		check(what, ok, got, error, cases[i].want, cases[i].error);
	}
}

static void test_bool_table(void **state)
{
	static const struct {
		const char *text;
		int want; /* -1: error */
	} cases[] = {
	    {"yes", 1},   {"YES", 1},   {"Yes", 1},   {"no", 0},  {"NO", 0},
	    {"nO", 0},    {"", -1},     {"y", -1},    {"n", -1},  {"1", -1},
	    {"true", -1}, {"yes ", -1}, {"yess", -1}, {"on", -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		bool got = false;
		bool ok = units_bool("b", cases[i].text, &got, &error);
		char what[64];
		char want_error[64];

		snprintf(what, sizeof(what), "bool \"%s\"", cases[i].text);
		snprintf(want_error, sizeof(want_error), "bad boolean configuration: b = %s",
		         cases[i].text);
		check(what, ok, got, error, cases[i].want, cases[i].want < 0 ? want_error : NULL);
	}
}

static void test_failure_leaves_value(void **state)
{
	const char *error;
	int value = 42;
	long lvalue = 42;
	bool flag = true;

	assert_false(units_time("t", "10x", 's', 0, INT_MAX, &value, &error));
	assert_false(units_int("n", "x", 0, 1, &value, &error));
	assert_false(units_long("n", "x", 0, 1, &lvalue, &error));
	assert_false(units_bool("b", "x", &flag, &error));
	assert_int_equal(value, 42);
	assert_int_equal(lvalue, 42);
	assert_true(flag);
}

static void test_long_value_in_message_is_bounded(void **state)
{
	char text[2000];
	const char *error;
	int value;

	memset(text, '9', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	assert_false(units_int("n", text, 0, 1, &value, &error));
	assert_true(strncmp(error, "bad numerical configuration: n = 999", 36) == 0);
	assert_true(strlen(error) < sizeof(text));
}

static void test_multiplier(void **state)
{
	assert_int_equal(units_time_multiplier('s'), 1);
	assert_int_equal(units_time_multiplier('m'), 60);
	assert_int_equal(units_time_multiplier('h'), 3600);
	assert_int_equal(units_time_multiplier('d'), 86400);
	assert_int_equal(units_time_multiplier('w'), 604800);
	assert_int_equal(units_time_multiplier('M'), 0);
	assert_int_equal(units_time_multiplier(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time_table),
	    cmocka_unit_test(test_time_bad_default_unit_panics),
	    cmocka_unit_test(test_int_table),
	    cmocka_unit_test(test_long_table),
	    cmocka_unit_test(test_bool_table),
	    cmocka_unit_test(test_failure_leaves_value),
	    cmocka_unit_test(test_long_value_in_message_is_bounded),
	    cmocka_unit_test(test_multiplier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
