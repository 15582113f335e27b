/*
 * Unit tests for engine errors during pattern-table lookups: a rule whose
 * match fails inside PCRE2 (its match limit) is logged with the table and
 * line and skipped, and the search goes on, as Postfix does; the lookup
 * never turns into a temporary error that would defer the same mail for
 * ever.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_pcre.h"
#include "util/msg.h"
#include "util/strbuf.h"

static struct strbuf *warnings;

static void capture(enum msg_level level, const char *text)
{
	strbuf_printf(warnings, "%s%s\n", msg_level_prefix(level), text);
}

static void test_match_limit_skips_the_rule(void **state)
{
	char path[] = "/tmp/test_dict_match_errors.XXXXXX";
	const char *table = "/^(a|aa)+$/ first\n"
	                    "/^a/ second\n";
	char key[64], want[256];
	const char *error = NULL, *value = NULL;
	struct dict *dict;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, table, strlen(table)), (ssize_t)strlen(table));
	close(fd);
	memset(key, 'a', 40);
	strcpy(key + 40, "b");
	dict = dict_pcre_open(path, 0, &error);
	assert_non_null(dict);
	strbuf_reset(warnings);
	assert_int_equal(dict_lookup(dict, key, &value, &error), DICT_FOUND);
	assert_string_equal(value, "second");
	snprintf(want, sizeof(want), "warning: pcre map %s, line 1: match limit exceeded\n", path);
	if (strcmp(strbuf_str(warnings), want) != 0)
		fail_msg("got warnings \"%s\", want \"%s\"", strbuf_str(warnings), want);
	dict_close(&dict);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_limit_skips_the_rule),
	};

	warnings = strbuf_new(STRBUF_UNLIMITED);
	msg_output_reset();
	msg_output_add(capture);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
