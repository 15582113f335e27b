/*
 * Unit tests for lib/dict/dict_lmdb: build, lookup, in-place update and
 * delete, iteration, the trailing-NUL forms, map growth when full (while
 * building and in place), atomic rebuilds seen by readers, the flock
 * protocol, and clear errors for missing or corrupt files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_lmdb.h"
#include "dict/dict_nul.h"
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"

struct fixture {
	char dir[64];
	char name[128]; /* table name, without .lmdb */
	char path[160]; /* name.lmdb */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_true(test_tmpfile_dir_new(fx->dir, sizeof(fx->dir), "test_dict_lmdb"));
	snprintf(fx->name, sizeof(fx->name), "%s/map", fx->dir);
	snprintf(fx->path, sizeof(fx->path), "%s/map.lmdb", fx->dir);
	test_msg_capture_discard();
	dict_lmdb_set_map_size(16 * 1024 * 1024);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(test_tmpfile_dir_remove(fx->dir), 0);
	free(fx);
	return 0;
}

static struct dict *open_ok(const char *name, int flags)
{
	return test_dict_table_open(dict_lmdb_open, "lmdb", name, flags);
}

static void build(const char *name, int flags, const char *const *kv)
{
	test_dict_table_build(dict_lmdb_open, "lmdb", name, flags, kv);
}

static const char *const sample[] = {"foo", "bar", "baz", "qux quux", "key2", "value 2", NULL};

static void test_build_lookup_iterate(void **state)
{
	struct fixture *fx = *state;
	const char *key, *value, *error = NULL;
	struct dict *dict;
	char listing[256];
	int count = 0;

	build(fx->name, 0, sample);
	test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
	assert_string_equal(listing, "map.lmdb ");
	dict = open_ok(fx->name, DICT_FLAG_LOCK);
	test_dict_table_expect(dict, "foo", "bar");
	test_dict_table_expect(dict, "baz", "qux quux");
	test_dict_table_expect(dict, "missing", NULL);
	/* LMDB iterates in key order. */
	for (bool first = true; dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND;
	     first = false) {
		static const char *const order[] = {"baz", "foo", "key2"};

		if (count >= 3 || strcmp(key, order[count]) != 0)
			fail_msg("iteration step %d: got key \"%s\", want \"%s\"", count, key,
			         count < 3 ? order[count] : "(end)");
		count++;
	}
	assert_int_equal(count, 3);
	dict_close(&dict);
}

/* The raw stored size of key (key_len bytes), or 0 when absent. */
static size_t raw_value_size(const struct fixture *fx, const char *key, size_t key_len)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = {.mv_size = key_len, .mv_data = (void *)key}, v = {0};
	size_t size;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, fx->path, MDB_NOSUBDIR | MDB_NOLOCK | MDB_RDONLY, 0), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
	size = mdb_get(txn, dbi, &k, &v) == 0 ? v.mv_size : 0;
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return size;
}

static void test_nul_conventions(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		int flags;
		size_t key_len;
		size_t value_len;
	} cases[] = {
	    {0, 4, 4},
	    {DICT_NUL_FLAG_INCLUDE, 4, 4},
	    {DICT_NUL_FLAG_EXCLUDE, 3, 3},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dict *dict;
		size_t got;

		build(fx->name, cases[i].flags, sample);
		got = raw_value_size(fx, "foo", cases[i].key_len);
		if (got != cases[i].value_len)
			fail_msg("case %zu: raw value size %zu, want %zu", i, got,
			         cases[i].value_len);
		dict = open_ok(fx->name, 0);
		test_dict_table_expect(dict, "foo", "bar");
		dict_close(&dict);
	}
}

static void test_update_delete_in_place(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	struct dict *dict;

	build(fx->name, 0, sample);
	dict = open_ok(fx->name, DICT_FLAG_WRITE | DICT_FLAG_DUP_IGNORE);
	assert_int_equal(dict_update(dict, "new", "entry", &error), DICT_FOUND);
	assert_int_equal(dict_update(dict, "foo", "ignored", &error), DICT_FOUND);
	test_dict_table_expect(dict, "foo", "bar");
	assert_int_equal(dict_delete(dict, "key2", &error), DICT_FOUND);
	assert_int_equal(dict_delete(dict, "key2", &error), DICT_NOT_FOUND);
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
	dict = open_ok(fx->name, 0);
	test_dict_table_expect(dict, "new", "entry");
	test_dict_table_expect(dict, "foo", "bar");
	test_dict_table_expect(dict, "key2", NULL);
	dict_close(&dict);
}

/* Writes count keys of about 100 bytes each into an open table. */
static void fill(struct dict *dict, int count)
{
	const char *error = NULL;
	char key[32], value[128];

	for (int i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "key%06d", i);
		snprintf(value, sizeof(value), "%0100d", i);
		if (dict_update(dict, key, value, &error) != DICT_FOUND)
			fail_msg("update %s: got error \"%s\", want success", key, error);
	}
}

