/*
 * Unit tests for lib/util/msg: level prefixes, every output called in
 * order, %m, the cleanup hook and exit status of fatal errors, and panics
 * ending in abort().  Fatal paths run in forked children.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/strbuf.h"

static struct strbuf *seen;

static void first_output(enum msg_level level, const char *text)
{
	strbuf_printf(seen, "1:%s%s\n", msg_level_prefix(level), text);
}

static void second_output(enum msg_level level, const char *text)
{
	strbuf_printf(seen, "2:%s%s\n", msg_level_prefix(level), text);
}

static int setup(void **state)
{
	seen = strbuf_new(STRBUF_UNLIMITED);
	msg_output_reset();
	msg_output_add(first_output);
	msg_output_add(second_output);
	return 0;
}

static int teardown(void **state)
{
	strbuf_free(&seen);
	return 0;
}

static void test_levels_and_outputs(void **state)
{
	msg_info("plain %d", 1);
	msg_warn("careful");
	msg_error("broken");
	assert_string_equal(strbuf_str(seen), "1:plain 1\n2:plain 1\n"
	                                      "1:warning: careful\n2:warning: careful\n"
	                                      "1:error: broken\n2:error: broken\n");
}

static void test_percent_m_and_errno_kept(void **state)
{
	errno = ENOENT;
	msg_warn("open x: %m");
	assert_int_equal(errno, ENOENT);
	assert_string_equal(strbuf_str(seen), "1:warning: open x: No such file or directory\n"
	                                      "2:warning: open x: No such file or directory\n");
}

static void test_long_text_is_cut_not_overflowed(void **state)
{
	static char big[10000];

	memset(big, 'x', sizeof(big) - 1);
	msg_info("%s", big);
	/* Each output got one line of at most the logger's buffer size. */
	assert_true(strbuf_len(seen) < 2 * 4100);
	assert_true(strbuf_len(seen) > 2 * 4000);
}

static void fatal_cleanup(void)
{
	fputs("cleanup ran\n", stdout);
	fflush(stdout);
}

/* Runs fn in a child with stdout captured; returns the wait status. */
static int run_child(void (*fn)(void), char *out, size_t size)
{
	int fds[2], status;
	pid_t pid;
	ssize_t len;

	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		msg_output_reset();
		fn();
		_exit(99);
	}
	close(fds[1]);
	len = read(fds[0], out, size - 1);
	out[len > 0 ? len : 0] = 0;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void fatal_with_hook(void)
{
	msg_cleanup_set(fatal_cleanup);
	msg_fatal("stop");
}

static void fatal_with_status(void)
{
	msg_fatal_status(75, "temporary");
}

static void panic_now(void)
{
	signal(SIGABRT, SIG_DFL);
	msg_panic("bug");
}

static void test_fatal_runs_hook_and_exits_1(void **state)
{
	char out[100];
	int status = run_child(fatal_with_hook, out, sizeof(out));

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(out, "cleanup ran\n");
}

static void test_fatal_status_and_panic(void **state)
{
	char out[100];
	int status = run_child(fatal_with_status, out, sizeof(out));

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 75);
	status = run_child(panic_now, out, sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_progname_strips_directories(void **state)
{
	msg_init("/usr/lib/postern/smtpd");
	assert_string_equal(msg_progname(), "smtpd");
	msg_init("postconf");
	assert_string_equal(msg_progname(), "postconf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_levels_and_outputs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_percent_m_and_errno_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_text_is_cut_not_overflowed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fatal_runs_hook_and_exits_1, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fatal_status_and_panic, setup, teardown),
	    cmocka_unit_test(test_progname_strips_directories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
