/*
 * sendmail - private state of the Sendmail-compatible command.
 */
#ifndef POSTERN_SENDMAIL_SENDMAIL_H
#define POSTERN_SENDMAIL_SENDMAIL_H

#include <stdbool.h>
#include <stddef.h>

/* What the command line asks for. */
enum sendmail_mode {
	SENDMAIL_ENQUEUE,    /* -bm (default): queue one message */
	SENDMAIL_NEWALIASES, /* -bi, -I, or invoked as newaliases */
	SENDMAIL_MAILQ,      /* -bp, or invoked as mailq */
	SENDMAIL_FLUSH,      /* -q */
	SENDMAIL_SMTP,       /* -bs */
	SENDMAIL_DAEMON,     /* -bd, -bl */
};

struct sendmail_opts {
	enum sendmail_mode mode;
	const char *config_dir; /* -C, or NULL */
	const char *sender;     /* -f / -r, or NULL: the login name */
	const char *full_name;  /* -F, or NULL: $NAME or the password entry */
	const char *envid;      /* -V */
	int ret;                /* -R: DSN_RET_*, 0 when not given */
	int notify;             /* -N: DSN_NOTIFY_* bits, 0 when not given */
	bool extract;           /* -t */
	bool dot_ends;          /* a line "." ends the input (no -i / -oi) */
	char **recipients;      /* the arguments after the options */
};

/*
 * Parses the command line (argv[0] chooses mailq and newaliases);
 * fatal with Postfix's texts on a usage error.
 */
void sendmail_args(int argc, char **argv, struct sendmail_opts *opts);

/* The postdrop child that takes the message. */
struct sendmail_postdrop;

/* Runs $command_directory/postdrop -r and reads its greeting; fatal on failure. */
struct sendmail_postdrop *sendmail_postdrop_open(const char *config_dir);

/* Sends one record; fatal when postdrop went away. */
void sendmail_postdrop_put(struct sendmail_postdrop *drop, int type, const char *data, size_t len);

/* Ends the input, waits for postdrop's status and exit; fatal unless both are 0. */
void sendmail_postdrop_close(struct sendmail_postdrop **drop);

/* Collects To:, Cc: and Bcc: addresses of the header section (for -t). */
struct sendmail_header;
struct sendmail_header *sendmail_header_new(void);
/* One content line (a piece when partial); false once the headers ended. */
bool sendmail_header_line(struct sendmail_header *hdr, const char *line, size_t len, bool partial);
/* The number of recipient addresses seen; frees *hdr. */
size_t sendmail_header_finish(struct sendmail_header **hdr);

/* Queues one message from standard input through postdrop; fatal on failure. */
void sendmail_enqueue(const struct sendmail_opts *opts);

/* The other modes: run newaliases, postqueue -p, postfix start, or flush. */
_Noreturn void sendmail_run_mode(const struct sendmail_opts *opts);

#endif
