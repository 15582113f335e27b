/*
 * Unit tests for lib/util/stream: line reading with limits (whole input and
 * one byte at a time through a read hook), CRLF versus LF, exact reads,
 * buffered writes, I/O hooks, timeouts, the sticky error and input discard.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "helpers/test_mem_stream.h"
#include "util/stream.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct line_want {
	enum stream_line status;
	const char *text;
};

struct line_case {
	const char *name;
	const char *input;
	size_t limit;
	struct line_want want[6]; /* ends after the first STREAM_LINE_ERROR */
};

static const struct line_case line_cases[] = {
    {"lf and crlf",
     "HELO a\r\nMAIL b\nx",
     100,
     {{STREAM_LINE_CRLF, "HELO a"}, {STREAM_LINE_LF, "MAIL b"}, {STREAM_LINE_ERROR, "x"}}},
    {"empty lines",
     "\n\r\n",
     10,
     {{STREAM_LINE_LF, ""}, {STREAM_LINE_CRLF, ""}, {STREAM_LINE_ERROR, ""}}},
    {"bare cr is text", "a\rb\r\n", 10, {{STREAM_LINE_CRLF, "a\rb"}, {STREAM_LINE_ERROR, ""}}},
    {"exactly the limit lf", "abc\n", 3, {{STREAM_LINE_LF, "abc"}, {STREAM_LINE_ERROR, ""}}},
    {"exactly the limit crlf", "abc\r\n", 3, {{STREAM_LINE_CRLF, "abc"}, {STREAM_LINE_ERROR, ""}}},
    {"too long in chunks",
     "abcdefg\r\nz\n",
     3,
     {{STREAM_LINE_TOO_LONG, "abc"},
      {STREAM_LINE_TOO_LONG, "def"},
      {STREAM_LINE_CRLF, "g"},
      {STREAM_LINE_LF, "z"},
      {STREAM_LINE_ERROR, ""}}},
    {"cr at limit without lf",
     "abc\rd\n",
     3,
     {{STREAM_LINE_TOO_LONG, "abc"}, {STREAM_LINE_LF, "\rd"}, {STREAM_LINE_ERROR, ""}}},
    {"cr before lf straddling limit",
     "ab\r\n",
     2,
     {{STREAM_LINE_CRLF, "ab"}, {STREAM_LINE_ERROR, ""}}},
    {"lone cr at limit then eof",
     "abc\r",
     3,
     {{STREAM_LINE_TOO_LONG, "abc"}, {STREAM_LINE_ERROR, "\r"}}},
    {"zero limit", "ab\n\n", 0, {{STREAM_LINE_TOO_LONG, ""}}},
    {"empty input", "", 10, {{STREAM_LINE_ERROR, ""}}},
};

static const char *line_status_name(enum stream_line status)
{
	switch (status) {
	case STREAM_LINE_LF:
		return "LF";
	case STREAM_LINE_CRLF:
		return "CRLF";
	case STREAM_LINE_TOO_LONG:
		return "TOO_LONG";
	default:
		return "ERROR";
	}
}

static void run_line_case(const struct line_case *lc, size_t chunk)
{
	struct test_mem_stream src;
	struct stream *stream = test_mem_stream_open(&src, lc->input, chunk);
	struct strbuf *line = strbuf_new(1000);

	for (int i = 0; i < 6; i++) {
		enum stream_line got = stream_read_line(stream, line, lc->limit);

		if (got != lc->want[i].status || strcmp(strbuf_str(line), lc->want[i].text) != 0)
			fail_msg("%s (chunk %zu) line %d: got %s \"%s\", want %s \"%s\"", lc->name,
			         chunk, i, line_status_name(got), strbuf_str(line),
			         line_status_name(lc->want[i].status), lc->want[i].text);
		if (got == STREAM_LINE_ERROR || lc->limit == 0) {
			if (got == STREAM_LINE_ERROR)
				assert_int_equal(stream_error(stream), STREAM_ERR_EOF);
			break;
		}
	}
	strbuf_free(&line);
	stream_release(&stream);
}

