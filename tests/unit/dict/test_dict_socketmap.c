/*
 * Unit tests for lib/dict/dict_socketmap against a small socketmap server
 * that each test forks, on a UNIX socket in a temporary directory or on
 * 127.0.0.1 with a kernel-chosen port.  The server answers by key: every
 * reply kind, an oversized and a malformed reply, a hang, and a close
 * after replying (so the client must reconnect).  The reply kinds and
 * error texts were compared with Postfix 3.7's "postmap -q KEY
 * socketmap:unix:PATH:NAME" against an equivalent server.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_socketmap.h"
#include "util/msg.h"
#include "util/sock.h"

struct server {
	char dir[64];
	char map[160]; /* the socketmap: table name */
	pid_t pid;
};

static void discard_output(enum msg_level level, const char *text)
{
}

/* Reads one request netstring "name key" into buf; false at end of file or garbage. */
static bool read_request(FILE *fp, char *buf, size_t size)
{
	unsigned len;

	if (fscanf(fp, "%u:", &len) != 1 || len >= size)
		return false;
	if (fread(buf, 1, len, fp) != len || fgetc(fp) != ',')
		return false;
	buf[len] = 0;
	return true;
}

/* Sends the reply for key on fd; false when the connection is to end after it. */
static bool reply(int fd, int conn, const char *name, const char *key)
{
	static const char *const fixed[][2] = {
	    {"missing", "8:NOTFOUND,"},      {"temp", "13:TEMP busy now,"},
	    {"timeout", "12:TIMEOUT slow,"}, {"perm", "11:PERM broken,"},
	    {"what", "9:WHAT ever,"},        {"huge", "200000:"},
	    {"badterm", "5:OK ab;"},         {"badlen", "x5:OK ab,"},
	};
	char text[512];

	if (strcmp(key, "hang") == 0)
		pause();
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (strcmp(key, fixed[i][0]) == 0) {
			if (write(fd, fixed[i][1], strlen(fixed[i][1])) < 0)
				_exit(1);
			return true;
		}
	}
	snprintf(text, sizeof(text), "OK %d:%s:%s", conn, name, key);
	dprintf(fd, "%zu:%s,", strlen(text), text);
	return strcmp(key, "bye") != 0;
}

/* The server: one connection at a time, numbered from 1. */
static _Noreturn void serve(int listen_fd)
{
	char request[300];

	for (int conn = 1;; conn++) {
		int fd = accept(listen_fd, NULL, NULL);
		FILE *fp = fd >= 0 ? fdopen(fd, "r") : NULL;

		if (fp == NULL)
			_exit(1);
		while (read_request(fp, request, sizeof(request))) {
			char *space = strchr(request, ' ');

			*space = 0;
			if (!reply(fd, conn, request, space + 1))
				break;
		}
		fclose(fp);
	}
}

static void start_server(struct server *server, int listen_fd)
{
	if ((server->pid = fork()) == 0)
		serve(listen_fd);
	assert_true(server->pid > 0);
	close(listen_fd);
}

