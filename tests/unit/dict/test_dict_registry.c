/*
 * Unit tests for the built-in table registry (lib/dict/dict_types.def):
 * every file, pattern and socket type opens through dict_open("type:name")
 * and answers a lookup as that type, and dict_type_names() lists every
 * type in sorted order, as postconf -m prints them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dict/dict.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"
#include "util/sock.h"

static char test_dir[64];

static int setup(void **state)
{
	if (!test_tmpfile_dir_new(test_dir, sizeof(test_dir), "test_dict_registry"))
		return -1;
	test_msg_capture_discard();
	return 0;
}

static int teardown(void **state)
{
	return test_tmpfile_dir_remove(test_dir);
}

/* Opens type_name through the registry, checks its type, looks key up. */
static void expect_lookup(const char *type_name, const char *type, const char *key,
                          const char *want)
{
	const char *error = NULL, *value = NULL;
	struct dict *dict = dict_open(type_name, NULL, 0, &error);
	enum dict_status status;

	if (dict == NULL)
		fail_msg("open %s: got error \"%s\", want a table", type_name, error);
	if (strcmp(dict->type, type) != 0)
		fail_msg("open %s: got type %s, want %s", type_name, dict->type, type);
	status = dict_lookup(dict, key, &value, &error);
	if (status != DICT_FOUND || strcmp(value, want) != 0)
		fail_msg("%s key %s: got status %d value \"%s\", want \"%s\"", type_name, key,
		         status, status == DICT_FOUND ? value : "", want);
	dict_close(&dict);
}

/* Builds type:name with one entry, through the registry, for reading back. */
static void build_table(const char *type_name, const char *key, const char *value)
{
	const char *error = NULL;
	struct dict *dict = dict_open(type_name, NULL, DICT_FLAG_CREATE | DICT_FLAG_WRITE, &error);

	if (dict == NULL)
		fail_msg("create %s: %s", type_name, error);
	assert_int_equal(dict_update(dict, key, value, &error), DICT_FOUND);
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
}

static void test_file_types_open_by_name(void **state)
{
	static const char *const types[] = {"hash", "btree", "lmdb"};
	char type_name[256];

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(type_name, sizeof(type_name), "%s:%s/map-%s", types[i], test_dir,
		         types[i]);
		build_table(type_name, "alice@example.com", types[i]);
		expect_lookup(type_name, types[i], "alice@example.com", types[i]);
	}
}

static void test_pattern_types_open_by_name(void **state)
{
	static const struct {
		const char *type;
		const char *text;
		const char *key;
		const char *want;
	} cases[] = {
	    {"regexp", "/^(.*)@example\\.com$/ user $1\n", "bob@example.com", "user bob"},
	    {"pcre", "/^(\\w+)@example\\.com$/ user $1\n", "carol@example.com", "user carol"},
	    {"cidr", "192.0.2.0/24 REJECT\n", "192.0.2.7", "REJECT"},
	};
	char path[256], type_name[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", test_dir, cases[i].type);
		test_tmpfile_write(path, cases[i].text);
		snprintf(type_name, sizeof(type_name), "%s:%s", cases[i].type, path);
		expect_lookup(type_name, cases[i].type, cases[i].key, cases[i].want);
	}
}

/* Answers one socketmap request with "OK <name> <key>" and exits. */
static _Noreturn void serve_one(int listen_fd)
{
	char request[256], reply[300];
	size_t len = 0;
	int fd = accept(listen_fd, NULL, NULL);
	const char *payload;

	while (fd >= 0 && len < sizeof(request) - 1 && read(fd, request + len, 1) == 1 &&
	       request[len] != ',')
		len++;
	request[len] = 0;
	payload = strchr(request, ':');
	payload = payload ? payload + 1 : "";
	snprintf(reply, sizeof(reply), "%zu:OK %s,", strlen(payload) + 3, payload);
	if (fd < 0 || write(fd, reply, strlen(reply)) != (ssize_t)strlen(reply))
		_exit(1);
	_exit(0);
}

static void test_socketmap_opens_by_name(void **state)
{
	const char *error = NULL;
	char path[256], type_name[300];
	int listen_fd, status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/socket", test_dir);
	listen_fd = sock_unix_listen(path, 0600, 5, &error);
	if (listen_fd < 0)
		fail_msg("listen %s: %s", path, error);
	if ((pid = fork()) == 0)
		serve_one(listen_fd);
	close(listen_fd);
	snprintf(type_name, sizeof(type_name), "socketmap:unix:%s:users", path);
	expect_lookup(type_name, "socketmap", "dave", "users dave");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_type_names_sorted_and_complete(void **state)
{
	static const char *const want[] = {"btree",  "cidr",   "hash",      "lmdb",
	                                   "pcre",   "regexp", "socketmap", "texthash",
	                                   "static", "inline", "unix"};
	const char *const *names = dict_type_names();
	size_t count = 0;

	for (; names[count] != NULL; count++)
		if (count > 0 && strcmp(names[count - 1], names[count]) >= 0)
			fail_msg("names[%zu] = \"%s\" after \"%s\": want sorted, unique", count,
			         names[count], names[count - 1]);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t j = 0;

		while (j < count && strcmp(names[j], want[i]) != 0)
			j++;
		if (j == count)
			fail_msg("type %s: got not listed, want listed", want[i]);
		if (!dict_type_known(want[i]))
			fail_msg("dict_type_known(%s): got false, want true", want[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_types_open_by_name),
	    cmocka_unit_test(test_pattern_types_open_by_name),
	    cmocka_unit_test(test_socketmap_opens_by_name),
	    cmocka_unit_test(test_type_names_sorted_and_complete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
