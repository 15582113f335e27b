/*
 * dict_cidr - the cidr: table type.  Rules and keys are converted to
 * binary before comparison, so "2001:DB8::1" and "2001:db8:0::0001" are
 * the same address; an IPv4-mapped IPv6 key stays IPv6, as in Postfix's
 * tables (the SMTP server, not the table, decides what a client is).
 * Each bad rule is logged with file and line and skipped, with Postfix's
 * wording, so that one typo does not take a whole access table away.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dict/dict_cidr.h"
#include "dict/dict_pattern.h"
#include "util/alloc.h"
#include "util/msg.h"

/* One network: the address with host bits zero, and the prefix length. */
struct cidr_net {
	int family;
	unsigned char bytes[16];
	unsigned prefix;
};

struct dict_cidr {
	struct dict dict;
	struct dict_pattern_list rules;
	struct strbuf *value; /* the value returned by the last lookup */
};

/* Parses an address of either family; false when text is not one. */
static bool cidr_address(const char *text, int *family_r, unsigned char *bytes)
{
	*family_r = strchr(text, ':') ? AF_INET6 : AF_INET;
	return inet_pton(*family_r, text, bytes) == 1;
}

/* True when the bits of bytes past prefix are all zero; clears them in net. */
static bool host_bits_clear(unsigned char *bytes, unsigned prefix, unsigned bits,
                            unsigned char *net)
{
	bool clear = true;

	memcpy(net, bytes, bits / 8);
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
		unsigned char mask = keep ? (unsigned char)(0xff << (8 - keep)) : 0;

		if (bytes[i] & ~mask)
			clear = false;
		net[i] = bytes[i] & mask;
	}
	return clear;
}

/* Parses "address/length" (text) into net; false after a warning. */
static bool cidr_network(char *text, struct cidr_net *net, const char *label, int lineno)
{
	char *slash = strchr(text, '/'), *end;
	unsigned char bytes[16], clean[16];
	unsigned long length;
	unsigned bits;

	*slash = 0;
	length = strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || *end != 0) {
		*slash = '/';
		msg_warn("%s, line %d: bad mask value in \"%s\": skipping this rule", label, lineno,
		         text);
		return false;
	}
	if (!cidr_address(text, &net->family, bytes)) {
		*slash = '/';
		msg_warn("%s, line %d: bad network value in \"%s\": skipping this rule", label,
		         lineno, text);
		return false;
	}
	*slash = '/';
	bits = net->family == AF_INET ? 32 : 128;
	if (length > bits) {
		msg_warn("%s, line %d: bad mask length in \"%s\": skipping this rule", label,
		         lineno, text);
		return false;
	}
	net->prefix = (unsigned)length;
	if (!host_bits_clear(bytes, net->prefix, bits, clean)) {
		char suggest[INET6_ADDRSTRLEN];

		inet_ntop(net->family, clean, suggest, sizeof(suggest));
		msg_warn("%s, line %d: non-null host address bits in \"%s\", perhaps you should "
		         "use \"%s/%u\" instead: skipping this rule",
		         label, lineno, text, suggest, net->prefix);
		return false;
	}
	memcpy(net->bytes, clean, bits / 8);
	return true;
}

/* Removes the brackets of "[addr]/len" or "[addr/len]" in place; false after a warning. */
static bool strip_brackets(char *text, const char *label, int lineno)
{
	char *close = strchr(text, ']');

	if (close == NULL) {
		msg_warn("%s, line %d: missing ']' character after \"%s\": skipping this rule",
		         label, lineno, text);
		return false;
	}
	memmove(close, close + 1, strlen(close + 1) + 1);
	memmove(text, text + 1, strlen(text + 1) + 1);
	return true;
}

/* Parses a network or address pattern into a new net; NULL after a warning. */
static struct cidr_net *cidr_pattern(char *text, const char *label, int lineno)
{
	struct cidr_net net = {0};

	if (*text == '[' && !strip_brackets(text, label, lineno))
		return NULL;
	if (strchr(text, '/') != NULL) {
		if (!cidr_network(text, &net, label, lineno))
			return NULL;
	} else {
		if (!cidr_address(text, &net.family, net.bytes)) {
			msg_warn("%s, line %d: bad address pattern: \"%s\": skipping this rule",
			         label, lineno, text);
			return NULL;
		}
		net.prefix = net.family == AF_INET ? 32 : 128;
	}
	return xmemdup(&net, sizeof(net));
}

/*
 * Consumes the run of "!" and whitespace at *cursor; returns whether it
 * negates (an odd number of "!", as Postfix counts them).
 */
static bool cidr_negation(char **cursor)
{
	bool negate = false;

	for (; **cursor == '!' || isspace((unsigned char)**cursor); (*cursor)++)
		if (**cursor == '!')
			negate = !negate;
	return negate;
}

