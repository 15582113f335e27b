/*
 * Unit tests for lib/util/attr: malformed lists (whole, one byte at a
 * time, and from a stream), limits, round trips through strbuf and stream
 * writers, typed getters and attr_check, the protocol greeting, the -v
 * trace and the panic on a bad name of our own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/test_mem_stream.h"
#include "util/attr.h"
#include "util/msg.h"

static const struct attr_limits small_limits = {.value_max = 10, .list_max = 40, .count_max = 3};

struct bad_case {
	const char *input;
	const struct attr_limits *limits;
	const char *want; /* a substring of the error; NULL: truncated input */
};

static const struct bad_case bad_cases[] = {
    {"x:,", NULL, "bad character 0x78 where a length should start"},
    {":3:a=b,", NULL, "bad character 0x3a where a length should start"},
    {"-1:a,", NULL, "bad character 0x2d where a length should start"},
    {" 3:a=b,", NULL, "bad character 0x20 where a length should start"},
    {"00:,", NULL, "length with a leading zero"},
    {"05:a=bcd,", NULL, "length with a leading zero"},
    {"0;,", NULL, "missing ':' after length"},
    {"3a=b,", NULL, "missing ':' after length"},
    {"3:a=b;0:,", NULL, "missing ',' after netstring"},
    {"3:a=b,0:;", NULL, "missing ',' after netstring"},
    {"3:abc,0:,", NULL, "attribute without '='"},
    {"3:=bc,0:,", NULL, "empty attribute name"},
    {"3:A=b,0:,", NULL, "bad character 0x41 in attribute name"},
    {"5:a-b=c,0:,", NULL, "bad character 0x2d in attribute name"},
    {"5:a b=c,0:,", NULL, "bad character 0x20 in attribute name"},
    {"67:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x,0:,", NULL,
     "attribute name longer than 64 bytes"},
    {"13:a=01234567890,0:,", &small_limits, "value of a exceeds the limit of 10 bytes"},
    {"76:", &small_limits, "attribute length exceeds the limit of 75 bytes"},
    {"99999999999999999999999999:", NULL, "attribute length exceeds the limit"},
    {"3:a=1,3:b=2,3:c=3,3:d=4,0:,", &small_limits, "more than 3 attributes"},
    {"12:a=0123456789,12:b=0123456789,12:c=0", &small_limits, "list exceeds the limit of 40 bytes"},
    {"12:a=0123456789,12:b=0123456789,0:,", &(struct attr_limits){10, 32, 10},
     "list exceeds the limit of 32 bytes"},
    {"3:a=1,3:a=2,0:,", NULL, "duplicate attribute a"},
    {"7:a=hel", NULL, NULL},
    {"3:a=1,", NULL, NULL},
    {"3:a=1,0", NULL, NULL},
    {"3:a=1,0:", NULL, NULL},
};

/* Feeds input in chunks; returns the error, or NULL when none occurred. */
static const char *feed_in_chunks(const struct bad_case *bc, size_t chunk, bool *idle_r)
{
	struct attr_parser *parser = attr_parser_new(bc->limits);
	size_t len = strlen(bc->input), pos = 0;
	static char error[256];
	const char *result = NULL;

	while (pos < len) {
		size_t n = len - pos < chunk ? len - pos : chunk;
		struct attr_list *list;
		const char *err;
		ssize_t used = attr_parser_feed(parser, bc->input + pos, n, &list, &err);

		if (used < 0) {
			snprintf(error, sizeof(error), "%s", err);
			result = error;
			break;
		}
		if (list != NULL)
			fail_msg("input \"%s\": got a complete list, want an error", bc->input);
		pos += (size_t)used;
	}
	*idle_r = attr_parser_idle(parser);
	attr_parser_free(&parser);
	return result;
}

