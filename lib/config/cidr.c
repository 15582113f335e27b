/*
 * cidr - parse address/prefix patterns and match addresses against them.
 *
 * Parsing is strict because a typo in mynetworks silently changes who may
 * relay: anything that is not exactly an address with an optional prefix
 * length is refused with a message quoting the pattern, and a network
 * with host bits set below the prefix is refused too (Postfix refuses it
 * as well), with the network that was probably meant.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "config/cidr.h"
#include "util/alloc.h"

/* Where the address and the prefix length sit inside a pattern copy. */
struct cidr_parts {
	char *addr;      /* NUL-terminated address text */
	const char *len; /* prefix length text, or NULL when absent */
	bool bracketed;  /* the pattern used [] */
};

static unsigned cidr_family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

bool cidr_addr_parse(struct cidr_addr *addr, const char *text)
{
	static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(addr, 0, sizeof(*addr));
	if (strchr(text, ':') == NULL) {
		addr->family = AF_INET;
		return inet_pton(AF_INET, text, addr->bytes) == 1;
	}
	addr->family = AF_INET6;
	if (inet_pton(AF_INET6, text, addr->bytes) != 1)
		return false;
	if (memcmp(addr->bytes, mapped_prefix, sizeof(mapped_prefix)) == 0) {
		memmove(addr->bytes, addr->bytes + 12, 4);
		memset(addr->bytes + 4, 0, 12);
		addr->family = AF_INET;
	}
	return true;
}

void cidr_addr_format(const struct cidr_addr *addr, struct strbuf *buf)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(addr->family, addr->bytes, text, sizeof(text)) == NULL)
		text[0] = 0;
	strbuf_set(buf, text);
}

/*
 * Splits a writable copy of pattern into address and prefix text.  The
 * bracket rules follow Postfix: "[addr]", "[addr]/len" and "[addr/len]".
 */
static bool cidr_split(char *copy, const char *pattern, struct cidr_parts *parts,
                       struct strbuf *error)
{
	char *slash;
	char *close;

	parts->addr = copy;
	parts->len = NULL;
	parts->bracketed = (copy[0] == '[');
	if (parts->bracketed) {
		parts->addr = copy + 1;
		if ((close = strchr(parts->addr, ']')) == NULL) {
			strbuf_printf(error, "missing \"]\" in \"%s\"", pattern);
			return false;
		}
		*close = 0;
		if (close[1] == '/') {
			if (strchr(parts->addr, '/') != NULL) {
				strbuf_printf(error, "two prefix lengths in \"%s\"", pattern);
				return false;
			}
			parts->len = close + 2;
			return true;
		}
		if (close[1] != 0) {
			strbuf_printf(error, "unexpected text after \"]\" in \"%s\"", pattern);
			return false;
		}
	}
	if ((slash = strchr(parts->addr, '/')) != NULL) {
		*slash = 0;
		parts->len = slash + 1;
	}
	return true;
}

/* Reads a decimal prefix length no larger than max_bits. */
static bool cidr_parse_prefix(const char *text, unsigned max_bits, const char *pattern,
                              unsigned *prefix_r, struct strbuf *error)
{
	unsigned value = 0;

	if (*text == 0 || text[strspn(text, "0123456789")] != 0) {
		strbuf_printf(error, "bad prefix length in \"%s\"", pattern);
		return false;
	}
	for (; *text; text++) {
		value = value * 10 + (unsigned)(*text - '0');
		if (value > max_bits) {
			strbuf_printf(error, "prefix length out of range in \"%s\" (at most %u)",
			              pattern, max_bits);
			return false;
		}
	}
	*prefix_r = value;
	return true;
}

/* Clears every bit of bytes past the first prefix bits. */
static void cidr_mask(unsigned char *bytes, unsigned prefix, unsigned bits)
{
	for (unsigned i = 0; i < bits / 8; i++) {
		if (prefix >= 8 * (i + 1))
			continue;
		if (prefix <= 8 * i)
			bytes[i] = 0;
		else
			bytes[i] &= (unsigned char)(0xff << (8 - (prefix - 8 * i)));
	}
}

/* Refuses a network with host bits set, naming the network probably meant. */
static bool cidr_check_host_bits(const struct cidr *cidr, bool bracketed, const char *pattern,
                                 struct strbuf *error)
{
	struct cidr masked = *cidr;
	struct strbuf *text;

	cidr_mask(masked.net.bytes, cidr->prefix, cidr_family_bits(cidr->net.family));
	if (memcmp(masked.net.bytes, cidr->net.bytes, sizeof(masked.net.bytes)) == 0)
		return true;
	text = strbuf_new(STRBUF_UNLIMITED);
	cidr_addr_format(&masked.net, text);
	strbuf_printf(
	    error, "host bits set below the prefix in \"%s\"; perhaps \"%s%s%s/%u\" was meant",
	    pattern, bracketed ? "[" : "", strbuf_str(text), bracketed ? "]" : "", cidr->prefix);
	strbuf_free(&text);
	return false;
}

bool cidr_parse(struct cidr *cidr, const char *pattern, struct strbuf *error)
{
	struct cidr_parts parts;
	char *copy = xstrdup(pattern);
	bool ok = false;
	unsigned bits;

	strbuf_reset(error);
	memset(cidr, 0, sizeof(*cidr));
	if (!cidr_split(copy, pattern, &parts, error))
		goto out;
	cidr->net.family = strchr(parts.addr, ':') ? AF_INET6 : AF_INET;
	if (*parts.addr == 0 || inet_pton(cidr->net.family, parts.addr, cidr->net.bytes) != 1) {
		strbuf_printf(error, "bad address in \"%s\"", pattern);
		goto out;
	}
	bits = cidr_family_bits(cidr->net.family);
	cidr->prefix = bits;
	if (parts.len != NULL && !cidr_parse_prefix(parts.len, bits, pattern, &cidr->prefix, error))
		goto out;
	ok = cidr_check_host_bits(cidr, parts.bracketed, pattern, error);
out:
	free(copy);
	return ok;
}

bool cidr_match(const struct cidr *cidr, const struct cidr_addr *addr)
{
	unsigned full = cidr->prefix / 8;
	unsigned rest = cidr->prefix % 8;
	unsigned char mask;

	if (addr->family != cidr->net.family)
		return false;
	if (memcmp(addr->bytes, cidr->net.bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (addr->bytes[full] & mask) == cidr->net.bytes[full];
}
