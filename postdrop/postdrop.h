/*
 * postdrop - private state of the maildrop posting command.
 */
#ifndef POSTERN_POSTDROP_POSTDROP_H
#define POSTERN_POSTDROP_POSTDROP_H

#include <stdbool.h>

#include "mail/queue_id.h"

/* The maildrop file being written. */
struct postdrop_file {
	char temp_path[64]; /* maildrop/T<pid>.<usec>: not a queue id, pickup skips it */
	char queue_id[QUEUE_ID_SIZE];
	int fd;
	struct queue_file_writer *writer;
};

/*
 * Start-up: options (-c DIR, -r, -v), configuration, the
 * authorized_submit_users check and chdir to queue_directory; fatal on
 * any problem.  Returns true with -r.
 */
bool postdrop_init(int argc, char **argv);

/* Creates the temporary file in maildrop/ and picks the queue id. */
void postdrop_file_create(struct postdrop_file *file);

/* Copies standard input through the maildrop parser into the file; fatal on bad input. */
void postdrop_copy(struct postdrop_file *file, int in_fd);

/* fsyncs, marks complete (0744) and renames the file to its queue id. */
void postdrop_file_finish(struct postdrop_file *file);

/* Removes the temporary file (fatal paths and signals). */
void postdrop_file_remove(void);

/* -r: tells the caller protocol=postdrop_protocol and the queue id on standard output. */
void postdrop_report_queue_id(const char *queue_id);

/* -r: tells the caller status=0 and an empty reason. */
void postdrop_report_done(void);

/* Wakes pickup; a pickup that does not listen is a warning only. */
void postdrop_wake_pickup(void);

#endif
