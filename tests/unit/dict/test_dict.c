/*
 * Unit tests for lib/dict/dict: the type registry, "type:name" parsing and
 * its errors, sharing with reference counts, case folding, unsupported
 * operations, the in-memory internal: table, and dict_changed().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_internal.h"
#include "dict/dict_static.h"
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"
#include "util/msg.h"

static char test_dir[64];

static int setup(void **state)
{
	if (!test_tmpfile_dir_new(test_dir, sizeof(test_dir), "test_dict"))
		return -1;
	test_msg_capture_start();
	return 0;
}

static int teardown(void **state)
{
	return test_tmpfile_dir_remove(test_dir);
}

static void test_open_errors(void **state)
{
	static const struct {
		const char *type_name;
		const char *default_type;
		const char *want;
	} cases[] = {
	    {"foo:bar", NULL, "unsupported dictionary type: foo"},
	    {"static:", NULL,
	     "open dictionary: expecting \"type:name\" form instead of \"static:\""},
	    {":x", NULL, "open dictionary: expecting \"type:name\" form instead of \":x\""},
	    {"bare", NULL, "open dictionary: expecting \"type:name\" form instead of \"bare\""},
	    {"bare", "nosuchtype", "unsupported dictionary type: nosuchtype"},
	    {"", "static", "open dictionary: expecting \"type:name\" form instead of \"\""},
	    {"unix:foo", NULL, "unknown table: unix:foo"},
	    {"texthash:/nonexistent/x", NULL,
	     "open database /nonexistent/x: No such file or directory"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		struct dict *dict = dict_open(cases[i].type_name, cases[i].default_type, 0, &error);

		if (dict != NULL)
			fail_msg("%s: opened, want error %s", cases[i].type_name, cases[i].want);
		if (error == NULL || strcmp(error, cases[i].want) != 0)
			fail_msg("%s: got error \"%s\", want \"%s\"", cases[i].type_name,
			         error ? error : "(null)", cases[i].want);
	}
}

static void test_default_type_for_bare_name(void **state)
{
	const char *error = NULL;
	struct dict *dict = dict_open("answer", "static", 0, &error);

	assert_non_null(dict);
	assert_string_equal(dict->type, "static");
	assert_string_equal(dict->name, "answer");
	test_dict_table_expect(dict, "anything", "answer");
	dict_close(&dict);
	assert_null(dict);
}

static void test_sharing_and_refcount(void **state)
{
	const char *error = NULL;
	struct dict *first = dict_open("internal:shared", NULL, 0, &error);
	struct dict *second = dict_open("internal:shared", NULL, 0, &error);
	struct dict *folded = dict_open("internal:shared", NULL, DICT_FLAG_FOLD_CASE, &error);
	struct dict *other = dict_open("internal:other", NULL, 0, &error);

	assert_ptr_equal(first, second);
	assert_int_equal(first->refcount, 2);
	assert_ptr_not_equal(first, folded);
	assert_ptr_not_equal(first, other);
	assert_int_equal(dict_update(first, "k", "v", &error), DICT_FOUND);
	dict_close(&second);
	assert_null(second);
	assert_int_equal(first->refcount, 1);
	test_dict_table_expect(first, "k", "v");
	dict_close(&first);
	/* After the last close a new open starts empty. */
	first = dict_open("internal:shared", NULL, 0, &error);
	test_dict_table_expect(first, "k", NULL);
	dict_close(&first);
	dict_close(&folded);
	dict_close(&other);
}

static struct dict *custom_open(const char *name, int flags, const char **error_r)
{
	return dict_static_open("custom", flags, error_r);
}

static void test_registry(void **state)
{
	const char *const *names;
	const char *error = NULL;
	struct dict *dict;
	size_t count = 0;
	bool seen_custom = false;

	assert_false(dict_type_known("zzcustom"));
	dict_register("zzcustom", custom_open);
	assert_true(dict_type_known("zzcustom"));
	for (const char *const *type =
	         (const char *const[]){"environ", "fail", "inline", "internal", "static",
	                               "texthash", "unix", NULL};
	     *type; type++)
		if (!dict_type_known(*type))
			fail_msg("type %s: got unknown, want known", *type);
	names = dict_type_names();
	for (; names[count] != NULL; count++) {
		if (count > 0 && strcmp(names[count - 1], names[count]) >= 0)
			fail_msg("names not sorted: %s before %s", names[count - 1], names[count]);
		seen_custom |= strcmp(names[count], "zzcustom") == 0;
	}
	assert_true(seen_custom);
	assert_true(count >= 8);
	dict = dict_open("zzcustom:x", NULL, 0, &error);
	assert_non_null(dict);
	test_dict_table_expect(dict, "q", "custom");
	dict_close(&dict);
}

/* Registering a name twice is our bug: the child must die with a panic. */
static void test_register_twice_panics(void **state)
{
	char text[512] = "";
	int fds[2];
	int status;
	ssize_t got;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		msg_output_reset();
		msg_output_add(msg_stderr_output);
		dict_register("static", custom_open);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], text, sizeof(text) - 1);
	close(fds[0]);
	text[got > 0 ? got : 0] = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("got wait status %#x, want death by SIGABRT", status);
	if (strstr(text, "panic: dict_register: table type static is already registered") == NULL)
		fail_msg("got message \"%s\", want the duplicate registration panic", text);
}

