/*
 * stream - buffered descriptor I/O with timeouts.  Input and output each
 * have one fixed buffer; every call that must wait goes through the
 * stream's read or write function, which bounds the wait with poll(), so
 * a silent peer costs at most one timeout per operation.  The first
 * timeout or I/O error is remembered and fails every later operation
 * without touching the descriptor again.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/msg.h"
#include "util/stream.h"

#define STREAM_BUFSIZE 8192

struct stream {
	int fd;
	int timeout_ms; /* negative: wait forever */
	enum stream_err err;
	stream_read_fn read_fn;
	stream_write_fn write_fn;
	void *io_context;
	char in[STREAM_BUFSIZE];
	size_t in_start; /* unread input is in[in_start..in_end) */
	size_t in_end;
	char out[STREAM_BUFSIZE];
	size_t out_len;
};

struct stream *stream_open(int fd)
{
	struct stream *stream = xcalloc(1, sizeof(*stream));

	stream->fd = fd;
	stream->timeout_ms = -1;
	stream->read_fn = stream_default_read;
	stream->write_fn = stream_default_write;
	return stream;
}

bool stream_close(struct stream **stream)
{
	bool ok;

	if (*stream == NULL)
		return true;
	ok = stream_flush(*stream);
	close((*stream)->fd);
	free(*stream);
	*stream = NULL;
	return ok;
}

int stream_release(struct stream **stream)
{
	int fd = (*stream)->fd;

	free(*stream);
	*stream = NULL;
	return fd;
}

int stream_fd(const struct stream *stream)
{
	return stream->fd;
}

void stream_set_timeout(struct stream *stream, int seconds)
{
	stream->timeout_ms = seconds > 0 && seconds < INT_MAX / 1000 ? seconds * 1000 : -1;
}

void stream_set_io(struct stream *stream, stream_read_fn read_fn, stream_write_fn write_fn,
                   void *context)
{
	stream->read_fn = read_fn ? read_fn : stream_default_read;
	stream->write_fn = write_fn ? write_fn : stream_default_write;
	stream->io_context = context;
}

enum stream_err stream_error(const struct stream *stream)
{
	return stream->err;
}

const char *stream_err_text(enum stream_err err)
{
	switch (err) {
	case STREAM_ERR_NONE:
		return "no error";
	case STREAM_ERR_EOF:
		return "end of file";
	case STREAM_ERR_TIMEOUT:
		return "timeout";
	default:
		return "I/O error";
	}
}

/* Milliseconds on a clock that never jumps, for remaining-time arithmetic. */
static long long stream_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits until fd is ready for events; a signal restarts the wait with the
 * time that is left.  Returns 0, or -1 with errno (ETIMEDOUT on timeout).
 */
static int stream_wait(int fd, short events, int timeout_ms)
{
	long long deadline = stream_now_ms() + timeout_ms;
	struct pollfd pfd = {.fd = fd, .events = events};
	int left = timeout_ms;

	for (;;) {
		int n = poll(&pfd, 1, left);

		if (n > 0)
			return 0;
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
		if (timeout_ms >= 0) {
			long long now = stream_now_ms();

			left = now >= deadline ? 0 : (int)(deadline - now);
		}
	}
}