static void test_read_line_table(void **state)
{
	for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		run_line_case(&line_cases[i], 4096);
		run_line_case(&line_cases[i], 1);
	}
}

static void test_line_limit_is_capped_by_strbuf_limit(void **state)
{
	struct test_mem_stream src;
	struct stream *stream = test_mem_stream_open(&src, "abcdef\n", 4096);
	struct strbuf *line = strbuf_new(4);

	assert_int_equal(stream_read_line(stream, line, 1000), STREAM_LINE_TOO_LONG);
	assert_string_equal(strbuf_str(line), "abcd");
	assert_int_equal(stream_read_line(stream, line, 1000), STREAM_LINE_LF);
	assert_string_equal(strbuf_str(line), "ef");
	strbuf_free(&line);
	stream_release(&stream);
}

static void test_skip_line_reports_newline(void **state)
{
	static const size_t chunks[] = {4096, 1};

	for (size_t i = 0; i < 2; i++) {
		struct test_mem_stream src;
		struct stream *stream =
		    test_mem_stream_open(&src, "0123456789\r\n0123456789\nnext\r\ntail", chunks[i]);
		struct strbuf *line = strbuf_new(100);

		assert_int_equal(stream_read_line(stream, line, 4), STREAM_LINE_TOO_LONG);
		assert_int_equal(stream_skip_line(stream), STREAM_LINE_CRLF);
		assert_int_equal(stream_read_line(stream, line, 4), STREAM_LINE_TOO_LONG);
		assert_int_equal(stream_skip_line(stream), STREAM_LINE_LF);
		assert_int_equal(stream_read_line(stream, line, 100), STREAM_LINE_CRLF);
		assert_string_equal(strbuf_str(line), "next");
		assert_int_equal(stream_skip_line(stream), STREAM_LINE_ERROR);
		assert_int_equal(stream_error(stream), STREAM_ERR_EOF);
		strbuf_free(&line);
		stream_release(&stream);
	}
}

static void test_read_exact_and_getc(void **state)
{
	struct test_mem_stream src;
	struct stream *stream = test_mem_stream_open(&src, "5:hello,xy", 1);
	char buf[8];

	assert_int_equal(stream_getc(stream), '5');
	assert_int_equal(stream_getc(stream), ':');
	assert_true(stream_read_exact(stream, buf, 5));
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(stream_getc(stream), ',');
	assert_false(stream_read_exact(stream, buf, 3));
	assert_int_equal(stream_error(stream), STREAM_ERR_EOF);
	assert_int_equal(stream_getc(stream), -1);
	stream_release(&stream);
}

static void test_peek_and_skip(void **state)
{
	struct test_mem_stream src;
	struct stream *stream = test_mem_stream_open(&src, "abcdef", 4);
	const char *data;

	assert_int_equal(stream_peek(stream, &data), 4);
	assert_memory_equal(data, "abcd", 4);
	stream_skip(stream, 3);
	assert_int_equal(stream_buffered_input(stream), 1);
	assert_int_equal(stream_peek(stream, &data), 1);
	assert_int_equal(data[0], 'd');
	stream_skip(stream, 1);
	assert_int_equal(stream_peek(stream, &data), 2);
	assert_memory_equal(data, "ef", 2);
	stream_skip(stream, 2);
	assert_int_equal(stream_peek(stream, &data), 0);
	assert_int_equal(stream_error(stream), STREAM_ERR_EOF);
	stream_release(&stream);
}

static void test_discard_input(void **state)
{
	struct test_mem_stream src;
	struct stream *stream =
	    test_mem_stream_open(&src, "STARTTLS\r\nMAIL FROM:<evil>\r\n", 4096);
	struct strbuf *line = strbuf_new(100);

	assert_int_equal(stream_read_line(stream, line, 100), STREAM_LINE_CRLF);
	assert_string_equal(strbuf_str(line), "STARTTLS");
	assert_int_equal(stream_buffered_input(stream), 18);
	assert_int_equal(stream_discard_input(stream), 18);
	assert_int_equal(stream_buffered_input(stream), 0);
	assert_int_equal(stream_read_line(stream, line, 100), STREAM_LINE_ERROR);
	assert_string_equal(strbuf_str(line), "");
	strbuf_free(&line);
	stream_release(&stream);
}

