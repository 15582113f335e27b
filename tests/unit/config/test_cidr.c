/* Unit tests for lib/config/cidr: pattern forms, errors, prefix edges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config/cidr.h"

struct parse_case {
	const char *pattern;
	int family;       /* 0: the pattern must be refused */
	unsigned prefix;  /* when accepted */
	const char *want; /* accepted: the network in text; refused: part of the error */
};

static const struct parse_case parse_cases[] = {
    {"192.0.2.1", AF_INET, 32, "192.0.2.1"},
    {"192.0.2.0/24", AF_INET, 24, "192.0.2.0"},
    {"[192.0.2.1]", AF_INET, 32, "192.0.2.1"},
    {"[192.0.2.0]/24", AF_INET, 24, "192.0.2.0"},
    {"[192.0.2.0/24]", AF_INET, 24, "192.0.2.0"},
    {"0.0.0.0/0", AF_INET, 0, "0.0.0.0"},
    {"10.0.0.0/08", AF_INET, 8, "10.0.0.0"},
    {"255.255.255.255/32", AF_INET, 32, "255.255.255.255"},
    {"::1", AF_INET6, 128, "::1"},
    {"[::1]", AF_INET6, 128, "::1"},
    {"[::1]/128", AF_INET6, 128, "::1"},
    {"[2001:db8::]/32", AF_INET6, 32, "2001:db8::"},
    {"[2001:DB8::/32]", AF_INET6, 32, "2001:db8::"},
    {"2001:db8::/32", AF_INET6, 32, "2001:db8::"},
    {"::/0", AF_INET6, 0, "::"},
    {"[::ffff:127.0.0.0]/104", AF_INET6, 104, "::ffff:127.0.0.0"},
    {"10.0.0.0/33", 0, 0, "prefix length out of range in \"10.0.0.0/33\" (at most 32)"},
    {"[::]/129", 0, 0, "prefix length out of range in \"[::]/129\" (at most 128)"},
    {"10.0.0.0/99999999999999999999", 0, 0, "out of range"},
    {"10.1.2.3/8", 0, 0,
     "host bits set below the prefix in \"10.1.2.3/8\"; perhaps \"10.0.0.0/8\""},
    {"192.0.2.1/31", 0, 0, "perhaps \"192.0.2.0/31\" was meant"},
    {"1.2.3.4/0", 0, 0, "perhaps \"0.0.0.0/0\" was meant"},
    {"[2001:db8::1]/32", 0, 0, "perhaps \"[2001:db8::]/32\" was meant"},
    {"2001:db8:8000::/33", AF_INET6, 33, "2001:db8:8000::"},
    {"2001:db8:4000::/33", 0, 0, "perhaps \"2001:db8::/33\" was meant"},
    {"10.0.0.0/", 0, 0, "bad prefix length in \"10.0.0.0/\""},
    {"10.0.0.0/x", 0, 0, "bad prefix length in \"10.0.0.0/x\""},
    {"10.0.0.0/-1", 0, 0, "bad prefix length"},
    {"10.0.0.0/+8", 0, 0, "bad prefix length"},
    {"10.0.0.0/8/8", 0, 0, "bad prefix length"},
    {"1.2.3.4/24x", 0, 0, "bad prefix length"},
    {"10.0.0.256", 0, 0, "bad address in \"10.0.0.256\""},
    {"10.0.0", 0, 0, "bad address in \"10.0.0\""},
    {"1.2.3.4.5", 0, 0, "bad address"},
    {"1.2.3.4x", 0, 0, "bad address"},
    {"fe80::1%eth0", 0, 0, "bad address"},
    {"", 0, 0, "bad address in \"\""},
    {"/8", 0, 0, "bad address in \"/8\""},
    {"[", 0, 0, "missing \"]\" in \"[\""},
    {"[::1", 0, 0, "missing \"]\" in \"[::1\""},
    {"[]", 0, 0, "bad address in \"[]\""},
    {"[]/8", 0, 0, "bad address in \"[]/8\""},
    {"[::1]x", 0, 0, "unexpected text after \"]\" in \"[::1]x\""},
    {"[1.2.3.4]]", 0, 0, "unexpected text after \"]\""},
    {"[::1/64]/64", 0, 0, "two prefix lengths in \"[::1/64]/64\""},
};

static void test_parse_table(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct cidr cidr;
		bool ok = cidr_parse(&cidr, c->pattern, error);

		if (ok != (c->family != 0))
			fail_msg("\"%s\": got %s (%s), want %s", c->pattern,
			         ok ? "accepted" : "refused", strbuf_str(error),
			         c->family ? "accepted" : "refused");
		if (!ok) {
			if (strstr(strbuf_str(error), c->want) == NULL)
				fail_msg("\"%s\": got error \"%s\", want it to contain \"%s\"",
				         c->pattern, strbuf_str(error), c->want);
			continue;
		}
		cidr_addr_format(&cidr.net, text);
		if (cidr.net.family != c->family || cidr.prefix != c->prefix ||
		    strcmp(strbuf_str(text), c->want) != 0)
			fail_msg("\"%s\": got %s/%u family %d, want %s/%u family %d", c->pattern,
			         strbuf_str(text), cidr.prefix, cidr.net.family, c->want, c->prefix,
			         c->family);
	}
	strbuf_free(&error);
	strbuf_free(&text);
}

