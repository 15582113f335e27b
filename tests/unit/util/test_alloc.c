/*
 * Unit tests for lib/util/alloc: copies are exact and terminated, zero
 * sizes still give unique pointers, xfree_ptr clears, and an overflowing
 * array size is a fatal error (in a forked child), never a short buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/msg.h"

static void test_copies(void **state)
{
	char *dup = xstrdup("postern");
	char *cut = xstrndup("postern", 4);
	char *whole = xstrndup("abc", 10);
	char *mem = xmemdup("a\0b", 3);

	assert_string_equal(dup, "postern");
	assert_string_equal(cut, "post");
	assert_string_equal(whole, "abc");
	assert_memory_equal(mem, "a\0b", 3);
	free(dup);
	free(cut);
	free(whole);
	free(mem);
}

static void test_zero_sizes_and_free_ptr(void **state)
{
	void *a = xmalloc(0), *b = xcalloc(0, 0);
	char *text = xstrdup("x");

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	free(a);
	free(b);
	xfree_ptr(&text);
	assert_null(text);
	xfree_ptr(&text);
}

static void test_array_overflow_is_fatal(void **state)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		msg_output_reset();
		xreallocarray(NULL, SIZE_MAX / 2, 4);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copies),
	    cmocka_unit_test(test_zero_sizes_and_free_ptr),
	    cmocka_unit_test(test_array_overflow_is_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
