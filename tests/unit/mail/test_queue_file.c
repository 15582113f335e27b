/*
 * Unit tests for lib/mail/queue_file: the encoding of lengths, a writer
 * and reader round trip over a real file (with an in-place rewrite), and
 * malformed input (unknown types, overlong and oversized lengths,
 * truncation) fed whole and one byte at a time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/queue_file.h"
#include "util/strbuf.h"

/* Postfix's encoding: 7 bits per byte, least significant first. */
static void test_encode_lengths(void **state)
{
	static const struct {
		size_t len;
		const char *want;
		size_t want_len;
	} cases[] = {
	    {0, "N\x00", 2},       {127, "N\x7f", 2},           {128, "N\x80\x01", 3},
	    {300, "N\xac\x02", 3}, {16384, "N\x80\x80\x01", 4},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
		char *payload = calloc(1, cases[i].len + 1);

		assert_true(queue_file_encode(out, 'N', payload, cases[i].len));
		assert_int_equal(out->len, cases[i].want_len + cases[i].len);
		if (memcmp(out->data, cases[i].want, cases[i].want_len) != 0)
			fail_msg("length %zu: header differs", cases[i].len);
		strbuf_free(&out);
		free(payload);
	}
}

/* Parses buf whole, then as growing prefixes: a prefix is MORE until the record is whole. */
static enum queue_file_parse_status parse_both_ways(const char *buf, size_t len, size_t max,
                                                    struct queue_file_record *rec, size_t *used)
{
	const char *error = NULL;
	enum queue_file_parse_status whole = queue_file_parse(buf, len, max, rec, used, &error);

	for (size_t n = 0; n < len; n++) {
		struct queue_file_record r;
		size_t u;
		enum queue_file_parse_status part = queue_file_parse(buf, n, max, &r, &u, &error);

		if (whole == QUEUE_FILE_PARSE_OK && n < *used && part != QUEUE_FILE_PARSE_MORE)
			fail_msg("prefix %zu of %zu: got %d, want MORE", n, len, part);
		if (part == QUEUE_FILE_PARSE_ERROR && whole != QUEUE_FILE_PARSE_ERROR)
			fail_msg("prefix %zu: error %s, whole input is fine", n, error);
	}
	return whole;
}

static void test_parse_malformed(void **state)
{
	static const struct {
		const char *input;
		size_t len;
		enum queue_file_parse_status want;
	} cases[] = {
	    {"N\x03"
	     "abc",
	     5, QUEUE_FILE_PARSE_OK},
	    {"L\x00", 2, QUEUE_FILE_PARSE_OK},
	    {"N\x03"
	     "ab",
	     4, QUEUE_FILE_PARSE_MORE},                               /* truncated payload */
	    {"N\x80", 2, QUEUE_FILE_PARSE_MORE},                      /* truncated length */
	    {"?\x00", 2, QUEUE_FILE_PARSE_ERROR},                     /* unknown type */
	    {"\x00\x00", 2, QUEUE_FILE_PARSE_ERROR},                  /* unknown type */
	    {"N\x81\x80\x80\x80\x80\x00", 7, QUEUE_FILE_PARSE_ERROR}, /* six length bytes */
	    {"N\xff\xff\xff\xff\x0f", 6, QUEUE_FILE_PARSE_ERROR},     /* beyond the limit */
	    {"N\x81\x01", 3, QUEUE_FILE_PARSE_ERROR},                 /* 129 > limit 100 */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct queue_file_record rec;
		size_t used = 0;
		enum queue_file_parse_status got =
		    parse_both_ways(cases[i].input, cases[i].len, 100, &rec, &used);

		if (got != cases[i].want)
			fail_msg("case %zu: got %d, want %d", i, got, cases[i].want);
		if (got == QUEUE_FILE_PARSE_OK)
			assert_int_equal(used, cases[i].len);
	}
}

