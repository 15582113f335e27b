/*
 * Unit tests for lib/dict/dict_unix.  The expected values are built from
 * getpwuid/getgrgid of this machine, in the line format Postfix 3.7's
 * "postmap -q root unix:passwd.byname" prints (root:x:0:0:root:/root:...).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dict/dict.h"

static void test_passwd_line(void **state)
{
	const char *error = NULL;
	const char *value = NULL;
	struct dict *dict = dict_open("unix:passwd.byname", NULL, 0, &error);
	struct passwd *pw = getpwuid(0);
	char want[1024];

	assert_non_null(dict);
	assert_non_null(pw);
	snprintf(want, sizeof(want), "%s:%s:0:%ld:%s:%s:%s", pw->pw_name, pw->pw_passwd,
	         (long)pw->pw_gid, pw->pw_gecos, pw->pw_dir, pw->pw_shell);
	assert_int_equal(dict_lookup(dict, pw->pw_name, &value, &error), DICT_FOUND);
	if (strcmp(value, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", value, want);
	assert_int_equal(dict_lookup(dict, "no-such-user-postern", &value, &error), DICT_NOT_FOUND);
	dict_close(&dict);
}

/* The /etc/group line for gr, as the table should return it. */
static void group_line(const struct group *gr, char *buf, size_t size)
{
	size_t len =
	    (size_t)snprintf(buf, size, "%s:%s:%ld:", gr->gr_name, gr->gr_passwd, (long)gr->gr_gid);

	for (char **member = gr->gr_mem; *member && len < size; member++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        member == gr->gr_mem ? "" : ",", *member);
}

static void check_group(struct dict *dict, const char *name, const char *want)
{
	const char *error = NULL;
	const char *value = NULL;

	if (dict_lookup(dict, name, &value, &error) != DICT_FOUND)
		fail_msg("group %s: got not found, want \"%s\"", name, want);
	if (strcmp(value, want) != 0)
		fail_msg("group %s: got \"%s\", want \"%s\"", name, value, want);
}

static void test_group_line(void **state)
{
	const char *error = NULL;
	const char *value = NULL;
	struct dict *dict = dict_open("unix:group.byname", NULL, 0, &error);
	struct group *gr;
	char name[256];
	char want[4096];

	assert_non_null(dict);
	assert_non_null(gr = getgrgid(0));
	snprintf(name, sizeof(name), "%s", gr->gr_name);
	group_line(gr, want, sizeof(want));
	check_group(dict, name, want);
	/* A group with members, when this machine has one, checks the list. */
	setgrent();
	while ((gr = getgrent()) != NULL && gr->gr_mem[0] == NULL)
		;
	if (gr != NULL) {
		snprintf(name, sizeof(name), "%s", gr->gr_name);
		group_line(gr, want, sizeof(want));
	}
	endgrent();
	if (gr != NULL)
		check_group(dict, name, want);
	assert_int_equal(dict_lookup(dict, "no-such-group-postern", &value, &error),
	                 DICT_NOT_FOUND);
	dict_close(&dict);
}

static void test_unknown_map(void **state)
{
	const char *error = NULL;

	assert_null(dict_open("unix:passwd.byuid", NULL, 0, &error));
	assert_string_equal(error, "unknown table: unix:passwd.byuid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_passwd_line),
	    cmocka_unit_test(test_group_line),
	    cmocka_unit_test(test_unknown_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
