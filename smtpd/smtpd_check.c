/*
 * smtpd_check - access restrictions.  At RCPT time (smtpd_delay_reject
 * semantics: every decision waits for a recipient) smtpd_relay_restrictions
 * runs first and then smtpd_recipient_restrictions; the first restriction
 * that permits ends its list, the first that rejects ends the check.
 * Start-up refuses a configuration where neither list can refuse relaying,
 * so the default configuration can never be an open relay.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/domain_list.h"
#include "config/net_list.h"
#include "config/params.h"
#include "config/string_list.h"
#include "dict/dict_match.h"
#include "smtpd.h"
#include "util/alloc.h"
#include "util/argv.h"
#include "util/msg.h"
#include "util/split.h"

static struct net_list *check_mynetworks;
static struct net_list *check_bare_lf_exclusions;
static struct domain_list *check_mydestination;
static struct domain_list *check_relay_domains;
static struct string_list *check_forbidden;
static struct argv *check_relay_restrictions;
static struct argv *check_recipient_restrictions;
static struct strbuf *check_reply;

/* Restrictions that can refuse a foreign destination. */
static bool check_can_refuse(const struct argv *list)
{
	static const char *const names[] = {"reject_unauth_destination", "defer_unauth_destination",
	                                    "reject", "defer", "defer_if_permit"};

	for (size_t i = 0; i < list->count; i++)
		for (size_t j = 0; j < sizeof(names) / sizeof(names[0]); j++)
			if (strcasecmp(list->items[i], names[j]) == 0)
				return true;
	return false;
}

static void *check_list_or_die(void *list, const char *name, struct strbuf *error)
{
	if (list == NULL)
		msg_fatal("%s: %s", name, strbuf_str(error));
	return list;
}

void smtpd_check_init(void)
{
	const struct match_list_tables *tables = dict_match_tables();
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	check_mynetworks = check_list_or_die(
	    net_list_new(var_mynetworks, match_list_parent_flag("mynetworks"), tables, error),
	    "mynetworks", error);
	check_bare_lf_exclusions = check_list_or_die(
	    net_list_new(var_smtpd_forbid_bare_newline_exclusions,
	                 match_list_parent_flag("smtpd_forbid_bare_newline_exclusions"), tables,
	                 error),
	    "smtpd_forbid_bare_newline_exclusions", error);
	check_mydestination = check_list_or_die(
	    domain_list_new(var_mydestination, match_list_parent_flag("mydestination"), tables,
	                    error),
	    "mydestination", error);
	check_relay_domains = check_list_or_die(
	    domain_list_new(var_relay_domains, match_list_parent_flag("relay_domains"), tables,
	                    error),
	    "relay_domains", error);
	check_forbidden =
	    check_list_or_die(string_list_new(var_smtpd_forbidden_commands, tables, error),
	                      "smtpd_forbidden_commands", error);
	strbuf_free(&error);
	check_relay_restrictions = argv_split(var_smtpd_relay_restrictions, SPLIT_LIST_SEPARATORS);
	check_recipient_restrictions =
	    argv_split(var_smtpd_recipient_restrictions, SPLIT_LIST_SEPARATORS);
	if (!check_can_refuse(check_relay_restrictions) &&
	    !check_can_refuse(check_recipient_restrictions))
		msg_fatal("parameters smtpd_relay_restrictions and smtpd_recipient_restrictions: "
		          "specify at least one working instance of: reject_unauth_destination, "
		          "defer_unauth_destination, reject, defer or defer_if_permit");
	check_reply = strbuf_new(4096);
}

/* A list answer; a table failure counts as no match, with a warning. */
static bool check_answer(enum match_list_result result, const char *list, const char *error)
{
	if (result == MATCH_LIST_ERROR)
		msg_warn("%s: table lookup problem: %s", list, error ? error : "unknown error");
	return result == MATCH_LIST_YES;
}

bool smtpd_check_mynetworks(const char *name, const char *addr)
{
	const char *error = NULL;

	return check_answer(net_list_match(check_mynetworks, name, addr, &error), "mynetworks",
	                    error);
}

bool smtpd_check_bare_lf_excluded(const char *name, const char *addr)
{
	const char *error = NULL;

	return check_answer(net_list_match(check_bare_lf_exclusions, name, addr, &error),
	                    "smtpd_forbid_bare_newline_exclusions", error);
}

bool smtpd_check_forbidden(const char *verb)
{
	const char *error = NULL;

	return check_answer(string_list_match(check_forbidden, verb, &error),
	                    "smtpd_forbidden_commands", error);
}