static void check_bad_case(const struct bad_case *bc, size_t chunk)
{
	bool idle;
	const char *err = feed_in_chunks(bc, chunk, &idle);

	if (bc->want == NULL) {
		if (err != NULL || idle)
			fail_msg(
			    "input \"%s\" (chunk %zu): got error \"%s\" idle %d, want incomplete",
			    bc->input, chunk, err ? err : "", idle);
		return;
	}
	if (err == NULL || strstr(err, bc->want) == NULL)
		fail_msg("input \"%s\" (chunk %zu): got error \"%s\", want \"%s\"", bc->input,
		         chunk, err ? err : "(none)", bc->want);
}

static void test_malformed_lists(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		check_bad_case(&bad_cases[i], 4096);
		check_bad_case(&bad_cases[i], 1);
		check_bad_case(&bad_cases[i], 2);
	}
}

static void test_malformed_lists_from_stream(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		const char *want = bc->want ? bc->want : "end of file while reading";

		for (size_t chunk = 1; chunk <= 4096; chunk *= 4096) {
			struct test_mem_stream src;
			struct stream *stream = test_mem_stream_open(&src, bc->input, chunk);
			struct attr_list *list = NULL;
			const char *err = NULL;
			enum attr_read_status got = attr_read(stream, bc->limits, &list, &err);

			if (got != ATTR_READ_ERROR || err == NULL || strstr(err, want) == NULL)
				fail_msg("input \"%s\": got status %d error \"%s\", want \"%s\"",
				         bc->input, got, err ? err : "(none)", want);
			assert_null(list);
			stream_release(&stream);
		}
	}
}

static void test_limits_checked_before_payload(void **state)
{
	/* The header alone must be refused: no payload byte has arrived yet. */
	struct attr_limits wide = {.value_max = 2 << 20, .list_max = 1 << 20, .count_max = 10};
	struct attr_parser *parser = attr_parser_new(&wide);
	struct attr_list *list;
	const char *err = NULL;

	assert_int_equal(attr_parser_feed(parser, "1048576:", 8, &list, &err), -1);
	assert_non_null(strstr(err, "list exceeds the limit of 1048576 bytes"));
	assert_int_equal(attr_parser_feed(parser, "0:,", 3, &list, &err), -1);
	attr_parser_free(&parser);
	assert_null(parser);
}

static void test_parse_good_one_byte_at_a_time(void **state)
{
	static const char input[] =
	    "5:a=b\0c,66:"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x,"
	    "2:e=,11:zz_9=-12345,0:,"
	    "0:,3:q=1,0:,";
	size_t len = sizeof(input) - 1;
	struct attr_parser *parser = attr_parser_new(NULL);
	struct attr_list *lists[3] = {0};
	int nlists = 0;

	for (size_t pos = 0; pos < len; pos++) {
		struct attr_list *list;
		const char *err;

		assert_int_equal(attr_parser_feed(parser, input + pos, 1, &list, &err), 1);
		if (list != NULL) {
			assert_true(nlists < 3);
			lists[nlists++] = list;
			assert_true(attr_parser_idle(parser));
		}
	}
	assert_int_equal(nlists, 3);
	assert_int_equal(attr_list_count(lists[0]), 4);
	{
		const void *data;
		size_t data_len;
		long num;

		assert_true(attr_get_data(lists[0], "a", &data, &data_len));
		assert_int_equal(data_len, 3);
		assert_memory_equal(data, "b\0c", 3);
		assert_null(attr_get_str(lists[0], "a"));
		assert_string_equal(attr_get_str(lists[0], "e"), "");
		assert_true(attr_get_long(lists[0], "zz_9", -20000, 0, &num));
		assert_int_equal(num, -12345);
		assert_false(attr_get_long(lists[0], "zz_9", 0, 20000, &num));
		assert_non_null(attr_get_str(lists[0],
		                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		                             "aaaaaaaaaaaaaaaaaa"));
		assert_null(attr_get_str(lists[0], "missing"));
	}
	assert_int_equal(attr_list_count(lists[1]), 0);
	assert_string_equal(attr_get_str(lists[2], "q"), "1");
	for (int i = 0; i < 3; i++)
		attr_list_free(&lists[i]);
	attr_parser_free(&parser);
}

