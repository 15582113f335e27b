/*
 * cleanup_queue - the queue file's life inside cleanup (docs/queue.md,
 * states 2 to 5): create it under a temporary name, rename it to its
 * queue id, and at the end fix up the size record, make it durable, set
 * the completion mark, or remove it.  The order of the durability steps
 * is the whole point: content on disk, then the mark, then the mark and
 * the name on disk, then (in cleanup_service.c) the OK.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config/params.h"
#include "mail/cleanup_client.h"
#include "server/master_proto.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/safe_open.h"
#include "util/sock.h"

#define CLEANUP_QUEUE_INCOMING "incoming"
#define CLEANUP_QUEUE_HOLD "hold"
#define CLEANUP_MODE_WRITING 0600
#define CLEANUP_MODE_COMPLETE 0700

struct cleanup_state *cleanup_state_new(int flags)
{
	struct cleanup_state *state = xcalloc(1, sizeof(*state));

	state->flags = flags;
	state->fd = -1;
	state->path = strbuf_new(STRBUF_UNLIMITED);
	state->rcpt_seen = argv_new();
	state->pending = strbuf_new(STRBUF_UNLIMITED);
	state->header = strbuf_new(STRBUF_UNLIMITED);
	state->extracted = argv_new();
	state->line_start = true;
	return state;
}

void cleanup_state_free(struct cleanup_state **state)
{
	struct cleanup_state *s = *state;

	if (s == NULL)
		return;
	queue_file_writer_free(&s->writer);
	if (s->fd >= 0)
		close(s->fd);
	strbuf_free(&s->path);
	argv_free(&s->rcpt_seen);
	strbuf_free(&s->pending);
	strbuf_free(&s->header);
	argv_free(&s->extracted);
	free(s->sender);
	free(s);
	*state = NULL;
}

/* Renames the temporary file to its queue id, taking a new time stamp on a clash. */
static bool cleanup_queue_name(struct cleanup_state *state, const char *temp, ino_t ino)
{
	for (int attempt = 0; attempt < 1000; attempt++) {
		gettimeofday(&state->arrival, NULL);
		queue_id_make(state->queue_id, cleanup_long_queue_ids, (long)state->arrival.tv_sec,
		              (long)state->arrival.tv_usec, ino);
		strbuf_reset(state->path);
		strbuf_printf(state->path, "%s/%s", CLEANUP_QUEUE_INCOMING, state->queue_id);
		if (renameat2(AT_FDCWD, temp, AT_FDCWD, state->path->data, RENAME_NOREPLACE) == 0)
			return true;
		if (errno != EEXIST)
			break;
	}
	msg_warn("rename %s to %s: %m", temp, state->path->data);
	strbuf_reset(state->path);
	return false;
}

bool cleanup_queue_create(struct cleanup_state *state, const char **error_r)
{
	char temp[64];
	struct timeval now;
	struct stat st;
	const char *error;

	gettimeofday(&now, NULL);
	snprintf(temp, sizeof(temp), "%s/t%ld.%06ld", CLEANUP_QUEUE_INCOMING, (long)getpid(),
	         (long)now.tv_usec);
	state->fd = safe_open_create(temp, O_RDWR, CLEANUP_MODE_WRITING, SAFE_OPEN_ANY_UID,
	                             SAFE_OPEN_ANY_GID, &st, &error);
	if (state->fd < 0) {
		msg_warn("create queue file: %s", error);
		*error_r = "Error writing message file";
		return false;
	}
	if (!cleanup_queue_name(state, temp, st.st_ino)) {
		unlink(temp);
		*error_r = "Error writing message file";
		return false;
	}
	state->writer = queue_file_writer_new(state->fd);
	queue_file_printf(state->writer, QUEUE_REC_SIZE, QUEUE_REC_SIZE_FORMAT, 0L, 0L, 0L, 0L, 0L,
	                  0L);
	queue_file_printf(state->writer, QUEUE_REC_TIME, "%ld %ld", (long)state->arrival.tv_sec,
	                  (long)state->arrival.tv_usec);
	queue_file_printf(state->writer, QUEUE_REC_ATTR, "create_time=%ld",
	                  (long)state->arrival.tv_sec);
	return true;
}

