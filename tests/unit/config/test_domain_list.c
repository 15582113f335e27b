/*
 * Unit tests for lib/config/domain_list and the list syntax of
 * lib/config/match_list: separators, negation, subdomain rules with and
 * without MATCH_LIST_PARENT, included files, table patterns through a
 * test table, and the errors for malformed lists.
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

#include "config/domain_list.h"
#include "helpers/test_expect.h"
#include "helpers/test_msg_capture.h"
#include "helpers/test_tmpfile.h"

#define P MATCH_LIST_PARENT

/* A test table: a name, the keys it holds, and one key whose lookup fails. */
struct fake_table {
	const char *name;
	const char *keys[4];
	const char *fail_key;
	bool fixed;
};

/* What the test table saw. */
static struct {
	char lookups[512]; /* keys in order, "|"-separated */
	int opens;
	int closes;
} seen;

static struct fake_table fake_tables[] = {
    {"hosts", {"example.com", "mx.example.net"}, NULL, true},
    {"parents", {".example.org", "example.info"}, NULL, true},
    {"regexp", {"a.b.example.org"}, NULL, false},
    {"broken", {"example.com"}, "down.example.com", true},
    {"{ a.com, b.com }", {"x.com"}, NULL, true},
};

static void *fake_open(void *context, const char *type, const char *name, bool *fixed_r,
                       const char **error_r)
{
	if (strcmp(type, "fake") != 0) {
		*error_r = "unsupported dictionary type";
		return NULL;
	}
	for (size_t i = 0; i < sizeof(fake_tables) / sizeof(fake_tables[0]); i++) {
		if (strcmp(fake_tables[i].name, name) == 0) {
			*fixed_r = fake_tables[i].fixed;
			seen.opens++;
			return &fake_tables[i];
		}
	}
	*error_r = "no such table";
	return NULL;
}

static enum match_list_result fake_lookup(void *handle, const char *key, const char **error_r)
{
	const struct fake_table *table = handle;

	snprintf(seen.lookups + strlen(seen.lookups), sizeof(seen.lookups) - strlen(seen.lookups),
	         "%s%s", seen.lookups[0] ? "|" : "", key);
	if (table->fail_key && strcmp(key, table->fail_key) == 0) {
		*error_r = "server not responding";
		return MATCH_LIST_ERROR;
	}
	for (size_t i = 0; i < 4 && table->keys[i]; i++)
		if (strcmp(table->keys[i], key) == 0)
			return MATCH_LIST_YES;
	return MATCH_LIST_NO;
}

static void fake_close(void *handle)
{
	seen.closes++;
}

static const struct match_list_tables fake = {fake_open, fake_lookup, fake_close, NULL};

static const char *result_name(enum match_list_result result)
{
	return result == MATCH_LIST_YES ? "match" : result == MATCH_LIST_NO ? "no match" : "error";
}

/* A temporary directory for include files, removed at the end. */
static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	return test_tmpfile_dir_new(tmpdir, sizeof(tmpdir), "test_domain_list") ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	return test_tmpfile_dir_remove(tmpdir);
}

/* Writes text to tmpdir/name and returns the path (static storage per call site). */
static const char *write_file(char *path, size_t size, const char *name, const char *text)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
	test_tmpfile_write(path, text);
	return path;
}

struct match_case {
	const char *patterns;
	unsigned flags;
	const char *name;
	enum match_list_result want;
};