static void test_pipelined_lists_in_one_feed(void **state)
{
	static const char input[] = "3:a=1,0:,3:b=2,0:,3:c";
	struct attr_parser *parser = attr_parser_new(NULL);
	struct attr_list *list;
	const char *err;
	ssize_t used;

	used = attr_parser_feed(parser, input, sizeof(input) - 1, &list, &err);
	assert_int_equal(used, 9);
	assert_string_equal(attr_get_str(list, "a"), "1");
	attr_list_free(&list);
	used = attr_parser_feed(parser, input + 9, sizeof(input) - 1 - 9, &list, &err);
	assert_int_equal(used, 9);
	assert_string_equal(attr_get_str(list, "b"), "2");
	attr_list_free(&list);
	used = attr_parser_feed(parser, input + 18, 3, &list, &err);
	assert_int_equal(used, 3);
	assert_null(list);
	assert_false(attr_parser_idle(parser));
	attr_parser_free(&parser);
}

static void test_strbuf_writer_round_trip(void **state)
{
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);
	struct attr_parser *parser = attr_parser_new(NULL);
	struct attr_list *list;
	const char *err;
	const void *data;
	size_t len;
	long num;

	assert_true(attr_append_str(buf, "queue_id", "4C6E82A0C1"));
	assert_true(attr_append_long(buf, "size", -7));
	assert_true(attr_append_data(buf, "blob", "x\0,:=", 5));
	assert_true(attr_append_end(buf));
	assert_memory_equal(strbuf_str(buf), "19:queue_id=4C6E82A0C1,7:size=-7,10:blob=x\0,:=,0:,",
	                    strbuf_len(buf));
	assert_int_equal(attr_parser_feed(parser, strbuf_str(buf), strbuf_len(buf), &list, &err),
	                 (ssize_t)strbuf_len(buf));
	assert_string_equal(attr_get_str(list, "queue_id"), "4C6E82A0C1");
	assert_true(attr_get_long(list, "size", -10, 10, &num));
	assert_int_equal(num, -7);
	assert_true(attr_get_data(list, "blob", &data, &len));
	assert_int_equal(len, 5);
	assert_memory_equal(data, "x\0,:=", 5);
	attr_list_free(&list);
	attr_parser_free(&parser);
	strbuf_free(&buf);
}

static void test_strbuf_writer_respects_limit(void **state)
{
	struct strbuf *buf = strbuf_new(11);

	assert_true(attr_append_str(buf, "a", "1"));
	assert_false(attr_append_str(buf, "b", "too long"));
	assert_string_equal(strbuf_str(buf), "3:a=1,");
	assert_true(attr_append_end(buf));
	assert_false(attr_append_end(buf));
	assert_string_equal(strbuf_str(buf), "3:a=1,0:,");
	strbuf_free(&buf);
}

static void test_stream_round_trip_and_clean_eof(void **state)
{
	int fds[2];
	struct stream *out, *in;
	struct attr_list *list;
	const char *err;
	static char big[70000];
	pid_t pid;
	int status;

	memset(big, 'v', sizeof(big));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	/* A child writes, so a list larger than the socket buffer cannot deadlock. */
	if ((pid = fork()) == 0) {
		out = stream_open(fds[0]);
		close(fds[1]);
		stream_set_timeout(out, 5);
		attr_write_str(out, "sender", "a@example.com");
		attr_write_long(out, "nrcpt", 3);
		attr_write_end(out);
		attr_write_data(out, "body", big, sizeof(big));
		attr_write_end(out);
		_exit(stream_close(&out) ? 0 : 1);
	}
	assert_true(pid > 0);
	close(fds[0]);
	in = stream_open(fds[1]);
	stream_set_timeout(in, 5);
	assert_int_equal(attr_read(in, NULL, &list, &err), ATTR_READ_OK);
	assert_string_equal(attr_get_str(list, "sender"), "a@example.com");
	attr_list_free(&list);
	/* The second list breaks the default value limit, a raised one admits it. */
	assert_int_equal(
	    attr_read(in,
	              &(struct attr_limits){.value_max = 80000, .list_max = 90000, .count_max = 1},
	              &list, &err),
	    ATTR_READ_OK);
	assert_int_equal(attr_list_count(list), 1);
	attr_list_free(&list);
	assert_int_equal(attr_read(in, NULL, &list, &err), ATTR_READ_EOF);
	assert_null(list);
	stream_close(&in);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
}