ssize_t stream_default_read(int fd, void *buf, size_t len, int timeout_ms, void *context)
{
	for (;;) {
		ssize_t n;

		if (stream_wait(fd, POLLIN, timeout_ms) < 0)
			return -1;
		n = read(fd, buf, len);
		if (n >= 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
	}
}

/*
 * After poll() reports a socket writable, MSG_DONTWAIT keeps a large send
 * from blocking past the timeout; for a pipe, a write of at most PIPE_BUF
 * bytes into a writable pipe cannot block.
 */
ssize_t stream_default_write(int fd, const void *buf, size_t len, int timeout_ms, void *context)
{
	for (;;) {
		ssize_t n;

		if (stream_wait(fd, POLLOUT, timeout_ms) < 0)
			return -1;
		n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, buf, len < PIPE_BUF ? len : PIPE_BUF);
		if (n >= 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
	}
}

/* Records an error; a timeout or I/O error replaces an earlier EOF. */
static void stream_set_err(struct stream *stream, enum stream_err err)
{
	if (stream->err == STREAM_ERR_NONE || stream->err == STREAM_ERR_EOF)
		stream->err = err;
}

/* True when the stream may not touch its descriptor any more. */
static bool stream_dead(const struct stream *stream)
{
	return stream->err == STREAM_ERR_TIMEOUT || stream->err == STREAM_ERR_IO;
}

/* Reads once into the free space after in_end; false on EOF or error. */
static bool stream_read_more(struct stream *stream)
{
	ssize_t n;

	if (stream_dead(stream) || stream->err == STREAM_ERR_EOF)
		return false;
	if (stream->in_start > 0) {
		memmove(stream->in, stream->in + stream->in_start,
		        stream->in_end - stream->in_start);
		stream->in_end -= stream->in_start;
		stream->in_start = 0;
	}
	n = stream->read_fn(stream->fd, stream->in + stream->in_end,
	                    sizeof(stream->in) - stream->in_end, stream->timeout_ms,
	                    stream->io_context);
	if (n > 0) {
		stream->in_end += (size_t)n;
		return true;
	}
	stream_set_err(stream, n == 0               ? STREAM_ERR_EOF
	                       : errno == ETIMEDOUT ? STREAM_ERR_TIMEOUT
	                                            : STREAM_ERR_IO);
	return false;
}

/* Makes sure some input is buffered; false on EOF or error. */
static bool stream_fill(struct stream *stream)
{
	if (stream_dead(stream))
		return false;
	if (stream->in_start < stream->in_end)
		return true;
	stream->in_start = stream->in_end = 0;
	return stream_read_more(stream);
}

size_t stream_peek(struct stream *stream, const char **data_r)
{
	if (!stream_fill(stream))
		return 0;
	*data_r = stream->in + stream->in_start;
	return stream->in_end - stream->in_start;
}

void stream_skip(struct stream *stream, size_t len)
{
	if (len > stream->in_end - stream->in_start)
		msg_panic("stream_skip: %zu bytes wanted, %zu buffered", len,
		          stream->in_end - stream->in_start);
	stream->in_start += len;
}

size_t stream_buffered_input(const struct stream *stream)
{
	return stream->in_end - stream->in_start;
}

size_t stream_discard_input(struct stream *stream)
{
	size_t dropped = stream->in_end - stream->in_start;

	stream->in_start = stream->in_end = 0;
	return dropped;
}

/*
 * The line holds the limit already; it is whole only when a newline
 * follows at once.  A CR needs the byte after it to decide.
 */
static enum stream_line stream_line_at_limit(struct stream *stream)
{
	const char *p = stream->in + stream->in_start;

	if (p[0] == '\n') {
		stream->in_start++;
		return STREAM_LINE_LF;
	}
	if (p[0] != '\r')
		return STREAM_LINE_TOO_LONG;
	if (stream->in_end - stream->in_start < 2 && !stream_read_more(stream))
		return stream->err == STREAM_ERR_EOF ? STREAM_LINE_TOO_LONG : STREAM_LINE_ERROR;
	p = stream->in + stream->in_start;
	if (p[1] != '\n')
		return STREAM_LINE_TOO_LONG;
	stream->in_start += 2;
	return STREAM_LINE_CRLF;
}

enum stream_line stream_read_line(struct stream *stream, struct strbuf *line, size_t limit)
{
	size_t max = limit < line->limit ? limit : line->limit;

	strbuf_reset(line);
	for (;;) {
		const char *p, *nl;
		size_t avail, seg;

		if (!stream_fill(stream))
			return STREAM_LINE_ERROR;
		if (strbuf_len(line) == max)
			return stream_line_at_limit(stream);
		p = stream->in + stream->in_start;
		avail = stream->in_end - stream->in_start;
		nl = memchr(p, '\n', avail);
		seg = nl ? (size_t)(nl - p) : avail;
		if (seg > max - strbuf_len(line)) {
			seg = max - strbuf_len(line);
			nl = NULL;
		}
		strbuf_append(line, p, seg);
		stream->in_start += seg;
		if (nl) {
			stream->in_start++;
			/* The CR may have come in an earlier read than the LF. */
			if (strbuf_len(line) > 0 &&
			    strbuf_str(line)[strbuf_len(line) - 1] == '\r') {
				strbuf_truncate(line, strbuf_len(line) - 1);
				return STREAM_LINE_CRLF;
			}
			return STREAM_LINE_LF;
		}
	}
}

enum stream_line stream_skip_line(struct stream *stream)
{
	bool prev_cr = false;

	for (;;) {
		const char *p, *nl;
		size_t avail;

		if (!stream_fill(stream))
			return STREAM_LINE_ERROR;
		p = stream->in + stream->in_start;
		avail = stream->in_end - stream->in_start;
		nl = memchr(p, '\n', avail);
		if (nl == NULL) {
			prev_cr = p[avail - 1] == '\r';
			stream->in_start = stream->in_end;
			continue;
		}
		if (nl > p)
			prev_cr = nl[-1] == '\r';
		stream->in_start += (size_t)(nl - p) + 1;
		return prev_cr ? STREAM_LINE_CRLF : STREAM_LINE_LF;
	}
}

bool stream_read_exact(struct stream *stream, void *buf, size_t len)
{
	char *dest = buf;

	while (len > 0) {
		size_t chunk;

		if (!stream_fill(stream))
			return false;
		chunk = stream->in_end - stream->in_start;
		if (chunk > len)
			chunk = len;
		memcpy(dest, stream->in + stream->in_start, chunk);
		stream->in_start += chunk;
		dest += chunk;
		len -= chunk;
	}
	return true;
}

int stream_getc(struct stream *stream)
{
	if (!stream_fill(stream))
		return -1;
	return (unsigned char)stream->in[stream->in_start++];
}

/* Hands len bytes to the write function until all are taken. */
static bool stream_write_all(struct stream *stream, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n =
		    stream->write_fn(stream->fd, data, len, stream->timeout_ms, stream->io_context);

		if (n <= 0) {
			stream_set_err(stream, n < 0 && errno == ETIMEDOUT ? STREAM_ERR_TIMEOUT
			                                                   : STREAM_ERR_IO);
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

bool stream_flush(struct stream *stream)
{
	size_t len = stream->out_len;

	if (stream_dead(stream)) {
		stream->out_len = 0;
		return false;
	}
	stream->out_len = 0;
	return stream_write_all(stream, stream->out, len);
}

size_t stream_buffered_output(const struct stream *stream)
{
	return stream->out_len;
}

bool stream_write(struct stream *stream, const void *data, size_t len)
{
	if (stream_dead(stream))
		return false;
	if (len > sizeof(stream->out) - stream->out_len && !stream_flush(stream))
		return false;
	if (len >= sizeof(stream->out))
		return stream_write_all(stream, data, len);
	memcpy(stream->out + stream->out_len, data, len);
	stream->out_len += len;
	return true;
}

bool stream_puts(struct stream *stream, const char *text)
{
	return stream_write(stream, text, strlen(text));
}

/* Formats straight into the output buffer when it fits, else via a strbuf. */
bool stream_printf(struct stream *stream, const char *fmt, ...)
{
	size_t room = sizeof(stream->out) - stream->out_len;
	struct strbuf *text;
	va_list ap;
	int n;
	bool ok;

	if (stream_dead(stream))
		return false;
	va_start(ap, fmt);
	n = vsnprintf(stream->out + stream->out_len, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		stream->out_len += (size_t)n;
		return true;
	}
	text = strbuf_new(STRBUF_UNLIMITED);
	va_start(ap, fmt);
	strbuf_vprintf(text, fmt, ap);
	va_end(ap);
	ok = stream_write(stream, strbuf_str(text), strbuf_len(text));
	strbuf_free(&text);
	return ok;
}
