/*
 * postdrop_copy - standard input to the maildrop file, one validated
 * record at a time.  The input is the submitting user's: a malformed
 * stream is refused before the file is marked complete, so pickup never
 * sees it.
 */
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

#include "mail/maildrop.h"
#include "mail/queue_file.h"
#include "postdrop.h"
#include "util/msg.h"

static bool postdrop_copy_record(const struct queue_file_record *rec, void *context,
                                 const char **error_r)
{
	struct postdrop_file *file = context;

	if (!queue_file_put(file->writer, rec->type, rec->data, rec->len)) {
		*error_r = "error writing the maildrop file";
		return false;
	}
	return true;
}

void postdrop_copy(struct postdrop_file *file, int in_fd)
{
	struct maildrop_parser *parser = maildrop_parser_new(MAILDROP_FROM_SENDMAIL);
	const char *error = NULL;
	char buf[8192];
	ssize_t got;
	bool ok = true;

	while (ok && (got = read(in_fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			msg_fatal("read standard input: %m");
		ok = maildrop_parser_feed(parser, buf, (size_t)got, postdrop_copy_record, file,
		                          &error);
	}
	if (ok)
		ok = maildrop_parser_finish(parser, &error);
	maildrop_parser_free(&parser);
	if (!ok)
		msg_fatal("uid=%ld: malformed input: %s", (long)getuid(), error);
}
