/*
 * Unit tests for lib/dict/dict_db (with dict_nul and dict_file): hash and
 * btree tables built, read, updated in place, iterated; the trailing-NUL
 * conventions as Postfix writes them; atomic rebuilds seen by readers;
 * Postfix's flock protocol; and clear errors for missing or corrupt files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <db.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_db.h"
#include "dict/dict_nul.h"
#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"

struct db_type {
	const char *name;
	dict_open_fn open;
	DBTYPE db_type;
};

static const struct db_type db_types[] = {
    {"hash", dict_db_open_hash, DB_HASH},
    {"btree", dict_db_open_btree, DB_BTREE},
};

struct fixture {
	char dir[64];
	char name[128]; /* table name, without .db */
	char path[160]; /* name.db */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_true(test_tmpfile_dir_new(fx->dir, sizeof(fx->dir), "test_dict_db"));
	snprintf(fx->name, sizeof(fx->name), "%s/map", fx->dir);
	snprintf(fx->path, sizeof(fx->path), "%s/map.db", fx->dir);
	test_msg_capture_start();
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

static struct dict *open_ok(const struct db_type *type, const char *name, int flags)
{
	return test_dict_table_open(type->open, type->name, name, flags);
}

/* Builds type:name from key/value pairs (NULL-terminated) and commits it. */
static void build(const struct db_type *type, const char *name, int flags, const char *const *kv)
{
	test_dict_table_build(type->open, type->name, name, flags, kv);
}

static const char *const sample[] = {"foo", "bar", "baz", "qux quux", "key2", "value 2", NULL};

static void test_build_lookup_iterate(void **state)
{
	struct fixture *fx = *state;

	for (size_t t = 0; t < sizeof(db_types) / sizeof(db_types[0]); t++) {
		const struct db_type *type = &db_types[t];
		struct dict *dict;
		const char *key, *value, *error = NULL;
		int seen = 0;
		char listing[256];

		build(type, fx->name, 0, sample);
		test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
		assert_string_equal(listing, "map.db ");
		dict = open_ok(type, fx->name, DICT_FLAG_LOCK);
		test_dict_table_expect(dict, "foo", "bar");
		test_dict_table_expect(dict, "baz", "qux quux");
		test_dict_table_expect(dict, "key2", "value 2");
		test_dict_table_expect(dict, "missing", NULL);
		test_dict_table_expect(dict, "fo", NULL);
		for (bool first = true;
		     dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND; first = false) {
			for (int i = 0; sample[i] != NULL; i += 2)
				if (strcmp(key, sample[i]) == 0 &&
				    strcmp(value, sample[i + 1]) == 0)
					seen |= 1 << i / 2;
		}
		if (seen != 7)
			fail_msg("%s: iteration saw entries mask %d, want 7", type->name, seen);
		dict_close(&dict);
		assert_null(dict);
		unlink(fx->path);
	}
}

/* Reads the raw key and value sizes with Berkeley DB itself. */
static void raw_sizes(const struct fixture *fx, DBTYPE type, const char *key, size_t key_len,
                      int *ret_r, size_t *value_len_r)
{
	DB *db;
	DBT db_key = {.data = (void *)key, .size = (u_int32_t)key_len};
	DBT db_value = {0};

	assert_int_equal(db_create(&db, NULL, 0), 0);
	assert_int_equal(db->open(db, NULL, fx->path, NULL, type, DB_RDONLY, 0), 0);
	*ret_r = db->get(db, NULL, &db_key, &db_value, 0);
	*value_len_r = db_value.size;
	db->close(db, 0);
}

static void test_nul_conventions(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		int build_flags;
		size_t stored_key_len;   /* of "foo" */
		size_t stored_value_len; /* of "bar" */
	} cases[] = {
	    {0, 4, 4},                     /* Postfix's default: with the NUL */
	    {DICT_NUL_FLAG_INCLUDE, 4, 4}, /* postmap -N */
	    {DICT_NUL_FLAG_EXCLUDE, 3, 3}, /* postmap -n */
	};

	for (size_t t = 0; t < sizeof(db_types) / sizeof(db_types[0]); t++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct dict *dict;
			size_t value_len = 0;
			int ret;

			build(&db_types[t], fx->name, cases[i].build_flags, sample);
			raw_sizes(fx, db_types[t].db_type, "foo\0", cases[i].stored_key_len, &ret,
			          &value_len);
			if (ret != 0 || value_len != cases[i].stored_value_len)
				fail_msg("%s case %zu: raw get got %d size %zu, want 0 size %zu",
				         db_types[t].name, i, ret, value_len,
				         cases[i].stored_value_len);
			/* A default reader finds either form, and strips the NUL. */
			dict = open_ok(&db_types[t], fx->name, 0);
			test_dict_table_expect(dict, "foo", "bar");
			test_dict_table_expect(dict, "baz", "qux quux");
			dict_close(&dict);
			unlink(fx->path);
		}
	}
}

