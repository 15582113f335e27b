/*
 * A stream that reads from memory in chunks, for testing parsers fed one
 * byte (or a few) at a time.
 */
#ifndef TEST_MEM_STREAM_H
#define TEST_MEM_STREAM_H

#include <stddef.h>

#include "util/stream.h"

/* The memory a test stream reads; lives as long as the stream. */
struct test_mem_stream {
	const char *data;
	size_t len;
	size_t pos;
	size_t chunk;
};

/* Opens a stream whose reads return data (a C string) at most chunk bytes at a time. */
struct stream *test_mem_stream_open(struct test_mem_stream *src, const char *data, size_t chunk);

#endif
