/*
 * msg_syslog - a msg output that sends each message to syslog(3), the
 * way Postfix daemons log: ident "syslog_name/progname" with the process
 * id ("postfix/smtpd[123]"), the facility from syslog_facility, and the
 * level prefix ("warning: ") kept in the text.
 */
#ifndef POSTERN_UTIL_MSG_SYSLOG_H
#define POSTERN_UTIL_MSG_SYSLOG_H

#include <stdbool.h>

#include "util/msg.h"

/*
 * Looks up a syslog_facility value ("mail", "daemon", "local0" ...
 * "local7", and the other names Postfix accepts; lower case only) and
 * stores the LOG_* facility.  Returns false for an unknown name, which
 * the caller reports.
 */
bool msg_syslog_facility(const char *name, int *facility_r);

/*
 * Opens the connection to syslog (at once, so it survives a later
 * chroot) with ident "syslog_name/progname", progname being
 * msg_progname(), and adds the syslog output to msg on the first call
 * only (so do not msg_output_reset() after it).
 * Calling it again (reload) changes ident and facility.
 */
void msg_syslog_init(const char *syslog_name, int facility);

/* The ident given to openlog() by the last msg_syslog_init(), or "". */
const char *msg_syslog_ident(void);

/* The syslog priority of a level: info, warning, err, or crit. */
int msg_syslog_priority(enum msg_level level);

/* The output itself, registered by msg_syslog_init(). */
void msg_syslog_output(enum msg_level level, const char *text);

#endif
