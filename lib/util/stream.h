/*
 * stream - buffered I/O over one file descriptor, with a per-operation
 * timeout, line reading with a length limit, exact reads, buffered writes
 * and a sticky error.  One-client daemons (smtpd, cleanup, the SMTP
 * client) block inside a stream; the wait is a poll() bounded by the
 * stream's timeout.
 *
 * Ownership: stream_open() takes the descriptor; stream_close() closes
 * it and stream_release() hands it back.
 *
 * Errors are sticky.  A timeout or an I/O error makes every later read and
 * write fail at once; end of file makes later reads fail but still lets
 * buffered output be flushed (a peer that half-closed may still read our
 * reply).
 *
 * SIGPIPE: the default write function sends on sockets with MSG_NOSIGNAL,
 * so a vanished socket peer is an I/O error (EPIPE), never a signal.
 * Writes to a pipe can still raise SIGPIPE; the daemon skeletons ignore
 * SIGPIPE, and any other program that writes a stream to a pipe must too.
 *
 * Read and write functions can be replaced (stream_set_io) so that TLS
 * slides under a plain stream after STARTTLS; the replacement receives the
 * timeout and does its own waiting, typically through stream_default_read
 * and stream_default_write on the underlying descriptor.
 */
#ifndef POSTERN_UTIL_STREAM_H
#define POSTERN_UTIL_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct stream;

/* The sticky error of a stream; the first one recorded wins over EOF. */
enum stream_err {
	STREAM_ERR_NONE = 0,
	STREAM_ERR_EOF,     /* the peer closed its side */
	STREAM_ERR_TIMEOUT, /* no progress within the timeout */
	STREAM_ERR_IO,      /* read or write failed */
};

/* What stream_read_line() and stream_skip_line() found. */
enum stream_line {
	STREAM_LINE_ERROR = -1, /* EOF, timeout or I/O error: see stream_error() */
	STREAM_LINE_LF,         /* a whole line, ended by a bare LF */
	STREAM_LINE_CRLF,       /* a whole line, ended by CR LF */
	STREAM_LINE_TOO_LONG,   /* the limit was reached; the line goes on */
};

/*
 * Reads at most len bytes into buf, waiting at most timeout_ms (negative:
 * forever).  Returns the count, 0 at end of file, or -1 with errno set
 * (ETIMEDOUT for a timeout).  The context is the one given to
 * stream_set_io().
 */
typedef ssize_t (*stream_read_fn)(int fd, void *buf, size_t len, int timeout_ms, void *context);

/* Writes at most len bytes; results as for stream_read_fn (never 0 for len > 0). */
typedef ssize_t (*stream_write_fn)(int fd, const void *buf, size_t len, int timeout_ms,
                                   void *context);

/* A stream over fd, which it now owns; no timeout until one is set. */
struct stream *stream_open(int fd);

/*
 * Flushes pending output (unless a timeout or I/O error is pending), closes
 * the descriptor and frees the stream; NULL is fine.  Returns false when
 * some output could not be delivered.  Clears *stream.
 */
bool stream_close(struct stream **stream);

/*
 * Frees the stream without flushing or closing; returns its descriptor.
 * Buffered input and output are lost.  Clears *stream.
 */
int stream_release(struct stream **stream);

/* The descriptor under the stream. */
int stream_fd(const struct stream *stream);

/* Each later blocking read or write waits at most seconds (<= 0: forever). */
void stream_set_timeout(struct stream *stream, int seconds);

/*
 * Replaces the read and write functions (NULL restores the default for
 * that direction).  Buffered data is kept: discard plaintext input first
 * when that matters (STARTTLS).
 */
void stream_set_io(struct stream *stream, stream_read_fn read_fn, stream_write_fn write_fn,
                   void *context);

/*
 * The default functions: poll() for at most timeout_ms, then read(2), or
 * send(2) with MSG_NOSIGNAL on a socket and write(2) otherwise.  EINTR is
 * retried with the remaining time.
 */
ssize_t stream_default_read(int fd, void *buf, size_t len, int timeout_ms, void *context);
ssize_t stream_default_write(int fd, const void *buf, size_t len, int timeout_ms, void *context);

/* The sticky error, or STREAM_ERR_NONE. */
enum stream_err stream_error(const struct stream *stream);

/* A short description of an error kind ("timeout", "end of file", ...). */
const char *stream_err_text(enum stream_err err);

/*
 * Reads one line into line (which is emptied first), without its newline;
 * at most limit bytes, or the buffer's own limit when that is lower.  A
 * line of exactly limit bytes followed by a newline is whole.  After
 * STREAM_LINE_TOO_LONG the next call returns the next chunk of the same
 * line, or stream_skip_line() discards the rest.  At end of file an
 * unterminated tail is left in line and STREAM_LINE_ERROR is returned.
 */
enum stream_line stream_read_line(struct stream *stream, struct strbuf *line, size_t limit);

/* Discards input up to and including the next newline; reports which one. */
enum stream_line stream_skip_line(struct stream *stream);

/* Reads exactly len bytes; false on EOF (even after some bytes) or error. */
bool stream_read_exact(struct stream *stream, void *buf, size_t len);

/* The next byte, or -1 on EOF or error. */
int stream_getc(struct stream *stream);

/*
 * Points *data_r at the buffered unread input, reading once (waiting at
 * most the timeout) when none is buffered.  Returns the byte count, 0 on
 * EOF or error.  Consume with stream_skip(); for parsers that must not
 * read past the end of their message.
 */
size_t stream_peek(struct stream *stream, const char **data_r);

/* Consumes len bytes of buffered input (at most stream_buffered_input()). */
void stream_skip(struct stream *stream, size_t len);

/* Bytes read from the descriptor but not yet consumed. */
size_t stream_buffered_input(const struct stream *stream);

/*
 * Drops buffered unread input and returns how much there was; smtpd uses
 * it so that plaintext pipelined after STARTTLS is never read as TLS data.
 */
size_t stream_discard_input(struct stream *stream);

/*
 * Buffered output.  These return false once the stream has an error (the
 * output is then lost); check stream_flush() at the end of a reply.
 */
bool stream_write(struct stream *stream, const void *data, size_t len);
bool stream_puts(struct stream *stream, const char *text);
bool stream_printf(struct stream *stream, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes out all buffered output; false on error. */
bool stream_flush(struct stream *stream);

/* Bytes written with stream_write() and friends but not yet flushed. */
size_t stream_buffered_output(const struct stream *stream);

#endif
