/*
 * NAME
 *	postdrop - put one message into the maildrop queue
 * SYNOPSIS
 *	postdrop [-c config_dir] [-r] [-v]
 * DESCRIPTION
 *	postdrop reads one message in queue file record form (lib/mail/
 *	maildrop.h: envelope records, M, content lines, X, E) from standard
 *	input, as sendmail writes it, and stores it in the maildrop/
 *	directory of queue_directory, where pickup finds it.
 *
 *	The file is created as maildrop/T<pid>.<usec> with mode 0644 (not a
 *	queue id, so pickup never opens it half-written), starts with an
 *	arrival time record, and takes the input records only after each
 *	one was checked.  At the end it is fsync'ed, given the owner-execute
 *	bit (0744: complete) and renamed to its queue id.  Then postdrop
 *	wakes the pickup service.  Malformed or truncated input, a fatal
 *	error, or SIGHUP, SIGINT, SIGQUIT or SIGTERM remove the file.
 * OPTIONS
 *	-c config_dir	main.cf directory; a set-gid postdrop accepts only
 *			the default or a directory that the default main.cf
 *			lists in alternate_config_directories.
 *	-r	report to the caller on standard output (below).
 *	-v	verbose logging; repeatable.
 * PROTOCOL
 *	With -r, attribute lists on standard output (DESIGN section 3):
 *	after the file was created, protocol=postdrop_protocol and
 *	queue_id=ID; after the file was completed, status=0 and reason=
 *	(empty).  A caller that sees no status must assume failure.
 * PARAMETERS
 *	alternate_config_directories (empty) directories allowed with -c
 *	authorized_submit_users (static:anyone) who may submit mail
 *	enable_long_queue_ids (no) long queue ids
 *	import_environment (Postfix's list) what survives of the environment
 *	pickup_service_name (pickup) the service woken in public/
 *	queue_directory (/var/spool/postfix) where maildrop/ is
 * LOG LINES
 *	fatal: User NAME(UID) is not allowed to submit mail
 *	fatal: uid=UID: malformed input: REASON
 *	fatal: create file maildrop/T<pid>.<usec>: REASON
 *	warning: unable to connect to public/pickup: REASON  (mail stays queued)
 * SECURITY
 *	Installed set-gid setgid_group (mode 2555) so any user may write
 *	maildrop/ (mode 1730).  Standard input is the user's, so every record
 *	is bounded and checked before it reaches the file; the environment
 *	is reduced to import_environment; closed standard descriptors are
 *	reopened on /dev/null first.
 * DIAGNOSTICS
 *	Exit status 0 when the message was queued, 1 otherwise, as
 *	Postfix's postdrop.
 * SEE ALSO
 *	sendmail(1), pickup(8), docs/queue.md, lib/mail/maildrop.h
 */
#include <unistd.h>

#include "postdrop.h"

int main(int argc, char **argv)
{
	struct postdrop_file file;
	bool report = postdrop_init(argc, argv);

	postdrop_file_create(&file);
	if (report)
		postdrop_report_queue_id(file.queue_id);
	postdrop_copy(&file, STDIN_FILENO);
	postdrop_file_finish(&file);
	postdrop_wake_pickup();
	if (report)
		postdrop_report_done();
	return 0;
}
