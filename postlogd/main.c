/*
 * NAME
 *	postlogd - postern's internal log server
 * SYNOPSIS
 *	postlogd [generic daemon options]
 * DESCRIPTION
 *	Writes maillog_file on behalf of every other postern program, so
 *	that lines of concurrent processes never mix and only one process
 *	needs the right to write the file.  It runs as the master.cf
 *	service
 *	    postlog   unix-dgram n  -  n  -  1  postlogd
 *	whose socket is $queue_directory/public/$postlog_service_name.
 *	The file is opened at start-up, before privileges are dropped, so
 *	it may be owned by root; postlogd processes are short-lived
 *	(max_idle, max_use), so a renamed file (postfix logrotate) or a
 *	changed maillog_file is picked up by the next process, at once after
 *	"postfix reload".
 *
 *	Programs log to postlogd when maillog_file is set; a daemon that
 *	finds no postlog socket writes the file itself.
 * PROTOCOL
 *	One datagram per log record: the complete line, "Mmm dd hh:mm:ss
 *	HOST SYSLOG_NAME/PROCESS[PID]: TEXT", with or without a trailing
 *	newline.  Each record becomes exactly one line of the file:
 *	newlines, carriage returns and NULs inside it become spaces, and a
 *	record longer than 16384 bytes is cut.  No reply.
 * PARAMETERS
 *	maillog_file (empty) the file to append to; "/dev/stdout" writes
 *	    to standard output (for containers)
 *	maillog_file_prefixes (/var, /dev/stdout) allowed beginnings of
 *	    maillog_file
 *	postlog_service_name (postlog) the socket name under public/
 *	postlogd_watchdog_timeout (10s) time limit for writing one record
 *	max_idle (100s), max_use (100) process lifetime
 *	syslog_name (postfix) the name in postlogd's own log lines
 * LOG LINES
 *	fatal: maillog_file value 'PATH' does not match any prefix in
 *	    maillog_file_prefixes
 *	fatal: maillog_file is empty: postlogd has no file to write
 *	fatal: unexpected command-line argument: ARG
 *	fatal: PATH: REASON (the file could not be opened or created)
 *	warning: write PATH: REASON
 * SECURITY
 *	The file is created with mode 0600 and opened without following
 *	symbolic links; an existing file must be a regular file with one
 *	link.  Records are written verbatim apart from the line breaking
 *	described above: any process that can reach the socket can add
 *	lines, which is why public/ admits only the mail system's group.
 * SEE ALSO
 *	lib/util/msg_postlog.h (the sending side), lib/server/trigger_server.h
 */
#include "config/params.h"
#include "postlogd.h"
#include "server/trigger_server.h"

static const struct trigger_server_spec spec = {
    .server = {.flags = SERVER_LOG_FILE, .pre_init = postlogd_open},
    .trigger = postlogd_write,
    .watchdog = &var_postlogd_watchdog_timeout,
};

int main(int argc, char **argv)
{
	trigger_server_main(argc, argv, &spec);
}
