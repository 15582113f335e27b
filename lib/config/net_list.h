/*
 * net_list - lists that match a host by name or by address: mynetworks,
 * debug_peer_list, permit_mx_backup_networks, qmqpd_authorized_clients,
 * smtpd_client_event_limit_exceptions and the like.
 *
 * Address patterns: 192.0.2.1, 192.0.2.0/24, [192.0.2.1], [::1],
 * [2001:db8::]/32 and [2001:db8::/32].  An IPv6 address must be inside
 * [], because a bare one looks like "type:table"; a bare one is refused
 * with a message saying so.  A network with host bits set below the
 * prefix (10.1.2.3/8) is refused.  A pattern made of digits and dots
 * must be a whole IPv4 address.  Every other plain pattern is a host or
 * domain name, matched against the host name as domain_list does.  A
 * "type:table" pattern is looked up with the host name (and its parent
 * domains) and then with the address.  An IPv4-mapped IPv6 address
 * (::ffff:192.0.2.1) is matched as the IPv4 address, as Postfix does.
 * See match_list.h for the list syntax.
 */
#ifndef POSTERN_CONFIG_NET_LIST_H
#define POSTERN_CONFIG_NET_LIST_H

#include "config/match_list.h"
#include "util/strbuf.h"

/*
 * Parses a host list.  flags is zero or MATCH_LIST_PARENT (it governs
 * host name patterns); tables may be NULL (then "type:name" patterns are
 * errors).  Returns NULL with error set to a message naming the bad
 * pattern.
 */
struct net_list *net_list_new(const char *patterns, unsigned flags,
                              const struct match_list_tables *tables, struct strbuf *error);

/* Frees *list (NULL is fine) and clears it. */
void net_list_free(struct net_list **list);

/*
 * Matches a host given by name (NULL when there is none; Postfix passes
 * "unknown") and by address (NULL when there is none).  An address that
 * does not parse matches no address pattern.  Table lookups use the
 * lowercased name and the address in canonical text form.
 * MATCH_LIST_ERROR when a table lookup failed, with *error_r valid until
 * the next match on the list.
 */
enum match_list_result net_list_match(struct net_list *list, const char *name, const char *addr,
                                      const char **error_r);

#endif