static int temp_file(void)
{
	char path[] = "/tmp/test_queue_file.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

static void test_round_trip(void **state)
{
	int fd = temp_file();
	struct queue_file_writer *writer = queue_file_writer_new(fd);
	static const char binary[] = {'a', 0, '\n', (char)0xff};
	struct strbuf *big = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *payload = strbuf_new(300000);
	struct queue_file_reader *reader;
	const char *error = NULL;
	off_t offsets[4], offset;
	int type;

	for (int i = 0; i < 200000; i++)
		strbuf_append_char(big, (char)('a' + i % 26));
	offsets[0] = queue_file_offset(writer);
	assert_true(queue_file_put_str(writer, QUEUE_REC_FROM, "placeholder"));
	offsets[1] = queue_file_offset(writer);
	assert_true(queue_file_put(writer, QUEUE_REC_NORM, binary, sizeof(binary)));
	offsets[2] = queue_file_offset(writer);
	assert_true(queue_file_put(writer, QUEUE_REC_CONT, big->data, big->len));
	offsets[3] = queue_file_offset(writer);
	assert_true(queue_file_printf(writer, QUEUE_REC_END, "%s", ""));
	assert_false(queue_file_rewrite(writer, offsets[0], QUEUE_REC_FROM, "a@example", 9));
	assert_true(queue_file_rewrite(writer, offsets[0], QUEUE_REC_DONE, "a@example.c", 11));
	assert_true(queue_file_flush(writer));
	queue_file_writer_free(&writer);
	assert_null(writer);

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	reader = queue_file_reader_new(fd, 300000);
	assert_int_equal(queue_file_read(reader, &type, payload, &offset, &error),
	                 QUEUE_FILE_READ_OK);
	assert_int_equal(type, QUEUE_REC_DONE);
	assert_int_equal(offset, offsets[0]);
	assert_int_equal(payload->len, 11);
	assert_memory_equal(payload->data, "a@example.c", 11);
	assert_int_equal(queue_file_read(reader, &type, payload, &offset, &error),
	                 QUEUE_FILE_READ_OK);
	assert_int_equal(offset, offsets[1]);
	assert_int_equal(payload->len, sizeof(binary));
	assert_memory_equal(payload->data, binary, sizeof(binary));
	assert_int_equal(queue_file_read(reader, &type, payload, &offset, &error),
	                 QUEUE_FILE_READ_OK);
	assert_int_equal(type, QUEUE_REC_CONT);
	assert_int_equal(offset, offsets[2]);
	assert_int_equal(payload->len, big->len);
	assert_memory_equal(payload->data, big->data, big->len);
	assert_int_equal(queue_file_read(reader, &type, payload, &offset, &error),
	                 QUEUE_FILE_READ_OK);
	assert_int_equal(type, QUEUE_REC_END);
	assert_int_equal(offset, offsets[3]);
	assert_int_equal(queue_file_read(reader, &type, payload, &offset, &error),
	                 QUEUE_FILE_READ_EOF);
	queue_file_reader_free(&reader);
	strbuf_free(&big);
	strbuf_free(&payload);
	close(fd);
}

/* A file cut anywhere inside a record is an error, never EOF. */
static void test_reader_truncated(void **state)
{
	struct strbuf *file = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *payload = strbuf_new(1000);

	queue_file_encode(file, QUEUE_REC_FROM, "sender@example.com", 18);
	queue_file_encode(file, QUEUE_REC_NORM, "line", 4);
	for (size_t cut = 0; cut <= file->len; cut++) {
		int fd = temp_file();
		struct queue_file_reader *reader = queue_file_reader_new(fd, 1000);
		enum queue_file_read_status status;
		const char *error = NULL;
		off_t offset;
		int type, records = 0;

		assert_int_equal(write(fd, file->data, cut), (ssize_t)cut);
		lseek(fd, 0, SEEK_SET);
		while ((status = queue_file_read(reader, &type, payload, &offset, &error)) ==
		       QUEUE_FILE_READ_OK)
			records++;
		if (cut == 0 || cut == 20 || cut == file->len) {
			if (status != QUEUE_FILE_READ_EOF)
				fail_msg("cut %zu: got %d (%s), want EOF", cut, status, error);
		} else if (status != QUEUE_FILE_READ_ERROR || error == NULL) {
			fail_msg("cut %zu: got %d, want an error", cut, status);
		}
		assert_int_equal(records, (cut >= 20) + (cut == file->len));
		queue_file_reader_free(&reader);
		close(fd);
	}
	strbuf_free(&file);
	strbuf_free(&payload);
}

static void test_type_names(void **state)
{
	assert_string_equal(queue_file_type_name(QUEUE_REC_RCPT), "recipient");
	assert_string_equal(queue_file_type_name(QUEUE_REC_DONE), "done_recipient");
	assert_null(queue_file_type_name(QUEUE_REC_NORM));
	assert_false(queue_file_type_known('?'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encode_lengths), cmocka_unit_test(test_parse_malformed),
	    cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_reader_truncated),
	    cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
