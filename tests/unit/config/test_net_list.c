/*
 * Unit tests for lib/config/net_list: address and network patterns in
 * every accepted form, host name patterns, IPv4-mapped clients, the
 * errors for malformed patterns, included files and table lookups.
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

#include "config/net_list.h"
#include "helpers/test_expect.h"
#include "helpers/test_tmpfile.h"

#define P MATCH_LIST_PARENT

static const char *result_name(enum match_list_result result)
{
	return result == MATCH_LIST_YES ? "match" : result == MATCH_LIST_NO ? "no match" : "error";
}

struct match_case {
	const char *patterns;
	unsigned flags;
	const char *name;
	const char *addr;
	enum match_list_result want;
};

/* Debian's Postfix writes this mynetworks for a host-only style. */
#define DEBIAN_NETS "127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128"

static const struct match_case match_cases[] = {
    {"127.0.0.0/8", 0, NULL, "127.0.0.1", MATCH_LIST_YES},
    {"127.0.0.0/8", 0, NULL, "127.255.255.255", MATCH_LIST_YES},
    {"127.0.0.0/8", 0, NULL, "128.0.0.1", MATCH_LIST_NO},
    {"127.0.0.0/8", 0, NULL, "126.255.255.255", MATCH_LIST_NO},
    {"127.0.0.0/8", 0, NULL, "::ffff:127.0.0.1", MATCH_LIST_YES},
    {"127.0.0.0/8", 0, NULL, "::1", MATCH_LIST_NO},
    {"192.0.2.1", 0, NULL, "192.0.2.1", MATCH_LIST_YES},
    {"192.0.2.1", 0, NULL, "192.0.2.10", MATCH_LIST_NO},
    {"192.0.2.1", 0, NULL, "::ffff:192.0.2.1", MATCH_LIST_YES},
    {"[192.0.2.1]", 0, NULL, "192.0.2.1", MATCH_LIST_YES},
    {"[192.0.2.0]/24", 0, NULL, "192.0.2.77", MATCH_LIST_YES},
    {"192.0.2.0/32", 0, NULL, "192.0.2.1", MATCH_LIST_NO},
    {"0.0.0.0/0", 0, NULL, "203.0.113.9", MATCH_LIST_YES},
    {"0.0.0.0/0", 0, NULL, "2001:db8::1", MATCH_LIST_NO},
    {"[::]/0", 0, NULL, "2001:db8::1", MATCH_LIST_YES},
    {"[::]/0", 0, NULL, "203.0.113.9", MATCH_LIST_NO},
    {"[::1]", 0, NULL, "::1", MATCH_LIST_YES},
    {"[::1]", 0, NULL, "0:0:0:0:0:0:0:1", MATCH_LIST_YES},
    {"[::1]", 0, NULL, "::2", MATCH_LIST_NO},
    {"[::1]/128", 0, NULL, "::1", MATCH_LIST_YES},
    {"[2001:db8::]/32", 0, NULL, "2001:DB8:ffff::1", MATCH_LIST_YES},
    {"[2001:db8::]/32", 0, NULL, "2001:db9::1", MATCH_LIST_NO},
    {"[2001:db8::/32]", 0, NULL, "2001:db8::1", MATCH_LIST_YES},
    {"[2001:db8::]/33", 0, NULL, "2001:db8:7fff::1", MATCH_LIST_YES},
    {"[2001:db8::]/33", 0, NULL, "2001:db8:8000::1", MATCH_LIST_NO},
    {DEBIAN_NETS, 0, NULL, "::ffff:127.0.0.1", MATCH_LIST_YES},
    {DEBIAN_NETS, 0, NULL, "::1", MATCH_LIST_YES},
    {DEBIAN_NETS, 0, NULL, "192.0.2.1", MATCH_LIST_NO},
    /* host names, matched as a domain list would */
    {"example.com", P, "mail.example.com", "192.0.2.1", MATCH_LIST_YES},
    {"example.com", 0, "mail.example.com", "192.0.2.1", MATCH_LIST_NO},
    {"example.com", 0, "Example.COM", "192.0.2.1", MATCH_LIST_YES},
    {".example.com", 0, "mail.example.com", NULL, MATCH_LIST_YES},
    {"localhost", 0, "localhost", "::1", MATCH_LIST_YES},
    {"example.com", P, "unknown", "192.0.2.1", MATCH_LIST_NO},
    {"unknown", 0, "unknown", "192.0.2.1", MATCH_LIST_YES},
    /* an address pattern never matches a name and vice versa */
    {"192.0.2.1", 0, "192.0.2.1", "198.51.100.1", MATCH_LIST_NO},
    {"example.com", 0, NULL, "192.0.2.1", MATCH_LIST_NO},
    /* a malformed client address matches no address pattern */
    {"0.0.0.0/0 [::]/0", 0, "host.example", "not-an-address", MATCH_LIST_NO},
    {"0.0.0.0/0", 0, NULL, "192.0.2", MATCH_LIST_NO},
    {"0.0.0.0/0 [::]/0", 0, NULL, NULL, MATCH_LIST_NO},
    /* negation and order */
    {"!192.0.2.1, 192.0.2.0/24", 0, NULL, "192.0.2.1", MATCH_LIST_NO},
    {"!192.0.2.1, 192.0.2.0/24", 0, NULL, "192.0.2.2", MATCH_LIST_YES},
    {"192.0.2.0/24, !192.0.2.1", 0, NULL, "192.0.2.1", MATCH_LIST_YES},
    {"![2001:db8::1] [2001:db8::]/64", 0, NULL, "2001:db8::1", MATCH_LIST_NO},
    {"![2001:db8::1] [2001:db8::]/64", 0, NULL, "2001:db8::2", MATCH_LIST_YES},
    {"!bad.example.com example.com", P, "bad.example.com", "192.0.2.1", MATCH_LIST_NO},
    {"!bad.example.com example.com", P, "ok.example.com", "192.0.2.1", MATCH_LIST_YES},
    {"!10.0.0.0/8", 0, NULL, "192.0.2.1", MATCH_LIST_NO},
};

