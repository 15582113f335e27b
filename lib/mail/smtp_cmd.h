/*
 * smtp_cmd - parse what an SMTP client sends on a command line: the
 * verb, the MAIL FROM / RCPT TO path, ESMTP parameters (RFC 5321 4.1.2,
 * RFC 1870 SIZE, RFC 6152 BODY, RFC 3461 DSN with xtext, RFC 6531
 * SMTPUTF8).  Every function takes NUL-terminated text that a peer
 * chose, reads nothing past its end, and reports bad syntax as a return
 * value, never as a fatal error.
 */
#ifndef POSTERN_MAIL_SMTP_CMD_H
#define POSTERN_MAIL_SMTP_CMD_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/*
 * Splits a command line at the first run of spaces: *verb_r is the
 * command word (at most verb_size - 1 bytes, copied into verb), and the
 * return value points at the argument text after the spaces ("" when
 * there is none).  A verb longer than the buffer is cut short, so it
 * matches no command.
 */
const char *smtp_cmd_verb(const char *line, char *verb, size_t verb_size);

/* What smtp_cmd_path() found. */
enum smtp_cmd_path_status {
	SMTP_CMD_PATH_OK,
	SMTP_CMD_PATH_NO_KEYWORD, /* the text does not start with keyword (e.g. "FROM:") */
	SMTP_CMD_PATH_BAD,        /* malformed address */
};

/*
 * Parses "FROM:<address> params" (keyword matched ignoring case, spaces
 * allowed after the colon).  The address may lack its angle brackets, as
 * Postfix allows unless strict_rfc821_envelopes is set.  A source route
 * ("<@a,@b:user@c>") is dropped.  addr receives the address in internal
 * form: the quotes of a quoted local part are removed ("\"a b\"@c" gives
 * "a b@c"); "<>" gives "".  *params_r points at the parameters after
 * the address (leading spaces skipped).
 */
enum smtp_cmd_path_status smtp_cmd_path(const char *text, const char *keyword, struct strbuf *addr,
                                        const char **params_r);

/*
 * Cuts the next "NAME" or "NAME=VALUE" parameter off *cursor (a writable
 * string), NUL-terminating name and value in place; *value_r is NULL for
 * a parameter without "=".  Returns false at the end of the text.
 */
bool smtp_cmd_param(char **cursor, char **name_r, char **value_r);

/*
 * SIZE=value: decimal digits only, no overflow.  False for anything
 * else.
 */
bool smtp_cmd_size(const char *value, long long *size_r);

/*
 * NOTIFY=value: "NEVER" alone, or a comma-separated list of SUCCESS,
 * FAILURE and DELAY (any case).  Returns DSN_NOTIFY_* bits of
 * mail/dsn.h, or 0 for bad syntax.
 */
int smtp_cmd_notify(const char *value);

/*
 * Checks RFC 3461 xtext ("+" followed by two upper-case hex digits
 * encodes one byte; other bytes must be printable ASCII other than "+"
 * and "=") and appends the decoded bytes to out.  False on bad syntax or
 * when out's limit is reached.
 */
bool smtp_cmd_xtext(const char *value, struct strbuf *out);

/*
 * ORCPT=value: "addr-type;xtext" with an atom for addr-type.  Returns
 * false on bad syntax; otherwise out holds "type;decoded-address".
 */
bool smtp_cmd_orcpt(const char *value, struct strbuf *out);

#endif
