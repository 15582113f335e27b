/*
 * net_list - match a host by name or by address against a pattern list.
 *
 * Address patterns are parsed into networks when the list is created, so
 * a malformed one stops the program at start-up (Postfix notices some of
 * them only when a client connects, and ignores others silently).  A
 * pattern counts as an address when nothing else could be meant: it
 * starts with "[", holds a "/", or is made of digits and dots only.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config/cidr.h"
#include "config/domain_list.h"
#include "config/net_list.h"
#include "util/alloc.h"

struct net_list {
	struct match_list *list;
	struct strbuf *name;      /* the host name, lowercased */
	struct strbuf *addr_text; /* the address in canonical form */
};

/* The host being matched, prepared once for all patterns. */
struct net_list_host {
	const char *name; /* NULL when not known */
	bool have_addr;
	struct cidr_addr addr;
	const char *addr_text;
};

/*
 * True when spec, which looks like "type:table", is really a bare IPv6
 * address or network.
 */
static bool net_list_bare_ipv6(const char *spec)
{
	char *addr = xstrndup(spec, strcspn(spec, "/"));
	unsigned char bytes[16];
	bool is_ipv6 = inet_pton(AF_INET6, addr, bytes) == 1;

	free(addr);
	return is_ipv6;
}

static bool net_list_looks_numeric(const char *pattern)
{
	return pattern[strspn(pattern, "0123456789.")] == 0 && strpbrk(pattern, "0123456789");
}

static bool net_list_compile(struct match_list_item *item, struct strbuf *error)
{
	const char *pattern = item->pattern;
	const char *slash;
	struct cidr *cidr;

	if (item->is_table) {
		if (!net_list_bare_ipv6(pattern))
			return true;
		slash = strchr(pattern, '/');
		strbuf_printf(error, "IPv6 address \"%s\" must be inside []: write \"[%.*s]%s\"",
		              pattern, (int)(slash ? slash - pattern : (int)strlen(pattern)),
		              pattern, slash ? slash : "");
		return false;
	}
	if (pattern[0] != '[' && strchr(pattern, '/') == NULL && !net_list_looks_numeric(pattern))
		return true;
	cidr = xmalloc(sizeof(*cidr));
	if (!cidr_parse(cidr, pattern, error)) {
		free(cidr);
		return false;
	}
	item->data = cidr;
	return true;
}

static const struct match_list_kind net_list_kind = {
    .compile = net_list_compile,
    .release = free,
};

struct net_list *net_list_new(const char *patterns, unsigned flags,
                              const struct match_list_tables *tables, struct strbuf *error)
{
	struct match_list *list = match_list_new(patterns, flags, &net_list_kind, tables, error);
	struct net_list *nets;

	if (list == NULL)
		return NULL;
	nets = xmalloc(sizeof(*nets));
	nets->list = list;
	nets->name = strbuf_new(STRBUF_UNLIMITED);
	nets->addr_text = strbuf_new(STRBUF_UNLIMITED);
	return nets;
}

void net_list_free(struct net_list **list)
{
	if (*list == NULL)
		return;
	match_list_free(&(*list)->list);
	strbuf_free(&(*list)->name);
	strbuf_free(&(*list)->addr_text);
	free(*list);
	*list = NULL;
}

static enum match_list_result
net_list_match_one(struct match_list *list, const struct match_list_item *item, const void *subject)
{
	const struct net_list_host *host = subject;
	enum match_list_result result = MATCH_LIST_NO;

	if (item->data != NULL)
		return host->have_addr && cidr_match(item->data, &host->addr) ? MATCH_LIST_YES
		                                                              : MATCH_LIST_NO;
	if (host->name != NULL)
		result = domain_list_match_item(list, item, host->name);
	if (result == MATCH_LIST_NO && item->is_table && host->have_addr)
		result = match_list_lookup(list, item, host->addr_text);
	return result;
}

enum match_list_result net_list_match(struct net_list *list, const char *name, const char *addr,
                                      const char **error_r)
{
	struct net_list_host host = {.name = NULL};

	if (name != NULL) {
		match_list_fold(list->name, name);
		host.name = strbuf_str(list->name);
	}
	if (addr != NULL && cidr_addr_parse(&host.addr, addr)) {
		host.have_addr = true;
		cidr_addr_format(&host.addr, list->addr_text);
		host.addr_text = strbuf_str(list->addr_text);
	}
	return match_list_match(list->list, net_list_match_one, &host, error_r);
}
