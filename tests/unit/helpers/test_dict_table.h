/*
 * Tables for dict unit tests: open or build one and fail the test with
 * the error, make one from text in a temporary file, and compare lookups
 * with "got X, want Y" messages.
 */
#ifndef TEST_DICT_TABLE_H
#define TEST_DICT_TABLE_H

#include <stddef.h>

#include "dict/dict.h"

/* One lookup and its expected value; want NULL: not found. */
struct test_dict_table_case {
	const char *key;
	const char *want;
};

/* Opens type:name with open(); fails the test with the error if that fails. */
struct dict *test_dict_table_open(dict_open_fn open, const char *type, const char *name, int flags);

/* Creates type:name from key/value pairs (kv ends with NULL), commits and closes it. */
void test_dict_table_build(dict_open_fn open, const char *type, const char *name, int flags,
                           const char *const *kv);

/*
 * Writes text to a temporary file, empties the log capture (see
 * test_msg_capture.h) and opens the file with open(); *path_r is the
 * file's path, for test_dict_table_remove().
 */
struct dict *test_dict_table_from_text(dict_open_fn open, const char *type, const char *text,
                                       char **path_r);

/* Closes a table made by test_dict_table_from_text() and removes its file. */
void test_dict_table_remove(struct dict **dict, char **path);

/* Fails the test unless dict_lookup(key) finds want (want NULL: finds nothing). */
void test_dict_table_expect(struct dict *dict, const char *key, const char *want);

/* Runs test_dict_table_expect() over count cases. */
void test_dict_table_expect_cases(struct dict *dict, const struct test_dict_table_case *cases,
                                  size_t count);

/*
 * As test_dict_table_expect_cases(), but asks the table type directly,
 * without dict_lookup()'s key folding and empty-result warnings.
 */
void test_dict_table_expect_type_cases(struct dict *dict, const struct test_dict_table_case *cases,
                                       size_t count);

#endif
