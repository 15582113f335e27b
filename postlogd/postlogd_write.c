/*
 * postlogd_write - appending received records to maillog_file.  A record
 * is already a complete log line (msg_postlog formats it in the sending
 * process); it becomes exactly one line of the file, written with one
 * write(2) on an O_APPEND descriptor, so a peer can neither split a
 * record into forged lines nor glue two records together.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "config/params.h"
#include "postlogd.h"
#include "server/trigger_server.h"
#include "util/msg.h"
#include "util/msg_logfile.h"
#include "util/safe_open.h"

static int postlogd_fd = -1;

void postlogd_open(const char *service_name, char **argv)
{
	const char *error;

	if (argv[0] != NULL)
		msg_fatal("unexpected command-line argument: %s", argv[0]);
	if (*var_maillog_file == 0)
		msg_fatal("maillog_file is empty: postlogd has no file to write");
	if (strcmp(var_maillog_file, "/dev/stdout") == 0) {
		if ((postlogd_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
			msg_fatal("/dev/stdout: %m");
		return;
	}
	postlogd_fd = safe_open(var_maillog_file, O_WRONLY | O_APPEND, MSG_LOGFILE_MODE,
	                        SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID, NULL, &error);
	if (postlogd_fd < 0)
		msg_fatal("%s", error);
}

void postlogd_write(const char *data, size_t len, const char *service_name, char **argv)
{
	char line[TRIGGER_SERVER_BUF_SIZE + 1];

	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	for (size_t i = 0; i < len; i++)
		line[i] = (data[i] == '\n' || data[i] == '\r' || data[i] == 0) ? ' ' : data[i];
	line[len++] = '\n';
	if (write(postlogd_fd, line, len) != (ssize_t)len)
		msg_warn("write %s: %m", var_maillog_file);
}
