/*
 * sock - socket set-up.  Connects run non-blocking under a poll() so a
 * dead peer costs at most the timeout; a UNIX socket whose backlog is
 * full answers EAGAIN instead of EINPROGRESS on Linux, so that case is
 * retried until the deadline.  Listening UNIX sockets get their mode from
 * a temporary umask around bind(), because chmod() after bind() would
 * follow a symbolic link swapped in at the path.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/sock.h"

#define SOCK_ERROR_MAX 300
#define SOCK_EAGAIN_RETRY_MS 10

static char sock_error[SOCK_ERROR_MAX];

static const char *sock_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *sock_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sock_error, sizeof(sock_error), fmt, ap);
	va_end(ap);
	return sock_error;
}

bool sock_set_nonblock(int fd, bool on)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return false;
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags) == 0;
}

bool sock_set_cloexec(int fd, bool on)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0)
		return false;
	flags = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
	return fcntl(fd, F_SETFD, flags) == 0;
}

static long long sock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline (-1: none), or 0 when it passed. */
static int sock_left(long long deadline)
{
	long long left;

	if (deadline < 0)
		return -1;
	left = deadline - sock_now_ms();
	return left > 0 ? (int)left : 0;
}

/* Waits for a non-blocking connect to finish; 0 or -1 with errno. */
static int sock_connect_wait(int fd, long long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int err = 0;
	socklen_t len = sizeof(err);
	int n;

	while ((n = poll(&pfd, 1, sock_left(deadline))) < 0 && errno == EINTR)
		continue;
	if (n == 0)
		errno = ETIMEDOUT;
	if (n <= 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Connects fd within timeout seconds and leaves it blocking; 0 or -1 with errno. */
static int sock_connect_timed(int fd, const struct sockaddr *sa, socklen_t len, int timeout)
{
	long long deadline = timeout > 0 ? sock_now_ms() + (long long)timeout * 1000 : -1;
	int result = -1;

	if (!sock_set_nonblock(fd, true))
		return -1;
	for (;;) {
		if (connect(fd, sa, len) == 0) {
			result = 0;
			break;
		}
		if (errno == EINPROGRESS || errno == EINTR) {
			result = sock_connect_wait(fd, deadline);
			break;
		}
		if (errno != EAGAIN)
			break;
		if (sock_left(deadline) == 0) {
			errno = ETIMEDOUT;
			break;
		}
		poll(NULL, 0, SOCK_EAGAIN_RETRY_MS);
	}
	if (result == 0 && !sock_set_nonblock(fd, false))
		result = -1;
	return result;
}

/* Fills a UNIX address; false when the path does not fit. */
static bool sock_unix_addr(struct sockaddr_un *sun, const char *path, const char **error_r)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		*error_r = sock_set_error("socket path too long: %s", path);
		return false;
	}
	strcpy(sun->sun_path, path);
	return true;
}

/* Removes a stale socket at path; refuses anything that is not a socket. */
static bool sock_unix_clear(const char *path, const char **error_r)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return true;
		*error_r = sock_set_error("lstat %s: %m", path);
		return false;
	}
	if (!S_ISSOCK(st.st_mode)) {
		*error_r = sock_set_error("%s exists and is not a socket", path);
		return false;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		*error_r = sock_set_error("remove stale socket %s: %m", path);
		return false;
	}
	return true;
}

int sock_unix_listen(const char *path, mode_t mode, int backlog, const char **error_r)
{
	struct sockaddr_un sun;
	mode_t old_umask;
	int fd, bound;

	if (!sock_unix_addr(&sun, path, error_r) || !sock_unix_clear(path, error_r))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*error_r = sock_set_error("socket for %s: %m", path);
		return -1;
	}
	old_umask = umask(~mode & 0777);
	bound = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_umask);
	if (bound < 0 || listen(fd, backlog) < 0) {
		*error_r = sock_set_error("%s %s: %m", bound < 0 ? "bind" : "listen", path);
		close(fd);
		return -1;
	}
	return fd;
}