static const struct attr_spec check_spec[] = {
    {.name = "queue_id", .type = ATTR_TYPE_STR},
    {.name = "size", .type = ATTR_TYPE_LONG, .min = 0, .max = 1000},
    {.name = "blob", .type = ATTR_TYPE_DATA, .optional = true},
    {.name = "flags", .type = ATTR_TYPE_LONG, .optional = true, .min = 0, .max = 7},
    {0},
};

struct check_case {
	const char *input;
	size_t len;
	const char *want; /* NULL: the check passes */
};

#define CC(text, want)                                                                             \
	{                                                                                          \
		text, sizeof(text) - 1, want                                                       \
	}

static const struct check_case check_cases[] = {
    CC("10:queue_id=A,6:size=5,0:,", NULL),
    CC("10:queue_id=A,6:size=5,7:blob=\0\0,9:unknown=?,0:,", NULL),
    CC("6:size=5,0:,", "missing attribute queue_id"),
    CC("10:queue_id=A,0:,", "missing attribute size"),
    CC("10:queue_id=\0,6:size=5,0:,", "attribute queue_id contains a null byte"),
    CC("10:queue_id=A,7:size=5x,0:,", "attribute size: \"5x\" is not a number in 0..1000"),
    CC("10:queue_id=A,9:size=1001,0:,", "attribute size: \"1001\" is not a number in 0..1000"),
    CC("10:queue_id=A,7:size=-1,0:,", "is not a number in 0..1000"),
    CC("10:queue_id=A,7:size=+1,0:,", "is not a number"),
    CC("10:queue_id=A,5:size=,0:,", "is not a number"),
    CC("10:queue_id=A,7:size= 1,0:,", "is not a number"),
    CC("10:queue_id=A,25:size=99999999999999999999,0:,", "is not a number"),
    CC("10:queue_id=A,6:size=1,7:flags=8,0:,", "attribute flags: \"8\" is not a number in 0..7"),
    CC("10:queue_id=A,8:size=1\n\x01,0:,", "\"1\\x0a\\x01\" is not a number"),
};

static void test_check_table(void **state)
{
	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *cc = &check_cases[i];
		struct attr_parser *parser = attr_parser_new(NULL);
		struct attr_list *list;
		const char *err = NULL;
		bool ok;

		if (attr_parser_feed(parser, cc->input, cc->len, &list, &err) < 0 || list == NULL)
			fail_msg("case %zu: list did not parse: %s", i, err ? err : "incomplete");
		ok = attr_check(list, check_spec, &err);
		if (cc->want == NULL && !ok)
			fail_msg("case %zu: got error \"%s\", want success", i, err);
		if (cc->want != NULL && (ok || strstr(err, cc->want) == NULL))
			fail_msg("case %zu: got %s, want error \"%s\"", i, ok ? "success" : err,
			         cc->want);
		attr_list_free(&list);
		attr_parser_free(&parser);
	}
}

static void test_protocol_greeting(void **state)
{
	static const char *const wanted[] = {"cleanup", "qmgr"};

	for (int i = 0; i < 2; i++) {
		int fds[2];
		struct stream *server, *client;
		const char *err = NULL;
		bool ok;

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
		server = stream_open(fds[0]);
		client = stream_open(fds[1]);
		assert_true(attr_send_protocol(server, "cleanup"));
		ok = attr_expect_protocol(client, wanted[i], &err);
		if (i == 0) {
			assert_true(ok);
			/* The greeting must not swallow what follows it. */
			assert_true(stream_puts(server, "next"));
			assert_true(stream_flush(server));
			assert_int_equal(stream_getc(client), 'n');
		} else {
			assert_false(ok);
			assert_string_equal(
			    err, "protocol mismatch: want \"qmgr\", server speaks \"cleanup\"");
		}
		stream_close(&server);
		stream_close(&client);
	}
}

