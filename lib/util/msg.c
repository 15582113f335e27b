/*
 * msg - format a diagnostic once and hand it to every registered output.
 * Fatal and panic messages end the process after the outputs ran, so a
 * daemon's last words reach its log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"

#define MSG_MAX_OUTPUTS 4
#define MSG_TEXT_MAX 4096

int msg_verbose;

static const char *msg_name = "postern";
static msg_output_fn msg_outputs[MSG_MAX_OUTPUTS] = {msg_stderr_output};
static int msg_output_count = 1;
static msg_cleanup_fn msg_cleanup_hook;

void msg_init(const char *progname)
{
	const char *slash = strrchr(progname, '/');

	msg_name = slash ? slash + 1 : progname;
}

const char *msg_progname(void)
{
	return msg_name;
}

void msg_output_add(msg_output_fn output)
{
	if (msg_output_count >= MSG_MAX_OUTPUTS)
		msg_panic("msg_output_add: too many outputs");
	msg_outputs[msg_output_count++] = output;
}

void msg_output_reset(void)
{
	msg_output_count = 0;
}

msg_cleanup_fn msg_cleanup_set(msg_cleanup_fn hook)
{
	msg_cleanup_fn previous = msg_cleanup_hook;

	msg_cleanup_hook = hook;
	return previous;
}

const char *msg_level_prefix(enum msg_level level)
{
	switch (level) {
	case MSG_WARN:
		return "warning: ";
	case MSG_ERROR:
		return "error: ";
	case MSG_FATAL:
		return "fatal: ";
	case MSG_PANIC:
		return "panic: ";
	default:
		return "";
	}
}

void msg_stderr_output(enum msg_level level, const char *text)
{
	fprintf(stderr, "%s: %s%s\n", msg_name, msg_level_prefix(level), text);
	fflush(stderr);
}

void msg_vprintf(enum msg_level level, const char *fmt, va_list ap)
{
	static int msg_depth;
	char text[MSG_TEXT_MAX];
	int saved_errno = errno;

	/* An output that itself fails must not recurse without end. */
	if (msg_depth++ < 2) {
		errno = saved_errno;
		vsnprintf(text, sizeof(text), fmt, ap);
		for (int i = 0; i < msg_output_count; i++)
			msg_outputs[i](level, text);
	}
	msg_depth--;
	errno = saved_errno;
}

void msg_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_INFO, fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_WARN, fmt, ap);
	va_end(ap);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_ERROR, fmt, ap);
	va_end(ap);
}

static _Noreturn void msg_exit(int status)
{
	msg_cleanup_fn hook = msg_cleanup_hook;

	msg_cleanup_hook = 0;
	if (hook)
		hook();
	exit(status);
}

void msg_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_FATAL, fmt, ap);
	va_end(ap);
	msg_exit(1);
}

void msg_fatal_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_FATAL, fmt, ap);
	va_end(ap);
	msg_exit(status);
}

void msg_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprintf(MSG_PANIC, fmt, ap);
	va_end(ap);
	abort();
}
