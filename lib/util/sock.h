/*
 * sock - socket helpers for master and the daemons: UNIX-domain and
 * TCP listeners and clients, descriptor flags, and passing descriptors
 * with SCM_RIGHTS.
 *
 * Every descriptor returned is close-on-exec and blocking; master
 * clears close-on-exec (dup2 does) on what it hands to a child.
 * Failures return -1 or false with error_r pointing at a static text
 * that names the address and the system error, valid until the next
 * failing sock call.
 *
 * Inet addresses are "host:port", "[host]:port" or "port", split at the
 * last colon as in master.cf (so "::1:smtp" works; brackets are needed
 * only where an IPv6 address would be ambiguous); the port may be a
 * service name.  A bare port (or an empty host) listens on
 * the IPv4 wildcard and connects to the loopback address; listening on
 * IPv6 as well takes a second socket on "[::]:port", and IPv6 sockets
 * are IPv6-only so the two never collide.
 */
#ifndef POSTERN_UTIL_SOCK_H
#define POSTERN_UTIL_SOCK_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Listens on a UNIX stream socket at path with exactly the given mode
 * (the process umask does not apply).  A stale socket at path is removed;
 * anything else there, a symbolic link included, is refused and left
 * alone.
 */
int sock_unix_listen(const char *path, mode_t mode, int backlog, const char **error_r);

/* Connects to the UNIX stream socket at path within timeout seconds (<= 0: no limit). */
int sock_unix_connect(const char *path, int timeout, const char **error_r);

/* Listens on an inet address (see above) with SO_REUSEADDR. */
int sock_inet_listen(const char *addr, int backlog, const char **error_r);

/*
 * Connects to an inet address, trying each address the host resolves
 * to, each within timeout seconds (<= 0: no limit).
 */
int sock_inet_connect(const char *addr, int timeout, const char **error_r);

/* Sets or clears O_NONBLOCK; false (errno set) when fcntl fails. */
bool sock_set_nonblock(int fd, bool on);

/* Sets or clears FD_CLOEXEC; false (errno set) when fcntl fails. */
bool sock_set_cloexec(int fd, bool on);

/* Sends fd over the UNIX socket sock, with one byte of ordinary data. */
bool sock_send_fd(int sock, int fd, const char **error_r);

/*
 * Receives one descriptor sent with sock_send_fd(), close-on-exec.
 * Extra descriptors in the same message are closed; a message without
 * one is an error.
 */
int sock_recv_fd(int sock, const char **error_r);

#endif
