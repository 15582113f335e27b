/* Unit tests for lib/server/server_status: master status records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "server/server_status.h"

static void test_generation_table(void **state)
{
	static const struct {
		const char *text;
		unsigned want;
	} cases[] = {
	    {"0", 0},
	    {"7", 7},
	    {"4294967295", 4294967295u},
	    {"4294967296", 0},
	    {NULL, 0},
	    {"", 0},
	    {"-1", 0},
	    {"12x", 0},
	    {" 3", 0},
	    {"99999999999999999999", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got = server_status_generation(cases[i].text);

		if (got != cases[i].want)
			fail_msg("\"%s\": got %u, want %u",
			         cases[i].text ? cases[i].text : "(null)", got, cases[i].want);
	}
}

static void test_send_writes_one_record(void **state)
{
	struct master_status got[2];
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_true(server_status_send(fds[1], 42, MASTER_STATUS_AVAILABLE));
	assert_true(server_status_send(fds[1], 42, MASTER_STATUS_BUSY));
	close(fds[1]);
	assert_int_equal(read(fds[0], got, sizeof(got)), sizeof(got));
	assert_int_equal(read(fds[0], got, 1), 0);
	close(fds[0]);
	for (int i = 0; i < 2; i++) {
		if (got[i].pid != getpid() || got[i].generation != 42)
			fail_msg("record %d: got pid %ld generation %u, want %ld 42", i,
			         (long)got[i].pid, got[i].generation, (long)getpid());
	}
	assert_int_equal(got[0].status, MASTER_STATUS_AVAILABLE);
	assert_int_equal(got[1].status, MASTER_STATUS_BUSY);
}

static void test_send_to_gone_master_fails(void **state)
{
	int fds[2];

	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	assert_false(server_status_send(fds[1], 1, MASTER_STATUS_BUSY));
	assert_int_equal(errno, EPIPE);
	close(fds[1]);
	assert_false(server_status_send(-1, 1, MASTER_STATUS_BUSY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generation_table),
	    cmocka_unit_test(test_send_writes_one_record),
	    cmocka_unit_test(test_send_to_gone_master_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
