/*
 * strbuf - counted strings.  Growth doubles the allocation, capped at the
 * buffer's limit, so appends are amortised O(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/strbuf.h"

#define STRBUF_INITIAL 64

struct strbuf *strbuf_new(size_t limit)
{
	struct strbuf *buf = xmalloc(sizeof(*buf));

	buf->limit = limit < STRBUF_UNLIMITED ? limit : STRBUF_UNLIMITED;
	buf->capacity = STRBUF_INITIAL;
	buf->data = xmalloc(buf->capacity);
	buf->data[0] = 0;
	buf->len = 0;
	return buf;
}

void strbuf_free(struct strbuf **buf)
{
	if (*buf == NULL)
		return;
	free((*buf)->data);
	free(*buf);
	*buf = NULL;
}

/* Makes room for extra more bytes plus the NUL; false past the limit. */
static bool strbuf_reserve(struct strbuf *buf, size_t extra)
{
	size_t need;

	if (extra > buf->limit - buf->len)
		return false;
	need = buf->len + extra + 1;
	if (need <= buf->capacity)
		return true;
	while (buf->capacity < need)
		buf->capacity *= 2;
	buf->data = xrealloc(buf->data, buf->capacity);
	return true;
}

bool strbuf_append(struct strbuf *buf, const void *data, size_t len)
{
	if (!strbuf_reserve(buf, len))
		return false;
	memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = 0;
	return true;
}

bool strbuf_append_char(struct strbuf *buf, char ch)
{
	return strbuf_append(buf, &ch, 1);
}

bool strbuf_append_str(struct strbuf *buf, const char *text)
{
	return strbuf_append(buf, text, strlen(text));
}

bool strbuf_vprintf(struct strbuf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int needed;

	va_copy(copy, ap);
	needed = vsnprintf(buf->data + buf->len, buf->capacity - buf->len, fmt, copy);
	va_end(copy);
	if (needed < 0) {
		buf->data[buf->len] = 0;
		return false;
	}
	if (!strbuf_reserve(buf, (size_t)needed)) {
		buf->data[buf->len] = 0;
		return false;
	}
	vsnprintf(buf->data + buf->len, (size_t)needed + 1, fmt, ap);
	buf->len += (size_t)needed;
	return true;
}

bool strbuf_printf(struct strbuf *buf, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = strbuf_vprintf(buf, fmt, ap);
	va_end(ap);
	return ok;
}

void strbuf_reset(struct strbuf *buf)
{
	strbuf_truncate(buf, 0);
}

void strbuf_truncate(struct strbuf *buf, size_t len)
{
	if (len < buf->len) {
		buf->len = len;
		buf->data[len] = 0;
	}
}

bool strbuf_set(struct strbuf *buf, const char *text)
{
	size_t len = strlen(text);

	if (len > buf->limit)
		return false;
	strbuf_reset(buf);
	return strbuf_append(buf, text, len);
}

void strbuf_trim_end(struct strbuf *buf, const char *chars)
{
	while (buf->len > 0 && buf->data[buf->len - 1] != 0 &&
	       strchr(chars, buf->data[buf->len - 1]) != NULL)
		buf->data[--buf->len] = 0;
}

char *strbuf_export(struct strbuf **buf)
{
	char *data = (*buf)->data;

	free(*buf);
	*buf = NULL;
	return data;
}
