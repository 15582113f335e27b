/*
 * cleanup_client - hand one message to the cleanup service.
 *
 * smtpd and pickup (and later bounce) never write queue files themselves:
 * they stream the envelope and the content to cleanup over
 * $queue_directory/public/cleanup (master.cf "cleanup unix n - n - 0
 * cleanup": the private field is n, as in Postfix, so the socket is in
 * public/), and cleanup answers only after the
 * queue file is complete, fsync'ed and marked (DESIGN §4).  The wire
 * format (attribute lists, DESIGN §3, greeting protocol=cleanup) is private
 * to this module and cleanup/; callers use only the functions below, in
 * this order:
 *
 *   cleanup_client_open         connect; cleanup creates the queue file
 *   cleanup_client_queue_id     the new queue id (for logging)
 *   cleanup_client_sender       once
 *   cleanup_client_attr         any number (client_name, client_address,
 *                               helo_name, protocol, sasl_method, ...)
 *   cleanup_client_recipient    one or more
 *   cleanup_client_content      the message, line by line
 *   cleanup_client_finish       cleanup's verdict; or cleanup_client_abort
 *
 * All calls after a failure are cheap no-ops; the failure surfaces in
 * cleanup_client_finish (or the caller may stop early and abort).
 */
#ifndef POSTERN_MAIL_CLEANUP_CLIENT_H
#define POSTERN_MAIL_CLEANUP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

/* cleanup_client_open() flags, passed on to cleanup. */
#define CLEANUP_FLAG_NONE 0
#define CLEANUP_FLAG_HOLD (1 << 0)    /* put the message on hold */
#define CLEANUP_FLAG_DISCARD (1 << 1) /* accept and throw away */
#define CLEANUP_FLAG_BOUNCE (1 << 2)  /* cleanup bounces on content errors */
#define CLEANUP_FLAG_FILTER (1 << 3)  /* apply header/body checks */
#define CLEANUP_FLAG_MAP_OK (1 << 4)  /* apply canonical/virtual address maps */
#define CLEANUP_FLAG_EXTRACT (1 << 5) /* sendmail -t: recipients from headers */
#define CLEANUP_FLAG_LOCAL (1 << 6)   /* local submission: add missing From:/Date: */

/* The verdict: 0, or CLEANUP_STAT_* bits (several can be set). */
#define CLEANUP_STAT_OK 0
#define CLEANUP_STAT_BAD (1 << 0)   /* internal protocol error */
#define CLEANUP_STAT_WRITE (1 << 1) /* error writing the queue file */
#define CLEANUP_STAT_SIZE (1 << 2)  /* message_size_limit exceeded */
#define CLEANUP_STAT_CONT (1 << 3)  /* content rejected (header/body checks) */
#define CLEANUP_STAT_HOPS (1 << 4)  /* too many Received: headers (hopcount_limit) */
#define CLEANUP_STAT_RCPT (1 << 5)  /* no recipients */
#define CLEANUP_STAT_DEFER (1 << 6) /* temporary failure (e.g. a table lookup) */

struct cleanup_client;

/*
 * Connects to the cleanup service at socket_path (normally
 * $queue_directory/private/cleanup) with a timeout in seconds; cleanup
 * creates the queue file and reports its id.  NULL with *error_r set
 * when the service is unavailable.
 */
struct cleanup_client *cleanup_client_open(const char *socket_path, int flags, int timeout,
                                           const char **error_r);

/* The queue id cleanup assigned ("4C6E82A0C1"). */
const char *cleanup_client_queue_id(const struct cleanup_client *client);

/* The envelope sender ("" for the null sender), in internal (unquoted) form. */
void cleanup_client_sender(struct cleanup_client *client, const char *sender);

/* A named envelope attribute kept in the queue file (client facts, ESMTP parameters). */
void cleanup_client_attr(struct cleanup_client *client, const char *name, const char *value);

/*
 * A recipient in internal form, with its RFC 3461 original recipient
 * (NULL if none) and NOTIFY bits (0 = not given; DSN_NOTIFY_* of mail/dsn.h).
 */
void cleanup_client_recipient(struct cleanup_client *client, const char *recipient,
                              const char *orcpt, int dsn_notify);

/*
 * One line of message content (headers, then the empty line, then the
 * body) without its line terminator, already dot-unstuffed; len may
 * include NUL bytes.  Lines of any length are fine: pieces beyond 32 KiB
 * are sent as partial records.  partial is true when the line continues in the next
 * call (a line longer than line_length_limit is passed in pieces).
 */
void cleanup_client_content(struct cleanup_client *client, const char *line, size_t len,
                            bool partial);

/*
 * Ends the message and waits for cleanup's verdict: CLEANUP_STAT_OK only
 * once the queue file is durable.  *reason_r (may be NULL) gets a text for
 * the client, e.g. the REJECT text of a header check, valid until the next
 * cleanup_client_open().  Frees the client and clears *client.
 */
int cleanup_client_finish(struct cleanup_client **client, const char **reason_r);

/* Gives up on the message: cleanup removes the queue file.  Clears *client. */
void cleanup_client_abort(struct cleanup_client **client);

#endif
