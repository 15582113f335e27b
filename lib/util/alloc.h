/*
 * alloc - memory allocation that never returns NULL.  Running out of
 * memory is a fatal error logged through msg; callers never check.
 */
#ifndef POSTERN_UTIL_ALLOC_H
#define POSTERN_UTIL_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size) __attribute__((malloc, alloc_size(1)));
void *xcalloc(size_t count, size_t size) __attribute__((malloc, alloc_size(1, 2)));
void *xrealloc(void *ptr, size_t size) __attribute__((alloc_size(2)));
/* xmalloc(count * size), dying instead of overflowing the product. */
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *text) __attribute__((malloc));
/* Copies at most len bytes of text and terminates the copy. */
char *xstrndup(const char *text, size_t len) __attribute__((malloc));
void *xmemdup(const void *data, size_t len) __attribute__((malloc));
/* Frees *ptr (which may be NULL) and clears it. */
void xfree_ptr(void *ptr_to_ptr);

#endif
