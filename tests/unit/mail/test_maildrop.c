/*
 * Unit tests for lib/mail/maildrop: the record order of sendmail's
 * stream and of maildrop files, malformed and truncated input, records
 * split at every byte, and a callback that refuses a record.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mail/maildrop.h"
#include "util/strbuf.h"

/* A record list as text: each record is "<type><payload>" separated by "|". */
static struct strbuf *encode(const char *spec)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	const char *cursor = spec;

	while (*cursor != 0) {
		const char *end = strchr(cursor, '|');
		size_t len = end != NULL ? (size_t)(end - cursor) : strlen(cursor);

		assert_true(queue_file_encode(out, cursor[0], cursor + 1, len - 1));
		cursor += len + (end != NULL);
	}
	return out;
}

/* What the callback saw: types and payloads, "|"-separated. */
struct seen {
	struct strbuf *records;
	int refuse_type; /* the callback refuses this type */
};

static bool collect(const struct queue_file_record *rec, void *context, const char **error_r)
{
	struct seen *seen = context;

	if (rec->type == seen->refuse_type) {
		*error_r = "refused by callback";
		return false;
	}
	if (strbuf_len(seen->records) > 0)
		strbuf_append_char(seen->records, '|');
	strbuf_append_char(seen->records, (char)rec->type);
	strbuf_append(seen->records, rec->data, rec->len);
	return true;
}

/* Feeds input in pieces of step bytes (0: all at once); returns the error or NULL. */
static const char *run(enum maildrop_source source, const struct strbuf *input, size_t step,
                       struct seen *seen)
{
	struct maildrop_parser *parser = maildrop_parser_new(source);
	const char *error = NULL;
	size_t done = 0, piece;
	bool ok = true;

	if (step == 0)
		step = strbuf_len(input) + 1;
	while (ok && done < strbuf_len(input)) {
		piece = strbuf_len(input) - done < step ? strbuf_len(input) - done : step;
		ok = maildrop_parser_feed(parser, strbuf_str(input) + done, piece, collect, seen,
		                          &error);
		done += piece;
	}
	if (ok)
		ok = maildrop_parser_finish(parser, &error);
	maildrop_parser_free(&parser);
	assert_null(parser);
	return ok ? NULL : error;
}

static const char *const valid_stream =
    "Arewrite_context=local|Froot|Sroot|Rbob@example.com|n10|Rcarol|M|NSubject: hi|N|Lpart|"
    "Nrest|X|E";
static const char *const valid_file = "T1700000000 123456|Aextract_recipients=yes|S|M|Nbody|X|E";

static void test_valid_any_split(void **state)
{
	const struct {
		enum maildrop_source source;
		const char *spec;
	} cases[] = {
	    {MAILDROP_FROM_SENDMAIL, valid_stream},
	    {MAILDROP_FROM_FILE, valid_file},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *input = encode(cases[i].spec);

		for (size_t step = 0; step <= 3; step++) {
			struct seen seen = {strbuf_new(STRBUF_UNLIMITED), 0};
			const char *error = run(cases[i].source, input, step, &seen);

			if (error != NULL)
				fail_msg("case %zu step %zu: got \"%s\", want success", i, step,
				         error);
			if (strcmp(strbuf_str(seen.records), cases[i].spec) != 0)
				fail_msg("case %zu step %zu: got \"%s\", want \"%s\"", i, step,
				         strbuf_str(seen.records), cases[i].spec);
			strbuf_free(&seen.records);
		}
		strbuf_free(&input);
	}
}