static const struct match_case match_cases[] = {
    /* a bare domain: itself, and its subdomains only with the flag */
    {"example.com", 0, "example.com", MATCH_LIST_YES},
    {"example.com", 0, "sub.example.com", MATCH_LIST_NO},
    {"example.com", 0, "notexample.com", MATCH_LIST_NO},
    {"example.com", 0, "com", MATCH_LIST_NO},
    {"example.com", P, "example.com", MATCH_LIST_YES},
    {"example.com", P, "sub.example.com", MATCH_LIST_YES},
    {"example.com", P, "a.b.example.com", MATCH_LIST_YES},
    {"example.com", P, "notexample.com", MATCH_LIST_NO},
    {"example.com", P, "example.com.evil.net", MATCH_LIST_NO},
    {"example.com", P, "com", MATCH_LIST_NO},
    /* a leading dot: subdomains only, and (as in Postfix) not with the flag */
    {".example.com", 0, "sub.example.com", MATCH_LIST_YES},
    {".example.com", 0, "a.b.example.com", MATCH_LIST_YES},
    {".example.com", 0, "example.com", MATCH_LIST_NO},
    {".example.com", 0, "xexample.com", MATCH_LIST_NO},
    {".example.com", P, "sub.example.com", MATCH_LIST_NO},
    {".example.com", P, "example.com", MATCH_LIST_NO},
    /* case never matters */
    {"Example.COM", 0, "example.com", MATCH_LIST_YES},
    {"example.com", 0, "EXAMPLE.Com", MATCH_LIST_YES},
    {"example.com", P, "Mail.EXAMPLE.com", MATCH_LIST_YES},
    {".Example.Com", 0, "MAIL.example.COM", MATCH_LIST_YES},
    /* mail addresses are matched by their domain */
    {"example.com", 0, "user@example.com", MATCH_LIST_YES},
    {"example.com", 0, "user@other.com", MATCH_LIST_NO},
    {"example.com", P, "user@sub.example.com", MATCH_LIST_YES},
    {"example.com", 0, "\"a@example.com\"@other.com", MATCH_LIST_NO},
    {"other.com", 0, "\"a@example.com\"@other.com", MATCH_LIST_YES},
    /* address literals compare as text */
    {"[192.0.2.1]", 0, "[192.0.2.1]", MATCH_LIST_YES},
    {"[192.0.2.1]", 0, "user@[192.0.2.1]", MATCH_LIST_YES},
    {"[192.0.2.1]", 0, "192.0.2.1", MATCH_LIST_NO},
    /* separators: commas and any whitespace, repeated or leading */
    {"a.com,b.com  c.com\td.com\ne.com\r\nf.com", 0, "d.com", MATCH_LIST_YES},
    {"a.com,b.com  c.com\td.com\ne.com\r\nf.com", 0, "f.com", MATCH_LIST_YES},
    {" ,, a.com ,, ", 0, "a.com", MATCH_LIST_YES},
    {"", 0, "a.com", MATCH_LIST_NO},
    {"a.com", 0, "", MATCH_LIST_NO},
    /* negation: a negated match ends the search; the first match wins */
    {"!sub.example.com, example.com", P, "sub.example.com", MATCH_LIST_NO},
    {"!sub.example.com, example.com", P, "other.example.com", MATCH_LIST_YES},
    {"!sub.example.com, example.com", P, "a.sub.example.com", MATCH_LIST_NO},
    {"example.com, !example.com", 0, "example.com", MATCH_LIST_YES},
    {"!!example.com", 0, "example.com", MATCH_LIST_YES},
    {"!!!example.com", 0, "example.com", MATCH_LIST_NO},
    {"!example.com", 0, "other.com", MATCH_LIST_NO},
};

static void test_match_table(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		struct domain_list *list = domain_list_new(c->patterns, c->flags, NULL, error);
		const char *why = NULL;
		enum match_list_result got;

		if (list == NULL)
			fail_msg("\"%s\": %s", c->patterns, strbuf_str(error));
		got = domain_list_match(list, c->name, &why);
		if (got != c->want)
			fail_msg("\"%s\" in \"%s\"%s: got %s, want %s", c->name, c->patterns,
			         c->flags ? " (parent)" : "", result_name(got),
			         result_name(c->want));
		domain_list_free(&list);
		assert_null(list);
	}
	strbuf_free(&error);
}

struct error_case {
	const char *patterns;
	const char *want; /* part of the error */
};

static const struct error_case error_cases[] = {
    {"!", "no pattern after \"!\" in \"!\""},
    {"example.com !! other.com", "no pattern after \"!\" in \"!!\""},
    {"hash:/etc/postfix/relay",
     "unsupported dictionary type \"hash\" in \"hash:/etc/postfix/relay\""},
    {"a.com, !cdb:/x", "unsupported dictionary type \"cdb\" in \"cdb:/x\""},
    {"/nonexistent/postern/list", "open \"/nonexistent/postern/list\": No such file"},
    {"!/nonexistent/postern/list", "open \"/nonexistent/postern/list\""},
    {"inline:{ a.com, b.com", "missing \"}\" in \"inline:{ a.com, b.com\""},
};

