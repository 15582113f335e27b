/*
 * strbuf - a growable, counted, always NUL-terminated byte string with a
 * hard maximum length.  Data from peers goes through a strbuf with a
 * maximum, so a hostile peer can make us allocate at most that much.
 */
#ifndef POSTERN_UTIL_STRBUF_H
#define POSTERN_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;      /* always NUL-terminated at data[len] */
	size_t len;      /* bytes in use, not counting the NUL */
	size_t capacity; /* bytes allocated */
	size_t limit;    /* the longest len allowed */
};

/* No limit beyond memory itself. */
#define STRBUF_UNLIMITED ((size_t)-1 / 2)

/* A new empty buffer that may grow up to limit bytes. */
struct strbuf *strbuf_new(size_t limit);
/* Frees *buf (NULL is fine) and clears it. */
void strbuf_free(struct strbuf **buf);

/*
 * The append functions return false, leaving the buffer unchanged, when
 * the result would exceed the limit.
 */
bool strbuf_append(struct strbuf *buf, const void *data, size_t len);
bool strbuf_append_char(struct strbuf *buf, char ch);
bool strbuf_append_str(struct strbuf *buf, const char *text);
bool strbuf_printf(struct strbuf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strbuf_vprintf(struct strbuf *buf, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Empties the buffer, keeping its memory. */
void strbuf_reset(struct strbuf *buf);
/* Shortens the buffer to len bytes (no effect when already shorter). */
void strbuf_truncate(struct strbuf *buf, size_t len);
/* Replaces the content with text; false if text exceeds the limit. */
bool strbuf_set(struct strbuf *buf, const char *text);
/* Removes trailing bytes found in chars (e.g. "\r\n"). */
void strbuf_trim_end(struct strbuf *buf, const char *chars);

/* The NUL-terminated content; valid until the next change. */
static inline const char *strbuf_str(const struct strbuf *buf)
{
	return buf->data;
}

static inline size_t strbuf_len(const struct strbuf *buf)
{
	return buf->len;
}

/* Frees the buffer and returns its content, which the caller frees. */
char *strbuf_export(struct strbuf **buf);

#endif
