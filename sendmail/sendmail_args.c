/*
 * sendmail_args - Sendmail's command line as Postfix reads it: the
 * options Postfix honours, the ones it ignores (-G -h -L -m -n -O -U -X
 * -B and most -o and -A forms), and the modes (-b, -I, -q).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/dsn.h"
#include "sendmail.h"
#include "util/msg.h"

/* The -N list: "never" or any of success, delay, failure (commas or spaces). */
static int sendmail_args_notify(const char *text)
{
	char *copy = strdup(text);
	char *save = NULL;
	int bits = 0;

	for (char *word = strtok_r(copy, ", \t", &save); word != NULL;
	     word = strtok_r(NULL, ", \t", &save)) {
		if (strcasecmp(word, "never") == 0)
			bits |= DSN_NOTIFY_NEVER;
		else if (strcasecmp(word, "success") == 0)
			bits |= DSN_NOTIFY_SUCCESS;
		else if (strcasecmp(word, "delay") == 0)
			bits |= DSN_NOTIFY_DELAY;
		else if (strcasecmp(word, "failure") == 0)
			bits |= DSN_NOTIFY_FAILURE;
		else
			bits = -1;
	}
	free(copy);
	if (bits <= 0 || ((bits & DSN_NOTIFY_NEVER) && bits != DSN_NOTIFY_NEVER))
		msg_fatal_status(75, "bad -N option value: %s", text);
	return bits;
}

/* -b MODE. */
static void sendmail_args_mode(const char *mode, struct sendmail_opts *opts)
{
	if (strcmp(mode, "m") == 0)
		opts->mode = SENDMAIL_ENQUEUE;
	else if (strcmp(mode, "i") == 0)
		opts->mode = SENDMAIL_NEWALIASES;
	else if (strcmp(mode, "p") == 0)
		opts->mode = SENDMAIL_MAILQ;
	else if (strcmp(mode, "s") == 0)
		opts->mode = SENDMAIL_SMTP;
	else if (strcmp(mode, "d") == 0 || strcmp(mode, "l") == 0)
		opts->mode = SENDMAIL_DAEMON;
	else
		msg_fatal_status(75, "unsupported: -b%s", mode);
}

/* -o OPTION: -oi as -i; "-o x value" swallows the value; the rest is ignored. */
static void sendmail_args_o(const char *option, int argc, char **argv, struct sendmail_opts *opts)
{
	if (strcmp(option, "i") == 0)
		opts->dot_ends = false;
	else if (option[0] != 0 && option[1] == 0 && strchr("78m", option[0]) == NULL &&
	         optind < argc)
		optind++;
}

/* -q: flush; -qINTERVAL is ignored; -qR, -qS and -qI need postqueue. */
static void sendmail_args_q(const char *arg, struct sendmail_opts *opts)
{
	if (arg == NULL || arg[0] == 0)
		opts->mode = SENDMAIL_FLUSH;
	else if (arg[0] < '0' || arg[0] > '9')
		msg_fatal_status(75, "unsupported: -q%s (no postqueue command yet)", arg);
}

void sendmail_args(int argc, char **argv, struct sendmail_opts *opts)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int opt;

	memset(opts, 0, sizeof(*opts));
	opts->dot_ends = true;
	if (strcmp(name, "mailq") == 0)
		opts->mode = SENDMAIL_MAILQ;
	else if (strcmp(name, "newaliases") == 0)
		opts->mode = SENDMAIL_NEWALIASES;
	while ((opt = getopt(argc, argv, "+A:B:C:F:GIL:N:O:R:UV:X:b:e:f:h:imno:p:q::r:tv")) != -1) {
		switch (opt) {
		case 'C':
			opts->config_dir = optarg;
			break;
		case 'F':
			opts->full_name = optarg;
			break;
		case 'I':
			opts->mode = SENDMAIL_NEWALIASES;
			break;
		case 'N':
			opts->notify = sendmail_args_notify(optarg);
			break;
		case 'R':
			if (strcasecmp(optarg, "full") == 0)
				opts->ret = DSN_RET_FULL;
			else if (strcasecmp(optarg, "hdrs") == 0)
				opts->ret = DSN_RET_HDRS;
			else
				msg_fatal_status(75, "bad -R option value: %s", optarg);
			break;
		case 'V':
			opts->envid = optarg;
			break;
		case 'b':
			sendmail_args_mode(optarg, opts);
			break;
		case 'f':
		case 'r':
			opts->sender = optarg;
			break;
		case 'i':
			opts->dot_ends = false;
			break;
		case 'o':
			sendmail_args_o(optarg, argc, argv, opts);
			break;
		case 'q':
			sendmail_args_q(optarg, opts);
			break;
		case 't':
			opts->extract = true;
			break;
		case 'v':
			msg_verbose++;
			break;
		case '?':
			msg_fatal_status(75, "usage: sendmail [options] [recipient...]");
		default: /* -A -B -G -L -O -U -X -e -h -m -n -p: accepted and ignored */
			break;
		}
	}
	opts->recipients = argv + optind;
}
