/*
 * libFuzzer target for lib/mail/maildrop: arbitrary bytes as sendmail's
 * stream and as a maildrop file, fed whole and in pieces whose sizes
 * come from the first input byte.  The parser must never crash, read
 * out of bounds or accept a record after it refused the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mail/maildrop.h"

static bool fuzz_maildrop_record(const struct queue_file_record *rec, void *context,
                                 const char **error_r)
{
	size_t *total = context;

	*total += rec->len;
	return true;
}

static void fuzz_maildrop_run(enum maildrop_source source, const uint8_t *data, size_t size,
                              size_t step)
{
	struct maildrop_parser *parser = maildrop_parser_new(source);
	const char *error;
	size_t done = 0, total = 0, piece;

	while (done < size) {
		piece = size - done < step ? size - done : step;
		if (!maildrop_parser_feed(parser, data + done, piece, fuzz_maildrop_record, &total,
		                          &error)) {
			if (maildrop_parser_feed(parser, "E", 1, fuzz_maildrop_record, &total,
			                         &error))
				abort();
			break;
		}
		done += piece;
	}
	(void)maildrop_parser_finish(parser, &error);
	maildrop_parser_free(&parser);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step = size > 0 ? (size_t)data[0] % 16 + 1 : 1;

	fuzz_maildrop_run(MAILDROP_FROM_SENDMAIL, data, size, size + 1);
	fuzz_maildrop_run(MAILDROP_FROM_FILE, data, size, step);
	return 0;
}
