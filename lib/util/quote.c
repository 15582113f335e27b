/*
 * quote - sanitising and escaping.  UTF-8 is validated strictly (RFC
 * 3629) rather than by shape alone, because a lenient check would let
 * overlong encodings of control characters through to the log.
 */
#include <string.h>

#include "util/quote.h"
#include "util/strbuf.h"

/*
 * Returns the length of the valid printable UTF-8 character at data
 * (1 for printable ASCII), or 0 when the first byte must be replaced.
 */
static size_t quote_char_len(const unsigned char *data, size_t len)
{
	unsigned int code;
	size_t need;

	if (data[0] >= 0x20 && data[0] < 0x7f)
		return 1;
	if (data[0] >= 0xc2 && data[0] <= 0xdf) {
		need = 2;
		code = data[0] & 0x1f;
	} else if (data[0] >= 0xe0 && data[0] <= 0xef) {
		need = 3;
		code = data[0] & 0x0f;
	} else if (data[0] >= 0xf0 && data[0] <= 0xf4) {
		need = 4;
		code = data[0] & 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((data[i] & 0xc0) != 0x80)
			return 0;
		code = (code << 6) | (data[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond Unicode, and C1 controls. */
	if ((need == 3 && code < 0x800) || (need == 4 && code < 0x10000) || code > 0x10ffff ||
	    (code >= 0xd800 && code <= 0xdfff) || code < 0xa0)
		return 0;
	return need;
}

char *quote_printable(char *text)
{
	unsigned char *cp = (unsigned char *)text;
	size_t left = strlen(text);
	size_t n;

	while (left > 0) {
		n = quote_char_len(cp, left);
		if (n == 0) {
			*cp = QUOTE_REPLACEMENT;
			n = 1;
		}
		cp += n;
		left -= n;
	}
	return text;
}

bool quote_printable_append(struct strbuf *out, const void *data, size_t len)
{
	const unsigned char *cp = data;
	size_t n;
	bool ok;

	while (len > 0) {
		n = quote_char_len(cp, len);
		if (n == 0) {
			ok = strbuf_append_char(out, QUOTE_REPLACEMENT);
			n = 1;
		} else {
			ok = strbuf_append(out, cp, n);
		}
		if (!ok)
			return false;
		cp += n;
		len -= n;
	}
	return true;
}

/* The escape for one byte, written to buf (at least 5 bytes). */
static const char *quote_c_escape(unsigned char ch, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	switch (ch) {
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\\':
		return "\\\\";
	case '"':
		return "\\\"";
	}
	if (ch >= 0x20 && ch < 0x7f) {
		buf[0] = (char)ch;
		buf[1] = 0;
	} else {
		buf[0] = '\\';
		buf[1] = 'x';
		buf[2] = hex[ch >> 4];
		buf[3] = hex[ch & 0x0f];
		buf[4] = 0;
	}
	return buf;
}

bool quote_c_append(struct strbuf *out, const void *data, size_t len)
{
	const unsigned char *cp = data;
	char buf[5];

	for (size_t i = 0; i < len; i++)
		if (!strbuf_append_str(out, quote_c_escape(cp[i], buf)))
			return false;
	return true;
}
