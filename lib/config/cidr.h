/*
 * cidr - IPv4 and IPv6 addresses and address/prefix patterns, parsed into
 * binary form and matched bit by bit.  Network lists (mynetworks and
 * friends) use it, and so will the cidr: lookup table, so the parser
 * accepts both the bracketed form that lists need ("[2001:db8::]/32",
 * "[2001:db8::/32]") and the bare form cidr tables allow
 * ("2001:db8::/32").
 */
#ifndef POSTERN_CONFIG_CIDR_H
#define POSTERN_CONFIG_CIDR_H

#include <stdbool.h>

#include "util/strbuf.h"

/* One address in network byte order; IPv4 uses the first 4 bytes. */
struct cidr_addr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char bytes[16];
};

/* A network: the address with all host bits zero, and the prefix length. */
struct cidr {
	struct cidr_addr net;
	unsigned prefix; /* 0..32 for IPv4, 0..128 for IPv6 */
};

/*
 * Parses an address (no brackets, no prefix).  An IPv4-mapped IPv6
 * address (::ffff:192.0.2.1) becomes the IPv4 address, because Postfix
 * treats such clients as IPv4 clients everywhere.  False when text is not
 * an address.
 */
bool cidr_addr_parse(struct cidr_addr *addr, const char *text);

/* Writes the canonical text form of addr (inet_ntop's) into buf. */
void cidr_addr_format(const struct cidr_addr *addr, struct strbuf *buf);

/*
 * Parses "addr", "addr/len", "[addr]", "[addr]/len" or "[addr/len]"; a
 * bare address means the whole address (/32 or /128).  The pattern is
 * taken literally: an IPv4-mapped IPv6 pattern stays IPv6.  On failure
 * sets error to a message that quotes the pattern: a malformed address,
 * a prefix length that is not a number or out of range, a missing "]",
 * text after "]", or host bits set below the prefix (the message suggests
 * the network meant).
 */
bool cidr_parse(struct cidr *cidr, const char *pattern, struct strbuf *error);

/* True when addr lies inside the network (never across families). */
bool cidr_match(const struct cidr *cidr, const struct cidr_addr *addr);

#endif
