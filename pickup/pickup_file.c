/*
 * pickup_file - one maildrop file to cleanup, in two passes over the
 * same descriptor.  The first pass checks the whole file with the
 * maildrop parser and learns the sender and whether sendmail -t asked
 * for header recipients (cleanup needs both before anything else); a
 * malformed file goes to corrupt/ without cleanup seeing a byte.  The
 * second pass streams the records to cleanup, through the parser again
 * because the submitting user owns the file and could change it in
 * between.  The file is removed only after cleanup's OK.
 *
 * What goes to cleanup: the sender; the attributes rewrite_context,
 * envelope_id and ret_flags; recipients with the notify_flags and
 * ORCPT records that precede them; the content lines.  Other attributes
 * are the user's inventions and are dropped, as are the arrival time
 * and the full name (cleanup has no record for either yet).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/params.h"
#include "mail/cleanup_client.h"
#include "mail/maildrop.h"
#include "mail/queue_id.h"
#include "pickup.h"
#include "util/msg.h"
#include "util/safe_open.h"
#include "util/strbuf.h"

#define PICKUP_FLAGS (CLEANUP_FLAG_LOCAL | CLEANUP_FLAG_MAP_OK | CLEANUP_FLAG_FILTER)
#define PICKUP_STAT_TEMP (CLEANUP_STAT_WRITE | CLEANUP_STAT_DEFER)

/* What the passes learn and carry. */
struct pickup_state {
	struct strbuf *sender;
	bool have_sender;
	bool extract;
	struct cleanup_client *client; /* second pass only */
	struct strbuf *text;           /* a NUL-terminated copy of a payload */
	struct strbuf *orcpt;
	long notify;
};

/* The payload as a C string (envelope payloads hold no NUL: the parser checks). */
static const char *pickup_text(struct pickup_state *state, const struct queue_file_record *rec)
{
	strbuf_reset(state->text);
	strbuf_append(state->text, rec->data, rec->len);
	return strbuf_str(state->text);
}

/* First pass: the sender and the extract request. */
static bool pickup_learn(const struct queue_file_record *rec, void *context, const char **error_r)
{
	struct pickup_state *state = context;

	if (rec->type == QUEUE_REC_FROM) {
		strbuf_append(state->sender, rec->data, rec->len);
		state->have_sender = true;
	} else if (rec->type == QUEUE_REC_ATTR &&
	           strcmp(pickup_text(state, rec), MAILDROP_ATTR_EXTRACT "=yes") == 0) {
		state->extract = true;
	}
	return true;
}

/* A named attribute in the second pass. */
static void pickup_attr(struct pickup_state *state, const struct queue_file_record *rec)
{
	char *name = (char *)pickup_text(state, rec);
	char *value = strchr(name, '=');

	*value++ = 0;
	if (strcmp(name, "notify_flags") == 0)
		state->notify = strtol(value, NULL, 10) & 15;
	else if (strcmp(name, "rewrite_context") == 0 || strcmp(name, "envelope_id") == 0 ||
	         strcmp(name, "ret_flags") == 0)
		cleanup_client_attr(state->client, name, value);
}

/* Second pass: each record to cleanup. */
static bool pickup_send(const struct queue_file_record *rec, void *context, const char **error_r)
{
	struct pickup_state *state = context;

	switch (rec->type) {
	case QUEUE_REC_ATTR:
		pickup_attr(state, rec);
		break;
	case QUEUE_REC_DSN_ORCPT:
		strbuf_reset(state->orcpt);
		strbuf_append(state->orcpt, rec->data, rec->len);
		break;
	case QUEUE_REC_RCPT:
		cleanup_client_recipient(state->client, pickup_text(state, rec),
		                         strbuf_len(state->orcpt) ? strbuf_str(state->orcpt) : NULL,
		                         (int)state->notify);
		strbuf_reset(state->orcpt);
		break;
	case QUEUE_REC_NORM:
	case QUEUE_REC_CONT:
		cleanup_client_content(state->client, rec->data, rec->len,
		                       rec->type == QUEUE_REC_CONT);
		break;
	default: /* T, F, S (sent first), i, <, n, O, M, X, E */
		break;
	}
	return true;
}

