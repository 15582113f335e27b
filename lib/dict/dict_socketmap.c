/*
 * dict_socketmap - the socketmap: client.  One connection per table,
 * opened at the first lookup and kept; a server may close an idle
 * connection at any time, so a lookup whose connection turns out to be
 * dead (end of file or an I/O error) is tried once more on a fresh one.
 * Replies are netstrings whose length is checked against the limit
 * before anything is allocated, and nothing a server sends can end the
 * process: every problem is a lookup error for the caller.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "dict/dict_socketmap.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/stream.h"
#include "util/strbuf.h"

struct dict_socketmap {
	struct dict dict;
	char *transport; /* "inet" or "unix" */
	char *address;   /* "host:port" or "/path" */
	char *map_name;  /* the name field of each request */
	struct dict_socketmap_limits limits;
	struct stream *stream; /* NULL while disconnected */
	time_t connected_at;
	time_t used_at;
	struct strbuf *reply;
};

/* What reading a reply found. */
enum reply_read { REPLY_OK, REPLY_DISCONNECT, REPLY_TIMEOUT, REPLY_FORMAT, REPLY_TOO_LONG };

/* Waits for a non-blocking connect on fd; false with errno set. */
static bool connect_wait(int fd, const struct sockaddr *sa, socklen_t len, int timeout)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int err = 0;
	socklen_t err_len = sizeof(err);

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, sa, len) == 0)
		return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0;
	if (errno != EINPROGRESS)
		return false;
	if (poll(&pfd, 1, timeout * 1000) == 0) {
		errno = ETIMEDOUT;
		return false;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0 || err != 0) {
		errno = err ? err : errno;
		return false;
	}
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0;
}

static int connect_unix(const char *path, int timeout, const char **error_r)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		*error_r = dict_errorf("connect to %s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    !connect_wait(fd, (struct sockaddr *)&sun, sizeof(sun), timeout)) {
		*error_r = dict_errorf("connect to %s: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Splits "host:port" or "[host]:port" into copies; false when there is no port. */
static bool split_host_port(const char *address, char **host_r, char **port_r)
{
	const char *colon = strrchr(address, ':');
	const char *host = address, *host_end = colon;

	if (colon == NULL || colon[1] == 0)
		return false;
	if (*host == '[' && colon > host && colon[-1] == ']') {
		host++;
		host_end--;
	}
	*host_r = xstrndup(host, (size_t)(host_end - host));
	*port_r = xstrdup(colon + 1);
	return true;
}

static int connect_inet(const char *address, int timeout, const char **error_r)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	char *host, *port;
	int fd = -1, err;

	if (!split_host_port(address, &host, &port)) {
		*error_r = dict_errorf("connect to %s: missing port", address);
		return -1;
	}
	if ((err = getaddrinfo(host, port, &hints, &res)) != 0) {
		*error_r = dict_errorf("connect to %s: %s", address, gai_strerror(err));
		free(host);
		free(port);
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			continue;
		if (!connect_wait(fd, ai->ai_addr, ai->ai_addrlen, timeout)) {
			err = errno;
			close(fd);
			fd = -1;
			errno = err;
		}
	}
	if (fd < 0)
		*error_r = dict_errorf("connect to %s:%s: %m", host, port);
	freeaddrinfo(res);
	free(host);
	free(port);
	return fd;
}

static void disconnect(struct dict_socketmap *dict)
{
	stream_close(&dict->stream);
}

/* Connects unless a usable connection exists; false with *error_r set. */
static bool ensure_connected(struct dict_socketmap *dict, const char **error_r)
{
	time_t now = time(NULL);
	int fd;

	if (dict->stream != NULL && (now - dict->used_at >= dict->limits.max_idle ||
	                             now - dict->connected_at >= dict->limits.max_ttl))
		disconnect(dict);
	if (dict->stream != NULL)
		return true;
	fd = strcmp(dict->transport, "unix") == 0
	         ? connect_unix(dict->address, dict->limits.timeout, error_r)
	         : connect_inet(dict->address, dict->limits.timeout, error_r);
	if (fd < 0)
		return false;
	dict->stream = stream_open(fd);
	stream_set_timeout(dict->stream, dict->limits.timeout);
	dict->connected_at = now;
	return true;
}

/* How a failed read ended: timeout or disconnect. */
static enum reply_read read_failure(struct dict_socketmap *dict)
{
	return stream_error(dict->stream) == STREAM_ERR_TIMEOUT ? REPLY_TIMEOUT : REPLY_DISCONNECT;
}

/* Reads one netstring into dict->reply, checking its length before allocating. */
static enum reply_read read_reply(struct dict_socketmap *dict)
{
	size_t len = 0, digits = 0;
	int ch;

	while ((ch = stream_getc(dict->stream)) != ':') {
		if (ch < 0)
			return read_failure(dict);
		if (ch < '0' || ch > '9')
			return REPLY_FORMAT;
		len = len * 10 + (size_t)(ch - '0');
		if (++digits > 10 || len > dict->limits.max_reply)
			return digits > 10 ? REPLY_FORMAT : REPLY_TOO_LONG;
	}
	if (digits == 0)
		return REPLY_FORMAT;
	strbuf_reset(dict->reply);
	while (strbuf_len(dict->reply) < len) {
		char chunk[4096];
		size_t want = len - strbuf_len(dict->reply);

		want = want < sizeof(chunk) ? want : sizeof(chunk);
		if (!stream_read_exact(dict->stream, chunk, want))
			return read_failure(dict);
		strbuf_append(dict->reply, chunk, want);
	}
	/* Like Postfix, anything but ',' here (end of file too) is a format error. */
	if ((ch = stream_getc(dict->stream)) == ',')
		return REPLY_OK;
	return ch < 0 && stream_error(dict->stream) == STREAM_ERR_TIMEOUT ? REPLY_TIMEOUT
	                                                                  : REPLY_FORMAT;
}

/* Sends the request and reads the reply over the current connection. */
static enum reply_read exchange(struct dict_socketmap *dict, const char *key)
{
	size_t len = strlen(dict->map_name) + 1 + strlen(key);

	if (!stream_printf(dict->stream, "%zu:%s %s,", len, dict->map_name, key) ||
	    !stream_flush(dict->stream))
		return read_failure(dict);
	return read_reply(dict);
}

/* Turns a reply into a lookup result. */
static enum dict_status parse_reply(struct dict_socketmap *dict, const char **value_r,
                                    const char **error_r)
{
	char *status = dict->reply->data;
	char *payload = strchr(status, ' ');
	static const struct {
		const char *status;
		const char *text;
		enum dict_status result;
	} errors[] = {
	    {"TEMP", "temporary error", DICT_ERR_RETRY},
	    {"TIMEOUT", "timeout error", DICT_ERR_RETRY},
	    {"PERM", "permanent error", DICT_ERR_CONFIG},
	};
	size_t i;

	if (payload != NULL)
		*payload++ = 0;
	if (strcmp(status, "OK") == 0 && payload != NULL) {
		*value_r = payload;
		return DICT_FOUND;
	}
	if (strcmp(status, "OK") == 0 || strcmp(status, "NOTFOUND") == 0)
		return DICT_NOT_FOUND;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(status, errors[i].status) == 0)
			break;
	*error_r =
	    dict_errorf("socketmap:%s socketmap server %s%s%s", dict->dict.name,
	                i < sizeof(errors) / sizeof(errors[0]) ? errors[i].text : "unknown error",
	                payload && *payload ? ": " : "", payload && *payload ? payload : "");
	return i < sizeof(errors) / sizeof(errors[0]) ? errors[i].result : DICT_ERR_RETRY;
}

