/*
 * NAME
 *	sendmail - Sendmail-compatible mail submission
 * SYNOPSIS
 *	sendmail [options] [recipient...]
 *	mailq		(sendmail -bp)
 *	newaliases	(sendmail -bi)
 * DESCRIPTION
 *	By default (-bm) sendmail reads one message from standard input and
 *	queues it: it runs $command_directory/postdrop -r and writes the
 *	message to it as maildrop records (lib/mail/maildrop.h); postdrop
 *	stores the file in maildrop/ and wakes pickup.  Nothing is
 *	delivered here.  The sender is -f, else the real user's login
 *	name, unqualified (cleanup's job).  Recipients are the arguments
 *	(each may hold several, comma-separated); with -t cleanup also
 *	takes them from To:, Cc: and Bcc: and removes Bcc:.
 * OPTIONS
 *	-bm	queue a message (default).
 *	-bi, -I	run newaliases.
 *	-bp	run postqueue -p (mailq).
 *	-bd, -bl	run postfix start.
 *	-bs	refused: smtpd has no stand-alone mode yet.
 *	-C dir	configuration directory (also passed to postdrop).
 *	-F name	the sender's full name (default: $NAME, else the GECOS field).
 *	-f sender, -r sender	envelope sender; <> is the null sender.
 *	-i, -oi	a line with a single "." does not end the input.
 *	-N dsn	never, or a list of success, delay, failure.
 *	-R full|hdrs	what a bounce returns.
 *	-t	recipients also from the message headers.
 *	-V envid	the DSN envelope id.
 *	-v	more verbose logging.
 *	-q	ask the queue manager to retry deferred mail now (the flush
 *		trigger on public/$queue_service_name); -qINTERVAL is ignored;
 *		-qR, -qS and -qI are refused (no postqueue command yet).
 *	Ignored, as by Postfix: -A, -B, -G, -h, -L, -m, -n, -O, -U, -X, and
 *	-o forms other than -oi ("-o x value" takes its value along).
 * PARAMETERS
 *	authorized_flush_users (static:anyone) who may use -q
 *	authorized_submit_users (static:anyone) who may queue mail
 *	command_directory (/usr/sbin) where postdrop, newaliases, postqueue
 *	    and postfix are
 *	header_address_token_limit (10240) addresses taken from one header
 *	header_size_limit (102400) longest header inspected for -t
 *	line_length_limit (2048) longer input lines are sent in pieces
 *	queue_directory (/var/spool/postfix) where public/ is (-q)
 *	queue_service_name (qmgr) the service -q wakes
 * LOG LINES
 *	fatal: User NAME(UID) is not allowed to submit mail
 *	fatal: Recipient addresses must be specified on the command line or
 *	    via the -t option
 *	fatal: No recipient addresses found in message header
 *	fatal: NAME(UID): unable to execute PATH/postdrop -r: REASON
 *	fatal: Cannot flush mail queue - mail system is down
 * SECURITY
 *	Not set-id.  The queue is written by the set-gid postdrop only;
 *	sendmail is an ordinary program of the submitting user.
 * DIAGNOSTICS
 *	Exit status 0 when the message was queued; 75 (EX_TEMPFAIL) on any
 *	fatal error, as Postfix's sendmail.
 * SEE ALSO
 *	postdrop(1), pickup(8), docs/queue.md
 */
#include <stddef.h>

#include "config/conf.h"
#include "sendmail.h"
#include "util/msg.h"

int main(int argc, char **argv)
{
	struct sendmail_opts opts;

	msg_init("sendmail");
	sendmail_args(argc, argv, &opts);
	conf_load(conf_directory_choose(opts.config_dir), NULL, CONF_LOAD_LOGGING);
	if (opts.mode != SENDMAIL_ENQUEUE)
		sendmail_run_mode(&opts);
	sendmail_enqueue(&opts);
	return 0;
}
