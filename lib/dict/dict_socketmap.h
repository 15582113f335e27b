/*
 * dict_socketmap - socketmap: tables as socketmap_table(5) describes
 * them: socketmap:inet:host:port:name or socketmap:unix:/path:name.  Each
 * lookup sends the netstring "name key" and reads one netstring reply:
 * "OK value", "NOTFOUND ", "TEMP reason", "TIMEOUT reason" or "PERM
 * reason".  The connection is kept between lookups and reopened when the
 * server has closed it.
 */
#ifndef POSTERN_DICT_DICT_SOCKETMAP_H
#define POSTERN_DICT_DICT_SOCKETMAP_H

#include <stddef.h>

#include "dict/dict.h"

/*
 * Protocol limits.  Postfix 3.7 has no parameters for them (the manual's
 * BUGS section says so); the defaults are its built-in values.
 */
struct dict_socketmap_limits {
	int timeout;      /* seconds for connect, each write and each read */
	int max_idle;     /* reconnect when the connection was idle this long */
	int max_ttl;      /* reconnect when the connection is this old */
	size_t max_reply; /* the longest reply payload accepted */
};

/* Postfix's built-in limits: 100s I/O timeout, 10s idle, 100s lifetime, 100000 bytes. */
#define DICT_SOCKETMAP_DEFAULT_LIMITS                                                              \
	{                                                                                          \
		100, 10, 100, 100000                                                               \
	}

/*
 * Opens socketmap:name with the default limits.  The server is not
 * contacted until the first lookup; a malformed name fails the open
 * (NULL, *error_r set).  PERM replies are DICT_ERR_CONFIG; TEMP,
 * TIMEOUT, unknown replies and I/O problems are DICT_ERR_RETRY.
 */
struct dict *dict_socketmap_open(const char *name, int flags, const char **error_r);

/* Opens socketmap:name with the given limits. */
struct dict *dict_socketmap_open_limits(const char *name, int flags,
                                        const struct dict_socketmap_limits *limits,
                                        const char **error_r);

#endif
