/*
 * smtp_cmd - bounded parsers for SMTP command arguments.  Each walks a
 * NUL-terminated string with an index and stops at the first byte that
 * cannot belong to the construct, so malformed or hostile input ends in
 * a "bad syntax" answer rather than a read past the end.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "mail/dsn.h"
#include "mail/smtp_cmd.h"
#include "util/strbuf.h"

const char *smtp_cmd_verb(const char *line, char *verb, size_t verb_size)
{
	size_t n = 0;

	while (*line == ' ')
		line++;
	for (; *line && *line != ' '; line++)
		if (n + 1 < verb_size)
			verb[n++] = *line;
	if (verb_size > 0)
		verb[n] = 0;
	while (*line == ' ')
		line++;
	return line;
}

/* A byte that may appear outside quotes in an address. */
static bool path_char_ok(unsigned char ch)
{
	return ch > ' ' && ch != 0x7f && ch != '<' && ch != '>';
}

/*
 * Copies the address at text (up to end_char, or to a space or the end
 * for a bare address) into raw, checking quotes and characters.  Returns
 * the index after the address, or 0 on bad syntax.
 */
static size_t path_scan(const char *text, char end_char, struct strbuf *raw)
{
	size_t i = 0;
	bool quoted = false;

	for (; text[i]; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (quoted) {
			if (ch == '\\' && text[i + 1] != 0) {
				if (!strbuf_append_char(raw, text[i++]))
					return 0;
				ch = (unsigned char)text[i];
			} else if (ch == '"') {
				quoted = false;
			}
			if ((ch < ' ' && ch != '\t') || !strbuf_append_char(raw, (char)ch))
				return 0;
			continue;
		}
		if (ch == (unsigned char)end_char || (end_char == 0 && ch == ' '))
			break;
		if (ch == '"')
			quoted = true;
		else if (!path_char_ok(ch))
			return 0;
		if (!strbuf_append_char(raw, (char)ch))
			return 0;
	}
	if (quoted || (end_char != 0 && text[i] != end_char))
		return 0;
	return i == 0 && end_char == 0 ? 0 : i + (end_char != 0);
}

/* Drops "@a,@b:" and the quotes around a quoted local part. */
static bool path_internal(const char *raw, struct strbuf *addr)
{
	const char *at;

	if (*raw == '@') {
		if ((raw = strchr(raw, ':')) == NULL)
			return false;
		raw++;
	}
	if (*raw == '"' && (at = strrchr(raw, '"')) != raw && (at[1] == '@' || at[1] == 0)) {
		for (const char *p = raw + 1; p < at; p++) {
			if (*p == '\\' && p + 1 < at)
				p++;
			if (!strbuf_append_char(addr, *p))
				return false;
		}
		return strbuf_append_str(addr, at + 1);
	}
	return strbuf_append_str(addr, raw);
}

enum smtp_cmd_path_status smtp_cmd_path(const char *text, const char *keyword, struct strbuf *addr,
                                        const char **params_r)
{
	size_t klen = strlen(keyword);
	struct strbuf *raw;
	size_t used;
	bool ok;

	strbuf_reset(addr);
	if (strncasecmp(text, keyword, klen) != 0)
		return SMTP_CMD_PATH_NO_KEYWORD;
	text += klen;
	while (*text == ' ')
		text++;
	raw = strbuf_new(addr->limit);
	if (*text == '<') {
		size_t inner = path_scan(text + 1, '>', raw);

		used = inner > 0 ? inner + 1 : 0;
	} else
		used = path_scan(text, 0, raw);
	ok = used > 0 && (text[used] == 0 || text[used] == ' ') &&
	     path_internal(strbuf_str(raw), addr);
	strbuf_free(&raw);
	if (!ok)
		return SMTP_CMD_PATH_BAD;
	for (text += used; *text == ' '; text++)
		continue;
	*params_r = text;
	return SMTP_CMD_PATH_OK;
}

bool smtp_cmd_param(char **cursor, char **name_r, char **value_r)
{
	char *p = *cursor;
	char *eq;

	while (*p == ' ')
		p++;
	if (*p == 0)
		return false;
	*name_r = p;
	while (*p && *p != ' ')
		p++;
	if (*p)
		*p++ = 0;
	*cursor = p;
	if ((eq = strchr(*name_r, '=')) != NULL) {
		*eq = 0;
		*value_r = eq + 1;
	} else {
		*value_r = NULL;
	}
	return true;
}

bool smtp_cmd_size(const char *value, long long *size_r)
{
	long long size = 0;

	if (*value == 0)
		return false;
	for (; *value; value++) {
		if (!isdigit((unsigned char)*value) || size > (LLONG_MAX - 9) / 10)
			return false;
		size = size * 10 + (*value - '0');
	}
	*size_r = size;
	return true;
}

int smtp_cmd_notify(const char *value)
{
	static const struct {
		const char *word;
		int bit;
	} words[] = {
	    {"NEVER", DSN_NOTIFY_NEVER},
	    {"SUCCESS", DSN_NOTIFY_SUCCESS},
	    {"FAILURE", DSN_NOTIFY_FAILURE},
	    {"DELAY", DSN_NOTIFY_DELAY},
	};
	int bits = 0;

	while (*value) {
		size_t len = strcspn(value, ",");
		int bit = 0;

		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].word) == len &&
			    strncasecmp(value, words[i].word, len) == 0)
				bit = words[i].bit;
		if (bit == 0 || (bits & bit))
			return 0;
		bits |= bit;
		value += len;
		if (*value == ',' && *++value == 0)
			return 0;
	}
	if ((bits & DSN_NOTIFY_NEVER) && bits != DSN_NOTIFY_NEVER)
		return 0;
	return bits;
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool smtp_cmd_xtext(const char *value, struct strbuf *out)
{
	for (; *value; value++) {
		unsigned char ch = (unsigned char)*value;

		if (ch == '+') {
			int hi, lo;

			if ((hi = hex_value(value[1])) < 0 || (lo = hex_value(value[2])) < 0)
				return false;
			ch = (unsigned char)(hi * 16 + lo);
			value += 2;
		} else if (ch < '!' || ch > '~' || ch == '=') {
			return false;
		}
		if (!strbuf_append_char(out, (char)ch))
			return false;
	}
	return true;
}

bool smtp_cmd_orcpt(const char *value, struct strbuf *out)
{
	size_t type_len = strcspn(value, ";");

	if (type_len == 0 || value[type_len] != ';' || value[type_len + 1] == 0)
		return false;
	for (size_t i = 0; i < type_len; i++)
		if (!isalnum((unsigned char)value[i]) && value[i] != '-')
			return false;
	strbuf_reset(out);
	return strbuf_append(out, value, type_len + 1) && smtp_cmd_xtext(value + type_len + 1, out);
}
