/*
 * alloc - checked wrappers around malloc(3).  A zero-size request still
 * returns a unique pointer so callers need no special case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/msg.h"

static void *alloc_check(void *ptr, size_t size)
{
	if (ptr == NULL)
		msg_fatal("out of memory allocating %zu bytes", size);
	return ptr;
}

void *xmalloc(size_t size)
{
	return alloc_check(malloc(size ? size : 1), size);
}

void *xcalloc(size_t count, size_t size)
{
	if (count == 0 || size == 0)
		count = size = 1;
	return alloc_check(calloc(count, size), count * size);
}

void *xrealloc(void *ptr, size_t size)
{
	return alloc_check(realloc(ptr, size ? size : 1), size);
}

void *xreallocarray(void *ptr, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		msg_fatal("out of memory: %zu elements of %zu bytes", count, size);
	return xrealloc(ptr, count * size);
}

char *xstrdup(const char *text)
{
	return xmemdup(text, strlen(text) + 1);
}

char *xstrndup(const char *text, size_t len)
{
	size_t n = strnlen(text, len);
	char *copy = xmalloc(n + 1);

	memcpy(copy, text, n);
	copy[n] = 0;
	return copy;
}

void *xmemdup(const void *data, size_t len)
{
	return memcpy(xmalloc(len), data, len);
}

void xfree_ptr(void *ptr_to_ptr)
{
	void **slot = ptr_to_ptr;

	free(*slot);
	*slot = NULL;
}
