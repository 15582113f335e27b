/*
 * smtpd.h - the state of one SMTP session and the functions the
 * smtpd_<concern>.c files offer each other.
 */
#ifndef POSTERN_SMTPD_SMTPD_H
#define POSTERN_SMTPD_SMTPD_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/cleanup_client.h"
#include "util/stream.h"
#include "util/strbuf.h"

/* Command counters for the "disconnect from" line, in Postfix's order. */
enum smtpd_counter {
	SMTPD_CNT_HELO,
	SMTPD_CNT_EHLO,
	SMTPD_CNT_MAIL,
	SMTPD_CNT_RCPT,
	SMTPD_CNT_DATA,
	SMTPD_CNT_BDAT,
	SMTPD_CNT_RSET,
	SMTPD_CNT_NOOP,
	SMTPD_CNT_VRFY,
	SMTPD_CNT_ETRN,
	SMTPD_CNT_QUIT,
	SMTPD_CNT_UNKNOWN,
	SMTPD_CNT_COUNT,
};

/* One accepted recipient, kept for the Received: header and the log. */
struct smtpd_rcpt {
	char *addr;
	char *orcpt; /* "rfc822;decoded" or NULL */
	int notify;  /* DSN_NOTIFY_* or 0 */
};

struct smtpd_state {
	struct stream *client;
	char *name;    /* verified client host name, or "unknown" */
	char *addr;    /* client address */
	char *namaddr; /* "name[addr]" for logs */
	char *helo_name;
	const char *protocol; /* "SMTP" or "ESMTP" */
	const char *where;    /* "CONNECT", "RCPT", "DATA", "END-OF-MESSAGE" */
	struct strbuf *line;  /* the current command line */
	int error_count;
	char last_code; /* first digit of the last reply */
	bool ehlo_seen;
	bool pipelining_logged;
	int counts[SMTPD_CNT_COUNT][2]; /* [ok, total] */
	bool in_mynetworks;
	bool bare_lf_excluded; /* client matches smtpd_forbid_bare_newline_exclusions */
	bool hangup;           /* end the session after this reply */
	/* The mail transaction. */
	char *sender; /* NULL: no MAIL command yet */
	char *envid;
	int ret;         /* DSN_RET_* or 0 */
	char *body_type; /* "7BIT", "8BITMIME", "BINARYMIME" or NULL */
	bool smtputf8;   /* SMTPUTF8 on MAIL FROM */
	long long size;  /* SIZE= or 0 */
	struct smtpd_rcpt *rcpts;
	size_t rcpt_count;
	size_t rcpt_alloc;
	bool rcpt_tried; /* a RCPT command came after MAIL */
	struct cleanup_client *cleanup;
	char *queue_id;           /* NULL until the first accepted recipient */
	bool bdat_busy;           /* BDAT chunks are being collected */
	struct strbuf *bdat_line; /* the unfinished line of a BDAT chunk */
	bool bdat_error;          /* a BDAT failed: only RSET/QUIT/NOOP until RSET */
	long long msg_bytes;
	long long bdat_total; /* bytes of all BDAT chunks of this message */
	bool msg_too_big;
	bool msg_bare_lf;     /* a content line ended in a bare LF (reject mode) */
	bool content_started; /* the Received: header went out */
};

/* smtpd_proto.c */
void smtpd_proto(struct smtpd_state *state);
void smtpd_check_pipelining(struct smtpd_state *state, const char *after);
bool smtpd_bare_lf_rejected(const struct smtpd_state *state);
void smtpd_timeout_reply(struct smtpd_state *state);

/* smtpd_reply.c: replies; an error reply (4xx/5xx) counts and sleeps. */
void smtpd_reply(struct smtpd_state *state, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool smtpd_flush(struct smtpd_state *state);

/* smtpd_ehlo.c */
void smtpd_helo(struct smtpd_state *state, const char *args);
void smtpd_ehlo(struct smtpd_state *state, const char *args);

/* smtpd_mail.c */
void smtpd_mail(struct smtpd_state *state, const char *args);
void smtpd_reset(struct smtpd_state *state);

/* smtpd_rcpt.c */
void smtpd_rcpt(struct smtpd_state *state, const char *args);

/* smtpd_data.c */
void smtpd_data(struct smtpd_state *state, const char *args);
bool smtpd_data_ready(struct smtpd_state *state, const char *cmd);
void smtpd_content(struct smtpd_state *state, const char *line, size_t len, bool partial);
void smtpd_message_end(struct smtpd_state *state);

/* smtpd_bdat.c */
void smtpd_bdat(struct smtpd_state *state, const char *args);

/* smtpd_misc.c */
void smtpd_noop(struct smtpd_state *state, const char *args);
void smtpd_rset(struct smtpd_state *state, const char *args);
void smtpd_quit(struct smtpd_state *state, const char *args);
void smtpd_vrfy(struct smtpd_state *state, const char *args);
void smtpd_etrn(struct smtpd_state *state, const char *args);

/* smtpd_check.c: restrictions; each returns NULL to accept or a reply. */
void smtpd_check_init(void);
bool smtpd_check_mynetworks(const char *name, const char *addr);
bool smtpd_check_bare_lf_excluded(const char *name, const char *addr);
bool smtpd_check_forbidden(const char *verb);
const char *smtpd_check_rcpt(struct smtpd_state *state, const char *rcpt);

/* smtpd_log.c: the log lines that log tools parse. */
void smtpd_log_connect(const struct smtpd_state *state);
void smtpd_log_disconnect(const struct smtpd_state *state);
void smtpd_log_client(const struct smtpd_state *state);
void smtpd_log_reject(const struct smtpd_state *state, const char *reply, const char *rcpt);
void smtpd_log_pipelining(const struct smtpd_state *state, const char *after, const char *data,
                          size_t len);
void smtpd_log_bare_lf(const struct smtpd_state *state);
void smtpd_log_etrn(const struct smtpd_state *state, const char *args);
void smtpd_log_bdat_syntax(const struct smtpd_state *state, const char *line);
void smtpd_log_bad_address(const struct smtpd_state *state, const char *cmd, const char *args);
void smtpd_log_forbidden(const struct smtpd_state *state, const char *line);

/* smtpd_main helpers shared by several files. */
bool smtpd_param_bool(const char *name, const char *value);

#endif
