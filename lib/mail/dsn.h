/*
 * dsn - the RFC 3461 delivery status notification request bits that
 * travel with a message: NOTIFY= per recipient (kept in the queue file as
 * a decimal number in an "n" record) and RET= per message ("<" record).
 * The values are Postfix's, so queue files stay interchangeable.
 */
#ifndef POSTERN_MAIL_DSN_H
#define POSTERN_MAIL_DSN_H

/* NOTIFY= bits; 0 means the client gave no NOTIFY (the default applies). */
#define DSN_NOTIFY_NEVER (1 << 0)   /* NOTIFY=NEVER, exclusive of the others */
#define DSN_NOTIFY_SUCCESS (1 << 1) /* NOTIFY=SUCCESS */
#define DSN_NOTIFY_FAILURE (1 << 2) /* NOTIFY=FAILURE */
#define DSN_NOTIFY_DELAY (1 << 3)   /* NOTIFY=DELAY */
#define DSN_NOTIFY_ANY (DSN_NOTIFY_SUCCESS | DSN_NOTIFY_FAILURE | DSN_NOTIFY_DELAY)

/* RET= values; 0 means not given. */
#define DSN_RET_FULL 1 /* RET=FULL: return the whole message */
#define DSN_RET_HDRS 2 /* RET=HDRS: return the headers only */

#endif