static void test_protocol_greeting_failures(void **state)
{
	static const struct {
		const char *input;
		const char *want;
	} cases[] = {
	    {"", "connection closed before the protocol greeting"},
	    {"7:other=x,0:,", "missing attribute protocol"},
	    {"12:protocol=x", "end of file while reading an attribute list"},
	    {"12:Protocol=x,0:,", "bad character 0x50"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_mem_stream src;
		struct stream *stream = test_mem_stream_open(&src, cases[i].input, 7);
		const char *err = NULL;

		if (attr_expect_protocol(stream, "cleanup", &err) ||
		    strstr(err, cases[i].want) == NULL)
			fail_msg("input \"%s\": got \"%s\", want \"%s\"", cases[i].input,
			         err ? err : "success", cases[i].want);
		stream_release(&stream);
	}
}

static char trace_text[4096];

static void capture_output(enum msg_level level, const char *text)
{
	snprintf(trace_text + strlen(trace_text), sizeof(trace_text) - strlen(trace_text), "%s\n",
	         text);
}

static void test_verbose_trace(void **state)
{
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);
	struct attr_parser *parser = attr_parser_new(NULL);
	struct attr_list *list;
	const char *err;
	char long_value[100];

	memset(long_value, 'L', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = 0;
	trace_text[0] = 0;
	msg_output_reset();
	msg_output_add(capture_output);
	msg_verbose = 1;
	attr_append_str(buf, "protocol", "cleanup");
	attr_append_data(buf, "bin", "a\nb", 3);
	attr_append_str(buf, "long", long_value);
	attr_append_end(buf);
	attr_parser_feed(parser, strbuf_str(buf), strbuf_len(buf), &list, &err);
	msg_verbose = 0;
	attr_append_str(buf, "quiet", "x");
	attr_append_end(buf);
	msg_output_reset();
	msg_output_add(msg_stderr_output);
	assert_non_null(list);
	if (strstr(trace_text, "attr: append: protocol=cleanup bin=a\\x0ab long=LLLL") == NULL ||
	    strstr(trace_text, "attr: parsed: protocol=cleanup") == NULL ||
	    strstr(trace_text, "LLL...") == NULL || strstr(trace_text, "quiet") != NULL)
		fail_msg("got trace:\n%s", trace_text);
	attr_list_free(&list);
	attr_parser_free(&parser);
	strbuf_free(&buf);
}

static void test_bad_own_name_panics(void **state)
{
	static const char *const names[] = {
	    "Upper", "", "has space",
	    "a2345678901234567890123456789012345678901234567890123456"
	    "789012345"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0) {
			struct strbuf *buf = strbuf_new(100);

			msg_output_reset();
			attr_append_str(buf, names[i], "x");
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
			fail_msg("name \"%s\": got status 0x%x, want a panic (SIGABRT)", names[i],
			         status);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_malformed_lists),
	    cmocka_unit_test(test_malformed_lists_from_stream),
	    cmocka_unit_test(test_limits_checked_before_payload),
	    cmocka_unit_test(test_parse_good_one_byte_at_a_time),
	    cmocka_unit_test(test_pipelined_lists_in_one_feed),
	    cmocka_unit_test(test_strbuf_writer_round_trip),
	    cmocka_unit_test(test_strbuf_writer_respects_limit),
	    cmocka_unit_test(test_stream_round_trip_and_clean_eof),
	    cmocka_unit_test(test_check_table),
	    cmocka_unit_test(test_protocol_greeting),
	    cmocka_unit_test(test_protocol_greeting_failures),
	    cmocka_unit_test(test_verbose_trace),
	    cmocka_unit_test(test_bad_own_name_panics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