/* fsync(2) of the directory that holds path, so that its new name survives a crash. */
static bool cleanup_queue_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok = fd >= 0 && fsync(fd) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

/* Rewrites the fixed-width size and message-start records with the final numbers. */
static bool cleanup_queue_fixup(struct cleanup_state *state)
{
	char size[QUEUE_REC_SIZE_LEN + 1];
	char mesg[32];

	snprintf(size, sizeof(size), QUEUE_REC_SIZE_FORMAT,
	         (long)(state->xtra_offset - state->data_offset), (long)state->data_offset,
	         state->rcpt_count, 0L, state->cont_length, 0L);
	snprintf(mesg, sizeof(mesg), QUEUE_REC_MESG_FORMAT, (long)state->xtra_offset);
	return queue_file_rewrite(state->writer, 0, QUEUE_REC_SIZE, size, strlen(size)) &&
	       queue_file_rewrite(state->writer, state->mesg_offset, QUEUE_REC_MESG, mesg,
	                          strlen(mesg));
}

/* Moves a complete file to hold/ (CLEANUP_FLAG_HOLD). */
static bool cleanup_queue_hold(struct cleanup_state *state)
{
	struct strbuf *target = strbuf_new(STRBUF_UNLIMITED);
	bool ok;

	strbuf_printf(target, "%s/%s", CLEANUP_QUEUE_HOLD, state->queue_id);
	ok = rename(state->path->data, target->data) == 0;
	if (ok)
		strbuf_set(state->path, target->data);
	else
		msg_warn("rename %s to %s: %m", state->path->data, target->data);
	strbuf_free(&target);
	return ok && cleanup_queue_sync_dir(CLEANUP_QUEUE_HOLD);
}

bool cleanup_queue_finish(struct cleanup_state *state)
{
	bool ok = queue_file_put(state->writer, QUEUE_REC_END, "", 0) &&
	          cleanup_queue_fixup(state) && queue_file_flush(state->writer) &&
	          fdatasync(state->fd) == 0 && fchmod(state->fd, CLEANUP_MODE_COMPLETE) == 0 &&
	          fsync(state->fd) == 0 && cleanup_queue_sync_dir(CLEANUP_QUEUE_INCOMING);

	if (!ok) {
		msg_warn("%s: write queue file: %m", state->queue_id);
		cleanup_fail(state, CLEANUP_STAT_WRITE);
		return false;
	}
	if ((state->flags & CLEANUP_FLAG_HOLD) && !cleanup_queue_hold(state)) {
		cleanup_fail(state, CLEANUP_STAT_WRITE);
		return false;
	}
	return true;
}

void cleanup_queue_remove(struct cleanup_state *state)
{
	if (state->path->len > 0 && unlink(state->path->data) < 0 && errno != ENOENT)
		msg_warn("remove %s: %m", state->path->data);
	strbuf_reset(state->path);
}

/* Writes the scan trigger to qmgr's socket or fifo; a missing qmgr is not an error. */
void cleanup_queue_trigger(void)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	const char *error;
	const char trigger = MASTER_TRIGGER_SCAN;
	struct stat st;
	int fd = -1;

	strbuf_printf(path, "public/%s", var_queue_service_name);
	if (stat(path->data, &st) < 0) {
		strbuf_free(&path);
		return;
	}
	if (S_ISSOCK(st.st_mode))
		fd = sock_unix_connect(path->data, 1, &error);
	else if (S_ISFIFO(st.st_mode))
		fd = open(path->data, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || write(fd, &trigger, 1) != 1)
		msg_warn("trigger %s: %m", path->data);
	if (fd >= 0)
		close(fd);
	strbuf_free(&path);
}