/* One pass over fd from its start; NULL or why the file is malformed. */
static const char *pickup_pass(int fd, maildrop_record_fn fn, struct pickup_state *state)
{
	struct maildrop_parser *parser = maildrop_parser_new(MAILDROP_FROM_FILE);
	const char *error = NULL;
	char buf[8192];
	ssize_t got;
	bool ok = lseek(fd, 0, SEEK_SET) == 0;

	if (!ok)
		error = "seek failed";
	while (ok && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			error = "read error";
			ok = false;
		} else {
			ok = maildrop_parser_feed(parser, buf, (size_t)got, fn, state, &error);
		}
	}
	if (ok)
		ok = maildrop_parser_finish(parser, &error);
	maildrop_parser_free(&parser);
	return ok ? NULL : error;
}

/* Streams the checked file to cleanup and acts on the verdict. */
static enum pickup_result pickup_queue(const char *name, int fd, uid_t uid,
                                       struct pickup_state *state)
{
	int flags = PICKUP_FLAGS | (state->extract ? CLEANUP_FLAG_EXTRACT : 0);
	const char *error, *reason;
	char path[256], queue_id[QUEUE_ID_SIZE];
	int status;

	state->client = cleanup_client_open("public/cleanup", flags, (int)var_ipc_timeout, &error);
	if (state->client == NULL) {
		msg_warn("%s", error);
		return PICKUP_RETRY;
	}
	cleanup_client_sender(state->client, strbuf_str(state->sender));
	if ((error = pickup_pass(fd, pickup_send, state)) != NULL) {
		cleanup_client_abort(&state->client);
		pickup_corrupt(name, error);
		return PICKUP_DONE;
	}
	snprintf(queue_id, sizeof(queue_id), "%s", cleanup_client_queue_id(state->client));
	status = cleanup_client_finish(&state->client, &reason);
	if (status & PICKUP_STAT_TEMP) {
		msg_warn("maildrop/%s: cleanup failed: %s", name, reason);
		return PICKUP_RETRY;
	}
	if (status != CLEANUP_STAT_OK) {
		pickup_corrupt(name, reason[0] ? reason : "refused by cleanup");
		return PICKUP_DONE;
	}
	msg_info("%s: uid=%ld from=<%s>", queue_id, (long)uid, strbuf_str(state->sender));
	snprintf(path, sizeof(path), "maildrop/%s", name);
	if (unlink(path) < 0)
		msg_warn("remove %s: %m", path);
	return PICKUP_DONE;
}

enum pickup_result pickup_file(const char *name)
{
	struct pickup_state state = {0};
	enum pickup_result result = PICKUP_SKIPPED;
	const char *error;
	char path[256];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "maildrop/%s", name);
	if ((fd = safe_open_existing(path, O_RDONLY, SAFE_OPEN_ANY_UID, &st, &error)) < 0) {
		msg_warn("%s", error);
		return PICKUP_SKIPPED;
	}
	if ((st.st_mode & S_IXUSR) == 0) {
		close(fd);
		return PICKUP_SKIPPED;
	}
	state.sender = strbuf_new(MAILDROP_RECORD_MAX);
	state.text = strbuf_new(MAILDROP_RECORD_MAX + 1);
	state.orcpt = strbuf_new(MAILDROP_RECORD_MAX);
	if ((error = pickup_pass(fd, pickup_learn, &state)) != NULL) {
		pickup_corrupt(name, error);
		result = PICKUP_DONE;
	} else {
		result = pickup_queue(name, fd, st.st_uid, &state);
	}
	close(fd);
	strbuf_free(&state.sender);
	strbuf_free(&state.text);
	strbuf_free(&state.orcpt);
	return result;
}