static void test_fold_case(void **state)
{
	const char *error = NULL;
	struct dict *folded = dict_open("internal:fold", NULL, DICT_FLAG_FOLD_CASE, &error);
	struct dict *exact = dict_open("internal:exact", NULL, 0, &error);

	assert_int_equal(dict_update(folded, "MiXeD", "1", &error), DICT_FOUND);
	assert_int_equal(dict_update(exact, "MiXeD", "1", &error), DICT_FOUND);
	test_dict_table_expect(folded, "mixed", "1");
	test_dict_table_expect(folded, "MIXED", "1");
	test_dict_table_expect(exact, "MiXeD", "1");
	test_dict_table_expect(exact, "mixed", NULL);
	assert_string_equal(dict_fold_key(folded, "AbC"), "abc");
	assert_string_equal(dict_fold_key(exact, "AbC"), "AbC");
	assert_int_equal(dict_delete(folded, "MIXED", &error), DICT_FOUND);
	test_dict_table_expect(folded, "mixed", NULL);
	dict_close(&folded);
	dict_close(&exact);
}

static void test_unsupported_operations(void **state)
{
	const char *error = NULL;
	const char *key, *value;
	struct dict *dict = dict_open("static:x", NULL, 0, &error);

	assert_int_equal(dict_update(dict, "k", "v", &error), DICT_ERR_CONFIG);
	assert_string_equal(error, "table static:x: update operation is not supported");
	assert_int_equal(dict_delete(dict, "k", &error), DICT_ERR_CONFIG);
	assert_string_equal(error, "table static:x: delete operation is not supported");
	assert_int_equal(dict_iterate(dict, true, &key, &value, &error), DICT_ERR_CONFIG);
	assert_string_equal(error, "table static:x: sequence operation is not supported");
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
}

static void test_internal_table(void **state)
{
	const char *error = NULL;
	const char *key, *value;
	struct dict *dict = dict_open("internal:big", NULL, 0, &error);
	char name[32], want[32];
	int count = 0;

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "key%d", i);
		snprintf(want, sizeof(want), "value%d", i);
		assert_int_equal(dict_update(dict, name, want, &error), DICT_FOUND);
	}
	assert_int_equal(dict_update(dict, "key7", "replaced", &error), DICT_FOUND);
	assert_int_equal(dict_delete(dict, "key3", &error), DICT_FOUND);
	assert_int_equal(dict_delete(dict, "key3", &error), DICT_NOT_FOUND);
	test_dict_table_expect(dict, "key999", "value999");
	test_dict_table_expect(dict, "key7", "replaced");
	test_dict_table_expect(dict, "key3", NULL);
	for (bool first = true; dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND;
	     first = false) {
		int want_index = count < 3 ? count : count + 1;

		snprintf(name, sizeof(name), "key%d", want_index);
		if (strcmp(key, name) != 0)
			fail_msg("iteration %d: got %s, want %s", count, key, name);
		count++;
	}
	assert_int_equal(count, 999);
	dict_close(&dict);
}

static void test_internal_duplicate_warning(void **state)
{
	const char *error = NULL;
	struct dict *dict = dict_open("internal:dups", NULL, DICT_FLAG_DUP_WARN, &error);

	test_msg_capture_clear();
	assert_int_equal(dict_update(dict, "k", "first", &error), DICT_FOUND);
	assert_int_equal(dict_update(dict, "k", "second", &error), DICT_FOUND);
	test_dict_table_expect(dict, "k", "first");
	assert_string_equal(test_msg_capture_text(),
	                    "warning: table internal:dups: duplicate entry: \"k\"\n");
	dict_close(&dict);
}

static void test_changed_after_rewrite(void **state)
{
	char path[128];
	const char *error = NULL;
	const char *name = NULL;
	struct dict *dict;
	struct timespec times[2] = {{0, UTIME_OMIT}, {0, 0}};

	snprintf(path, sizeof(path), "%s/table", test_dir);
	test_tmpfile_write(path, "key value\n");
	dict = dict_open(path, "texthash", 0, &error);
	assert_non_null(dict);
	assert_false(dict_changed(&name));
	test_dict_table_expect(dict, "key", "value");
	/* Rewrite in place; pin the new mtime so the test does not depend on timing. */
	test_tmpfile_write(path, "key other\n");
	times[1].tv_sec = time(NULL) + 5;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	assert_true(dict_changed(&name));
	assert_string_equal(name, path);
	dict_close(&dict);
	assert_false(dict_changed(&name));
}

static void test_changed_after_replace_or_remove(void **state)
{
	char path[128], temp[140];
	const char *error = NULL;
	struct dict *dict;

	snprintf(path, sizeof(path), "%s/replaced", test_dir);
	snprintf(temp, sizeof(temp), "%s.tmp", path);
	test_tmpfile_write(path, "key value\n");
	dict = dict_open("texthash:", NULL, 0, &error);
	assert_null(dict);
	dict = dict_open(path, "texthash", 0, &error);
	assert_false(dict_changed(NULL));
	test_tmpfile_write(temp, "key value\n");
	assert_int_equal(rename(temp, path), 0);
	assert_true(dict_changed(NULL));
	dict_close(&dict);

	dict = dict_open(path, "texthash", 0, &error);
	assert_false(dict_changed(NULL));
	assert_int_equal(unlink(path), 0);
	assert_true(dict_changed(NULL));
	dict_close(&dict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_default_type_for_bare_name),
	    cmocka_unit_test(test_sharing_and_refcount),
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_register_twice_panics),
	    cmocka_unit_test(test_fold_case),
	    cmocka_unit_test(test_unsupported_operations),
	    cmocka_unit_test(test_internal_table),
	    cmocka_unit_test(test_internal_duplicate_warning),
	    cmocka_unit_test(test_changed_after_rewrite),
	    cmocka_unit_test(test_changed_after_replace_or_remove),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