static void test_match_table(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		struct net_list *list = net_list_new(c->patterns, c->flags, NULL, error);
		const char *why = NULL;
		enum match_list_result got;

		if (list == NULL)
			fail_msg("\"%s\": %s", c->patterns, strbuf_str(error));
		got = net_list_match(list, c->name, c->addr, &why);
		if (got != c->want)
			fail_msg("%s[%s] in \"%s\"%s: got %s, want %s",
			         c->name ? c->name : "(none)", c->addr ? c->addr : "(none)",
			         c->patterns, c->flags ? " (parent)" : "", result_name(got),
			         result_name(c->want));
		net_list_free(&list);
		assert_null(list);
	}
	strbuf_free(&error);
}

struct error_case {
	const char *patterns;
	const char *want; /* part of the error */
};

static const struct error_case error_cases[] = {
    {"10.1.2.3/8", "host bits set below the prefix in \"10.1.2.3/8\"; perhaps \"10.0.0.0/8\""},
    {"[2001:db8::1]/64", "perhaps \"[2001:db8::]/64\" was meant"},
    {"10.0.0.0/33", "prefix length out of range in \"10.0.0.0/33\""},
    {"[::1]/129", "prefix length out of range in \"[::1]/129\""},
    {"10.0.0.0/x", "bad prefix length in \"10.0.0.0/x\""},
    {"192.0.2.0/24x", "bad prefix length in \"192.0.2.0/24x\""},
    {"10.0.0", "bad address in \"10.0.0\""},
    {"1.2.3.4.5", "bad address in \"1.2.3.4.5\""},
    {"192.0.2.256", "bad address in \"192.0.2.256\""},
    {"[]", "bad address in \"[]\""},
    {"[]/24", "bad address in \"[]/24\""},
    {"[::1", "missing \"]\" in \"[::1\""},
    {"[::1]x", "unexpected text after \"]\" in \"[::1]x\""},
    {"[192.0.2.1]24", "unexpected text after \"]\""},
    {"host.example/24", "bad address in \"host.example/24\""},
    {"::1", "IPv6 address \"::1\" must be inside []: write \"[::1]\""},
    {"2001:db8::/32",
     "IPv6 address \"2001:db8::/32\" must be inside []: write \"[2001:db8::]/32\""},
    {"127.0.0.1, ::ffff:127.0.0.1", "write \"[::ffff:127.0.0.1]\""},
    {"!fe80::/10", "write \"[fe80::]/10\""},
    {"hash:/etc/postfix/clients", "unsupported dictionary type \"hash\""},
    {"!", "no pattern after \"!\""},
};

static void test_errors(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];
		struct net_list *list = net_list_new(c->patterns, 0, NULL, error);

		test_expect_error(c->patterns, list, strbuf_str(error), c->want);
	}
	strbuf_free(&error);
}

