/*
 * Unit tests for lib/mail/mail_addr_find: the order of the keys tried
 * (virtual(5), canonical(5) "TABLE SEARCH ORDER" and "ADDRESS
 * EXTENSION"), recipient_delimiter with one or several characters, the
 * addresses that never split, quoting, case folding through the tables,
 * local versus remote domains, and table errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict.h"
#include "mail/mail_addr_find.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* A table that records every key it is asked for and finds none. */
struct recorder {
	struct dict dict;
	struct strbuf *log;
};

static enum dict_status recorder_lookup(struct dict *dict, const char *key, const char **value_r,
                                        const char **error_r)
{
	strbuf_printf(((struct recorder *)dict)->log, "%s|", key);
	return DICT_NOT_FOUND;
}

static void recorder_close(struct dict *dict)
{
	strbuf_free(&((struct recorder *)dict)->log);
}

static const struct dict_ops recorder_ops = {
    .lookup = recorder_lookup,
    .close = recorder_close,
};

static struct dict *recorder_new(void)
{
	struct recorder *recorder = xcalloc(1, sizeof(*recorder));

	dict_init(&recorder->dict, &recorder_ops, "recorder", "test", 0, DICT_PROP_FIXED);
	recorder->log = strbuf_new(STRBUF_UNLIMITED);
	return &recorder->dict;
}

static const char *local_context = "context";

static bool local_example(const char *domain, void *context)
{
	assert_ptr_equal(context, local_context);
	return strcmp(domain, "example.com") == 0;
}