static void test_nul_forced_reader_misses_other_form(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict;

	build(&db_types[0], fx->name, DICT_NUL_FLAG_EXCLUDE, sample);
	dict = open_ok(&db_types[0], fx->name, DICT_NUL_FLAG_INCLUDE);
	test_dict_table_expect(dict, "foo", NULL);
	dict_close(&dict);
	dict = open_ok(&db_types[0], fx->name, DICT_NUL_FLAG_EXCLUDE);
	test_dict_table_expect(dict, "foo", "bar");
	dict_close(&dict);
}

static void test_update_delete_in_place(void **state)
{
	struct fixture *fx = *state;

	for (size_t t = 0; t < sizeof(db_types) / sizeof(db_types[0]); t++) {
		struct dict *dict;
		const char *error = NULL;

		build(&db_types[t], fx->name, 0, sample);
		dict = open_ok(&db_types[t], fx->name, DICT_FLAG_WRITE | DICT_FLAG_DUP_REPLACE);
		assert_int_equal(dict_update(dict, "new", "entry", &error), DICT_FOUND);
		assert_int_equal(dict_update(dict, "foo", "replaced", &error), DICT_FOUND);
		assert_int_equal(dict_delete(dict, "key2", &error), DICT_FOUND);
		assert_int_equal(dict_delete(dict, "key2", &error), DICT_NOT_FOUND);
		assert_int_equal(dict_delete(dict, "never", &error), DICT_NOT_FOUND);
		assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
		dict_close(&dict);
		dict = open_ok(&db_types[t], fx->name, 0);
		test_dict_table_expect(dict, "new", "entry");
		test_dict_table_expect(dict, "foo", "replaced");
		test_dict_table_expect(dict, "key2", NULL);
		test_dict_table_expect(dict, "baz", "qux quux");
		dict_close(&dict);
		unlink(fx->path);
	}
}

static void test_update_keeps_table_nul_form(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict;
	const char *error = NULL;
	size_t value_len = 0;
	int ret;

	build(&db_types[0], fx->name, DICT_NUL_FLAG_EXCLUDE, sample);
	dict = open_ok(&db_types[0], fx->name, DICT_FLAG_WRITE | DICT_NUL_FLAG_EXCLUDE);
	assert_int_equal(dict_update(dict, "new", "v", &error), DICT_FOUND);
	dict_close(&dict);
	raw_sizes(fx, DB_HASH, "new", 3, &ret, &value_len);
	if (ret != 0 || value_len != 1)
		fail_msg("raw get of \"new\" got %d size %zu, want 0 size 1", ret, value_len);
}

static void test_duplicates(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		int flags;
		const char *want; /* after "open database PATH: " */
		bool warns;
	} cases[] = {
	    {0, "second", false},
	    {DICT_FLAG_DUP_REPLACE, "second", false},
	    {DICT_FLAG_DUP_IGNORE, "first", false},
	    {DICT_FLAG_DUP_WARN, "first", true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *kv[] = {"k", "first", "k", "second", NULL};
		char want_warning[256];
		struct dict *dict;

		test_msg_capture_clear();
		build(&db_types[1], fx->name, cases[i].flags, kv);
		want_warning[0] = 0;
		if (cases[i].warns)
			snprintf(want_warning, sizeof(want_warning),
			         "warning: %s: duplicate entry: \"k\"\n", fx->path);
		if (strcmp(test_msg_capture_text(), want_warning) != 0)
			fail_msg("case %zu: got log \"%s\", want \"%s\"", i,
			         test_msg_capture_text(), want_warning);
		dict = open_ok(&db_types[1], fx->name, 0);
		test_dict_table_expect(dict, "k", cases[i].want);
		dict_close(&dict);
	}
}