struct match_case {
	const char *pattern;
	const char *addr;
	bool want;
};

static const struct match_case match_cases[] = {
    {"192.0.2.0/24", "192.0.2.0", true},
    {"192.0.2.0/24", "192.0.2.255", true},
    {"192.0.2.0/24", "192.0.3.0", false},
    {"192.0.2.0/24", "192.0.1.255", false},
    {"192.0.2.0/25", "192.0.2.127", true},
    {"192.0.2.0/25", "192.0.2.128", false},
    {"192.0.2.128/25", "192.0.2.128", true},
    {"192.0.2.128/25", "192.0.2.127", false},
    {"192.0.2.2/31", "192.0.2.3", true},
    {"192.0.2.2/31", "192.0.2.4", false},
    {"192.0.2.2/31", "192.0.2.1", false},
    {"192.0.2.1/32", "192.0.2.1", true},
    {"192.0.2.1", "192.0.2.0", false},
    {"192.0.2.1", "192.0.2.2", false},
    {"128.0.0.0/1", "255.255.255.255", true},
    {"128.0.0.0/1", "127.255.255.255", false},
    {"0.0.0.0/0", "0.0.0.0", true},
    {"0.0.0.0/0", "255.255.255.255", true},
    {"0.0.0.0/0", "::1", false},
    {"[::]/0", "::1", true},
    {"[::]/0", "192.0.2.1", false},
    {"[::1]", "::1", true},
    {"[::1]", "0:0:0:0:0:0:0:1", true},
    {"[::1]", "::2", false},
    {"[::1]", "::", false},
    {"[2001:db8::]/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true},
    {"[2001:db8::]/32", "2001:DB8::1", true},
    {"[2001:db8::]/32", "2001:db9::", false},
    {"[2001:db8::]/32", "2001:db7:ffff::", false},
    {"[2001:db8::]/65", "2001:db8::7fff:ffff:ffff:ffff", true},
    {"[2001:db8::]/65", "2001:db8::8000:0:0:0", false},
    {"[2001:db8::]/127", "2001:db8::1", true},
    {"[2001:db8::]/127", "2001:db8::2", false},
    {"[2001:db8::1]/128", "2001:db8::1", true},
    {"[2001:db8::1]/128", "2001:db8::", false},
    {"10.0.0.0/8", "::ffff:10.0.0.1", true},
    {"10.0.0.0/8", "::ffff:11.0.0.1", false},
    {"[::ffff:127.0.0.0]/104", "::ffff:127.0.0.1", false},
    {"[::ffff:127.0.0.0]/104", "127.0.0.1", false},
};

static void test_match_table(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		struct cidr cidr;
		struct cidr_addr addr;

		if (!cidr_parse(&cidr, c->pattern, error))
			fail_msg("\"%s\": %s", c->pattern, strbuf_str(error));
		if (!cidr_addr_parse(&addr, c->addr))
			fail_msg("address \"%s\" did not parse", c->addr);
		if (cidr_match(&cidr, &addr) != c->want)
			fail_msg("%s in %s: got %s, want %s", c->addr, c->pattern,
			         c->want ? "no match" : "match", c->want ? "match" : "no match");
	}
	strbuf_free(&error);
}

static void test_addr_parse_and_format(void **state)
{
	static const struct {
		const char *text;
		const char *want; /* NULL: must not parse */
	} cases[] = {
	    {"192.0.2.1", "192.0.2.1"},
	    {"2001:DB8:0:0::1", "2001:db8::1"},
	    {"::ffff:192.0.2.1", "192.0.2.1"},
	    {"::FFFF:c000:0201", "192.0.2.1"},
	    {"::192.0.2.1", "::192.0.2.1"},
	    {"192.0.2", NULL},
	    {"192.0.2.1/32", NULL},
	    {"[::1]", NULL},
	    {"unknown", NULL},
	    {"", NULL},
	};
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cidr_addr addr;
		bool ok = cidr_addr_parse(&addr, cases[i].text);

		if (ok != (cases[i].want != NULL))
			fail_msg("\"%s\": got %s, want %s", cases[i].text,
			         ok ? "parsed" : "refused", cases[i].want ? "parsed" : "refused");
		if (!ok)
			continue;
		cidr_addr_format(&addr, text);
		if (strcmp(strbuf_str(text), cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].text, strbuf_str(text),
			         cases[i].want);
	}
	strbuf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_match_table),
	    cmocka_unit_test(test_addr_parse_and_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
