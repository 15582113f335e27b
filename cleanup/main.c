/*
 * NAME
 *	cleanup - write one message into the incoming queue
 * SYNOPSIS
 *	cleanup [generic daemon options]
 * DESCRIPTION
 *	cleanup receives one message per connection from smtpd or pickup
 *	(lib/mail/cleanup_client.h), writes it as a queue file in
 *	incoming/ (docs/queue.md), and answers only after the file is
 *	durable and marked complete.  Then it wakes the queue manager.
 *
 *	On the way it drops the headers named in message_drop_headers
 *	(Bcc:, Content-Length:, Resent-Bcc:, Return-Path:), counts
 *	Received: headers against hopcount_limit, enforces
 *	message_size_limit, removes duplicate recipients, and for local
 *	submissions (CLEANUP_FLAG_LOCAL) or with always_add_missing_headers
 *	adds a missing Message-Id:, Date: and From: header at the end of
 *	the headers.  With CLEANUP_FLAG_EXTRACT (sendmail -t) the addresses
 *	in To:, Cc: and Bcc: become recipients in the extracted segment.
 *	With CLEANUP_FLAG_HOLD the complete file goes to hold/; with
 *	CLEANUP_FLAG_DISCARD it is accepted and removed.
 *
 *	The queue file is created as incoming/t<pid>.<usec> (O_EXCL,
 *	O_NOFOLLOW, mode 0600), renamed to its queue id at once, and at
 *	the end: fdatasync, mode 0700 (the completion mark), fsync of the
 *	file and of incoming/, then the reply.  Any failure, a malformed
 *	request or the client going away removes the file.
 * PROTOCOL
 *	Attribute lists over private/cleanup (DESIGN section 3).
 *	Greeting: protocol=cleanup.
 *	Request: flags (CLEANUP_FLAG_* bits).
 *	Reply: status=0 and queue_id=ID, or status (CLEANUP_STAT_*) and
 *	reason when no queue file could be made.
 *	Then one list per record, each with record=KIND:
 *	  record=sender value=ADDRESS            once, first
 *	  record=attr name=NAME value=VALUE      named attribute
 *	  record=recipient value=ADDRESS [orcpt=TYPE;ADDRESS] [notify=N]
 *	  record=line data=BYTES                 a complete content line
 *	  record=part data=BYTES                 a piece; the line goes on
 *	  record=end                             end of message
 *	Reply to end: status (0 or CLEANUP_STAT_* bits) and reason.
 *	Closing the connection before record=end aborts the message.
 * PARAMETERS
 *	always_add_missing_headers (no) add headers for remote mail too
 *	duplicate_filter_limit (1000) recipients remembered for duplicates
 *	enable_long_queue_ids (no) long, non-repeating queue ids
 *	header_address_token_limit (10240) addresses taken from one header
 *	header_size_limit (102400) longest header that is inspected
 *	hopcount_limit (50) Received: headers that make a message loop
 *	ipc_timeout (3600s) time limit for one request from the client
 *	message_drop_headers (bcc, content-length, resent-bcc, return-path)
 *	    headers removed from every message
 *	message_size_limit (10240000) longest message content; 0: none
 *	myhostname (host name) domain of generated Message-Id: values
 *	queue_service_name (qmgr) the service woken in public/
 * LOG LINES
 *	QUEUEID: message-id=<ID>     the Message-ID: seen or added; <> for none
 *	QUEUEID: discard: client request
 *	warning: QUEUEID: malformed request from client
 *	warning: QUEUEID: read request: REASON
 *	warning: QUEUEID: write queue file: ERROR
 *	warning: create queue file: PATH: ERROR
 *	The "QUEUEID: from=<SENDER>, size=N, nrcpt=N (queue active)" line is
 *	qmgr's, written when it moves the file to active/, as in Postfix.
 * SECURITY
 *	Runs as mail_owner; takes only what the client sends and never
 *	trusts it: each request is bounded (64 KiB per value) and a bad one
 *	closes the connection.  Queue files are created O_EXCL|O_NOFOLLOW
 *	with explicit modes.
 * BUGS
 *	Not yet done: canonical and virtual address maps (CLEANUP_FLAG_MAP_OK
 *	is accepted and ignored), header_checks and body_checks
 *	(CLEANUP_FLAG_FILTER, CLEANUP_STAT_CONT), qualifying unqualified
 *	addresses with $myorigin, Resent- headers, sender full names, and
 *	bouncing on behalf of the client (CLEANUP_FLAG_BOUNCE).
 * SEE ALSO
 *	docs/queue.md, lib/mail/cleanup_client.h, lib/mail/queue_file.h,
 *	postcat(1)
 */
#include "cleanup.h"
#include "server/single_server.h"

static const struct single_server_spec cleanup_spec = {
    .server = {.post_init = cleanup_post_init},
    .service = cleanup_service,
};

int main(int argc, char **argv)
{
	single_server_main(argc, argv, &cleanup_spec);
}