static void test_errors(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];
		struct domain_list *list = domain_list_new(c->patterns, 0, NULL, error);

		test_expect_error(c->patterns, list, strbuf_str(error), c->want);
	}
	strbuf_free(&error);
}

/* A "#" inside a line is a warning, and what follows it is ignored. */
static void test_comment_inside_line(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;
	const char *why;

	test_msg_capture_start();
	list = domain_list_new("a.com # b.com", 0, NULL, error);
	test_msg_capture_stop();
	assert_non_null(list);
	assert_int_equal(domain_list_match(list, "a.com", &why), MATCH_LIST_YES);
	assert_int_equal(domain_list_match(list, "b.com", &why), MATCH_LIST_NO);
	if (strstr(test_msg_capture_text(), "ignoring \"# b.com\"") == NULL)
		fail_msg("got warnings \"%s\", want one about \"# b.com\"",
		         test_msg_capture_text());
	domain_list_free(&list);
	strbuf_free(&error);
}

/* In a file, a line starting with "#" is a comment; a later "#" warns. */
static void test_comment_in_file(void **state)
{
	char path[128], want[200];
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;
	const char *why;

	write_file(path, sizeof(path), "comments", "#a.com, b.com\nc.com # d.com\ne.com\n");
	test_msg_capture_start();
	list = domain_list_new(path, 0, NULL, error);
	test_msg_capture_stop();
	assert_non_null(list);
	snprintf(want, sizeof(want),
	         "warning: %s, line 2: ignoring \"# d.com\": a comment must start a line\n", path);
	if (strcmp(test_msg_capture_text(), want) != 0)
		fail_msg("got warnings \"%s\", want \"%s\"", test_msg_capture_text(), want);
	assert_int_equal(domain_list_match(list, "a.com", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "b.com", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "c.com", &why), MATCH_LIST_YES);
	assert_int_equal(domain_list_match(list, "d.com", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "e.com", &why), MATCH_LIST_YES);
	domain_list_free(&list);
	strbuf_free(&error);
}

static void test_include_file(void **state)
{
	char path[128], list_text[256];
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;
	const char *why;

	write_file(path, sizeof(path), "domains",
	           "# relay for these\n"
	           "one.example, two.example three.example\n"
	           "\n"
	           "   \t\n"
	           "!bad.four.example\n"
	           "four.example\n"
	           "five.example"); /* no newline at the end */
	snprintf(list_text, sizeof(list_text), "zero.example %s six.example", path);
	list = domain_list_new(list_text, P, NULL, error);
	if (list == NULL)
		fail_msg("%s", strbuf_str(error));
	static const struct {
		const char *name;
		enum match_list_result want;
	} cases[] = {
	    {"zero.example", MATCH_LIST_YES},
	    {"one.example", MATCH_LIST_YES},
	    {"three.example", MATCH_LIST_YES},
	    {"x.four.example", MATCH_LIST_YES},
	    {"bad.four.example", MATCH_LIST_NO},
	    {"five.example", MATCH_LIST_YES},
	    {"six.example", MATCH_LIST_YES},
	    {"relay", MATCH_LIST_NO},
	    {"#", MATCH_LIST_NO},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum match_list_result got = domain_list_match(list, cases[i].name, &why);

		if (got != cases[i].want)
			fail_msg("\"%s\": got %s, want %s", cases[i].name, result_name(got),
			         result_name(cases[i].want));
	}
	domain_list_free(&list);
	strbuf_free(&error);
}

/* "!/file" negates every pattern in the file; "!" inside it negates back. */
static void test_negated_include(void **state)
{
	char path[128], nested[128], list_text[300];
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;
	const char *why;

	write_file(nested, sizeof(nested), "nested", "deep.example\n");
	snprintf(list_text, sizeof(list_text), "!good.blocked.example blocked.example\n%s\n",
	         nested);
	write_file(path, sizeof(path), "negated", list_text);
	snprintf(list_text, sizeof(list_text), "!%s, example", path);
	list = domain_list_new(list_text, P, NULL, error);
	if (list == NULL)
		fail_msg("%s", strbuf_str(error));
	assert_int_equal(domain_list_match(list, "x.blocked.example", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "good.blocked.example", &why), MATCH_LIST_YES);
	assert_int_equal(domain_list_match(list, "deep.example", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "other.example", &why), MATCH_LIST_YES);
	domain_list_free(&list);
	strbuf_free(&error);
}

