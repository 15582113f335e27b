/*
 * NAME
 *	test_cleanup_client - submit one message to cleanup for the tests
 * SYNOPSIS
 *	test_cleanup_client [-a] [-f flags] [-l piece] [-t timeout] socket
 * DESCRIPTION
 *	Reads an envelope and a message from standard input and hands them
 *	to the cleanup service at socket with lib/mail/cleanup_client.h.
 *	The envelope lines come first, fields separated by tabs:
 *	  S<TAB>sender
 *	  A<TAB>name<TAB>value
 *	  R<TAB>recipient[<TAB>orcpt[<TAB>notify]]   (orcpt "-" for none)
 *	then an empty line, then the message, one line per line (LF or
 *	CRLF ends a line; the ending is not sent).  Lines longer than
 *	piece bytes (-l, default 1000000) go as partial pieces.
 *	After the open the queue id is printed and flushed ("queue_id: ID"),
 *	so a test can act while the message is still being received; at the
 *	end "status: N" and "reason: TEXT" are printed.
 *	-a aborts (cleanup_client_abort) instead of finishing, after the
 *	whole input was sent.  -f passes CLEANUP_FLAG_* bits.
 * PROTOCOL
 *	None of its own: the client side of cleanup's.
 * PARAMETERS
 *	None; no configuration is read.
 * LOG LINES
 *	None; errors go to standard error, exit status 1.
 * SECURITY
 *	Test only; never installed.
 * SEE ALSO
 *	lib/mail/cleanup_client.h, cleanup/main.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/cleanup_client.h"
#include "util/msg.h"
#include "util/strbuf.h"

static void client_envelope_line(struct cleanup_client *client, char *line)
{
	char *fields[4] = {NULL, NULL, NULL, NULL};
	int n = 0;
	char *save = NULL;

	for (char *f = strtok_r(line, "\t", &save); f && n < 4; f = strtok_r(NULL, "\t", &save))
		fields[n++] = f;
	if (n >= 2 && strcmp(fields[0], "S") == 0)
		cleanup_client_sender(client, fields[1]);
	else if (n >= 2 && strcmp(fields[0], "A") == 0)
		cleanup_client_attr(client, fields[1], fields[2] ? fields[2] : "");
	else if (n >= 2 && strcmp(fields[0], "R") == 0)
		cleanup_client_recipient(client, fields[1],
		                         fields[2] && strcmp(fields[2], "-") ? fields[2] : NULL,
		                         fields[3] ? atoi(fields[3]) : 0);
	else if (n >= 2 && strcmp(fields[0], "S0") == 0)
		cleanup_client_sender(client, "");
	else
		msg_fatal("bad envelope line");
}

/* Sends one message line, in pieces of at most piece bytes. */
static void client_content(struct cleanup_client *client, const char *line, size_t len,
                           size_t piece)
{
	while (len > piece) {
		cleanup_client_content(client, line, piece, true);
		line += piece;
		len -= piece;
	}
	cleanup_client_content(client, line, len, false);
}

int main(int argc, char **argv)
{
	struct cleanup_client *client;
	const char *error;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int flags = 0, timeout = 30, opt;
	size_t piece = 1000000;
	int abort_it = 0;
	int status;

	msg_init("test_cleanup_client");
	while ((opt = getopt(argc, argv, "af:l:t:")) != -1) {
		if (opt == 'a')
			abort_it = 1;
		else if (opt == 'f')
			flags = atoi(optarg);
		else if (opt == 'l')
			piece = (size_t)atol(optarg);
		else if (opt == 't')
			timeout = atoi(optarg);
		else
			msg_fatal("usage: test_cleanup_client [-a] [-f flags] [-l piece] socket");
	}
	if (optind + 1 != argc)
		msg_fatal("usage: test_cleanup_client [-a] [-f flags] [-l piece] socket");
	if ((client = cleanup_client_open(argv[optind], flags, timeout, &error)) == NULL)
		msg_fatal("%s", error);
	printf("queue_id: %s\n", cleanup_client_queue_id(client));
	fflush(stdout);
	while ((len = getline(&line, &cap, stdin)) > 0 && line[0] != '\n') {
		line[strcspn(line, "\n")] = 0;
		client_envelope_line(client, line);
	}
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		client_content(client, line, (size_t)len, piece);
	}
	free(line);
	if (abort_it) {
		cleanup_client_abort(&client);
		printf("aborted\n");
		return 0;
	}
	status = cleanup_client_finish(&client, &error);
	printf("status: %d\nreason: %s\n", status, error);
	return 0;
}
