/*
 * queue_file - the queue file record format (docs/queue.md, "Record
 * format"): a type byte, the payload length in 7-bit groups (least
 * significant first, high bit = more), and the payload.  The layout is
 * Postfix's, so either side's postcat reads the other's files.
 *
 * The writer buffers records for one descriptor and knows the offset of
 * every record, so cleanup can rewrite fixed-width records (the size
 * record) in place.  The reader never trusts a length: it refuses a
 * record longer than its limit before allocating, a length field longer
 * than five bytes, an unknown type and a file that ends inside a record.
 * The core parser (queue_file_parse) works on a memory buffer so it can
 * be fed any split of the input.
 */
#ifndef POSTERN_MAIL_QUEUE_FILE_H
#define POSTERN_MAIL_QUEUE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

/* Record types (Postfix's letters). */
#define QUEUE_REC_SIZE 'C'       /* six "%15ld" numbers, see docs/queue.md */
#define QUEUE_REC_TIME 'T'       /* arrival "SECONDS USECONDS" */
#define QUEUE_REC_FULLNAME 'F'   /* sender's full name */
#define QUEUE_REC_ATTR 'A'       /* named attribute "name=value" */
#define QUEUE_REC_FROM 'S'       /* envelope sender */
#define QUEUE_REC_DSN_ENVID 'i'  /* DSN ENVID */
#define QUEUE_REC_DSN_RET '<'    /* DSN RET (DSN_RET_*) */
#define QUEUE_REC_DSN_ORCPT 'o'  /* DSN ORCPT "type;address" */
#define QUEUE_REC_DSN_NOTIFY 'n' /* DSN NOTIFY bits, decimal */
#define QUEUE_REC_ORCP 'O'       /* original recipient */
#define QUEUE_REC_RCPT 'R'       /* recipient */
#define QUEUE_REC_DONE 'D'       /* delivered recipient (R overwritten in place) */
#define QUEUE_REC_DRCP '@'       /* deleted recipient */
#define QUEUE_REC_WARN 'W'       /* time of the next delay warning */
#define QUEUE_REC_MESG 'M'       /* start of content: "%15ld" offset of X */
#define QUEUE_REC_NORM 'N'       /* a complete content line */
#define QUEUE_REC_CONT 'L'       /* a partial content line */
#define QUEUE_REC_XTRA 'X'       /* start of the extracted segment */
#define QUEUE_REC_END 'E'        /* end of file */

/* The payload format of the size record, and its fixed length. */
#define QUEUE_REC_SIZE_FORMAT "%15ld %15ld %15ld %15ld %15ld %15ld"
#define QUEUE_REC_SIZE_LEN (6 * 15 + 5)
#define QUEUE_REC_MESG_FORMAT "%15ld"

/* The longest length field: 5 groups of 7 bits. */
#define QUEUE_FILE_LEN_BYTES 5

/* True for a type byte this format knows. */
bool queue_file_type_known(int type);

/*
 * The name postcat prints before a record's payload ("sender",
 * "recipient", ...), or NULL for content and segment records.
 */
const char *queue_file_type_name(int type);

/* Appends one encoded record (header and payload) to out; false when out is full. */
bool queue_file_encode(struct strbuf *out, int type, const void *data, size_t len);

/* What queue_file_parse() found. */
enum queue_file_parse_status {
	QUEUE_FILE_PARSE_ERROR = -1, /* malformed: *error_r says why */
	QUEUE_FILE_PARSE_MORE = 0,   /* the buffer ends inside a record */
	QUEUE_FILE_PARSE_OK = 1,     /* one record; *used_r bytes consumed */
};

/* One parsed record; the payload points into the caller's buffer. */
struct queue_file_record {
	int type;
	const char *data;
	size_t len;
};

/*
 * Parses the record at the start of data[0..len) whose payload may be at
 * most record_max bytes.  On OK fills *rec and *used_r.  The error texts
 * are static.
 */
enum queue_file_parse_status queue_file_parse(const void *data, size_t len, size_t record_max,
                                              struct queue_file_record *rec, size_t *used_r,
                                              const char **error_r);

/* A buffered record writer over a descriptor it does not own. */
struct queue_file_writer;

/* A writer whose first record goes at the descriptor's current offset 0. */
struct queue_file_writer *queue_file_writer_new(int fd);
void queue_file_writer_free(struct queue_file_writer **writer);

/*
 * Adds a record; false (errno set) once a write failed, and for every
 * later call.  data may hold any bytes.
 */
bool queue_file_put(struct queue_file_writer *writer, int type, const void *data, size_t len);
bool queue_file_put_str(struct queue_file_writer *writer, int type, const char *text);
bool queue_file_printf(struct queue_file_writer *writer, int type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The file offset at which the next record will start. */
off_t queue_file_offset(const struct queue_file_writer *writer);

/* Writes out buffered records; false (errno set) on error. */
bool queue_file_flush(struct queue_file_writer *writer);

/*
 * Replaces the payload of the record at offset, whose payload length must
 * be len already (fixed-width records; the type may change, as when a
 * recipient is marked done); flushes first.  False with errno EINVAL when
 * the lengths differ (nothing is written), or with the write's errno.
 */
bool queue_file_rewrite(struct queue_file_writer *writer, off_t offset, int type, const void *data,
                        size_t len);

/* A buffered record reader over a descriptor it does not own. */
struct queue_file_reader;

/* A reader of records with payloads of at most record_max bytes. */
struct queue_file_reader *queue_file_reader_new(int fd, size_t record_max);
void queue_file_reader_free(struct queue_file_reader **reader);

/* What queue_file_read() found. */
enum queue_file_read_status {
	QUEUE_FILE_READ_ERROR = -1, /* malformed, truncated or an I/O error */
	QUEUE_FILE_READ_EOF = 0,    /* end of file between records */
	QUEUE_FILE_READ_OK = 1,
};

/*
 * Reads the next record: its type, its payload copied into payload (whose
 * limit must allow record_max) and its file offset.  On error *error_r
 * is a static text ("unexpected end of file in record", ...).
 */
enum queue_file_read_status queue_file_read(struct queue_file_reader *reader, int *type_r,
                                            struct strbuf *payload, off_t *offset_r,
                                            const char **error_r);

#endif
