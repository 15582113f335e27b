/*
 * queue_id - queue file names (docs/queue.md, "Queue ids").
 *
 * Short ids are Postfix's default: the arrival microsecond as five
 * upper-case hex digits followed by the inode number in upper-case hex
 * ("4C6E82A0C1").  Long ids (enable_long_queue_ids = yes) encode the
 * arrival second, the microsecond, the separator 'z' and the inode in a
 * 52-character alphabet without vowels ("3Pt2mN2VXxznjll").  Neither
 * form ever contains ':' or whitespace, so "QUEUEID: ..." log lines split
 * unambiguously.
 */
#ifndef POSTERN_MAIL_QUEUE_ID_H
#define POSTERN_MAIL_QUEUE_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room for the longest id of either form, with its NUL. */
#define QUEUE_ID_SIZE 40

/*
 * Writes the id of a file with inode ino that arrived at sec.usec into
 * buf (QUEUE_ID_SIZE bytes); long selects the long form.  usec must be
 * below 1000000.
 */
void queue_id_make(char *buf, bool long_form, long sec, long usec, ino_t ino);

/*
 * True when name has the shape of a short or a long queue id, so
 * scanners skip temporary and foreign files; a short id is six or more
 * upper-case hex digits, a long one has the long alphabet and exactly
 * one 'z' after at least ten characters.
 */
bool queue_id_valid(const char *name);

#endif