static enum dict_status socketmap_lookup(struct dict *base, const char *key, const char **value_r,
                                         const char **error_r)
{
	static const char *const reasons[] = {
	    [REPLY_DISCONNECT] = "unexpected disconnect",
	    [REPLY_TIMEOUT] = "timeout",
	    [REPLY_FORMAT] = "input format error",
	    [REPLY_TOO_LONG] = "input exceeds size limit",
	};
	struct dict_socketmap *dict = (struct dict_socketmap *)base;
	enum reply_read got = REPLY_DISCONNECT;

	/* A kept connection may have been closed by the server: one fresh try. */
	for (int attempt = 0; attempt < 2 && got == REPLY_DISCONNECT; attempt++) {
		if (!ensure_connected(dict, error_r))
			return DICT_ERR_RETRY;
		if ((got = exchange(dict, key)) != REPLY_OK)
			disconnect(dict);
	}
	if (got != REPLY_OK) {
		*error_r =
		    dict_errorf("table socketmap:%s lookup error: %s", base->name, reasons[got]);
		return DICT_ERR_RETRY;
	}
	dict->used_at = time(NULL);
	return parse_reply(dict, value_r, error_r);
}

static void socketmap_close(struct dict *base)
{
	struct dict_socketmap *dict = (struct dict_socketmap *)base;

	disconnect(dict);
	free(dict->transport);
	free(dict->address);
	free(dict->map_name);
	strbuf_free(&dict->reply);
}

static const struct dict_ops socketmap_ops = {
    .lookup = socketmap_lookup,
    .close = socketmap_close,
};

/* Splits "transport:address:name"; false with *error_r set. */
static bool parse_name(struct dict_socketmap *dict, const char *name, const char **error_r)
{
	const char *last = strrchr(name, ':');
	const char *first = strchr(name, ':');

	if (last == NULL) {
		*error_r = dict_errorf("socketmap:%s: requires server:socketmap argument", name);
		return false;
	}
	if (first == last) {
		*error_r = dict_errorf("need service transport:endpoint instead of \"%.*s\"",
		                       (int)(last - name), name);
		return false;
	}
	dict->transport = xstrndup(name, (size_t)(first - name));
	if (strcmp(dict->transport, "inet") != 0 && strcmp(dict->transport, "unix") != 0) {
		*error_r = dict_errorf("invalid transport name: %s in service: %.*s",
		                       dict->transport, (int)(last - name), name);
		return false;
	}
	dict->address = xstrndup(first + 1, (size_t)(last - first - 1));
	dict->map_name = xstrdup(last + 1);
	return true;
}

struct dict *dict_socketmap_open_limits(const char *name, int flags,
                                        const struct dict_socketmap_limits *limits,
                                        const char **error_r)
{
	struct dict_socketmap *dict = xcalloc(1, sizeof(*dict));

	if (!parse_name(dict, name, error_r)) {
		free(dict->transport);
		free(dict->address);
		free(dict->map_name);
		free(dict);
		return NULL;
	}
	dict_init(&dict->dict, &socketmap_ops, "socketmap", name, flags, 0);
	dict->limits = *limits;
	dict->reply = strbuf_new(limits->max_reply);
	return &dict->dict;
}

struct dict *dict_socketmap_open(const char *name, int flags, const char **error_r)
{
	static const struct dict_socketmap_limits defaults = DICT_SOCKETMAP_DEFAULT_LIMITS;

	return dict_socketmap_open_limits(name, flags, &defaults, error_r);
}
