/*
 * NAME
 *	test_echo_single - a single_server daemon for master's tests
 * SYNOPSIS
 *	test_echo_single [generic daemon options] [fail-at-start] [keep-root]
 * DESCRIPTION
 *	Serves one client at a time on the single_server skeleton, so tests
 *	can drive spawn-on-demand, max_use, max_idle, crashes, throttling
 *	and privilege dropping with a line protocol.  With the argument
 *	fail-at-start it exits with status 1 (a fatal log line) before it
 *	reports to master.  With keep-root its spec asks to keep root
 *	privileges, as local delivery's does, so tests can see master.cf's
 *	unprivileged field decide.
 * PROTOCOL
 *	The client speaks first; every line (LF or CRLF) is answered with
 *	"pid PID: LINE\n" (PID is the daemon's process id), and then:
 *	exit N	exits with status N at once (the client sees end of file)
 *	crash	dies on SIGSEGV
 *	abort	dies on SIGABRT
 *	sleep N	sleeps N seconds before reading the next line
 *	id	also answers "pid PID: uid U euid E gid G egid G2\n"
 *	lookup TYPE:NAME KEY
 *		opens the table (kept open, as daemons keep their tables) and
 *		answers "pid PID: found VALUE", "pid PID: not found" or
 *		"pid PID: error TEXT"
 *	quit	ends the session (the daemon takes its next client)
 *	End of file also ends the session.  Lines are at most 1024 bytes.
 * PARAMETERS
 *	daemon_timeout (18000s) watchdog for one client
 *	max_idle (100s) idle time before exit
 *	max_use (100) clients before exit
 * LOG LINES
 *	fatal: fail-at-start requested
 * SECURITY
 *	Test only; never installed.
 * SEE ALSO
 *	lib/server/single_server.h, lib/server/master_proto.h
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dict.h"
#include "server/single_server.h"
#include "util/msg.h"
#include "util/strbuf.h"

static void echo_pre_init(const char *service_name, char **argv)
{
	for (; *argv; argv++)
		if (strcmp(*argv, "fail-at-start") == 0)
			msg_fatal("fail-at-start requested");
}

static void echo_die(int signo)
{
	signal(signo, SIG_DFL);
	raise(signo);
}

/* "lookup TYPE:NAME KEY": one table lookup, answered on its own line. */
static void echo_lookup(struct stream *client, const char *args)
{
	const char *space = strchr(args, ' ');
	const char *error = NULL;
	const char *value;
	struct dict *table;
	char *name;

	if (space == NULL) {
		stream_printf(client, "pid %ld: error usage: lookup TYPE:NAME KEY\n",
		              (long)getpid());
		return;
	}
	name = strndup(args, (size_t)(space - args));
	if ((table = dict_open(name, "hash", 0, &error)) == NULL)
		stream_printf(client, "pid %ld: error %s\n", (long)getpid(), error);
	else if (dict_lookup(table, space + 1, &value, &error) == DICT_FOUND)
		stream_printf(client, "pid %ld: found %s\n", (long)getpid(), value);
	else if (error == NULL)
		stream_printf(client, "pid %ld: not found\n", (long)getpid());
	else
		stream_printf(client, "pid %ld: error %s\n", (long)getpid(), error);
	free(name);
}

/* Acts on one command after its echo was flushed; false ends the session. */
static bool echo_command(struct stream *client, const char *line)
{
	if (strncmp(line, "exit ", 5) == 0)
		_exit(atoi(line + 5));
	if (strcmp(line, "crash") == 0)
		echo_die(SIGSEGV);
	if (strcmp(line, "abort") == 0)
		echo_die(SIGABRT);
	if (strncmp(line, "sleep ", 6) == 0)
		sleep((unsigned)atoi(line + 6));
	if (strncmp(line, "lookup ", 7) == 0)
		echo_lookup(client, line + 7);
	if (strcmp(line, "id") == 0)
		stream_printf(client, "pid %ld: uid %ld euid %ld gid %ld egid %ld\n",
		              (long)getpid(), (long)getuid(), (long)geteuid(), (long)getgid(),
		              (long)getegid());
	return strcmp(line, "quit") != 0;
}

static void echo_service(struct stream *client, const char *service_name, char **argv)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	enum stream_line got;
	bool more = true;

	while (more && (got = stream_read_line(client, line, 1024)) != STREAM_LINE_ERROR) {
		if (got == STREAM_LINE_TOO_LONG)
			stream_skip_line(client);
		stream_printf(client, "pid %ld: %s\n", (long)getpid(), strbuf_str(line));
		if (!stream_flush(client))
			break;
		more = echo_command(client, strbuf_str(line));
		if (!stream_flush(client))
			break;
	}
	strbuf_free(&line);
}

static const struct single_server_spec spec = {
    .server = {.pre_init = echo_pre_init},
    .service = echo_service,
};

static const struct single_server_spec keep_root_spec = {
    .server = {.flags = SERVER_KEEP_ROOT, .pre_init = echo_pre_init},
    .service = echo_service,
};

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "keep-root") == 0)
			single_server_main(argc, argv, &keep_root_spec);
	single_server_main(argc, argv, &spec);
}
