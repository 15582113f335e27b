/*
 * libFuzzer target for queue file records and for postcat's view of
 * them: the input is parsed record by record with queue_file_parse (whole,
 * and again as the reader over a pipe-free temporary file), and every
 * record's payload is also scanned for addresses with header_addr_list,
 * the other parser cleanup runs on a peer's bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mail/header_addr.h"
#include "mail/queue_file.h"
#include "util/argv.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RECORD_MAX 1024

/* Reads the same bytes through the file reader; returns the record count. */
static size_t fuzz_reader(const uint8_t *data, size_t size)
{
	FILE *file = tmpfile();
	struct queue_file_reader *reader;
	struct strbuf *payload = strbuf_new(FUZZ_RECORD_MAX);
	const char *error;
	off_t offset;
	size_t count = 0;
	int type;

	if (file == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, file) != size)
		abort();
	fflush(file);
	rewind(file);
	reader = queue_file_reader_new(fileno(file), FUZZ_RECORD_MAX);
	while (queue_file_read(reader, &type, payload, &offset, &error) == QUEUE_FILE_READ_OK)
		count++;
	queue_file_reader_free(&reader);
	strbuf_free(&payload);
	fclose(file);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_file_record rec;
	struct argv *addrs = argv_new();
	const char *error;
	size_t pos = 0, used, count = 0;

	while (queue_file_parse(data + pos, size - pos, FUZZ_RECORD_MAX, &rec, &used, &error) ==
	       QUEUE_FILE_PARSE_OK) {
		if (used == 0 || used > size - pos || rec.len > FUZZ_RECORD_MAX)
			abort();
		header_addr_list(rec.data, rec.len, 100, addrs);
		pos += used;
		count++;
	}
	if (fuzz_reader(data, size) != count)
		abort();
	header_addr_list((const char *)data, size, 100, addrs);
	argv_free(&addrs);
	return 0;
}
