/*
 * Table helpers for dict unit tests: the open-or-fail, build, temporary
 * table and lookup-and-compare steps that every table type's test needs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/test_dict_table.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"

struct dict *test_dict_table_open(dict_open_fn open, const char *type, const char *name, int flags)
{
	const char *error = NULL;
	struct dict *dict = open(name, flags, &error);

	if (dict == NULL)
		fail_msg("open %s:%s: got error \"%s\", want a table", type, name, error);
	return dict;
}

void test_dict_table_build(dict_open_fn open, const char *type, const char *name, int flags,
                           const char *const *kv)
{
	struct dict *dict = test_dict_table_open(open, type, name, DICT_FLAG_CREATE | flags);
	const char *error = NULL;

	for (; kv[0] != NULL; kv += 2)
		assert_int_equal(dict_update(dict, kv[0], kv[1], &error), DICT_FOUND);
	assert_int_equal(dict_sync(dict, &error), DICT_FOUND);
	dict_close(&dict);
}

struct dict *test_dict_table_from_text(dict_open_fn open, const char *type, const char *text,
                                       char **path_r)
{
	char name[64];

	snprintf(name, sizeof(name), "test_dict_%s", type);
	*path_r = test_tmpfile_new(name, text);
	test_msg_capture_clear();
	return test_dict_table_open(open, type, *path_r, 0);
}

void test_dict_table_remove(struct dict **dict, char **path)
{
	dict_close(dict);
	assert_null(*dict);
	unlink(*path);
	free(*path);
	*path = NULL;
}

/* Compares one lookup result with want, through dict_lookup() or the type's own lookup. */
static void compare_lookup(struct dict *dict, const char *key, const char *want, bool direct)
{
	const char *value = NULL, *error = NULL;
	enum dict_status status = direct ? dict->ops->lookup(dict, key, &value, &error)
	                                 : dict_lookup(dict, key, &value, &error);

	if (want == NULL && status != DICT_NOT_FOUND)
		fail_msg("key \"%s\": got status %d value \"%s\", want not found", key, status,
		         status == DICT_FOUND ? value : "");
	if (want != NULL && (status != DICT_FOUND || strcmp(value, want) != 0))
		fail_msg("key \"%s\": got status %d value \"%s\" (%s), want \"%s\"", key, status,
		         status == DICT_FOUND ? value : "", error ? error : "", want);
}

void test_dict_table_expect(struct dict *dict, const char *key, const char *want)
{
	compare_lookup(dict, key, want, false);
}

void test_dict_table_expect_cases(struct dict *dict, const struct test_dict_table_case *cases,
                                  size_t count)
{
	for (size_t i = 0; i < count; i++)
		compare_lookup(dict, cases[i].key, cases[i].want, false);
}

void test_dict_table_expect_type_cases(struct dict *dict, const struct test_dict_table_case *cases,
                                       size_t count)
{
	for (size_t i = 0; i < count; i++)
		compare_lookup(dict, cases[i].key, cases[i].want, true);
}