/* Errors inside an included file name the file and the line. */
static void test_include_errors(void **state)
{
	char path[128], inner[128], text[300];
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;

	write_file(path, sizeof(path), "bad", "ok.example\n# comment\nhash:/etc/x\n");
	list = domain_list_new(path, 0, NULL, error);
	assert_null(list);
	snprintf(text, sizeof(text), "%s, line 3: unsupported dictionary type \"hash\"", path);
	if (strstr(strbuf_str(error), text) == NULL)
		fail_msg("got \"%s\", want it to contain \"%s\"", strbuf_str(error), text);

	/* the innermost file is named, not the outer one */
	write_file(inner, sizeof(inner), "inner", "\n\n!\n");
	snprintf(text, sizeof(text), "a.example\n%s\n", inner);
	write_file(path, sizeof(path), "outer", text);
	list = domain_list_new(path, 0, NULL, error);
	assert_null(list);
	snprintf(text, sizeof(text), "%s, line 3: no pattern after \"!\"", inner);
	if (strncmp(strbuf_str(error), text, strlen(text)) != 0)
		fail_msg("got \"%s\", want it to start with \"%s\"", strbuf_str(error), text);

	/* a file that includes itself ends with an error, not a crash */
	snprintf(path, sizeof(path), "%s/loop", tmpdir);
	snprintf(text, sizeof(text), "a.example %s\n", path);
	write_file(path, sizeof(path), "loop", text);
	list = domain_list_new(path, 0, NULL, error);
	assert_null(list);
	if (strstr(strbuf_str(error), "included 16 levels deep") == NULL)
		fail_msg("got \"%s\", want a nesting error", strbuf_str(error));

	/* a directory opens but cannot be read */
	list = domain_list_new(tmpdir, 0, NULL, error);
	assert_null(list);
	snprintf(text, sizeof(text), "read \"%s\"", tmpdir);
	if (strstr(strbuf_str(error), text) == NULL)
		fail_msg("got \"%s\", want it to contain \"%s\"", strbuf_str(error), text);
	strbuf_free(&error);
}

struct lookup_case {
	const char *patterns;
	unsigned flags;
	const char *name;
	enum match_list_result want;
	const char *lookups; /* the keys the table must be asked, in order */
};

static const struct lookup_case lookup_cases[] = {
    {"fake:hosts", 0, "example.com", MATCH_LIST_YES, "example.com"},
    {"fake:hosts", 0, "Example.COM", MATCH_LIST_YES, "example.com"},
    {"fake:hosts", 0, "user@Example.COM", MATCH_LIST_YES, "example.com"},
    {"fake:hosts", 0, "a.b.example.com", MATCH_LIST_NO,
     "a.b.example.com|.b.example.com|.example.com|.com"},
    {"fake:hosts", P, "a.b.example.com", MATCH_LIST_YES,
     "a.b.example.com|b.example.com|example.com"},
    {"fake:hosts", P, "a.b.example.net", MATCH_LIST_NO,
     "a.b.example.net|b.example.net|example.net|net"},
    {"fake:parents", 0, "a.b.example.org", MATCH_LIST_YES,
     "a.b.example.org|.b.example.org|.example.org"},
    {"fake:parents", P, "a.b.example.info", MATCH_LIST_YES,
     "a.b.example.info|b.example.info|example.info"},
    {"fake:regexp", 0, "x.a.b.example.org", MATCH_LIST_NO, "x.a.b.example.org"},
    {"fake:regexp", P, "A.b.example.org", MATCH_LIST_YES, "a.b.example.org"},
    {"!fake:hosts, .com", 0, "example.com", MATCH_LIST_NO, "example.com"},
    {"!fake:hosts, .com", 0, "other.com", MATCH_LIST_YES, "other.com|.com"},
    {"fake:broken other.com", 0, "down.example.com", MATCH_LIST_ERROR, "down.example.com"},
    {"fake:broken", P, "x.down.example.com", MATCH_LIST_ERROR,
     "x.down.example.com|down.example.com"},
    {"other.com fake:broken", 0, "other.com", MATCH_LIST_YES, ""},
    {"fake:hosts", 0, "", MATCH_LIST_NO, ""},
};

