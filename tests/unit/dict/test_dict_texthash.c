/*
 * Unit tests for lib/dict/dict_texthash: a source file read at open, with
 * Postfix 3.7's results for the same file (postmap -q KEY texthash:FILE):
 * folding, continuation, skipped bad lines and the duplicate policy, and
 * the warnings naming file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"
#include "util/msg.h"
#include "util/strbuf.h"

static char test_dir[] = "/tmp/test_dict_texthash.XXXXXX";
static char path[128];
static struct strbuf *warnings;

static const char table_text[] = "Key1 value one\n"
                                 "# comment\n"
                                 "\n"
                                 "key2\tv2\n"
                                 "  continued here\n"
                                 "key3\n"
                                 "key1 dup\n"
                                 "key4   v4   \n";

static void capture_output(enum msg_level level, const char *text)
{
	strbuf_printf(warnings, "%s%s\n", msg_level_prefix(level), text);
}

static int setup(void **state)
{
	FILE *fp;

	if (mkdtemp(test_dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/table", test_dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs(table_text, fp);
	fclose(fp);
	warnings = strbuf_new(STRBUF_UNLIMITED);
	msg_output_reset();
	msg_output_add(capture_output);
	return 0;
}

static int teardown(void **state)
{
	char command[160];

	strbuf_free(&warnings);
	snprintf(command, sizeof(command), "rm -rf %s", test_dir);
	return system(command) == 0 ? 0 : -1;
}

static void check_lookups(struct dict *dict, const char *const pairs[][2], size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *value = NULL;
		const char *error = NULL;
		enum dict_status status = dict_lookup(dict, pairs[i][0], &value, &error);

		if (pairs[i][1] == NULL && status != DICT_NOT_FOUND)
			fail_msg("key %s: got %d, want not found", pairs[i][0], status);
		if (pairs[i][1] != NULL &&
		    (status != DICT_FOUND || strcmp(value, pairs[i][1]) != 0))
			fail_msg("key %s: got %d \"%s\", want \"%s\"", pairs[i][0], status,
			         status == DICT_FOUND ? value : "", pairs[i][1]);
	}
}

static void test_folded_lookups_and_warnings(void **state)
{
	static const char *const pairs[][2] = {
	    {"key1", "value one"}, {"KEY1", "value one"}, {"key2", "v2  continued here"},
	    {"key3", NULL},        {"key4", "v4"},        {"nokey", NULL},
	};
	const char *error = NULL;
	struct dict *dict;
	char want[512];

	strbuf_reset(warnings);
	dict = dict_open(path, "texthash", DICT_FLAG_FOLD_CASE, &error);
	assert_non_null(dict);
	check_lookups(dict, pairs, sizeof(pairs) / sizeof(pairs[0]));
	snprintf(want, sizeof(want),
	         "warning: %s, line 6: expected format: key whitespace value -- ignoring this "
	         "line\nwarning: %s, line 7: duplicate entry: \"key1\"\n",
	         path, path);
	if (strcmp(strbuf_str(warnings), want) != 0)
		fail_msg("got warnings:\n%swant:\n%s", strbuf_str(warnings), want);
	assert_int_equal(dict_update(dict, "k", "v", &error), DICT_ERR_CONFIG);
	dict_close(&dict);
}

static void test_exact_case(void **state)
{
	static const char *const pairs[][2] = {
	    {"Key1", "value one"},
	    {"key1", "dup"},
	};
	const char *error = NULL;
	struct dict *dict = dict_open(path, "texthash", 0, &error);

	assert_non_null(dict);
	check_lookups(dict, pairs, sizeof(pairs) / sizeof(pairs[0]));
	dict_close(&dict);
}

static void test_duplicate_policies(void **state)
{
	static const char *const replaced[][2] = {{"key1", "dup"}};
	static const char *const kept[][2] = {{"key1", "value one"}};
	const char *error = NULL;
	struct dict *dict;

	strbuf_reset(warnings);
	dict = dict_open(path, "texthash", DICT_FLAG_FOLD_CASE | DICT_FLAG_DUP_REPLACE, &error);
	check_lookups(dict, replaced, 1);
	dict_close(&dict);
	dict = dict_open(path, "texthash", DICT_FLAG_FOLD_CASE | DICT_FLAG_DUP_IGNORE, &error);
	check_lookups(dict, kept, 1);
	dict_close(&dict);
	if (strstr(strbuf_str(warnings), "duplicate") != NULL)
		fail_msg("got a duplicate warning with REPLACE/IGNORE: %s", strbuf_str(warnings));
}

static void test_iterate_and_properties(void **state)
{
	const char *error = NULL;
	const char *key, *value;
	struct dict *dict = dict_open(path, "texthash", DICT_FLAG_FOLD_CASE, &error);
	struct strbuf *keys = strbuf_new(STRBUF_UNLIMITED);

	assert_true(dict->properties & DICT_PROP_FILE);
	assert_string_equal(dict->file_path, path);
	for (bool first = true; dict_iterate(dict, first, &key, &value, &error) == DICT_FOUND;
	     first = false)
		strbuf_printf(keys, "%s ", key);
	assert_string_equal(strbuf_str(keys), "key1 key2 key4 ");
	strbuf_free(&keys);
	dict_close(&dict);
}

static void test_missing_file(void **state)
{
	const char *error = NULL;
	char missing[160];
	char want[256];

	snprintf(missing, sizeof(missing), "%s/missing", test_dir);
	snprintf(want, sizeof(want), "open database %s: No such file or directory", missing);
	assert_null(dict_open(missing, "texthash", 0, &error));
	assert_string_equal(error, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_folded_lookups_and_warnings),
	    cmocka_unit_test(test_exact_case),
	    cmocka_unit_test(test_duplicate_policies),
	    cmocka_unit_test(test_iterate_and_properties),
	    cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