static void test_search_order(void **state)
{
	static const struct {
		const char *address;
		const char *delimiters;
		bool owner_request_special;
		const char *want;
	} cases[] = {
	    {"user+ext@example.com", "+", true,
	     "user+ext@example.com|user@example.com|user+ext|user|@example.com|"},
	    {"user+ext@example.org", "+", true,
	     "user+ext@example.org|user@example.org|@example.org|"},
	    {"user+ext@example.com", "", true, "user+ext@example.com|user+ext|@example.com|"},
	    {"user+ext@example.com", NULL, true, "user+ext@example.com|user+ext|@example.com|"},
	    {"user@example.com", "+", true, "user@example.com|user|@example.com|"},
	    {"user-ext@example.com", "+-", true,
	     "user-ext@example.com|user@example.com|user-ext|user|@example.com|"},
	    {"a+b-c@example.org", "-+", true, "a+b-c@example.org|a@example.org|@example.org|"},
	    {"user-ext@example.org", "+", true, "user-ext@example.org|@example.org|"},
	    {"+ext@example.org", "+", true, "+ext@example.org|@example.org|"},
	    {"Postmaster+x@example.org", "+", true,
	     "Postmaster+x@example.org|Postmaster@example.org|@example.org|"},
	    {"Postmaster@example.org", "t", true, "Postmaster@example.org|@example.org|"},
	    {"MAILER-DAEMON@example.org", "-", true, "MAILER-DAEMON@example.org|@example.org|"},
	    {"double-bounce@example.org", "-", true, "double-bounce@example.org|@example.org|"},
	    {"owner-list@example.org", "-", true, "owner-list@example.org|@example.org|"},
	    {"owner-list@example.org", "-", false,
	     "owner-list@example.org|owner@example.org|@example.org|"},
	    {"owner-list+x@example.org", "+", true,
	     "owner-list+x@example.org|owner-list@example.org|@example.org|"},
	    {"list-request@example.org", "+-", true, "list-request@example.org|@example.org|"},
	    {"user+ext", "+", true, "user+ext|user|"},
	    {"joe user+x@example.org", "+", true,
	     "\"joe user+x\"@example.org|\"joe user\"@example.org|@example.org|"},
	    {"a\"b@example.org", "+", true, "\"a\\\"b\"@example.org|@example.org|"},
	    {"a..b@example.org", "+", true, "\"a..b\"@example.org|@example.org|"},
	    {"first.last@example.org", "+", true, "first.last@example.org|@example.org|"},
	    {"u@x@example.com", "+", true, "\"u@x\"@example.com|\"u@x\"|@example.com|"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dict *recorder = recorder_new();
		struct dict *tables[] = {recorder, NULL};
		struct mail_addr_find_options options = {
		    .delimiters = cases[i].delimiters,
		    .is_local = local_example,
		    .context = (void *)local_context,
		    .owner_request_special = cases[i].owner_request_special,
		};
		struct mail_addr_find_result result;
		const char *error = NULL;
		const char *got;

		assert_int_equal(
		    mail_addr_find(tables, cases[i].address, &options, &result, &error),
		    DICT_NOT_FOUND);
		got = strbuf_str(((struct recorder *)recorder)->log);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s (delimiters \"%s\"): got %s, want %s", cases[i].address,
			         cases[i].delimiters ? cases[i].delimiters : "(null)", got,
			         cases[i].want);
		dict_close(&recorder);
	}
}

static void test_no_local_callback_means_remote(void **state)
{
	struct dict *recorder = recorder_new();
	struct dict *tables[] = {recorder, NULL};
	struct mail_addr_find_options options = {.delimiters = "+"};
	struct mail_addr_find_result result;
	const char *error = NULL;

	assert_int_equal(mail_addr_find(tables, "u+e@example.com", &options, &result, &error),
	                 DICT_NOT_FOUND);
	assert_string_equal(strbuf_str(((struct recorder *)recorder)->log),
	                    "u+e@example.com|u@example.com|@example.com|");
	dict_close(&recorder);
}

static void test_access_order(void **state)
{
	static const struct {
		const char *address;
		bool parent_domain_matches;
		const char *want;
	} cases[] = {
	    {"user+foo@a.example.com", true,
	     "user+foo@a.example.com|user@a.example.com|a.example.com|example.com|com|"
	     "user+foo@|user@|"},
	    {"user+foo@a.example.com", false,
	     "user+foo@a.example.com|user@a.example.com|a.example.com|.example.com|.com|"
	     "user+foo@|user@|"},
	    {"user@example.com", true, "user@example.com|example.com|com|user@|"},
	    {"joe user@example", false, "\"joe user\"@example|example|\"joe user\"@|"},
	    {"user+foo", true, "user+foo|"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dict *recorder = recorder_new();
		struct dict *tables[] = {recorder, NULL};
		struct mail_addr_find_options options = {
		    .style = MAIL_ADDR_FIND_ACCESS,
		    .parent_domain_matches = cases[i].parent_domain_matches,
		    .delimiters = "+",
		    .is_local = local_example,
		    .context = (void *)local_context,
		};
		struct mail_addr_find_result result;
		const char *error = NULL;
		const char *got;

		assert_int_equal(
		    mail_addr_find(tables, cases[i].address, &options, &result, &error),
		    DICT_NOT_FOUND);
		got = strbuf_str(((struct recorder *)recorder)->log);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got %s, want %s", cases[i].address, got, cases[i].want);
		dict_close(&recorder);
	}
}

static void test_access_match_reports_key(void **state)
{
	const char *error = NULL;
	struct dict *table =
	    dict_open("inline:{example.com=REJECT, user@=OK}", NULL, DICT_FLAG_FOLD_CASE, &error);
	struct dict *tables[] = {table, NULL};
	struct mail_addr_find_options options = {
	    .style = MAIL_ADDR_FIND_ACCESS,
	    .parent_domain_matches = true,
	    .delimiters = "+",
	};
	struct mail_addr_find_result result;

	assert_int_equal(mail_addr_find(tables, "x+y@Sub.Example.com", &options, &result, &error),
	                 DICT_FOUND);
	assert_string_equal(result.value, "REJECT");
	assert_string_equal(result.key, "Example.com");
	assert_string_equal(result.extension, "+y");
	mail_addr_find_result_clear(&result);
	assert_int_equal(mail_addr_find(tables, "user+z@example.net", &options, &result, &error),
	                 DICT_FOUND);
	assert_string_equal(result.value, "OK");
	assert_string_equal(result.key, "user@");
	assert_string_equal(result.extension, "+z");
	mail_addr_find_result_clear(&result);
	dict_close(&table);
}

struct match_case {
	const char *address;
	const char *want_value;
	const char *want_key;
	const char *want_extension; /* NULL: none */
};

static void check_match(struct dict *const *tables, const struct match_case *c, int index)
{
	struct mail_addr_find_options options = {
	    .delimiters = "+",
	    .is_local = local_example,
	    .context = (void *)local_context,
	};
	struct mail_addr_find_result result;
	const char *error = NULL;
	enum dict_status status = mail_addr_find(tables, c->address, &options, &result, &error);

	if (c->want_value == NULL) {
		if (status != DICT_NOT_FOUND)
			fail_msg("case %d %s: got %d, want not found", index, c->address, status);
		return;
	}
	if (status != DICT_FOUND)
		fail_msg("case %d %s: got status %d, want %s", index, c->address, status,
		         c->want_value);
	if (strcmp(result.value, c->want_value) != 0 || strcmp(result.key, c->want_key) != 0)
		fail_msg("case %d %s: got %s (key %s), want %s (key %s)", index, c->address,
		         result.value, result.key, c->want_value, c->want_key);
	if ((c->want_extension == NULL) != (result.extension == NULL) ||
	    (c->want_extension && strcmp(c->want_extension, result.extension) != 0))
		fail_msg("case %d %s: got extension %s, want %s", index, c->address,
		         result.extension ? result.extension : "(none)",
		         c->want_extension ? c->want_extension : "(none)");
	mail_addr_find_result_clear(&result);
	assert_null(result.key);
	assert_null(result.extension);
}

static void test_matches_across_tables(void **state)
{
	static const struct match_case cases[] = {
	    /* A precise key in the second table beats the wildcard in the first. */
	    {"joe@example.org", "joe-precise", "joe@example.org", NULL},
	    {"joe+list@example.org", "joe-precise", "joe@example.org", "+list"},
	    {"joe+exact@example.org", "joe-exact", "joe+exact@example.org", NULL},
	    {"other+x@example.org", "catch-all", "@example.org", "+x"},
	    {"other@example.org", "catch-all", "@example.org", NULL},
	    {"ann@example.com", "ann-local", "ann", NULL},
	    {"ann+x@example.com", "ann-local", "ann", "+x"},
	    {"ann@example.net", NULL, NULL, NULL},
	    {"\"quoted user\"@example.net", NULL, NULL, NULL},
	    {"quoted user@example.net", "quoted", "\"quoted user\"@example.net", NULL},
	};
	const char *error = NULL;
	struct dict *wild = dict_open("inline:{@example.org=catch-all, ann=ann-local}", NULL,
	                              DICT_FLAG_FOLD_CASE, &error);
	struct dict *precise = dict_open("internal:precise", NULL, DICT_FLAG_FOLD_CASE, &error);
	struct dict *tables[] = {wild, precise, NULL};

	assert_non_null(wild);
	assert_int_equal(dict_update(precise, "joe@example.org", "joe-precise", &error),
	                 DICT_FOUND);
	assert_int_equal(dict_update(precise, "joe+exact@example.org", "joe-exact", &error),
	                 DICT_FOUND);
	assert_int_equal(dict_update(precise, "\"quoted user\"@example.net", "quoted", &error),
	                 DICT_FOUND);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_match(tables, &cases[i], (int)i);
	dict_close(&wild);
	dict_close(&precise);
}

static void test_case_folding_is_the_tables(void **state)
{
	static const struct match_case folded = {"Joe+List@Example.ORG", "joe-precise",
	                                         "Joe@Example.ORG", "+List"};
	static const struct match_case exact = {"Joe+List@Example.ORG", NULL, NULL, NULL};
	const char *error = NULL;
	struct dict *fold =
	    dict_open("inline:{joe@example.org=joe-precise}", NULL, DICT_FLAG_FOLD_CASE, &error);
	struct dict *nofold = dict_open("inline:{joe@example.org=joe-precise}", NULL, 0, &error);
	struct dict *fold_tables[] = {fold, NULL};
	struct dict *exact_tables[] = {nofold, NULL};

	check_match(fold_tables, &folded, 0);
	check_match(exact_tables, &exact, 1);
	dict_close(&fold);
	dict_close(&nofold);
}

static void test_table_error_stops_search(void **state)
{
	const char *error = NULL;
	struct dict *broken = dict_open("fail:broken", NULL, 0, &error);
	struct dict *recorder = recorder_new();
	struct dict *tables[] = {broken, recorder, NULL};
	struct mail_addr_find_options options = {.delimiters = "+"};
	struct mail_addr_find_result result;

	error = NULL;
	assert_int_equal(mail_addr_find(tables, "u@example.com", &options, &result, &error),
	                 DICT_ERR_RETRY);
	assert_non_null(error);
	assert_null(result.key);
	assert_string_equal(strbuf_str(((struct recorder *)recorder)->log), "");
	dict_close(&broken);
	dict_close(&recorder);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search_order),
	    cmocka_unit_test(test_no_local_callback_means_remote),
	    cmocka_unit_test(test_matches_across_tables),
	    cmocka_unit_test(test_case_folding_is_the_tables),
	    cmocka_unit_test(test_table_error_stops_search),
	    cmocka_unit_test(test_access_order),
	    cmocka_unit_test(test_access_match_reports_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
