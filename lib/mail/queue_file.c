/*
 * queue_file - encodes and decodes queue file records.  The writer keeps
 * one output buffer and a file offset so cleanup learns where each
 * record lands without lseek(); the reader keeps one input buffer that
 * grows only up to its record limit, and every length is checked against
 * that limit before the payload is waited for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/queue_file.h"
#include "util/alloc.h"

/* Flush the writer's buffer when it grows beyond this. */
#define QUEUE_FILE_WRITE_CHUNK 65536
#define QUEUE_FILE_READ_CHUNK 65536

struct queue_file_writer {
	int fd;
	off_t written; /* bytes already written to fd */
	struct strbuf *buf;
	int error; /* sticky errno, 0 while fine */
};

struct queue_file_reader {
	int fd;
	size_t record_max;
	struct strbuf *buf; /* unread input at buf->data + pos */
	size_t pos;
	off_t offset; /* file offset of buf->data + pos */
	bool eof;
};

static const struct {
	int type;
	const char *name;
} queue_file_types[] = {
    {QUEUE_REC_SIZE, "message_size"},
    {QUEUE_REC_TIME, "message_arrival_time"},
    {QUEUE_REC_FULLNAME, "sender_fullname"},
    {QUEUE_REC_ATTR, "named_attribute"},
    {QUEUE_REC_FROM, "sender"},
    {QUEUE_REC_DSN_ENVID, "dsn_envelope_id"},
    {QUEUE_REC_DSN_RET, "dsn_return_flags"},
    {QUEUE_REC_DSN_ORCPT, "dsn_original_recipient"},
    {QUEUE_REC_DSN_NOTIFY, "dsn_notify_flags"},
    {QUEUE_REC_ORCP, "original_recipient"},
    {QUEUE_REC_RCPT, "recipient"},
    {QUEUE_REC_DONE, "done_recipient"},
    {QUEUE_REC_DRCP, "deleted_recipient"},
    {QUEUE_REC_WARN, "warning_message_time"},
    {QUEUE_REC_MESG, NULL},
    {QUEUE_REC_NORM, NULL},
    {QUEUE_REC_CONT, NULL},
    {QUEUE_REC_XTRA, NULL},
    {QUEUE_REC_END, NULL},
};

#define QUEUE_FILE_TYPE_COUNT (sizeof(queue_file_types) / sizeof(queue_file_types[0]))

bool queue_file_type_known(int type)
{
	for (size_t i = 0; i < QUEUE_FILE_TYPE_COUNT; i++)
		if (queue_file_types[i].type == type)
			return true;
	return false;
}

const char *queue_file_type_name(int type)
{
	for (size_t i = 0; i < QUEUE_FILE_TYPE_COUNT; i++)
		if (queue_file_types[i].type == type)
			return queue_file_types[i].name;
	return NULL;
}

bool queue_file_encode(struct strbuf *out, int type, const void *data, size_t len)
{
	size_t start = out->len;
	size_t rest = len;

	if (!strbuf_append_char(out, (char)type))
		return false;
	do {
		unsigned char byte = rest & 0x7f;

		rest >>= 7;
		if (rest)
			byte |= 0x80;
		if (!strbuf_append_char(out, (char)byte)) {
			strbuf_truncate(out, start);
			return false;
		}
	} while (rest);
	if (!strbuf_append(out, data, len)) {
		strbuf_truncate(out, start);
		return false;
	}
	return true;
}

enum queue_file_parse_status queue_file_parse(const void *data, size_t len, size_t record_max,
                                              struct queue_file_record *rec, size_t *used_r,
                                              const char **error_r)
{
	const unsigned char *p = data;
	size_t payload = 0;
	size_t i;

	if (len == 0)
		return QUEUE_FILE_PARSE_MORE;
	if (!queue_file_type_known(p[0])) {
		*error_r = "unknown record type";
		return QUEUE_FILE_PARSE_ERROR;
	}
	for (i = 1;; i++) {
		if (i > QUEUE_FILE_LEN_BYTES) {
			*error_r = "record length field too long";
			return QUEUE_FILE_PARSE_ERROR;
		}
		if (i >= len)
			return QUEUE_FILE_PARSE_MORE;
		payload |= (size_t)(p[i] & 0x7f) << (7 * (i - 1));
		if (payload > record_max) {
			*error_r = "record too long";
			return QUEUE_FILE_PARSE_ERROR;
		}
		if ((p[i] & 0x80) == 0)
			break;
	}
	i++;
	if (len - i < payload)
		return QUEUE_FILE_PARSE_MORE;
	*rec =
	    (struct queue_file_record){.type = p[0], .data = (const char *)p + i, .len = payload};
	*used_r = i + payload;
	return QUEUE_FILE_PARSE_OK;
}

struct queue_file_writer *queue_file_writer_new(int fd)
{
	struct queue_file_writer *writer = xcalloc(1, sizeof(*writer));

	writer->fd = fd;
	writer->buf = strbuf_new(STRBUF_UNLIMITED);
	return writer;
}

void queue_file_writer_free(struct queue_file_writer **writer)
{
	if (*writer == NULL)
		return;
	strbuf_free(&(*writer)->buf);
	free(*writer);
	*writer = NULL;
}