static void test_malformed(void **state)
{
	const struct {
		enum maildrop_source source;
		const char *spec;
		const char *want;
	} cases[] = {
	    {MAILDROP_FROM_FILE, "Sroot|M|X|E", "file does not start with an arrival time record"},
	    {MAILDROP_FROM_FILE, "T17 x|Sroot|M|X|E",
	     "file does not start with an arrival time record"},
	    {MAILDROP_FROM_FILE, "T17 1234567|Sroot|M|X|E",
	     "file does not start with an arrival time record"},
	    {MAILDROP_FROM_SENDMAIL, "T1 2|Sroot|M|X|E", "unexpected record type in envelope"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|Sb|M|X|E", "more than one sender record"},
	    {MAILDROP_FROM_SENDMAIL, "Rbob|M|X|E", "no sender record"},
	    {MAILDROP_FROM_SENDMAIL, "Anovalue|Sa|M|X|E", "attribute record without name=value"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|Nearly|M|X|E", "unexpected record type in envelope"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|M|Rlate|X|E", "unexpected record type in message content"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|M|Lpiece|X|E",
	     "unexpected record type in message content"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|M|X|Rextracted|E",
	     "unexpected record type after message content"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|M|X|E|E", "data after the end record"},
	    {MAILDROP_FROM_SENDMAIL, "Sa|M|X", "premature end of input"},
	    {MAILDROP_FROM_SENDMAIL, "", "premature end of input"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *input = encode(cases[i].spec);

		for (size_t step = 0; step <= 1; step++) {
			struct seen seen = {strbuf_new(STRBUF_UNLIMITED), 0};
			const char *error = run(cases[i].source, input, step, &seen);

			if (error == NULL || strcmp(error, cases[i].want) != 0)
				fail_msg("case %zu (%s) step %zu: got \"%s\", want \"%s\"", i,
				         cases[i].spec, step, error ? error : "success",
				         cases[i].want);
			strbuf_free(&seen.records);
		}
		strbuf_free(&input);
	}
}

static void test_binary_garbage(void **state)
{
	struct strbuf *input = strbuf_new(STRBUF_UNLIMITED);
	struct seen seen = {strbuf_new(STRBUF_UNLIMITED), 0};
	const char *error;

	strbuf_append(input, "S\x01\0M\0X\0E\0", 9);
	error = run(MAILDROP_FROM_SENDMAIL, input, 1, &seen);
	if (error == NULL || strcmp(error, "NUL byte in envelope record") != 0)
		fail_msg("got \"%s\", want the NUL refused", error ? error : "success");
	strbuf_reset(input);
	strbuf_append(input, "?\0", 2);
	assert_non_null(run(MAILDROP_FROM_SENDMAIL, input, 0, &seen));
	strbuf_reset(input);
	strbuf_append(input, "S\xff\xff\xff\xff\xff\x01", 7); /* a six-byte length */
	assert_non_null(run(MAILDROP_FROM_SENDMAIL, input, 1, &seen));
	strbuf_free(&seen.records);
	strbuf_free(&input);
}

static void test_too_long(void **state)
{
	struct strbuf *input = strbuf_new(STRBUF_UNLIMITED);
	struct seen seen = {strbuf_new(STRBUF_UNLIMITED), 0};
	static char big[MAILDROP_RECORD_MAX + 1];

	memset(big, 'x', sizeof(big));
	queue_file_encode(input, 'S', big, MAILDROP_RECORD_MAX);
	/* The longest record is whole; only the missing rest of the input is wrong. */
	assert_string_equal(run(MAILDROP_FROM_SENDMAIL, input, 0, &seen), "premature end of input");
	strbuf_reset(input);
	queue_file_encode(input, 'S', "a", 1);
	queue_file_encode(input, 'M', "", 0);
	queue_file_encode(input, 'N', big, MAILDROP_RECORD_MAX);
	queue_file_encode(input, 'X', "", 0);
	queue_file_encode(input, 'E', "", 0);
	assert_null(run(MAILDROP_FROM_SENDMAIL, input, 4096, &seen));
	strbuf_reset(input);
	queue_file_encode(input, 'S', big, MAILDROP_RECORD_MAX + 1);
	assert_non_null(run(MAILDROP_FROM_SENDMAIL, input, 1000, &seen));
	strbuf_free(&seen.records);
	strbuf_free(&input);
}

static void test_every_truncation(void **state)
{
	struct strbuf *input = encode(valid_stream);

	for (size_t cut = 0; cut < strbuf_len(input); cut++) {
		struct strbuf *prefix = strbuf_new(STRBUF_UNLIMITED);
		struct seen seen = {strbuf_new(STRBUF_UNLIMITED), 0};

		strbuf_append(prefix, strbuf_str(input), cut);
		if (run(MAILDROP_FROM_SENDMAIL, prefix, 1, &seen) == NULL)
			fail_msg("a prefix of %zu bytes was accepted", cut);
		strbuf_free(&seen.records);
		strbuf_free(&prefix);
	}
	strbuf_free(&input);
}

static void test_callback_refusal(void **state)
{
	struct strbuf *input = encode(valid_stream);
	struct seen seen = {strbuf_new(STRBUF_UNLIMITED), QUEUE_REC_RCPT};
	const char *error = run(MAILDROP_FROM_SENDMAIL, input, 1, &seen);

	if (error == NULL || strcmp(error, "refused by callback") != 0)
		fail_msg("got \"%s\", want the callback's error", error ? error : "success");
	if (strcmp(strbuf_str(seen.records), "Arewrite_context=local|Froot|Sroot") != 0)
		fail_msg("got \"%s\" before the refusal", strbuf_str(seen.records));
	strbuf_free(&seen.records);
	strbuf_free(&input);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_any_split),  cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_binary_garbage),   cmocka_unit_test(test_too_long),
	    cmocka_unit_test(test_every_truncation), cmocka_unit_test(test_callback_refusal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
