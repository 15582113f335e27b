/*
 * cleanup.h - the state of the one message a cleanup process is
 * receiving, shared by the cleanup_*.c files.
 */
#ifndef POSTERN_CLEANUP_CLEANUP_H
#define POSTERN_CLEANUP_CLEANUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>
#include <sys/types.h>

#include "mail/queue_file.h"
#include "mail/queue_id.h"
#include "util/argv.h"
#include "util/stream.h"
#include "util/strbuf.h"

/* Where the message is in its content. */
enum cleanup_part {
	CLEANUP_PART_ENVELOPE, /* no content yet */
	CLEANUP_PART_HEADERS,
	CLEANUP_PART_BODY,
};

struct cleanup_state {
	int flags;  /* CLEANUP_FLAG_* */
	int status; /* CLEANUP_STAT_* bits so far */
	char queue_id[QUEUE_ID_SIZE];
	struct strbuf *path; /* incoming/QUEUEID, relative to queue_directory */
	int fd;
	struct queue_file_writer *writer;
	struct timeval arrival;
	bool sender_seen;
	char *sender;
	long rcpt_count;
	struct argv *rcpt_seen; /* "orcpt\nrecipient" keys, for the duplicate filter */
	off_t mesg_offset;      /* the M record */
	off_t data_offset;      /* the first content record */
	off_t xtra_offset;      /* the X record */
	long cont_length;       /* content bytes as delivered */
	/* Header processing (cleanup_message.c). */
	enum cleanup_part part;
	bool line_start;        /* the next content piece starts a line */
	struct strbuf *pending; /* encoded records of the header being collected */
	struct strbuf *header;  /* its text, unfolded pieces joined, for inspection */
	bool header_spilled;    /* too long: written as is, not inspected */
	bool seen_message_id, seen_date, seen_from;
	int hop_count;
	struct argv *extracted; /* recipients from To/Cc/Bcc (CLEANUP_FLAG_EXTRACT) */
};

/* cleanup_init.c: start-up. */
extern bool cleanup_long_queue_ids;
extern bool cleanup_always_add_headers;
extern struct argv *cleanup_drop_headers; /* message_drop_headers */
void cleanup_post_init(const char *service_name, char **argv);

/* cleanup_queue.c: the queue file. */
struct cleanup_state *cleanup_state_new(int flags);
void cleanup_state_free(struct cleanup_state **state);
bool cleanup_queue_create(struct cleanup_state *state, const char **error_r);
bool cleanup_queue_finish(struct cleanup_state *state);
void cleanup_queue_remove(struct cleanup_state *state);
void cleanup_queue_trigger(void);

/* cleanup_envelope.c: envelope records. */
void cleanup_envelope_sender(struct cleanup_state *state, const char *sender);
void cleanup_envelope_attr(struct cleanup_state *state, const char *name, const char *value);
void cleanup_envelope_recipient(struct cleanup_state *state, const char *recipient,
                                const char *orcpt, long notify);
/* A recipient found in the headers, written in the extracted segment. */
void cleanup_envelope_extracted(struct cleanup_state *state, const char *recipient);

/* cleanup_message.c: content. */
void cleanup_message_line(struct cleanup_state *state, const char *data, size_t len, bool partial);
void cleanup_message_end(struct cleanup_state *state);

/* cleanup_service.c: the protocol. */
void cleanup_service(struct stream *client, const char *service_name, char **argv);

/* Marks the message failed with status bits (the first reason wins). */
void cleanup_fail(struct cleanup_state *state, int status);

#endif