bool queue_file_flush(struct queue_file_writer *writer)
{
	size_t done = 0;

	while (writer->error == 0 && done < writer->buf->len) {
		ssize_t n = write(writer->fd, writer->buf->data + done, writer->buf->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			writer->error = n < 0 ? errno : EIO;
		else
			done += (size_t)n;
	}
	writer->written += (off_t)done;
	strbuf_reset(writer->buf);
	errno = writer->error;
	return writer->error == 0;
}

bool queue_file_put(struct queue_file_writer *writer, int type, const void *data, size_t len)
{
	if (writer->error) {
		errno = writer->error;
		return false;
	}
	if (!queue_file_encode(writer->buf, type, data, len)) {
		writer->error = EFBIG;
		errno = EFBIG;
		return false;
	}
	return writer->buf->len < QUEUE_FILE_WRITE_CHUNK || queue_file_flush(writer);
}

bool queue_file_put_str(struct queue_file_writer *writer, int type, const char *text)
{
	return queue_file_put(writer, type, text, strlen(text));
}

bool queue_file_printf(struct queue_file_writer *writer, int type, const char *fmt, ...)
{
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	strbuf_vprintf(text, fmt, ap);
	va_end(ap);
	ok = queue_file_put(writer, type, text->data, text->len);
	strbuf_free(&text);
	return ok;
}

off_t queue_file_offset(const struct queue_file_writer *writer)
{
	return writer->written + (off_t)writer->buf->len;
}

/* True when the record at offset has the length field that the new header has. */
static bool queue_file_same_length(int fd, off_t offset, const struct strbuf *rec, size_t header)
{
	char old[1 + QUEUE_FILE_LEN_BYTES];

	return pread(fd, old, header, offset) == (ssize_t)header &&
	       memcmp(old + 1, rec->data + 1, header - 1) == 0;
}

bool queue_file_rewrite(struct queue_file_writer *writer, off_t offset, int type, const void *data,
                        size_t len)
{
	struct strbuf *rec;
	bool ok;

	if (!queue_file_flush(writer))
		return false;
	rec = strbuf_new(STRBUF_UNLIMITED);
	queue_file_encode(rec, type, data, len);
	if (!queue_file_same_length(writer->fd, offset, rec, rec->len - len)) {
		strbuf_free(&rec);
		errno = EINVAL;
		return false;
	}
	ok = pwrite(writer->fd, rec->data, rec->len, offset) == (ssize_t)rec->len;
	if (!ok && errno == 0)
		errno = EIO;
	strbuf_free(&rec);
	return ok;
}

struct queue_file_reader *queue_file_reader_new(int fd, size_t record_max)
{
	struct queue_file_reader *reader = xcalloc(1, sizeof(*reader));

	reader->fd = fd;
	reader->record_max = record_max;
	reader->buf = strbuf_new(STRBUF_UNLIMITED);
	return reader;
}

void queue_file_reader_free(struct queue_file_reader **reader)
{
	if (*reader == NULL)
		return;
	strbuf_free(&(*reader)->buf);
	free(*reader);
	*reader = NULL;
}

/* Reads more input, first dropping what was consumed; false at EOF or on error. */
static bool queue_file_fill(struct queue_file_reader *reader, const char **error_r)
{
	char chunk[QUEUE_FILE_READ_CHUNK];
	ssize_t n;

	if (reader->pos > 0) {
		memmove(reader->buf->data, reader->buf->data + reader->pos,
		        reader->buf->len - reader->pos);
		strbuf_truncate(reader->buf, reader->buf->len - reader->pos);
		reader->pos = 0;
	}
	do
		n = read(reader->fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		*error_r = "read error";
		return false;
	}
	if (n == 0) {
		reader->eof = true;
		*error_r = "unexpected end of file in record";
		return false;
	}
	strbuf_append(reader->buf, chunk, (size_t)n);
	return true;
}

enum queue_file_read_status queue_file_read(struct queue_file_reader *reader, int *type_r,
                                            struct strbuf *payload, off_t *offset_r,
                                            const char **error_r)
{
	struct queue_file_record rec;
	size_t used;

	for (;;) {
		switch (queue_file_parse(reader->buf->data + reader->pos,
		                         reader->buf->len - reader->pos, reader->record_max, &rec,
		                         &used, error_r)) {
		case QUEUE_FILE_PARSE_ERROR:
			return QUEUE_FILE_READ_ERROR;
		case QUEUE_FILE_PARSE_OK:
			*type_r = rec.type;
			strbuf_reset(payload);
			if (!strbuf_append(payload, rec.data, rec.len)) {
				*error_r = "record too long";
				return QUEUE_FILE_READ_ERROR;
			}
			*offset_r = reader->offset;
			reader->pos += used;
			reader->offset += (off_t)used;
			return QUEUE_FILE_READ_OK;
		case QUEUE_FILE_PARSE_MORE:
			if (!reader->eof && queue_file_fill(reader, error_r))
				break;
			if (!reader->eof)
				return QUEUE_FILE_READ_ERROR;
			if (reader->pos == reader->buf->len)
				return QUEUE_FILE_READ_EOF;
			*error_r = "unexpected end of file in record";
			return QUEUE_FILE_READ_ERROR;
		}
	}
}