static void check_filled(const struct fixture *fx, int count)
{
	struct dict *dict = open_ok(fx->name, 0);
	char key[32], value[128];

	for (int i = 0; i < count; i += 331) {
		snprintf(key, sizeof(key), "key%06d", i);
		snprintf(value, sizeof(value), "%0100d", i);
		test_dict_table_expect(dict, key, value);
	}
	dict_close(&dict);
}

static void test_map_grows_when_full(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	struct dict *dict;

	/* 5000 entries of ~120 bytes do not fit in 64 KiB: building must grow. */
	dict_lmdb_set_map_size(64 * 1024);
	dict = open_ok(fx->name, DICT_FLAG_CREATE);
	fill(dict, 5000);
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
	check_filled(fx, 5000);
}

static void test_map_grows_in_place(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict;

	/* 400 entries of ~120 bytes overflow a 32 KiB file updated in place. */
	dict_lmdb_set_map_size(32 * 1024);
	build(fx->name, 0, sample);
	dict = open_ok(fx->name, DICT_FLAG_WRITE | DICT_FLAG_DUP_REPLACE);
	fill(dict, 400);
	dict_close(&dict);
	check_filled(fx, 400);
}

static void test_rebuild_is_atomic_for_readers(void **state)
{
	struct fixture *fx = *state;
	struct dict *old_reader, *builder, *new_reader;
	const char *error = NULL;
	char listing[256];

	build(fx->name, 0, sample);
	old_reader = open_ok(fx->name, DICT_FLAG_LOCK);
	builder = open_ok(fx->name, DICT_FLAG_CREATE);
	assert_int_equal(dict_update(builder, "foo", "new bar", &error), DICT_FOUND);
	new_reader = open_ok(fx->name, 0);
	test_dict_table_expect(new_reader, "foo", "bar");
	dict_close(&new_reader);
	assert_int_equal(dict_sync(builder, &error), DICT_FOUND);
	dict_close(&builder);
	test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
	assert_string_equal(listing, "map.lmdb ");
	test_dict_table_expect(old_reader, "foo", "bar");
	test_dict_table_expect(old_reader, "baz", "qux quux");
	new_reader = open_ok(fx->name, 0);
	test_dict_table_expect(new_reader, "foo", "new bar");
	test_dict_table_expect(new_reader, "baz", NULL);
	dict_close(&new_reader);
	dict_close(&old_reader);
}

static void test_abandoned_build_leaves_old_table(void **state)
{
	struct fixture *fx = *state;
	struct dict *builder, *reader;
	const char *error = NULL;
	char listing[256];

	build(fx->name, 0, sample);
	builder = open_ok(fx->name, DICT_FLAG_CREATE);
	assert_int_equal(dict_update(builder, "foo", "half", &error), DICT_FOUND);
	dict_close(&builder);
	test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
	assert_string_equal(listing, "map.lmdb ");
	reader = open_ok(fx->name, 0);
	test_dict_table_expect(reader, "foo", "bar");
	dict_close(&reader);
}

static void test_writer_holds_lock(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict;
	int fd;

	build(fx->name, 0, sample);
	dict = open_ok(fx->name, DICT_FLAG_WRITE);
	fd = open(fx->path, O_RDONLY);
	assert_true(fd >= 0);
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		fail_msg("writer open: got a shared lock, want it refused");
	dict_close(&dict);
	assert_int_equal(flock(fd, LOCK_SH | LOCK_NB), 0);
	close(fd);
}

static void test_open_errors(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *content; /* NULL: no file */
		const char *want;    /* after "open database PATH: " */
	} cases[] = {
	    {NULL, "No such file or directory"},
	    {"not an lmdb file, but long enough to hold two meta pages? no: text only\n",
	     "MDB_INVALID: File is not an LMDB file"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *error = NULL;
		char want[256];
		struct dict *dict;

		unlink(fx->path);
		if (cases[i].content != NULL) {
			FILE *fp = fopen(fx->path, "w");

			assert_non_null(fp);
			fputs(cases[i].content, fp);
			fclose(fp);
		}
		dict = dict_lmdb_open(fx->name, 0, &error);
		snprintf(want, sizeof(want), "open database %s: %s", fx->path, cases[i].want);
		if (dict != NULL || error == NULL || strcmp(error, want) != 0)
			fail_msg("case %zu: got %p \"%s\", want NULL \"%s\"", i, (void *)dict,
			         error ? error : "", want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_build_lookup_iterate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_conventions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_update_delete_in_place, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_grows_when_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_grows_in_place, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rebuild_is_atomic_for_readers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_abandoned_build_leaves_old_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_writer_holds_lock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
