/*
 * msg_postlog - a msg output that sends each line to the postlogd
 * service (Postfix's postlog unix-dgram service, a socket at
 * $queue_directory/public/$postlog_service_name) as one datagram, so
 * that postlogd alone writes maillog_file and lines of concurrent
 * processes never mix.  A datagram holds exactly what msg_logfile would
 * have written: "Nov 02 12:00:00 HOSTNAME SYSLOG_NAME/PROGNAME[PID]: text\n".
 *
 * The socket is connected once at open time; a connected datagram socket
 * keeps working after chroot and while postlogd processes come and go,
 * because master holds the bound socket for as long as it runs.
 */
#ifndef POSTERN_UTIL_MSG_POSTLOG_H
#define POSTERN_UTIL_MSG_POSTLOG_H

#include <stdbool.h>

#include "util/msg.h"

/*
 * Connects to the datagram socket at path, remembers hostname and
 * syslog_name for the lines, and adds the output to msg on the first
 * call only; a later call switches to the new socket.  False with
 * *error_r set (static storage) when nothing listens at path; any
 * previous connection then stays in use.
 */
bool msg_postlog_open(const char *path, const char *hostname, const char *syslog_name,
                      const char **error_r);

/* Disconnects; the output then sends nothing until the next open. */
void msg_postlog_close(void);

/* The output itself, registered by msg_postlog_open(). */
void msg_postlog_output(enum msg_level level, const char *text);

#endif
