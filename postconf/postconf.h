/*
 * postconf - private state shared by the postconf source files.
 */
#ifndef POSTERN_POSTCONF_POSTCONF_H
#define POSTERN_POSTCONF_POSTCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "config/conf.h"

/* Display flags (the options that shape main.cf output). */
#define POSTCONF_DEFAULTS (1 << 0) /* -d */
#define POSTCONF_NONDEF (1 << 1)   /* -n */
#define POSTCONF_NO_NAME (1 << 2)  /* -h */
#define POSTCONF_EXPAND (1 << 3)   /* -x */
#define POSTCONF_FOLD (1 << 4)     /* -f */

/* What the command line asked for. */
struct postconf {
	const char *dir;  /* configuration directory */
	bool dir_chosen;  /* from -c or MAIL_CONFIG, shown by -n */
	int flags;        /* POSTCONF_* */
	char master;      /* 'M', 'F' or 'P' for the master.cf options, else 0 */
	char **overrides; /* -o name=value, in order */
	size_t override_count;
	char **names; /* the operands */
	size_t name_count;
};

/* Prints main.cf parameters as the flags and names ask; returns the exit status. */
int postconf_show(const struct postconf *pc);

/* -e: applies name=value operands to main.cf; fatal on error. */
void postconf_edit_set(const struct postconf *pc);

/* -X (comment false) or -# (comment true) on the named parameters. */
void postconf_edit_remove(const struct postconf *pc, bool comment);

/*
 * -M, -F or -P (pc->master) with how 0 (show) or the editing option 'e',
 * 'X' or '#'; returns the exit status.  Requests that match nothing
 * are warnings, as in Postfix.
 */
int postconf_master(const struct postconf *pc, char how);

/* -m: the lookup table types this build has. */
void postconf_info_tables(void);

/* -l: the mailbox locking methods lib/util/lock implements. */
void postconf_info_locks(void);

/* -T: TLS library facts; returns the exit status. */
int postconf_info_tls(const char *mode);

#endif
