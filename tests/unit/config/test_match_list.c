/*
 * Unit tests for match_list_parent_flag() of lib/config/match_list: which
 * lists parent_domain_matches_subdomains gives MATCH_LIST_PARENT, with
 * Postfix's default and with custom values.  The list syntax itself is
 * tested in test_domain_list.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "config/match_list.h"
#include "config/params.h"

/* Sets parent_domain_matches_subdomains; NULL: its default. */
static void set_parent_list(const char *value)
{
	const struct param_info *info = params_find("parent_domain_matches_subdomains");
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	assert_true(params_store(info, value ? value : info->default_value, error));
	strbuf_free(&error);
}

static void test_parent_flag(void **state)
{
	static const struct {
		const char *setting; /* NULL: the default */
		const char *feature;
		unsigned want;
	} cases[] = {
	    {NULL, "relay_domains", MATCH_LIST_PARENT},
	    {NULL, "debug_peer_list", MATCH_LIST_PARENT},
	    {NULL, "smtpd_access_maps", MATCH_LIST_PARENT},
	    {NULL, "mydestination", 0},
	    {NULL, "relay", 0},
	    {"mydestination, relay_domains", "mydestination", MATCH_LIST_PARENT},
	    {"mydestination, relay_domains", "relay_domains", MATCH_LIST_PARENT},
	    {"mydestination, relay_domains", "mynetworks", 0},
	    {" \tmynetworks\n,,relay_domains ", "mynetworks", MATCH_LIST_PARENT},
	    {" \tmynetworks\n,,relay_domains ", "relay_domains", MATCH_LIST_PARENT},
	    {"relay_domains", "relay_domain", 0},
	    {"relay_domains", "relay_domains_x", 0},
	    {"relay_domains", "RELAY_DOMAINS", 0},
	    {"relay_domains", "", 0},
	    {"", "relay_domains", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got;

		set_parent_list(cases[i].setting);
		got = match_list_parent_flag(cases[i].feature);
		if (got != cases[i].want)
			fail_msg("parent_domain_matches_subdomains = %s, %s: got 0x%x, want 0x%x",
			         cases[i].setting ? cases[i].setting : "(default)",
			         cases[i].feature, got, cases[i].want);
	}
	params_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parent_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