/* True when a byte is waiting on fd right now. */
static bool readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) == 1;
}

static void test_writes_are_buffered_until_flush(void **state)
{
	int fds[2];
	struct stream *stream;
	char buf[64];
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	stream = stream_open(fds[1]);
	assert_true(stream_puts(stream, "250 "));
	assert_true(stream_printf(stream, "%s %d\r\n", "ok", 42));
	assert_int_equal(stream_buffered_output(stream), 11);
	assert_false(readable(fds[0]));
	assert_true(stream_flush(stream));
	assert_int_equal(stream_buffered_output(stream), 0);
	n = read(fds[0], buf, sizeof(buf));
	assert_int_equal(n, 11);
	assert_memory_equal(buf, "250 ok 42\r\n", 11);
	assert_true(stream_write(stream, "bye", 3));
	assert_true(stream_close(&stream));
	assert_null(stream);
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 3);
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 0);
	close(fds[0]);
}

static void test_large_writes_and_printf(void **state)
{
	int fds[2];
	struct stream *in, *out;
	static char big[20000], got[20000];
	char wide[10001];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	memset(wide, 'w', sizeof(wide) - 1);
	wide[sizeof(wide) - 1] = 0;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	out = stream_open(fds[0]);
	in = stream_open(fds[1]);
	stream_set_timeout(in, 5);
	stream_set_timeout(out, 5);
	assert_true(stream_write(out, "x", 1));
	assert_true(stream_write(out, big, 5000));
	assert_true(stream_printf(out, "[%s]", wide));
	assert_true(stream_flush(out));
	assert_int_equal(stream_getc(in), 'x');
	assert_true(stream_read_exact(in, got, 5000));
	assert_memory_equal(got, big, 5000);
	assert_true(stream_read_exact(in, got, 10001));
	assert_int_equal(got[0], '[');
	assert_int_equal(got[10000], 'w');
	assert_int_equal(stream_getc(in), ']');
	stream_close(&out);
	stream_close(&in);
}

/* Test hooks: rot13 on the way out, upper case on the way in. */
static int hook_calls;

static ssize_t rot13_write(int fd, const void *buf, size_t len, int timeout_ms, void *context)
{
	char tmp[256];
	const char *p = buf;

	hook_calls++;
	if (len > sizeof(tmp))
		len = sizeof(tmp);
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (c >= 'a' && c <= 'z')
			c = (char)('a' + (c - 'a' + 13) % 26);
		tmp[i] = c;
	}
	return stream_default_write(fd, tmp, len, timeout_ms, context);
}

static ssize_t upper_read(int fd, void *buf, size_t len, int timeout_ms, void *context)
{
	ssize_t n = stream_default_read(fd, buf, len, timeout_ms, context);
	char *p = buf;

	hook_calls++;
	for (ssize_t i = 0; i < n; i++)
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (char)(p[i] - 'a' + 'A');
	return n;
}

static void test_io_hooks_are_used(void **state)
{
	int fds[2];
	struct stream *out, *in;
	struct strbuf *line = strbuf_new(100);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	out = stream_open(fds[0]);
	in = stream_open(fds[1]);
	hook_calls = 0;
	stream_set_io(out, NULL, rot13_write, NULL);
	stream_set_io(in, upper_read, NULL, NULL);
	stream_puts(out, "hello\n");
	assert_true(stream_flush(out));
	assert_int_equal(stream_read_line(in, line, 100), STREAM_LINE_LF);
	assert_string_equal(strbuf_str(line), "URYYB");
	assert_int_equal(hook_calls, 2);
	stream_set_io(in, NULL, NULL, NULL);
	stream_puts(out, "abc\n");
	stream_flush(out);
	assert_int_equal(stream_read_line(in, line, 100), STREAM_LINE_LF);
	assert_string_equal(strbuf_str(line), "nop");
	strbuf_free(&line);
	stream_close(&out);
	stream_close(&in);
}

