/*
 * NAME
 *	test_echo_multi - a multi_server daemon for master's tests
 * SYNOPSIS
 *	test_echo_multi [generic daemon options] [fail-at-start] [max-clients=N]
 * DESCRIPTION
 *	Serves many clients at once on the multi_server skeleton, with the
 *	same line protocol as test_echo_single, so one process is seen
 *	answering several connections.  fail-at-start exits with status 1
 *	before reporting to master; max-clients=N makes the process report
 *	busy while N clients are connected.
 * PROTOCOL
 *	Every line is answered with "pid PID: LINE\n", then:
 *	exit N	exits with status N at once (every client sees end of file)
 *	crash	dies on SIGSEGV
 *	id	also answers "pid PID: uid U euid E gid G egid G2\n"
 *	count	also answers "pid PID: clients N\n", N the connected clients
 *	quit	ends this client's session
 *	End of file also ends the session.  Lines are at most 1024 bytes.
 * PARAMETERS
 *	daemon_timeout (18000s) watchdog for one callback
 *	max_idle (100s) time without clients before exit
 *	max_use (100) connections before the process stops accepting
 * LOG LINES
 *	fatal: fail-at-start requested
 * SECURITY
 *	Test only; never installed.
 * SEE ALSO
 *	lib/server/multi_server.h, lib/server/master_proto.h
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/multi_server.h"
#include "util/msg.h"
#include "util/strbuf.h"

static struct multi_server_spec spec;

static void echo_pre_init(const char *service_name, char **argv)
{
	for (; *argv; argv++) {
		if (strcmp(*argv, "fail-at-start") == 0)
			msg_fatal("fail-at-start requested");
		if (strncmp(*argv, "max-clients=", 12) == 0)
			spec.max_clients = atoi(*argv + 12);
	}
}

static void echo_command(struct stream *client, const char *line)
{
	if (strncmp(line, "exit ", 5) == 0)
		_exit(atoi(line + 5));
	if (strcmp(line, "crash") == 0) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (strcmp(line, "id") == 0)
		stream_printf(client, "pid %ld: uid %ld euid %ld gid %ld egid %ld\n",
		              (long)getpid(), (long)getuid(), (long)geteuid(), (long)getgid(),
		              (long)getegid());
	if (strcmp(line, "count") == 0)
		stream_printf(client, "pid %ld: clients %d\n", (long)getpid(),
		              multi_server_client_count());
	if (strcmp(line, "quit") == 0)
		multi_server_disconnect(client);
}

/* One line per call; the skeleton calls again while input is buffered. */
static void echo_service(struct stream *client, const char *service_name, char **argv)
{
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	enum stream_line got = stream_read_line(client, line, 1024);

	if (got == STREAM_LINE_ERROR) {
		multi_server_disconnect(client);
	} else {
		if (got == STREAM_LINE_TOO_LONG)
			stream_skip_line(client);
		stream_printf(client, "pid %ld: %s\n", (long)getpid(), strbuf_str(line));
		if (stream_flush(client))
			echo_command(client, strbuf_str(line));
		if (!stream_flush(client))
			multi_server_disconnect(client);
	}
	strbuf_free(&line);
}

int main(int argc, char **argv)
{
	spec.server.pre_init = echo_pre_init;
	spec.service = echo_service;
	multi_server_main(argc, argv, &spec);
}
