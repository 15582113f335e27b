/*
 * msg - diagnostics for every postern program.
 *
 * Callers write the text only; the logger adds "warning: ", "error: ",
 * "fatal: " or "panic: " in front, as Postfix's log lines read.  Formats
 * accept glibc's %m (strerror(errno)).  Where the text goes is decided by
 * the output functions registered with msg_output_add(): stderr for
 * commands, syslog or maillog_file for daemons.
 */
#ifndef POSTERN_UTIL_MSG_H
#define POSTERN_UTIL_MSG_H

#include <stdarg.h>

enum msg_level { MSG_INFO, MSG_WARN, MSG_ERROR, MSG_FATAL, MSG_PANIC };

/* An output receives the level and the text without the level prefix. */
typedef void (*msg_output_fn)(enum msg_level level, const char *text);

/* Non-zero enables msg_verbose-guarded tracing (-v; counts repeats). */
extern int msg_verbose;

/* Sets the program name shown in front of stderr messages and in logs. */
void msg_init(const char *progname);

/* The name given to msg_init(), or "postern" before it is called. */
const char *msg_progname(void);

/* Adds an output; messages go to every registered output in order. */
void msg_output_add(msg_output_fn output);

/* Removes every output, including the default stderr one. */
void msg_output_reset(void);

/* Writes "progname: [prefix: ]text" to stderr; registered by msg_init(). */
void msg_stderr_output(enum msg_level level, const char *text);

/* The prefix the logger puts before text of a level ("" for info). */
const char *msg_level_prefix(enum msg_level level);

/*
 * Runs before a fatal exit (after the message is written), e.g. to remove
 * a half-written file.  Only one hook; returns the previous one.
 */
typedef void (*msg_cleanup_fn)(void);
msg_cleanup_fn msg_cleanup_set(msg_cleanup_fn hook);

void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void msg_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like msg_fatal() with a chosen exit status (sysexits for commands). */
_Noreturn void msg_fatal_status(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void msg_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The va_list form behind the functions above; never returns for FATAL/PANIC. */
void msg_vprintf(enum msg_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
