/*
 * NAME
 *	postcat - show the contents of queue files
 * SYNOPSIS
 *	postcat [-bdehoqv] [-c config_dir] [files...]
 * DESCRIPTION
 *	Prints each named queue file (standard input without names) in
 *	human-readable form, in Postfix's layout: "*** ENVELOPE RECORDS
 *	NAME ***", one "name: value" line per envelope record
 *	(message_size, message_arrival_time, create_time, named_attribute,
 *	sender, dsn_original_recipient, dsn_notify_flags,
 *	original_recipient, recipient, done_recipient, ...), "*** MESSAGE
 *	CONTENTS NAME ***", the message, "*** HEADER EXTRACTED NAME ***"
 *	with the extracted records, and "*** MESSAGE FILE END NAME ***".
 *	Without -b, -e or -h it shows all three (-beh).
 *
 *	-b  the body: from the first line that is not a header
 *	-c config_dir  read main.cf there (for queue_directory)
 *	-d  print the decimal type of each record
 *	-e  the envelope and the segment banners
 *	-h  the headers: up to the first line that is not a header
 *	-o  print the file offset of each record (each record on its own line)
 *	-q  the names are queue ids: search incoming, active, deferred,
 *	    hold and maildrop under queue_directory
 *	-v  more verbose logging
 *
 *	The record format is documented in docs/queue.md; this program
 *	also reads Postfix's queue files, and Postfix's postcat reads ours.
 * PROTOCOL
 *	None: reads files.
 * PARAMETERS
 *	config_directory (build default) where main.cf is
 *	queue_directory (build default) where -q searches
 * LOG LINES
 *	warning: NAME: REASON at offset N   a malformed or truncated file
 *	warning: ID: not found in the queue (-q)
 *	Exit status 0 when every file was printed whole, 1 otherwise, 64
 *	(EX_USAGE) for a bad command line.  Postfix's postcat exits 0 for a
 *	file that is not a queue file; this one exits 1.
 * SECURITY
 *	Needs read access to the queue; a hostile file can only produce a
 *	warning (every record length is checked before use).
 * SEE ALSO
 *	docs/queue.md, lib/mail/queue_file.h, cleanup(8), Postfix's postcat(1)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "postcat.h"
#include "util/msg.h"
#include "util/strbuf.h"

static const char *const postcat_queues[] = {"incoming", "active", "deferred", "hold", "maildrop"};

/* Opens a queue id in the first queue that holds it; fills path. */
static int postcat_open_queued(const char *id, struct strbuf *path)
{
	for (size_t i = 0; i < sizeof(postcat_queues) / sizeof(postcat_queues[0]); i++) {
		int fd;

		strbuf_reset(path);
		strbuf_printf(path, "%s/%s/%s", var_queue_directory, postcat_queues[i], id);
		if (strchr(id, '/') == NULL && (fd = open(path->data, O_RDONLY | O_CLOEXEC)) >= 0) {
			strbuf_reset(path);
			strbuf_printf(path, "%s/%s", postcat_queues[i], id);
			return fd;
		}
	}
	msg_warn("%s: not found in the queue", id);
	return -1;
}

static bool postcat_one(const char *name, bool queued, int flags)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	int fd = queued ? postcat_open_queued(name, path) : open(name, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0;

	if (fd < 0 && !queued)
		msg_warn("open %s: %m", name);
	if (fd >= 0) {
		ok = postcat_print(fd, queued ? path->data : name, flags, stdout);
		close(fd);
	}
	strbuf_free(&path);
	return ok;
}

int main(int argc, char **argv)
{
	const char *config_dir = NULL;
	int flags = 0;
	bool queued = false;
	bool ok = true;
	int opt;

	msg_init("postcat");
	while ((opt = getopt(argc, argv, "bc:dehoqv")) != -1) {
		switch (opt) {
		case 'b':
			flags |= POSTCAT_BODY;
			break;
		case 'c':
			config_dir = optarg;
			break;
		case 'd':
			flags |= POSTCAT_TYPE;
			break;
		case 'e':
			flags |= POSTCAT_ENVELOPE;
			break;
		case 'h':
			flags |= POSTCAT_HEADERS;
			break;
		case 'o':
			flags |= POSTCAT_OFFSET;
			break;
		case 'q':
			queued = true;
			break;
		case 'v':
			msg_verbose++;
			break;
		default:
			msg_fatal_status(EX_USAGE,
			                 "usage: postcat [-bdehoqv] [-c config_dir] [files...]");
		}
	}
	if ((flags & (POSTCAT_BODY | POSTCAT_ENVELOPE | POSTCAT_HEADERS)) == 0)
		flags |= POSTCAT_BODY | POSTCAT_ENVELOPE | POSTCAT_HEADERS;
	conf_load(config_dir, NULL, 0);
	if (optind == argc && queued)
		msg_fatal_status(EX_USAGE, "-q requires one or more queue file names");
	if (optind == argc)
		ok = postcat_print(STDIN_FILENO, "-", flags, stdout);
	for (int i = optind; i < argc; i++)
		ok &= postcat_one(argv[i], queued, flags);
	return ok ? 0 : 1;
}
