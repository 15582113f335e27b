/* Unit tests for lib/util/msg_syslog: facility names, priorities, ident. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <syslog.h>

#include "util/msg.h"
#include "util/msg_syslog.h"

static void test_facility_table(void **state)
{
	static const struct {
		const char *name;
		int facility; /* -1: unknown */
	} cases[] = {
	    {"mail", LOG_MAIL},     {"daemon", LOG_DAEMON},
	    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV},
	    {"cron", LOG_CRON},     {"ftp", LOG_FTP},
	    {"kern", LOG_KERN},     {"lpr", LOG_LPR},
	    {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},
	    {"user", LOG_USER},     {"uucp", LOG_UUCP},
	    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
	    {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
	    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
	    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
	    {"MAIL", -1},           {"Local0", -1},
	    {"local8", -1},         {"security", -1},
	    {"mark", -1},           {"", -1},
	    {"mail ", -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = -12345;
		bool ok = msg_syslog_facility(cases[i].name, &got);

		if (cases[i].facility < 0 && ok)
			fail_msg("facility \"%s\": got %d, want unknown", cases[i].name, got);
		if (cases[i].facility >= 0 && (!ok || got != cases[i].facility))
			fail_msg("facility \"%s\": got %s %d, want %d", cases[i].name,
			         ok ? "found" : "unknown", got, cases[i].facility);
	}
}

static void test_priorities(void **state)
{
	assert_int_equal(msg_syslog_priority(MSG_INFO), LOG_INFO);
	assert_int_equal(msg_syslog_priority(MSG_WARN), LOG_WARNING);
	assert_int_equal(msg_syslog_priority(MSG_ERROR), LOG_ERR);
	assert_int_equal(msg_syslog_priority(MSG_FATAL), LOG_CRIT);
	assert_int_equal(msg_syslog_priority(MSG_PANIC), LOG_CRIT);
}

static void test_ident_follows_syslog_name_and_progname(void **state)
{
	assert_string_equal(msg_syslog_ident(), "");
	msg_init("/usr/libexec/postfix/smtpd");
	msg_output_reset();
	msg_syslog_init("postfix", LOG_MAIL);
	assert_string_equal(msg_syslog_ident(), "postfix/smtpd");
	msg_init("qmgr");
	msg_syslog_init("postfix-out", LOG_LOCAL3);
	assert_string_equal(msg_syslog_ident(), "postfix-out/qmgr");
	closelog();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facility_table),
	    cmocka_unit_test(test_priorities),
	    cmocka_unit_test(test_ident_follows_syslog_name_and_progname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
