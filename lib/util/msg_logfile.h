/*
 * msg_logfile - a msg output that appends lines to a file, as Postfix's
 * maillog_file does:
 *   "Nov 02 12:00:00 HOSTNAME SYSLOG_NAME/PROGNAME[PID]: warning: text"
 * with the day of month zero-padded, as Postfix's own maillog_file
 * writer formats it ("%b %d %H:%M:%S").  The file is
 * opened append-only without following links; "/dev/stdout" is accepted
 * as a name, writing to standard output (for containers).
 */
#ifndef POSTERN_UTIL_MSG_LOGFILE_H
#define POSTERN_UTIL_MSG_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "util/msg.h"

/* The mode of a log file that msg_logfile_open() has to create. */
#define MSG_LOGFILE_MODE 0600

/*
 * Opens path for appending, creating it with mode when missing (an
 * existing file must be a regular file with one link), remembers
 * hostname and syslog_name for the lines, and adds the file output to
 * msg on the first call only (so do not msg_output_reset() after it); a
 * later call (reload, log rotation) switches to the new file.  Returns false with *error_r set,
 * leaving any previous file in use.
 */
bool msg_logfile_open(const char *path, mode_t mode, const char *hostname, const char *syslog_name,
                      const char **error_r);

/* Closes the file; the output then writes nothing until the next open. */
void msg_logfile_close(void);

/*
 * Formats one log line into buf: when in local time, hostname,
 * "ident[pid]: ", the level prefix, text and a newline.  Text that does
 * not fit is cut, but the line always ends in a newline and a NUL; size
 * must be at least 2.  Returns the length without the NUL.
 */
size_t msg_logfile_format(char *buf, size_t size, time_t when, const char *hostname,
                          const char *ident, long pid, enum msg_level level, const char *text);

/* The output itself, registered by msg_logfile_open(). */
void msg_logfile_output(enum msg_level level, const char *text);

#endif
