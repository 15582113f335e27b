/*
 * master_listen - opens the endpoints of a service: TCP sockets for inet
 * services (a bare port becomes one socket per inet_interfaces address
 * and inet_protocols family), UNIX stream and datagram sockets and fifos
 * under public/ or private/ of the queue directory (master's working
 * directory).  Local sockets are created mode 0666, as Postfix's are: the
 * private/ directory (mail_owner, 0700) is what keeps strangers out.  In
 * root mode they are created with mail_owner's effective ids so that the
 * daemons own them.  Every listener is non-blocking, because all children
 * of a service accept on the same socket and a loser must not hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "util/alloc.h"
#include "util/events.h"
#include "util/msg.h"
#include "util/sock.h"
#include "util/split.h"

/* Queue length of every listening socket. */
#define MASTER_LISTEN_BACKLOG 128

/* True when the host can make IPv6 sockets at all. */
static bool master_listen_have_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Which families inet_protocols asks for; false for an unknown word. */
static bool master_listen_protocols(bool *v4, bool *v6, struct strbuf *error)
{
	char *list = xstrdup(var_inet_protocols);
	char *cursor = list;
	bool ok = true;

	*v4 = *v6 = false;
	for (char *word; ok && (word = split_next(&cursor, SPLIT_LIST_SEPARATORS)) != NULL;) {
		if (strcmp(word, "all") == 0) {
			*v4 = true;
			*v6 = master_listen_have_ipv6();
		} else if (strcmp(word, "ipv4") == 0) {
			*v4 = true;
		} else if (strcmp(word, "ipv6") == 0) {
			*v6 = true;
		} else {
			strbuf_printf(error, "parameter inet_protocols: unknown protocol: %s",
			              word);
			ok = false;
		}
	}
	free(list);
	if (ok && !*v4 && !*v6) {
		strbuf_append_str(error, "parameter inet_protocols: no protocol selected");
		ok = false;
	}
	return ok;
}

static void master_listen_add(struct argv *out, const char *host, const char *port)
{
	struct strbuf *addr = strbuf_new(STRBUF_UNLIMITED);

	if (strchr(host, ':') != NULL)
		strbuf_printf(addr, "[%s]:%s", host, port);
	else
		strbuf_printf(addr, "%s:%s", host, port);
	argv_add(out, strbuf_str(addr));
	strbuf_free(&addr);
}

/* A bare port: one address per inet_interfaces entry and family. */
static bool master_listen_interfaces(const char *port, struct argv *out, struct strbuf *error)
{
	char *list = xstrdup(var_inet_interfaces);
	char *cursor = list;
	bool v4, v6;

	if (!master_listen_protocols(&v4, &v6, error)) {
		free(list);
		return false;
	}
	for (char *item; (item = split_next(&cursor, SPLIT_LIST_SEPARATORS)) != NULL;) {
		bool wildcard = strcmp(item, "all") == 0;
		bool loopback =
		    strcmp(item, "loopback-only") == 0 || strcmp(item, "localhost") == 0;

		if (wildcard || loopback) {
			if (v4)
				master_listen_add(out, wildcard ? "0.0.0.0" : "127.0.0.1", port);
			if (v6)
				master_listen_add(out, wildcard ? "::" : "::1", port);
		} else {
			if (*item == '[' && item[strlen(item) - 1] == ']') {
				item[strlen(item) - 1] = 0;
				item++;
			}
			master_listen_add(out, item, port);
		}
	}
	free(list);
	if (out->count == 0) {
		strbuf_append_str(error, "parameter inet_interfaces: no address to listen on");
		return false;
	}
	return true;
}

bool master_listen_inet_endpoints(const char *name, struct argv *out, struct strbuf *error)
{
	const char *colon = strrchr(name, ':');

	if (colon == NULL || colon == name)
		return master_listen_interfaces(colon ? colon + 1 : name, out, error);
	if (colon[1] == 0) {
		strbuf_printf(error, "missing port in service name: %s", name);
		return false;
	}
	argv_add(out, name);
	return true;
}

static int master_listen_fifo(const char *path, mode_t mode, struct strbuf *error)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) && unlink(path) < 0) {
		strbuf_printf(error, "remove %s: %m", path);
		return -1;
	}
	if (mkfifo(path, mode) < 0) {
		strbuf_printf(error, "create fifo %s: %m", path);
		return -1;
	}
	/* Read-write, so that the fifo never reports EOF when writers come and go. */
	if ((fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		strbuf_printf(error, "open fifo %s: %m", path);
		return -1;
	}
	if (fchmod(fd, mode) < 0) {
		strbuf_printf(error, "chmod fifo %s: %m", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int master_listen_dgram(const char *path, struct strbuf *error)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		strbuf_printf(error, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || chmod(path, 0666) < 0) {
		strbuf_printf(error, "bind %s: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Opens one endpoint; -1 with error set. */
static int master_listen_one(const struct master_serv *serv, const char *endpoint,
                             struct strbuf *error)
{
	bool public = strncmp(endpoint, "public/", 7) == 0;
	const char *reason;
	int fd = -1;

	switch (serv->type) {
	case MASTER_CF_INET:
		if ((fd = sock_inet_listen(endpoint, MASTER_LISTEN_BACKLOG, &reason)) < 0)
			strbuf_append_str(error, reason);
		break;
	case MASTER_CF_UNIX:
	case MASTER_CF_PASS:
		if ((fd = sock_unix_listen(endpoint, 0666, MASTER_LISTEN_BACKLOG, &reason)) < 0)
			strbuf_append_str(error, reason);
		break;
	case MASTER_CF_UNIX_DGRAM:
		fd = master_listen_dgram(endpoint, error);
		break;
	case MASTER_CF_FIFO:
		fd = master_listen_fifo(endpoint, public ? 0622 : 0600, error);
		break;
	}
	if (fd >= 0 && !sock_set_nonblock(fd, true)) {
		strbuf_printf(error, "%s: set non-blocking: %m", endpoint);
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Local sockets and fifos are made with mail_owner's ids, so they own them. */
static void master_listen_as_owner(bool on)
{
	if (!master_root_mode)
		return;
	if (on ? setegid(conf_owner_gid) < 0 || seteuid(conf_owner_uid) < 0
	       : seteuid(0) < 0 || setegid(getgid()) < 0)
		msg_fatal("set effective user and group ids: %m");
}

bool master_listen_open(struct master_serv *serv, struct strbuf *error)
{
	bool local = serv->type != MASTER_CF_INET;

	serv->listen_fds = xcalloc(serv->endpoints->count, sizeof(*serv->listen_fds));
	serv->listen_count = 0;
	if (local)
		master_listen_as_owner(true);
	for (size_t i = 0; i < serv->endpoints->count; i++) {
		int fd = master_listen_one(serv, serv->endpoints->items[i], error);

		if (fd < 0)
			break;
		serv->listen_fds[serv->listen_count++] = fd;
	}
	if (local)
		master_listen_as_owner(false);
	if (serv->listen_count < serv->endpoints->count) {
		master_listen_close(serv);
		return false;
	}
	return true;
}

void master_listen_close(struct master_serv *serv)
{
	for (size_t i = 0; i < serv->listen_count; i++) {
		events_disable(serv->listen_fds[i]);
		close(serv->listen_fds[i]);
	}
	free(serv->listen_fds);
	serv->listen_fds = NULL;
	serv->listen_count = 0;
	serv->listening = false;
}