static void test_rebuild_is_atomic_for_readers(void **state)
{
	struct fixture *fx = *state;
	const char *next[] = {"foo", "new bar", "extra", "yes", NULL};
	struct dict *old_reader, *builder, *new_reader;
	const char *error = NULL;
	char listing[256];

	build(&db_types[0], fx->name, 0, sample);
	old_reader = open_ok(&db_types[0], fx->name, DICT_FLAG_LOCK);
	builder = open_ok(&db_types[0], fx->name, DICT_FLAG_CREATE);
	assert_int_equal(dict_update(builder, next[0], next[1], &error), DICT_FOUND);
	/* Mid-build, a new reader still gets the old, complete table. */
	new_reader = open_ok(&db_types[0], fx->name, 0);
	test_dict_table_expect(new_reader, "baz", "qux quux");
	test_dict_table_expect(new_reader, "foo", "bar");
	dict_close(&new_reader);
	assert_int_equal(dict_update(builder, next[2], next[3], &error), DICT_FOUND);
	assert_int_equal(dict_sync(builder, &error), DICT_FOUND);
	dict_close(&builder);
	test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
	assert_string_equal(listing, "map.db ");
	/* The reader opened before keeps its table; a new open sees the new one. */
	test_dict_table_expect(old_reader, "foo", "bar");
	test_dict_table_expect(old_reader, "extra", NULL);
	new_reader = open_ok(&db_types[0], fx->name, 0);
	test_dict_table_expect(new_reader, "foo", "new bar");
	test_dict_table_expect(new_reader, "extra", "yes");
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

	build(&db_types[0], fx->name, 0, sample);
	builder = open_ok(&db_types[0], fx->name, DICT_FLAG_CREATE);
	assert_int_equal(dict_update(builder, "foo", "half", &error), DICT_FOUND);
	dict_close(&builder);
	test_tmpfile_dir_list(fx->dir, listing, sizeof(listing));
	assert_string_equal(listing, "map.db ");
	reader = open_ok(&db_types[0], fx->name, 0);
	test_dict_table_expect(reader, "foo", "bar");
	dict_close(&reader);
}

static void test_rebuild_keeps_mode(void **state)
{
	struct fixture *fx = *state;
	struct stat st;

	build(&db_types[0], fx->name, 0, sample);
	assert_int_equal(chmod(fx->path, 0640), 0);
	build(&db_types[0], fx->name, 0, sample);
	assert_int_equal(stat(fx->path, &st), 0);
	if ((st.st_mode & 07777) != 0640)
		fail_msg("rebuilt mode %o, want 640", st.st_mode & 07777);
}

/* True when another open file description can take an exclusive flock now. */
static bool lock_free(const char *path)
{
	int fd = open(path, O_RDONLY);
	bool free_now;

	assert_true(fd >= 0);
	free_now = flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return free_now;
}

static void test_locks_as_postfix(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict;

	build(&db_types[0], fx->name, 0, sample);
	dict = open_ok(&db_types[0], fx->name, DICT_FLAG_WRITE);
	if (lock_free(fx->path))
		fail_msg("writer open: got the file unlocked, want an exclusive flock");
	dict_close(&dict);
	dict = open_ok(&db_types[0], fx->name, DICT_FLAG_CREATE);
	if (lock_free(fx->path))
		fail_msg("rebuild: got the old file unlocked, want an exclusive flock");
	dict_close(&dict);
	dict = open_ok(&db_types[0], fx->name, DICT_FLAG_LOCK);
	if (!lock_free(fx->path))
		fail_msg("reader between lookups: got the file locked, want it free");
	dict_close(&dict);
	assert_true(lock_free(fx->path));
}

static void test_open_errors(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *content; /* NULL: no file */
		const char *want;    /* after "open database PATH: " */
	} cases[] = {
	    {NULL, "No such file or directory"},
	    {"this is not a database file at all, just text\n", "Invalid argument"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int write = 0; write < 2; write++) {
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
			dict = dict_db_open_hash(fx->name, write ? DICT_FLAG_WRITE : 0, &error);
			snprintf(want, sizeof(want), "open database %s: %s", fx->path,
			         cases[i].want);
			if (dict != NULL || error == NULL || strcmp(error, want) != 0)
				fail_msg("case %zu write %d: got %p \"%s\", want NULL \"%s\"", i,
				         write, (void *)dict, error ? error : "", want);
		}
	}
}

static void test_many_keys(void **state)
{
	struct fixture *fx = *state;
	struct dict *dict = open_ok(&db_types[0], fx->name, DICT_FLAG_CREATE);
	const char *error = NULL;
	char key[32], value[32];

	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		snprintf(value, sizeof(value), "value%d", i * 7);
		assert_int_equal(dict_update(dict, key, value, &error), DICT_FOUND);
	}
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
	dict = open_ok(&db_types[0], fx->name, 0);
	for (int i = 0; i < 20000; i += 997) {
		snprintf(key, sizeof(key), "key%d", i);
		snprintf(value, sizeof(value), "value%d", i * 7);
		test_dict_table_expect(dict, key, value);
	}
	dict_close(&dict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_build_lookup_iterate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_conventions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_forced_reader_misses_other_form, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_update_delete_in_place, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_update_keeps_table_nul_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rebuild_is_atomic_for_readers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_abandoned_build_leaves_old_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rebuild_keeps_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_locks_as_postfix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
