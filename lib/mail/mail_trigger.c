/*
 * mail_trigger - one trigger byte to a socket or a fifo.  A fifo is
 * opened non-blocking so that a service that is not running (no reader)
 * is an error at once rather than a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/mail_trigger.h"
#include "util/sock.h"

static char mail_trigger_error[512];

/* Formats *error_r and returns false. */
static bool mail_trigger_fail(const char **error_r, const char *what, const char *path,
                              const char *why)
{
	snprintf(mail_trigger_error, sizeof(mail_trigger_error), "unable to %s %s: %s", what, path,
	         why);
	*error_r = mail_trigger_error;
	return false;
}

bool mail_trigger(const char *path, char byte, int timeout, const char **error_r)
{
	const char *why;
	struct stat st;
	bool ok;
	int fd;

	if (stat(path, &st) < 0)
		return mail_trigger_fail(error_r, "look up", path, strerror(errno));
	if (S_ISFIFO(st.st_mode)) {
		if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
			return mail_trigger_fail(error_r, "open", path, strerror(errno));
	} else if ((fd = sock_unix_connect(path, timeout, &why)) < 0) {
		return mail_trigger_fail(error_r, "connect to", path, why);
	}
	ok = write(fd, &byte, 1) == 1;
	if (!ok)
		mail_trigger_fail(error_r, "write to", path, strerror(errno));
	close(fd);
	return ok;
}
