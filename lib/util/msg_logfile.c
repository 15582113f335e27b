/*
 * msg_logfile - logging straight to a file.  Each line goes out in one
 * write() on an O_APPEND descriptor, so lines from concurrent processes
 * sharing the file never interleave.  The line is built on the stack: a
 * logger must not need the heap it may be reporting about.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/msg_logfile.h"
#include "util/safe_open.h"

#define MSG_LOGFILE_LINE_MAX 8192

static int msg_logfile_fd = -1;
static char msg_logfile_host[256];
static char msg_logfile_name[256];
static bool msg_logfile_added;

/* Opens /dev/stdout as a copy of descriptor 1, which may be any file type. */
static int msg_logfile_stdout(const char **error_r)
{
	static char error[80];
	int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);

	if (fd < 0) {
		snprintf(error, sizeof(error), "/dev/stdout: %s", strerror(errno));
		*error_r = error;
	}
	return fd;
}

bool msg_logfile_open(const char *path, mode_t mode, const char *hostname, const char *syslog_name,
                      const char **error_r)
{
	int fd;

	if (strcmp(path, "/dev/stdout") == 0)
		fd = msg_logfile_stdout(error_r);
	else
		fd = safe_open(path, O_WRONLY | O_APPEND, mode, SAFE_OPEN_ANY_UID,
		               SAFE_OPEN_ANY_GID, NULL, error_r);
	if (fd < 0)
		return false;
	msg_logfile_close();
	msg_logfile_fd = fd;
	snprintf(msg_logfile_host, sizeof(msg_logfile_host), "%s", hostname);
	snprintf(msg_logfile_name, sizeof(msg_logfile_name), "%s", syslog_name);
	if (!msg_logfile_added) {
		msg_output_add(msg_logfile_output);
		msg_logfile_added = true;
	}
	return true;
}

void msg_logfile_close(void)
{
	if (msg_logfile_fd >= 0)
		close(msg_logfile_fd);
	msg_logfile_fd = -1;
}

size_t msg_logfile_format(char *buf, size_t size, time_t when, const char *hostname,
                          const char *ident, long pid, enum msg_level level, const char *text)
{
	char stamp[32];
	struct tm tm;
	int len;

	if (localtime_r(&when, &tm) == NULL || strftime(stamp, sizeof(stamp), "%b %d %T", &tm) == 0)
		snprintf(stamp, sizeof(stamp), "%s", "Jan 01 00:00:00");
	len = snprintf(buf, size - 1, "%s %s %s[%ld]: %s%s", stamp, hostname, ident, pid,
	               msg_level_prefix(level), text);
	if (len < 0)
		len = 0;
	else if ((size_t)len > size - 2)
		len = (int)(size - 2);
	buf[len++] = '\n';
	buf[len] = 0;
	return (size_t)len;
}

void msg_logfile_output(enum msg_level level, const char *text)
{
	char line[MSG_LOGFILE_LINE_MAX];
	char ident[sizeof(msg_logfile_name) + 64];
	size_t len;

	if (msg_logfile_fd < 0)
		return;
	snprintf(ident, sizeof(ident), "%s/%s", msg_logfile_name, msg_progname());
	len = msg_logfile_format(line, sizeof(line), time(NULL), msg_logfile_host, ident,
	                         (long)getpid(), level, text);
	/* Nothing can be reported about a failed write: this is the report. */
	if (write(msg_logfile_fd, line, len) < 0)
		return;
}
