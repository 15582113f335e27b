/*
 * params_host - host-dependent defaults.  mynetworks comes from
 * getifaddrs(): every configured address with its netmask, filtered by
 * inet_interfaces and inet_protocols, reduced per mynetworks_style and
 * listed once each in interface order (IPv4 before IPv6 on Linux).
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/params_host.h"
#include "util/alloc.h"

#define PARAMS_HOST_DOMAIN "localdomain"

char *params_host_name(const char *domain)
{
	char name[256];
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);

	if (gethostname(name, sizeof(name)) != 0 || name[0] == 0)
		strcpy(name, "localhost");
	name[sizeof(name) - 1] = 0;
	strbuf_append_str(buf, name);
	if (strchr(name, '.') == NULL)
		strbuf_printf(buf, ".%s", domain ? domain : PARAMS_HOST_DOMAIN);
	return strbuf_export(&buf);
}

char *params_host_domain(const char *hostname)
{
	const char *dot = strchr(hostname, '.');

	return xstrdup(dot && dot[1] ? dot + 1 : PARAMS_HOST_DOMAIN);
}

/* True when list (separated by blanks or commas) holds word. */
static bool word_in_list(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, " \t\r\n,");
		n = strcspn(p, " \t\r\n,");
		if (n > 0 && (n == len || (n == len + 2 && p[0] == '[')) &&
		    strncasecmp(p + (n != len), word, len) == 0)
			return true;
		p += n;
	}
	return false;
}

static int mask_bits(const unsigned char *mask, size_t len)
{
	int bits = 0;

	for (size_t i = 0; i < len; i++)
		bits += __builtin_popcount(mask[i]);
	return bits;
}

/* Keeps the first bits of addr, zeroing the rest. */
static void apply_prefix(unsigned char *addr, size_t len, int bits)
{
	for (size_t i = 0; i < len; i++) {
		int keep = bits > 8 ? 8 : bits < 0 ? 0 : bits;

		addr[i] &= (unsigned char)(0xff00 >> keep);
		bits -= 8;
	}
}

static int style_bits(const char *style, const unsigned char *addr, int family, int subnet_bits)
{
	int full = family == AF_INET ? 32 : 128;

	if (strcmp(style, "host") == 0)
		return full;
	if (strcmp(style, "class") == 0 && family == AF_INET)
		return addr[0] < 128 ? 8 : addr[0] < 192 ? 16 : 24;
	return subnet_bits;
}

/* True when name (an address, [address] or host name) resolves to addr. */
static bool name_has_address(const char *name, size_t name_len, int family,
                             const unsigned char *addr)
{
	struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	char host[NI_MAXHOST];
	bool found = false;

	if (name_len >= 2 && name[0] == '[' && name[name_len - 1] == ']')
		name++, name_len -= 2;
	if (name_len == 0 || name_len >= sizeof(host))
		return false;
	memcpy(host, name, name_len);
	host[name_len] = 0;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return false;
	for (struct addrinfo *ai = res; ai && !found; ai = ai->ai_next) {
		const void *candidate =
		    family == AF_INET ? (void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
		                      : (void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

		found = memcmp(candidate, addr, family == AF_INET ? 4 : 16) == 0;
	}
	freeaddrinfo(res);
	return found;
}

/*
 * inet_interfaces names addresses or host names (localhost, mail.example.com)
 * that Postfix resolves; an interface counts when one of them is its address.
 */
static bool interface_selected(const struct ifaddrs *ifa, const unsigned char *addr,
                               const char *interfaces)
{
	int family = ifa->ifa_addr->sa_family;

	if (strcasecmp(interfaces, "all") == 0)
		return true;
	if (strcasecmp(interfaces, "loopback-only") == 0)
		return (ifa->ifa_flags & IFF_LOOPBACK) != 0;
	for (const char *p = interfaces; *p;) {
		size_t n;

		p += strspn(p, " \t\r\n,");
		n = strcspn(p, " \t\r\n,");
		if (n > 0 && name_has_address(p, n, family, addr))
			return true;
		p += n;
	}
	return false;
}

/* Appends "network " to out (which starts with a blank) unless it is there already. */
static void add_network(const struct ifaddrs *ifa, const char *style, const char *interfaces,
                        struct strbuf *out)
{
	int family = ifa->ifa_addr->sa_family;
	size_t len = family == AF_INET ? 4 : 16;
	unsigned char addr[16], mask[16];
	char text[INET6_ADDRSTRLEN], net[INET6_ADDRSTRLEN + 8], padded[INET6_ADDRSTRLEN + 10];
	int bits;

	memcpy(addr,
	       family == AF_INET ? (void *)&((struct sockaddr_in *)ifa->ifa_addr)->sin_addr
	                         : (void *)&((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr,
	       len);
	memset(mask, 0xff, sizeof(mask));
	if (ifa->ifa_netmask)
		memcpy(mask,
		       family == AF_INET
		           ? (void *)&((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr
		           : (void *)&((struct sockaddr_in6 *)ifa->ifa_netmask)->sin6_addr,
		       len);
	if (!interface_selected(ifa, addr, interfaces))
		return;
	bits = style_bits(style, addr, family, mask_bits(mask, len));
	apply_prefix(addr, len, bits);
	inet_ntop(family, addr, text, sizeof(text));
	snprintf(net, sizeof(net), family == AF_INET ? "%s/%d" : "[%s]/%d", text, bits);
	snprintf(padded, sizeof(padded), " %s ", net);
	if (strstr(strbuf_str(out), padded) == NULL)
		strbuf_printf(out, "%s ", net);
}

bool params_host_networks(const char *style, const char *interfaces, const char *protocols,
                          struct strbuf *out, struct strbuf *error)
{
	struct ifaddrs *list;
	bool all = word_in_list(protocols, "all");
	bool want4 = all || word_in_list(protocols, "ipv4");
	bool want6 = all || word_in_list(protocols, "ipv6");
	struct strbuf *nets = strbuf_new(STRBUF_UNLIMITED);

	if (strcmp(style, "host") != 0 && strcmp(style, "subnet") != 0 &&
	    strcmp(style, "class") != 0) {
		strbuf_printf(error, "unknown mynetworks_style parameter value: %s", style);
		strbuf_free(&nets);
		return false;
	}
	if (getifaddrs(&list) != 0) {
		strbuf_printf(error, "getifaddrs: %m");
		strbuf_free(&nets);
		return false;
	}
	strbuf_append_char(nets, ' ');
	for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		int family = ifa->ifa_addr ? ifa->ifa_addr->sa_family : AF_UNSPEC;

		if ((family == AF_INET && want4) || (family == AF_INET6 && want6))
			add_network(ifa, style, interfaces, nets);
	}
	freeifaddrs(list);
	strbuf_trim_end(nets, " ");
	strbuf_append_str(out, strbuf_str(nets) + (strbuf_len(nets) > 0));
	strbuf_free(&nets);
	return true;
}
