/*
 * Unit tests for lib/config/string_list over real lookup tables from
 * lib/dict/dict_match: exact and case-insensitive names, negation,
 * static:anyone (authorized_submit_users' default), inline and pattern
 * tables, and a table that cannot be opened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "config/string_list.h"
#include "dict/dict_match.h"

struct case_row {
	const char *patterns;
	const char *name;
	enum match_list_result want;
};

static const struct case_row cases[] = {
    {"static:anyone", "alice", MATCH_LIST_YES},
    {"static:anyone", "", MATCH_LIST_YES},
    {"root, alice", "alice", MATCH_LIST_YES},
    {"root alice", "ALICE", MATCH_LIST_YES},
    {"root, alice", "alic", MATCH_LIST_NO},
    {"root, alice", "alice2", MATCH_LIST_NO},
    {"", "root", MATCH_LIST_NO},
    {"!bob, static:anyone", "bob", MATCH_LIST_NO},
    {"!bob, static:anyone", "carol", MATCH_LIST_YES},
    {"inline:{Bob=x}", "bob", MATCH_LIST_YES},
    {"inline:{bob=x}", "BOB", MATCH_LIST_YES},
    {"inline:{bob=x}", "carol", MATCH_LIST_NO},
    {"regexp:{ {/^mail/ ok} }", "mailer", MATCH_LIST_YES},
    {"regexp:{ {/^mail/ ok} }", "amail", MATCH_LIST_NO},
};

static void test_matches(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
		struct string_list *list =
		    string_list_new(cases[i].patterns, dict_match_tables(), error);
		const char *why = NULL;
		enum match_list_result got;

		if (list == NULL)
			fail_msg("\"%s\": %s", cases[i].patterns, strbuf_str(error));
		got = string_list_match(list, cases[i].name, &why);
		if (got != cases[i].want)
			fail_msg("\"%s\" against \"%s\": got %d, want %d", cases[i].name,
			         cases[i].patterns, got, cases[i].want);
		string_list_free(&list);
		assert_null(list);
		strbuf_free(&error);
	}
}

static void test_bad_table(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct string_list *list = string_list_new("nosuchtype:x", dict_match_tables(), error);

	assert_null(list);
	if (strstr(strbuf_str(error), "nosuchtype:x") == NULL)
		fail_msg("got \"%s\", want the pattern named", strbuf_str(error));
	strbuf_free(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches),
	    cmocka_unit_test(test_bad_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
