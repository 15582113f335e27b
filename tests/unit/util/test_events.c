/*
 * Unit tests for lib/util/events: descriptor callbacks over pipes and
 * socketpairs, replacement and self-disabling callbacks, keyed one-shot
 * timers, signals, and the loop entry points.  Timers are milliseconds;
 * time bounds are generous.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/events.h"

struct record {
	int calls;
	int last_fd;
	int last_what;
	void *last_context;
};

static struct record rec_a, rec_b;

static void reset_records(void)
{
	memset(&rec_a, 0, sizeof(rec_a));
	memset(&rec_b, 0, sizeof(rec_b));
}

/* Records into the struct record passed as context. */
static void record_cb(int fd, int what, void *context)
{
	struct record *rec = context;

	rec->calls++;
	rec->last_fd = fd;
	rec->last_what = what;
	rec->last_context = context;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static void test_read_callback_until_disabled(void **state)
{
	int fds[2];
	char ch;

	reset_records();
	assert_int_equal(pipe(fds), 0);
	events_enable_read(fds[0], record_cb, &rec_a);
	events_loop_once(0);
	assert_int_equal(rec_a.calls, 0);
	assert_int_equal(write(fds[1], "x", 1), 1);
	events_loop_once(2000);
	assert_int_equal(rec_a.calls, 1);
	assert_int_equal(rec_a.last_fd, fds[0]);
	assert_int_equal(rec_a.last_what, EVENTS_READ);
	/* Still readable: the event is persistent. */
	events_loop_once(2000);
	assert_int_equal(rec_a.calls, 2);
	assert_int_equal(read(fds[0], &ch, 1), 1);
	events_disable_read(fds[0]);
	assert_int_equal(write(fds[1], "y", 1), 1);
	events_loop_once(20);
	assert_int_equal(rec_a.calls, 2);
	events_disable(fds[0]);
	close(fds[0]);
	close(fds[1]);
}

static void test_enable_again_replaces_callback(void **state)
{
	int fds[2];

	reset_records();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	events_enable_write(fds[0], record_cb, &rec_a);
	events_enable_write(fds[0], record_cb, &rec_b);
	events_loop_once(2000);
	assert_int_equal(rec_a.calls, 0);
	assert_int_equal(rec_b.calls, 1);
	assert_int_equal(rec_b.last_what, EVENTS_WRITE);
	assert_ptr_equal(rec_b.last_context, &rec_b);
	/* Read and write are separate: write stays on while read comes and goes. */
	events_enable_read(fds[0], record_cb, &rec_a);
	events_disable_read(fds[0]);
	events_loop_once(2000);
	assert_int_equal(rec_a.calls, 0);
	assert_int_equal(rec_b.calls, 2);
	events_disable(fds[0]);
	events_loop_once(20);
	assert_int_equal(rec_b.calls, 2);
	close(fds[0]);
	close(fds[1]);
}

/* Disables itself and closes the descriptor, as a server does on EOF. */
static void close_on_read(int fd, int what, void *context)
{
	struct record *rec = context;

	rec->calls++;
	events_disable(fd);
	close(fd);
}

static void test_callback_may_close_its_descriptor(void **state)
{
	int fds[2];

	reset_records();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	events_enable_read(fds[0], close_on_read, &rec_a);
	events_enable_write(fds[0], record_cb, &rec_b);
	assert_int_equal(write(fds[1], "x", 1), 1);
	events_loop();
	assert_int_equal(rec_a.calls, 1);
	assert_true(rec_b.calls <= 1);
	close(fds[1]);
}

static void test_timers_replace_and_cancel(void **state)
{
	double start = now_ms(), elapsed;

	reset_records();
	events_timer_set(record_cb, &rec_a, 10);
	events_timer_set(record_cb, &rec_a, 60000);
	events_timer_set(record_cb, &rec_b, 20);
	events_loop_once(5000);
	elapsed = now_ms() - start;
	assert_int_equal(rec_b.calls, 1);
	assert_int_equal(rec_b.last_fd, -1);
	assert_int_equal(rec_b.last_what, EVENTS_TIMER);
	assert_int_equal(rec_a.calls, 0);
	if (elapsed < 15 || elapsed > 4000)
		fail_msg("20ms timer fired after %.0fms", elapsed);
	assert_true(events_timer_cancel(record_cb, &rec_a));
	assert_false(events_timer_cancel(record_cb, &rec_a));
	assert_false(events_timer_cancel(record_cb, &rec_b));
	/* Nothing left: the loop returns at once. */
	start = now_ms();
	events_loop();
	if (now_ms() - start > 1000)
		fail_msg("empty loop ran %.0fms, want an immediate return", now_ms() - start);
}

static int rearm_count;

/* Sets its own timer again from inside its callback, three times. */
static void rearm_cb(int fd, int what, void *context)
{
	if (++rearm_count < 3)
		events_timer_set(rearm_cb, context, 1);
}

static void test_timer_rearms_itself(void **state)
{
	rearm_count = 0;
	events_timer_set(rearm_cb, NULL, 1);
	events_loop();
	assert_int_equal(rearm_count, 3);
}

static void test_loop_once_waits_at_most_timeout(void **state)
{
	int fds[2];
	double start, elapsed;

	reset_records();
	assert_int_equal(pipe(fds), 0);
	events_enable_read(fds[0], record_cb, &rec_a);
	start = now_ms();
	events_loop_once(100);
	elapsed = now_ms() - start;
	assert_int_equal(rec_a.calls, 0);
	if (elapsed < 80 || elapsed > 4000)
		fail_msg("loop_once(100) returned after %.0fms", elapsed);
	events_disable(fds[0]);
	close(fds[0]);
	close(fds[1]);
}

static void exit_cb(int fd, int what, void *context)
{
	record_cb(fd, what, context);
	events_loop_exit();
}

static void test_loop_exit(void **state)
{
	int fds[2];

	reset_records();
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "x", 1), 1);
	events_enable_read(fds[0], exit_cb, &rec_a);
	events_timer_set(record_cb, &rec_b, 60000);
	events_loop();
	assert_int_equal(rec_a.calls, 1);
	assert_int_equal(rec_b.calls, 0);
	assert_true(events_timer_cancel(record_cb, &rec_b));
	events_disable(fds[0]);
	close(fds[0]);
	close(fds[1]);
}

static void test_signal_callback(void **state)
{
	reset_records();
	signal(SIGUSR1, SIG_IGN);
	events_signal(SIGUSR1, record_cb, &rec_a);
	raise(SIGUSR1);
	events_loop_once(2000);
	assert_int_equal(rec_a.calls, 1);
	assert_int_equal(rec_a.last_fd, SIGUSR1);
	assert_int_equal(rec_a.last_what, EVENTS_SIGNAL);
	events_signal(SIGUSR1, NULL, NULL);
	raise(SIGUSR1);
	events_loop_once(20);
	assert_int_equal(rec_a.calls, 1);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_callback_until_disabled),
	    cmocka_unit_test(test_enable_again_replaces_callback),
	    cmocka_unit_test(test_callback_may_close_its_descriptor),
	    cmocka_unit_test(test_timers_replace_and_cancel),
	    cmocka_unit_test(test_timer_rearms_itself),
	    cmocka_unit_test(test_loop_once_waits_at_most_timeout),
	    cmocka_unit_test(test_loop_exit),
	    cmocka_unit_test(test_signal_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