static int setup_unix(void **state)
{
	struct server *server = calloc(1, sizeof(*server));
	const char *error = NULL;
	char path[128];
	int fd;

	*state = server;
	strcpy(server->dir, "/tmp/test_dict_socketmap.XXXXXX");
	if (mkdtemp(server->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/socket", server->dir);
	snprintf(server->map, sizeof(server->map), "unix:%s:users", path);
	if ((fd = sock_unix_listen(path, 0600, 5, &error)) < 0)
		return -1;
	start_server(server, fd);
	return 0;
}

static int setup_inet(void **state)
{
	struct server *server = calloc(1, sizeof(*server));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	const char *error = NULL;
	int fd;

	*state = server;
	if ((fd = sock_inet_listen("127.0.0.1:0", 5, &error)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return -1;
	snprintf(server->map, sizeof(server->map), "inet:127.0.0.1:%u:hosts",
	         (unsigned)ntohs(sin.sin_port));
	start_server(server, fd);
	return 0;
}

static int teardown(void **state)
{
	struct server *server = *state;
	char command[128];
	int status;

	if (server->pid > 0) {
		kill(server->pid, SIGTERM);
		waitpid(server->pid, &status, 0);
	}
	snprintf(command, sizeof(command), "rm -rf '%s'", server->dir);
	status = server->dir[0] && system(command) != 0 ? -1 : 0;
	free(server);
	return status;
}

struct lookup_case {
	const char *key;
	enum dict_status status;
	const char *want; /* the value or error text, MAP and NAME standing for the table's */
};

/* Copies text to out with MAP and NAME replaced by the table's name and its last field. */
static void fill_in(const char *text, const char *map, char *out, size_t size)
{
	const char *name = strrchr(map, ':') + 1;
	size_t used = 0;

	while (*text && used + 1 < size) {
		const char *with = strncmp(text, "MAP", 3) == 0    ? map
		                   : strncmp(text, "NAME", 4) == 0 ? name
		                                                   : NULL;

		if (with == NULL) {
			out[used++] = *text++;
			continue;
		}
		used += (size_t)snprintf(out + used, size - used, "%s", with);
		text += with == map ? 3 : 4;
	}
	out[used < size ? used : size - 1] = 0;
}

/* Looks each key up in table, checking status and value or error text. */
static void expect_lookups(struct dict *dict, const char *map, const struct lookup_case *cases,
                           size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *value = NULL, *error = NULL, *got;
		enum dict_status status = dict_lookup(dict, cases[i].key, &value, &error);
		char want[512];

		fill_in(cases[i].want, map, want, sizeof(want));
		got = status == DICT_FOUND ? value : error ? error : "";
		if (status != cases[i].status || strcmp(got, want) != 0)
			fail_msg("key %s: got status %d \"%s\", want status %d \"%s\"",
			         cases[i].key, status, got, cases[i].status, want);
	}
}

static struct dict *open_map(const struct server *server, int timeout)
{
	struct dict_socketmap_limits limits = DICT_SOCKETMAP_DEFAULT_LIMITS;
	const char *error = NULL;
	struct dict *dict;

	limits.timeout = timeout;
	limits.max_reply = 1000;
	if ((dict = dict_socketmap_open_limits(server->map, 0, &limits, &error)) == NULL)
		fail_msg("open socketmap:MAP: %s", server->map, error);
	return dict;
}

/* Each reply kind, then the connection survives the errors that leave it in sync. */
static void test_reply_kinds(void **state)
{
	const struct server *server = *state;
	static const struct lookup_case cases[] = {
	    {"alice", DICT_FOUND, "1:NAME:alice"},
	    {"missing", DICT_NOT_FOUND, ""},
	    {"temp", DICT_ERR_RETRY, "socketmap:MAP socketmap server temporary error: busy now"},
	    {"timeout", DICT_ERR_RETRY, "socketmap:MAP socketmap server timeout error: slow"},
	    {"perm", DICT_ERR_CONFIG, "socketmap:MAP socketmap server permanent error: broken"},
	    {"what", DICT_ERR_RETRY, "socketmap:MAP socketmap server unknown error: ever"},
	    {"bob", DICT_FOUND, "1:NAME:bob"},
	};
	struct dict *dict = open_map(server, 5);

	expect_lookups(dict, server->map, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
}

/* Oversized and malformed replies are lookup errors, and the next lookup reconnects. */
static void test_bad_replies(void **state)
{
	const struct server *server = *state;
	static const struct lookup_case cases[] = {
	    {"huge", DICT_ERR_RETRY, "table socketmap:MAP lookup error: input exceeds size limit"},
	    {"a", DICT_FOUND, "2:NAME:a"},
	    {"badterm", DICT_ERR_RETRY, "table socketmap:MAP lookup error: input format error"},
	    {"badlen", DICT_ERR_RETRY, "table socketmap:MAP lookup error: input format error"},
	    {"b", DICT_FOUND, "4:NAME:b"},
	};
	struct dict *dict = open_map(server, 5);

	expect_lookups(dict, server->map, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
}

/* A server that closes the connection between requests costs no lookup. */
static void test_reconnect_after_close(void **state)
{
	const struct server *server = *state;
	static const struct lookup_case cases[] = {
	    {"a", DICT_FOUND, "1:NAME:a"},
	    {"bye", DICT_FOUND, "1:NAME:bye"},
	    {"b", DICT_FOUND, "2:NAME:b"},
	};
	struct dict *dict = open_map(server, 5);

	expect_lookups(dict, server->map, cases, sizeof(cases) / sizeof(cases[0]));
	dict_close(&dict);
}

/* A server that never answers is a timeout, not a hang. */
static void test_hanging_server_times_out(void **state)
{
	const struct server *server = *state;
	static const struct lookup_case cases[] = {
	    {"hang", DICT_ERR_RETRY, "table socketmap:MAP lookup error: timeout"},
	};
	struct dict *dict = open_map(server, 1);

	expect_lookups(dict, server->map, cases, 1);
	dict_close(&dict);
}

static void test_no_server_and_bad_names(void **state)
{
	static const struct {
		const char *name;
		const char *error;
	} bad[] = {
	    {"nocolon", "socketmap:nocolon: requires server:socketmap argument"},
	    {"unix:name", "need service transport:endpoint instead of \"unix\""},
	    {"tcp:host:25:name", "invalid transport name: tcp in service: tcp:host:25"},
	};
	const char *error = NULL, *value = NULL;
	struct dict *dict =
	    dict_open("socketmap:unix:/nonexistent/postern/socket:x", NULL, 0, &error);

	assert_non_null(dict);
	assert_int_equal(dict_lookup(dict, "k", &value, &error), DICT_ERR_RETRY);
	assert_non_null(strstr(error, "/nonexistent/postern/socket"));
	dict_close(&dict);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error = NULL;
		if (dict_socketmap_open(bad[i].name, 0, &error) != NULL)
			fail_msg("\"%s\": opened, want an error", bad[i].name);
		if (strcmp(error, bad[i].error) != 0)
			fail_msg("\"%s\": got error \"%s\", want \"%s\"", bad[i].name, error,
			         bad[i].error);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reply_kinds, setup_unix, teardown),
	    cmocka_unit_test_setup_teardown(test_reply_kinds, setup_inet, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_replies, setup_unix, teardown),
	    cmocka_unit_test_setup_teardown(test_reconnect_after_close, setup_unix, teardown),
	    cmocka_unit_test_setup_teardown(test_reconnect_after_close, setup_inet, teardown),
	    cmocka_unit_test_setup_teardown(test_hanging_server_times_out, setup_unix, teardown),
	    cmocka_unit_test(test_no_server_and_bad_names),
	};

	msg_output_reset();
	msg_output_add(discard_output);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