static void test_read_timeout_is_sticky(void **state)
{
	int fds[2];
	struct stream *stream;
	struct strbuf *line = strbuf_new(100);
	double start, elapsed;

	assert_int_equal(pipe(fds), 0);
	stream = stream_open(fds[0]);
	stream_set_timeout(stream, 1);
	start = now_seconds();
	assert_int_equal(stream_read_line(stream, line, 100), STREAM_LINE_ERROR);
	elapsed = now_seconds() - start;
	if (elapsed < 0.9 || elapsed > 5)
		fail_msg("timeout took %.2fs, want about 1s", elapsed);
	assert_int_equal(stream_error(stream), STREAM_ERR_TIMEOUT);

	/* Data arriving later must not revive the stream. */
	assert_int_equal(write(fds[1], "late\n", 5), 5);
	start = now_seconds();
	assert_int_equal(stream_read_line(stream, line, 100), STREAM_LINE_ERROR);
	assert_int_equal(stream_getc(stream), -1);
	assert_false(stream_puts(stream, "x"));
	assert_false(stream_flush(stream));
	elapsed = now_seconds() - start;
	if (elapsed > 0.5)
		fail_msg("sticky error took %.2fs, want immediate", elapsed);
	assert_int_equal(stream_error(stream), STREAM_ERR_TIMEOUT);
	assert_string_equal(stream_err_text(stream_error(stream)), "timeout");
	assert_true(readable(fds[0]));
	strbuf_free(&line);
	stream_close(&stream);
	close(fds[1]);
}

static void test_write_to_closed_socket_is_io_error(void **state)
{
	int fds[2];
	struct stream *stream;
	static char big[100000];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	close(fds[1]);
	stream = stream_open(fds[0]);
	stream_set_timeout(stream, 5);
	/* Without MSG_NOSIGNAL this would kill the test with SIGPIPE. */
	stream_write(stream, big, sizeof(big));
	assert_false(stream_flush(stream));
	assert_int_equal(stream_error(stream), STREAM_ERR_IO);
	assert_false(stream_close(&stream));
}

static void test_eof_still_allows_output(void **state)
{
	int fds[2];
	struct stream *stream;
	char buf[16];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	assert_int_equal(shutdown(fds[1], SHUT_WR), 0);
	stream = stream_open(fds[0]);
	assert_int_equal(stream_getc(stream), -1);
	assert_int_equal(stream_error(stream), STREAM_ERR_EOF);
	assert_true(stream_puts(stream, "221 bye\r\n"));
	assert_true(stream_flush(stream));
	assert_int_equal(read(fds[1], buf, sizeof(buf)), 9);
	stream_close(&stream);
	close(fds[1]);
}

static void test_release_keeps_descriptor_open(void **state)
{
	int fds[2];
	struct stream *stream;

	assert_int_equal(pipe(fds), 0);
	stream = stream_open(fds[1]);
	assert_int_equal(stream_fd(stream), fds[1]);
	assert_int_equal(stream_release(&stream), fds[1]);
	assert_null(stream);
	assert_int_not_equal(fcntl(fds[1], F_GETFD), -1);
	stream = stream_open(fds[1]);
	stream_close(&stream);
	assert_int_equal(fcntl(fds[1], F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	close(fds[0]);
	stream_close(&stream);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_line_table),
	    cmocka_unit_test(test_line_limit_is_capped_by_strbuf_limit),
	    cmocka_unit_test(test_skip_line_reports_newline),
	    cmocka_unit_test(test_read_exact_and_getc),
	    cmocka_unit_test(test_peek_and_skip),
	    cmocka_unit_test(test_discard_input),
	    cmocka_unit_test(test_writes_are_buffered_until_flush),
	    cmocka_unit_test(test_large_writes_and_printf),
	    cmocka_unit_test(test_io_hooks_are_used),
	    cmocka_unit_test(test_read_timeout_is_sticky),
	    cmocka_unit_test(test_write_to_closed_socket_is_io_error),
	    cmocka_unit_test(test_eof_still_allows_output),
	    cmocka_unit_test(test_release_keeps_descriptor_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
