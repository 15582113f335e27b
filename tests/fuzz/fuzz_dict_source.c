/*
 * libFuzzer target for the table source readers and the brace syntax of
 * table names.  The first input byte picks the postmap or aliases format
 * and key folding; the rest is read as a source file, whose records must
 * have non-empty keys and non-decreasing line numbers.  The same bytes,
 * as a C string, are then opened as inline:{...} and static:{...}.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_source.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_source(const uint8_t *data, size_t size, int mode)
{
	enum dict_source_format format = (mode & 1) ? DICT_SOURCE_ALIASES : DICT_SOURCE_POSTMAP;
	struct dict_source_record record;
	enum dict_source_status status;
	struct dict_source *source;
	const char *error;
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	int last_line = 0;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	source =
	    dict_source_fdopen(fd, "fuzz", format, (mode & 2) ? DICT_FLAG_FOLD_CASE : 0, &error);
	while ((status = dict_source_next(source, &record, &error)) != DICT_SOURCE_END) {
		if (status == DICT_SOURCE_ERROR)
			abort();
		if (status == DICT_SOURCE_RECORD) {
			if (record.key[0] == 0 || record.line < last_line || record.line < 1)
				abort();
			last_line = record.line;
		}
	}
	dict_source_close(&source);
	close(fd);
}

/* Opens prefix + text as a table and walks it. */
static void fuzz_table(const char *prefix, const char *text)
{
	char *name = xmalloc(strlen(prefix) + strlen(text) + 1);
	const char *error, *key, *value;
	struct dict *dict;

	strcpy(name, prefix);
	strcat(name, text);
	if ((dict = dict_open(name, NULL, DICT_FLAG_FOLD_CASE, &error)) != NULL) {
		for (int first = 1; dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND;
		     first = 0)
			if (dict_lookup(dict, key, &value, &error) != DICT_FOUND)
				abort();
		dict_close(&dict);
	}
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size == 0)
		return 0;
	fuzz_source(data + 1, size - 1, data[0]);
	text = xstrndup((const char *)data + 1, size - 1);
	fuzz_table("inline:", text);
	fuzz_table("static:", text);
	free(text);
	return 0;
}
