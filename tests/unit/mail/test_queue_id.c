/*
 * Unit tests for lib/mail/queue_id: short and long ids against worked
 * examples, and which names count as queue ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mail/queue_id.h"

static void test_make(void **state)
{
	static const struct {
		bool long_form;
		long sec, usec;
		unsigned long ino;
		const char *want;
	} cases[] = {
	    {false, 1637582400, 0x4C6E8, 0x2A0C1, "4C6E82A0C1"},
	    {false, 1, 5, 1, "000051"},
	    {false, 1, 999999, 0xABCDEF, "F423FABCDEF"},
	    /* 52^6 = 19770609664: sec 0 is six zeros, usec 1 is "0001", inode 51 is "10". */
	    {true, 0, 1, 51, "0000000001z10"},
	    {true, 53, 52, 0, "0000110010z0"},
	    {true, 1637582400, 999999, 50, "4HyQnD75plzy"},
	};
	char buf[QUEUE_ID_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		queue_id_make(buf, cases[i].long_form, cases[i].sec, cases[i].usec, cases[i].ino);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, buf, cases[i].want);
		assert_true(queue_id_valid(buf));
		assert_null(strpbrk(buf, ": \t"));
	}
}

static void test_valid(void **state)
{
	static const struct {
		const char *name;
		bool want;
	} cases[] = {
	    {"4C6E82A0C1", true},     {"3Pt2mN2VXxznjll", true}, {"t123.456789", false},
	    {"4c6e82a0c1", false},    {"ABCDE", false},          {"", false},
	    {"3Pt2mN2VXxzn", true},   {"3Pt2mN2Vzxn", false},    {"3Pt2mN2VXxz", false},
	    {"3Pt2mN2VXxznz", false}, {"AB:CDEF", false},        {"ABC DEF", false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (queue_id_valid(cases[i].name) != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name, !cases[i].want,
			         cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_make),
	    cmocka_unit_test(test_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
