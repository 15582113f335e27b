/*
 * libFuzzer target for the attribute-list parser.  The first input byte
 * picks a chunk size; the rest is parsed twice, whole and in chunks, and
 * both runs must agree on every list and on where an error occurs.  Each
 * parsed list also goes through the typed getters and attr_check().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct attr_limits fuzz_limits = {
    .value_max = 256,
    .list_max = 4096,
    .count_max = 16,
};

static const struct attr_spec fuzz_spec[] = {
    {.name = "protocol", .type = ATTR_TYPE_STR},
    {.name = "size", .type = ATTR_TYPE_LONG, .optional = true, .min = -5, .max = 1000000},
    {.name = "data", .type = ATTR_TYPE_DATA, .optional = true},
    {0},
};

/* Exercises the getters on one list; returns a digest to compare runs. */
static size_t fuzz_digest(const struct attr_list *list)
{
	const char *error;
	const void *value;
	size_t len = 0;
	long num = 0;
	size_t digest = attr_list_count(list);

	if (attr_get_data(list, "data", &value, &len))
		digest += len;
	if (attr_get_long(list, "size", -5, 1000000, &num))
		digest += (size_t)num;
	if (attr_get_str(list, "protocol") != NULL)
		digest += 7;
	if (attr_check(list, fuzz_spec, &error))
		digest += 13;
	return digest;
}

/* Parses input in chunks; returns the number of lists, digests in out. */
static size_t fuzz_parse(const uint8_t *input, size_t size, size_t chunk, size_t *digests,
                         size_t max_lists, size_t *error_at)
{
	struct attr_parser *parser = attr_parser_new(&fuzz_limits);
	size_t pos = 0, count = 0;

	*error_at = (size_t)-1;
	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk;
		struct attr_list *list;
		const char *error;
		ssize_t used = attr_parser_feed(parser, input + pos, n, &list, &error);

		if (used < 0) {
			*error_at = pos;
			break;
		}
		if (used == 0 || (size_t)used > n)
			abort();
		pos += (size_t)used;
		if (list != NULL) {
			if (count < max_lists)
				digests[count] = fuzz_digest(list);
			count++;
			attr_list_free(&list);
		}
	}
	attr_parser_free(&parser);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t whole[64], chunked[64];
	size_t whole_err, chunked_err, n_whole, n_chunked, chunk;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 17 + 1;
	n_whole = fuzz_parse(data + 1, size - 1, size, whole, 64, &whole_err);
	n_chunked = fuzz_parse(data + 1, size - 1, chunk, chunked, 64, &chunked_err);
	if (n_whole != n_chunked)
		abort();
	if ((whole_err == (size_t)-1) != (chunked_err == (size_t)-1))
		abort();
	for (size_t i = 0; i < n_whole && i < 64; i++)
		if (whole[i] != chunked[i])
			abort();
	return 0;
}
