/*
 * A memory-backed stream read hook for tests of stream users (line and
 * attribute readers), so each can be fed in small chunks.
 */
#include <string.h>
#include <sys/types.h>

#include "helpers/test_mem_stream.h"

static ssize_t mem_read(int fd, void *buf, size_t len, int timeout_ms, void *context)
{
	struct test_mem_stream *src = context;
	size_t n = src->len - src->pos;

	if (n > src->chunk)
		n = src->chunk;
	if (n > len)
		n = len;
	memcpy(buf, src->data + src->pos, n);
	src->pos += n;
	return (ssize_t)n;
}

struct stream *test_mem_stream_open(struct test_mem_stream *src, const char *data, size_t chunk)
{
	struct stream *stream = stream_open(-1);

	*src = (struct test_mem_stream){.data = data, .len = strlen(data), .chunk = chunk};
	stream_set_io(stream, mem_read, NULL, src);
	return stream;
}