static void cidr_parse_if(struct dict_pattern_list *list, char *p, const char *label, int lineno)
{
	struct cidr_net *net;
	bool negate;

	negate = cidr_negation(&p);
	if (*p == 0) {
		msg_warn("%s, line %d: no address pattern: skipping this rule", label, lineno);
		return;
	}
	if ((net = cidr_pattern(p, label, lineno)) != NULL)
		dict_pattern_list_add_if(list, negate, lineno, net);
}

static void cidr_parse_match(struct dict_pattern_list *list, char *p, const char *label, int lineno)
{
	bool negate = cidr_negation(&p);
	char *pattern = p;
	struct cidr_net *net;

	if (*p == 0) {
		msg_warn("%s, line %d: no address pattern: skipping this rule", label, lineno);
		return;
	}
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = 0;
	/* Postfix judges the pattern before it looks for a result. */
	if ((net = cidr_pattern(pattern, label, lineno)) == NULL)
		return;
	if (*dict_pattern_skip_space(&p) == 0) {
		msg_warn("%s, line %d: no lookup result: skipping this rule", label, lineno);
		free(net);
		return;
	}
	dict_pattern_list_add_match(list, negate, lineno, net, p);
}

static void cidr_parse_line(struct dict_pattern_list *list, char *p, const char *label, int lineno)
{
	if (dict_pattern_keyword(p, "if")) {
		cidr_parse_if(list, p + 2, label, lineno);
	} else if (dict_pattern_keyword(p, "endif")) {
		p += 5;
		if (*dict_pattern_skip_space(&p))
			msg_warn("%s, line %d: garbage after ENDIF: skipping this rule", label,
			         lineno);
		else if (!dict_pattern_list_add_endif(list, lineno))
			msg_warn("%s, line %d: ENDIF without IF: skipping this rule", label,
			         lineno);
	} else {
		cidr_parse_match(list, p, label, lineno);
	}
}

static int cidr_match(void *context, void *compiled, const char *key, int lineno)
{
	const struct cidr_net *net = compiled;
	const unsigned char *addr = context;
	unsigned whole = net->prefix / 8, rest = net->prefix % 8;

	if (addr[16] != (net->family == AF_INET ? 4 : 6))
		return DICT_PATTERN_NOT_APPLICABLE;
	if (memcmp(addr, net->bytes, whole) != 0)
		return 0;
	return rest == 0 || ((addr[whole] ^ net->bytes[whole]) & (0xff << (8 - rest))) == 0;
}

static enum dict_status cidr_lookup(struct dict *base, const char *key, const char **value_r,
                                    const char **error_r)
{
	struct dict_cidr *dict = (struct dict_cidr *)base;
	unsigned char addr[17]; /* the address, then 4 or 6 for its family */
	int family;

	if (!cidr_address(key, &family, addr))
		return DICT_NOT_FOUND;
	addr[16] = family == AF_INET ? 4 : 6;
	return dict_pattern_list_lookup(&dict->rules, key, cidr_match, NULL, addr, dict->value,
	                                value_r, error_r);
}

static void cidr_close(struct dict *base)
{
	struct dict_cidr *dict = (struct dict_cidr *)base;

	dict_pattern_list_free(&dict->rules, free);
	strbuf_free(&dict->value);
}

static const struct dict_ops cidr_ops = {
    .lookup = cidr_lookup,
    .close = cidr_close,
};

struct dict *dict_cidr_open(const char *name, int flags, const char **error_r)
{
	char *text = dict_pattern_load("cidr", name, error_r);
	struct strbuf *line, *label;
	struct dict_pattern_reader reader;
	struct dict_cidr *dict;
	int lineno;

	if (text == NULL)
		return NULL;
	dict = xcalloc(1, sizeof(*dict));
	dict_init(&dict->dict, &cidr_ops, "cidr", name, flags & ~DICT_FLAG_FOLD_CASE,
	          DICT_PROP_PATTERN | (*name == '{' ? 0 : DICT_PROP_FILE));
	if (*name != '{')
		dict_watch_file(&dict->dict, name);
	dict->value = strbuf_new(STRBUF_UNLIMITED);
	line = strbuf_new(STRBUF_UNLIMITED);
	label = strbuf_new(STRBUF_UNLIMITED);
	strbuf_printf(label, "cidr map %s", name);
	dict_pattern_reader_init(&reader, text, name);
	while (dict_pattern_read(&reader, line, &lineno))
		cidr_parse_line(&dict->rules, line->data, strbuf_str(label), lineno);
	dict_pattern_list_finish(&dict->rules, strbuf_str(label));
	strbuf_free(&line);
	strbuf_free(&label);
	free(text);
	return &dict->dict;
}