int sock_unix_connect(const char *path, int timeout, const char **error_r)
{
	struct sockaddr_un sun;
	int fd;

	if (!sock_unix_addr(&sun, path, error_r))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*error_r = sock_set_error("socket for %s: %m", path);
		return -1;
	}
	if (sock_connect_timed(fd, (struct sockaddr *)&sun, sizeof(sun), timeout) < 0) {
		*error_r = sock_set_error("connect to %s: %m", path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Splits "host:port", "[host]:port" or "port" into fresh strings at the
 * last colon, as master.cf does ("::1:smtp" is host ::1); *host_r is
 * NULL for a bare port or an empty host.
 */
static bool sock_split(const char *addr, char **host_r, char **port_r, const char **error_r)
{
	const char *colon = strrchr(addr, ':');
	const char *host = addr, *host_end = colon;
	const char *port;

	*host_r = NULL;
	if (addr[0] == '[') {
		host_end = strchr(addr, ']');
		if (host_end == NULL || host_end[1] != ':' || host_end == addr + 1) {
			*error_r = sock_set_error("bad address \"%s\": want [address]:port", addr);
			return false;
		}
		host = addr + 1;
		colon = host_end + 1;
	}
	port = colon != NULL ? colon + 1 : addr;
	if (*port == 0) {
		*error_r = sock_set_error("bad address \"%s\": no port", addr);
		return false;
	}
	if (host_end != NULL && host_end > host)
		*host_r = xstrndup(host, (size_t)(host_end - host));
	*port_r = xstrdup(port);
	return true;
}

/* Resolves addr for listening (passive) or connecting. */
static struct addrinfo *sock_resolve(const char *addr, bool passive, const char **error_r)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	char *host, *port;
	int err;

	if (!sock_split(addr, &host, &port, error_r))
		return NULL;
	if (passive)
		hints.ai_flags = AI_PASSIVE;
	hints.ai_family = host == NULL ? AF_INET : AF_UNSPEC;
	if ((err = getaddrinfo(host, port, &hints, &res)) != 0) {
		*error_r = sock_set_error("look up %s: %s", addr, gai_strerror(err));
		res = NULL;
	}
	free(host);
	free(port);
	return res;
}

/* One listening socket on one resolved address; -1 with errno. */
static int sock_listen_one(const struct addrinfo *ai, int backlog)
{
	int on = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int saved;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int sock_inet_listen(const char *addr, int backlog, const char **error_r)
{
	struct addrinfo *res = sock_resolve(addr, true, error_r);
	int fd = -1;

	if (res == NULL)
		return -1;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = sock_listen_one(ai, backlog);
	if (fd < 0)
		*error_r = sock_set_error("listen on %s: %m", addr);
	freeaddrinfo(res);
	return fd;
}

int sock_inet_connect(const char *addr, int timeout, const char **error_r)
{
	struct addrinfo *res = sock_resolve(addr, false, error_r);
	int fd = -1;

	if (res == NULL)
		return -1;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && sock_connect_timed(fd, ai->ai_addr, ai->ai_addrlen, timeout) < 0) {
			int saved = errno;

			close(fd);
			fd = -1;
			errno = saved;
		}
	}
	if (fd < 0)
		*error_r = sock_set_error("connect to %s: %m", addr);
	freeaddrinfo(res);
	return fd;
}

bool sock_send_fd(int sock, int fd, const char **error_r)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	static char byte = 'F';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = control.buf,
	                     .msg_controllen = sizeof(control.buf)};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	ssize_t n;

	memset(control.buf, 0, sizeof(control.buf));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		continue;
	if (n < 0) {
		*error_r = sock_set_error("send descriptor: %m");
		return false;
	}
	return true;
}

/* Takes the descriptors out of a received message; returns the first. */
static int sock_take_fds(struct msghdr *msg)
{
	int first = -1;

	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	     cmsg = CMSG_NXTHDR(msg, cmsg)) {
		size_t count;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
			if (first < 0)
				first = fd;
			else
				close(fd);
		}
	}
	return first;
}

int sock_recv_fd(int sock, const char **error_r)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = control.buf,
	                     .msg_controllen = sizeof(control.buf)};
	ssize_t n;
	int fd;

	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		continue;
	if (n <= 0) {
		*error_r = n == 0 ? sock_set_error("receive descriptor: connection closed")
		                  : sock_set_error("receive descriptor: %m");
		return -1;
	}
	fd = sock_take_fds(&msg);
	if (msg.msg_flags & MSG_CTRUNC) {
		if (fd >= 0)
			close(fd);
		*error_r = sock_set_error("receive descriptor: control data truncated");
		return -1;
	}
	if (fd < 0)
		*error_r = sock_set_error("receive descriptor: message carried none");
	return fd;
}
