/*
 * NAME
 *	pickup - move locally submitted mail from maildrop/ to cleanup
 * SYNOPSIS
 *	pickup [generic daemon options]
 * DESCRIPTION
 *	pickup is a trigger daemon (master.cf "pickup unix n - n 60 1
 *	pickup").  Each trigger byte (postdrop's wake-up, master's wakeup
 *	timer) makes it scan maildrop/ once.  It considers only files named
 *	like queue ids whose owner-execute bit is set (postdrop's mark of a
 *	complete file) and skips the rest.
 *
 *	Each file is checked whole with the maildrop parser
 *	(lib/mail/maildrop.h), then streamed to cleanup over public/cleanup
 *	with CLEANUP_FLAG_LOCAL, CLEANUP_FLAG_MAP_OK and CLEANUP_FLAG_FILTER,
 *	plus CLEANUP_FLAG_EXTRACT when sendmail -t asked for recipients from
 *	the headers (attribute extract_recipients=yes).  Only after cleanup
 *	answered OK, that is once the queue file is durable, is the maildrop
 *	file removed.  A malformed file, or one that cleanup refuses for
 *	good (no recipients, too big, too many hops), is moved to corrupt/.
 *	When cleanup is unavailable or fails temporarily the file stays and
 *	the scan ends; the next trigger tries again.
 * PROTOCOL
 *	Trigger bytes on public/pickup (any byte: scan); the cleanup client
 *	protocol towards cleanup (lib/mail/cleanup_client.h).
 * PARAMETERS
 *	daemon_timeout (18000s) watchdog for one scan
 *	ipc_timeout (3600s) time limit for one cleanup request
 *	max_idle (100s), max_use (100) as for every daemon
 *	queue_directory (/var/spool/postfix) where maildrop/ and corrupt/ are
 * LOG LINES
 *	QUEUEID: uid=UID from=<SENDER>    a file was queued as QUEUEID
 *	warning: maildrop/NAME: REASON; moved to corrupt/
 *	warning: maildrop/NAME: cleanup failed: REASON   (kept, retried)
 *	warning: connect to cleanup service: REASON      (kept, retried)
 * SECURITY
 *	Runs as mail_owner.  Maildrop files belong to any local user and are
 *	never trusted: opened without following links (one hard link,
 *	regular file), parsed with bounded records twice, and only a fixed
 *	set of attributes is passed on.  Bytes never reach a fatal error.
 * SEE ALSO
 *	postdrop(1), sendmail(1), cleanup(8), docs/queue.md
 */
#include "pickup.h"
#include "server/trigger_server.h"

static const struct trigger_server_spec pickup_spec = {
    .trigger = pickup_scan,
};

int main(int argc, char **argv)
{
	trigger_server_main(argc, argv, &pickup_spec);
}
