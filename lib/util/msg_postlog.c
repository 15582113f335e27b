/*
 * msg_postlog - logging through postlogd.  The line is built on the
 * stack with msg_logfile_format(), so a line reads the same whether a
 * process wrote the file itself or postlogd wrote it on its behalf.  A
 * send that fails is dropped: there is nowhere left to report it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/msg_logfile.h"
#include "util/msg_postlog.h"

#define MSG_POSTLOG_LINE_MAX 8192
/* A stalled postlogd must not hang every daemon forever. */
#define MSG_POSTLOG_SEND_TIMEOUT 10

static int msg_postlog_fd = -1;
static char msg_postlog_host[256];
static char msg_postlog_name[256];
static bool msg_postlog_added;

static int msg_postlog_connect(const char *path, const char **error_r)
{
	static char error[512];
	struct timeval limit = {.tv_sec = MSG_POSTLOG_SEND_TIMEOUT};
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(error, sizeof(error), "%s: socket path too long", path);
		*error_r = error;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(error, sizeof(error), "connect to %s: %s", path, strerror(errno));
		*error_r = error;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
	return fd;
}

bool msg_postlog_open(const char *path, const char *hostname, const char *syslog_name,
                      const char **error_r)
{
	int fd = msg_postlog_connect(path, error_r);

	if (fd < 0)
		return false;
	msg_postlog_close();
	msg_postlog_fd = fd;
	snprintf(msg_postlog_host, sizeof(msg_postlog_host), "%s", hostname);
	snprintf(msg_postlog_name, sizeof(msg_postlog_name), "%s", syslog_name);
	if (!msg_postlog_added) {
		msg_output_add(msg_postlog_output);
		msg_postlog_added = true;
	}
	return true;
}

void msg_postlog_close(void)
{
	if (msg_postlog_fd >= 0)
		close(msg_postlog_fd);
	msg_postlog_fd = -1;
}

void msg_postlog_output(enum msg_level level, const char *text)
{
	char line[MSG_POSTLOG_LINE_MAX];
	char ident[sizeof(msg_postlog_name) + 64];
	size_t len;

	if (msg_postlog_fd < 0)
		return;
	snprintf(ident, sizeof(ident), "%s/%s", msg_postlog_name, msg_progname());
	len = msg_logfile_format(line, sizeof(line), time(NULL), msg_postlog_host, ident,
	                         (long)getpid(), level, text);
	if (send(msg_postlog_fd, line, len, MSG_NOSIGNAL) < 0)
		return;
}
