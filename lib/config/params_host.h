/*
 * params_host - the defaults that depend on the host: myhostname,
 * mydomain and mynetworks, worked out as Postfix does.
 */
#ifndef POSTERN_CONFIG_PARAMS_HOST_H
#define POSTERN_CONFIG_PARAMS_HOST_H

#include <stdbool.h>

#include "util/strbuf.h"

/*
 * The host's name from gethostname(); a name without a dot gets
 * ".domain" appended, or ".localdomain" when domain is NULL.  The caller
 * frees the result.
 */
char *params_host_name(const char *domain);

/* What follows the first dot of hostname, or "localdomain"; caller frees. */
char *params_host_domain(const char *hostname);

/*
 * Appends the default mynetworks to out: the networks of the host's
 * interface addresses selected by interfaces ("all", "loopback-only" or
 * a list of addresses) and protocols ("all", "ipv4", "ipv6"), as whole
 * addresses (style "host"), their subnets ("subnet") or, for IPv4, their
 * class A/B/C networks ("class").  Returns false with the reason in error.
 */
bool params_host_networks(const char *style, const char *interfaces, const char *protocols,
                          struct strbuf *out, struct strbuf *error);

#endif