static void test_table_lookups(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(lookup_cases) / sizeof(lookup_cases[0]); i++) {
		const struct lookup_case *c = &lookup_cases[i];
		struct domain_list *list;
		const char *why = NULL;
		enum match_list_result got;

		memset(&seen, 0, sizeof(seen));
		list = domain_list_new(c->patterns, c->flags, &fake, error);
		if (list == NULL)
			fail_msg("\"%s\": %s", c->patterns, strbuf_str(error));
		got = domain_list_match(list, c->name, &why);
		if (got != c->want || strcmp(seen.lookups, c->lookups) != 0)
			fail_msg(
			    "\"%s\" in \"%s\"%s: got %s after lookups \"%s\", want %s after \"%s\"",
			    c->name, c->patterns, c->flags ? " (parent)" : "", result_name(got),
			    seen.lookups, result_name(c->want), c->lookups);
		if (got == MATCH_LIST_ERROR &&
		    (why == NULL ||
		     strcmp(why, "fake:broken: table lookup problem: server not responding") != 0))
			fail_msg("\"%s\": got error \"%s\"", c->name, why ? why : "(none)");
		domain_list_free(&list);
		assert_int_equal(seen.closes, seen.opens);
	}
	strbuf_free(&error);
}

static void test_table_open_errors(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	static const struct error_case cases[] = {
	    {"a.com fake:missing", "fake:missing: no such table"},
	    {"hash:/etc/x", "hash:/etc/x: unsupported dictionary type"},
	    {":name", "expected \"type:name\" in \":name\""},
	    {"fake:", "expected \"type:name\" in \"fake:\""},
	    {"fake:hosts fake:hosts !", "no pattern after \"!\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct domain_list *list;

		memset(&seen, 0, sizeof(seen));
		list = domain_list_new(cases[i].patterns, 0, &fake, error);
		if (list != NULL || strstr(strbuf_str(error), cases[i].want) == NULL)
			fail_msg("\"%s\": got %s \"%s\", want error \"%s\"", cases[i].patterns,
			         list ? "a list" : "error", strbuf_str(error), cases[i].want);
		/* tables opened before the bad pattern are closed again */
		assert_int_equal(seen.closes, seen.opens);
	}
	strbuf_free(&error);
}

/* Braces keep "{ ... }" in one pattern, whitespace and commas included. */
static void test_braces_group(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct domain_list *list;
	const char *why;

	list = domain_list_new("inline:{ a.com, { b.com } } c.com", 0, NULL, error);
	assert_null(list);
	if (strstr(strbuf_str(error), "\"inline:{ a.com, { b.com } }\"") == NULL)
		fail_msg("got \"%s\", want the whole inline table named", strbuf_str(error));

	list = domain_list_new("fake:{ a.com, b.com },c.com", 0, &fake, error);
	if (list == NULL)
		fail_msg("%s", strbuf_str(error));
	assert_int_equal(domain_list_match(list, "x.com", &why), MATCH_LIST_YES);
	assert_int_equal(domain_list_match(list, "c.com", &why), MATCH_LIST_YES);
	assert_int_equal(domain_list_match(list, "a.com", &why), MATCH_LIST_NO);
	assert_int_equal(domain_list_match(list, "b.com", &why), MATCH_LIST_NO);
	domain_list_free(&list);
	strbuf_free(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_table),         cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_comment_inside_line), cmocka_unit_test(test_comment_in_file),
	    cmocka_unit_test(test_include_file),        cmocka_unit_test(test_negated_include),
	    cmocka_unit_test(test_include_errors),      cmocka_unit_test(test_table_lookups),
	    cmocka_unit_test(test_table_open_errors),   cmocka_unit_test(test_braces_group),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, remove_tmpdir);
}
