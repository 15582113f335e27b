/*
 * Small assertions shared by unit tests, so that parsers of different
 * kinds check their refusals the same way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "helpers/test_expect.h"

void test_expect_error(const char *input, const void *result, const char *error,
                       const char *want_part)
{
	if (result != NULL)
		fail_msg("\"%s\": got a result, want error \"%s\"", input, want_part);
	if (strstr(error, want_part) == NULL)
		fail_msg("\"%s\": got error \"%s\", want it to contain \"%s\"", input, error,
		         want_part);
}