/* True when text (an address literal's inside) is one of our interface addresses. */
static bool check_local_literal(const char *text)
{
	unsigned char want[16], have[16];
	int family = strncasecmp(text, "ipv6:", 5) == 0 ? AF_INET6 : AF_INET;
	struct ifaddrs *ifs, *ifa;
	bool found = false;

	if (family == AF_INET6)
		text += 5;
	if (inet_pton(family, text, want) != 1)
		return false;
	if (strcasecmp(var_inet_interfaces, "all") != 0) {
		struct argv *list = argv_split(var_inet_interfaces, SPLIT_LIST_SEPARATORS);

		for (size_t i = 0; i < list->count && !found; i++)
			found =
			    strcasecmp(list->items[i], "loopback-only") == 0
			        ? (family == AF_INET ? want[0] == 127 : strcmp(text, "::1") == 0)
			        : inet_pton(family, list->items[i], have) == 1 &&
			              memcmp(want, have, family == AF_INET ? 4 : 16) == 0;
		argv_free(&list);
		return found;
	}
	if (getifaddrs(&ifs) != 0)
		return false;
	for (ifa = ifs; ifa && !found; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != family)
			continue;
		if (family == AF_INET)
			found =
			    memcmp(&((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, want, 4) == 0;
		else
			found = memcmp(&((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr, want,
			               16) == 0;
	}
	freeifaddrs(ifs);
	return found;
}

/*
 * Postfix's "authorized destination": the domain is ours (mydestination,
 * an address literal of one of our interfaces) or one we relay for
 * (relay_domains), and the local part carries no sender-specified
 * routing (%, !, @).  An address without a domain gets $myorigin.
 */
static bool check_authorized_destination(const char *rcpt)
{
	const char *at = strrchr(rcpt, '@');
	char *domain = xstrdup(at ? at + 1 : var_myorigin);
	size_t len = strlen(domain);
	const char *error = NULL;
	bool ok;

	if (len > 0 && domain[len - 1] == '.')
		domain[len - 1] = 0;
	if (at && strcspn(rcpt, "%!@") < (size_t)(at - rcpt))
		ok = false;
	else if (domain[0] == '[' && domain[strlen(domain) - 1] == ']') {
		domain[strlen(domain) - 1] = 0;
		ok = check_local_literal(domain + 1);
	} else {
		ok = check_answer(domain_list_match(check_mydestination, domain, &error),
		                  "mydestination", error) ||
		     check_answer(domain_list_match(check_relay_domains, domain, &error),
		                  "relay_domains", error);
	}
	free(domain);
	return ok;
}

/* True when addr has a domain with a dot in it (or is an address literal). */
static bool check_fqdn(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at && at[1] && (at[1] == '[' || strchr(at + 1, '.') != NULL);
}

enum check_result { CHECK_DUNNO, CHECK_PERMIT, CHECK_REJECT };

static enum check_result check_reject(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static enum check_result check_reject(const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(check_reply);
	va_start(ap, fmt);
	strbuf_vprintf(check_reply, fmt, ap);
	va_end(ap);
	return CHECK_REJECT;
}

/* Applies one restriction by name to a recipient. */
static enum check_result check_one(struct smtpd_state *state, const char *name, const char *rcpt)
{
	if (strcasecmp(name, "permit") == 0)
		return CHECK_PERMIT;
	if (strcasecmp(name, "reject") == 0)
		return check_reject("%d 5.7.1 <%s>: Recipient address rejected: Access denied",
		                    var_reject_code, rcpt);
	if (strcasecmp(name, "defer") == 0)
		return check_reject("%d 4.7.1 <%s>: Recipient address rejected: Access denied",
		                    var_defer_code, rcpt);
	if (strcasecmp(name, "permit_mynetworks") == 0)
		return state->in_mynetworks ? CHECK_PERMIT : CHECK_DUNNO;
	if (strcasecmp(name, "permit_sasl_authenticated") == 0)
		return CHECK_DUNNO;
	if (strcasecmp(name, "reject_unauth_destination") == 0)
		return check_authorized_destination(rcpt)
		           ? CHECK_DUNNO
		           : check_reject("%d 5.7.1 <%s>: Relay access denied",
		                          var_relay_domains_reject_code, rcpt);
	if (strcasecmp(name, "defer_unauth_destination") == 0)
		return check_authorized_destination(rcpt)
		           ? CHECK_DUNNO
		           : check_reject("%d 4.7.1 <%s>: Relay access denied",
		                          var_relay_domains_reject_code - 100, rcpt);
	if (strcasecmp(name, "reject_non_fqdn_recipient") == 0)
		return check_fqdn(rcpt) ? CHECK_DUNNO
		                        : check_reject("%d 5.5.2 <%s>: Recipient address rejected: "
		                                       "need fully-qualified address",
		                                       var_non_fqdn_reject_code, rcpt);
	if (strcasecmp(name, "reject_non_fqdn_sender") == 0)
		return *state->sender == 0 || check_fqdn(state->sender)
		           ? CHECK_DUNNO
		           : check_reject("%d 5.5.2 <%s>: Sender address rejected: "
		                          "need fully-qualified address",
		                          var_non_fqdn_reject_code, state->sender);
	msg_warn("unknown smtpd restriction: \"%s\"", name);
	return check_reject("451 4.3.5 Server configuration error");
}

static enum check_result check_list(struct smtpd_state *state, const struct argv *list,
                                    const char *rcpt)
{
	enum check_result result = CHECK_DUNNO;

	for (size_t i = 0; i < list->count && result == CHECK_DUNNO; i++)
		result = check_one(state, list->items[i], rcpt);
	return result;
}

const char *smtpd_check_rcpt(struct smtpd_state *state, const char *rcpt)
{
	if (check_list(state, check_relay_restrictions, rcpt) == CHECK_REJECT ||
	    check_list(state, check_recipient_restrictions, rcpt) == CHECK_REJECT)
		return strbuf_str(check_reply);
	return NULL;
}