/* Included files hold IPv6 networks in brackets; errors name file and line. */
static void test_include_file(void **state)
{
	char dir[64];
	char path[128], text[300];
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct net_list *list;
	const char *why;

	assert_true(test_tmpfile_dir_new(dir, sizeof(dir), "test_net_list"));
	snprintf(path, sizeof(path), "%s/mynetworks", dir);
	test_tmpfile_write(path,
	                   "# trusted networks\n192.0.2.0/24\n[2001:db8::]/32, !198.51.100.1\n"
	                   "198.51.100.0/24\n");
	snprintf(text, sizeof(text), "127.0.0.1 %s", path);
	list = net_list_new(text, 0, NULL, error);
	if (list == NULL)
		fail_msg("%s", strbuf_str(error));
	assert_int_equal(net_list_match(list, NULL, "2001:db8::25", &why), MATCH_LIST_YES);
	assert_int_equal(net_list_match(list, NULL, "192.0.2.25", &why), MATCH_LIST_YES);
	assert_int_equal(net_list_match(list, NULL, "198.51.100.1", &why), MATCH_LIST_NO);
	assert_int_equal(net_list_match(list, NULL, "198.51.100.2", &why), MATCH_LIST_YES);
	assert_int_equal(net_list_match(list, NULL, "203.0.113.1", &why), MATCH_LIST_NO);
	net_list_free(&list);

	test_tmpfile_write(path, "192.0.2.0/24\n\n10.1.0.0/8\n");
	list = net_list_new(text, 0, NULL, error);
	assert_null(list);
	snprintf(text, sizeof(text), "%s, line 3: host bits set below the prefix in \"10.1.0.0/8\"",
	         path);
	if (strstr(strbuf_str(error), text) == NULL)
		fail_msg("got \"%s\", want it to contain \"%s\"", strbuf_str(error), text);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	strbuf_free(&error);
}

/* A test table that records the keys it is asked for. */
static char lookups[256];

static void *fake_open(void *context, const char *type, const char *name, bool *fixed_r,
                       const char **error_r)
{
	return (void *)context;
}

static enum match_list_result fake_lookup(void *table, const char *key, const char **error_r)
{
	const char *const *keys = table;

	snprintf(lookups + strlen(lookups), sizeof(lookups) - strlen(lookups), "%s%s",
	         lookups[0] ? "|" : "", key);
	if (strcmp(key, "192.0.2.99") == 0) {
		*error_r = "connection refused";
		return MATCH_LIST_ERROR;
	}
	for (; *keys; keys++)
		if (strcmp(*keys, key) == 0)
			return MATCH_LIST_YES;
	return MATCH_LIST_NO;
}

struct lookup_case {
	const char *name;
	const char *addr;
	enum match_list_result want;
	const char *lookups;
};

static const struct lookup_case lookup_cases[] = {
    {"mail.example.com", "192.0.2.1", MATCH_LIST_YES, "mail.example.com|example.com"},
    {"Mail.Example.NET", "192.0.2.1", MATCH_LIST_NO, "mail.example.net|example.net|net|192.0.2.1"},
    {"unknown", "198.51.100.7", MATCH_LIST_YES, "unknown|198.51.100.7"},
    {NULL, "::ffff:198.51.100.7", MATCH_LIST_YES, "198.51.100.7"},
    {NULL, "2001:DB8:0:0::1", MATCH_LIST_YES, "2001:db8::1"},
    {NULL, "bogus", MATCH_LIST_NO, ""},
    {"host.example.net", "192.0.2.99", MATCH_LIST_ERROR,
     "host.example.net|example.net|net|192.0.2.99"},
};

static void test_table_lookups(void **state)
{
	static const char *const keys[] = {"example.com", "198.51.100.7", "2001:db8::1", NULL};
	const struct match_list_tables tables = {fake_open, fake_lookup, NULL, (void *)keys};
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct net_list *list = net_list_new("fake:clients", P, &tables, error);

	if (list == NULL)
		fail_msg("%s", strbuf_str(error));
	for (size_t i = 0; i < sizeof(lookup_cases) / sizeof(lookup_cases[0]); i++) {
		const struct lookup_case *c = &lookup_cases[i];
		const char *why = NULL;
		enum match_list_result got;

		lookups[0] = 0;
		got = net_list_match(list, c->name, c->addr, &why);
		if (got != c->want || strcmp(lookups, c->lookups) != 0)
			fail_msg("%s[%s]: got %s after \"%s\", want %s after \"%s\"",
			         c->name ? c->name : "(none)", c->addr, result_name(got), lookups,
			         result_name(c->want), c->lookups);
		if (got == MATCH_LIST_ERROR &&
		    (why == NULL ||
		     strcmp(why, "fake:clients: table lookup problem: connection refused") != 0))
			fail_msg("got error \"%s\"", why ? why : "(none)");
	}
	net_list_free(&list);

	/* with tables available a bare IPv6 address is still refused */
	list = net_list_new("2001:db8::1", 0, &tables, error);
	assert_null(list);
	assert_non_null(strstr(strbuf_str(error), "must be inside []"));
	strbuf_free(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_table),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_include_file),
	    cmocka_unit_test(test_table_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
