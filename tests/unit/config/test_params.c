/*
 * Unit tests for lib/config/params and conf: the table itself, typed
 * storage with bounds, host-dependent defaults, start-up loading, and THE
 * REFERENCE TEST: our defaults equal Postfix 3.7's where both have the
 * parameter, apart from the deliberate differences listed below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "config/params_host.h"
#include "util/alloc.h"
#include "util/msg.h"

/*
 * Deliberate differences from Postfix 3.7's postconf -d, with reasons.
 * Anything else that differs fails the reference test.
 */
static const struct {
	const char *name;
	const char *reason;
} deliberate[] = {
    /* Paths and accounts are chosen by ./configure (lib/config.h). */
    {"command_directory", "build-time path"},
    {"config_directory", "build-time path"},
    {"daemon_directory", "build-time path; ours holds postern's daemons"},
    {"data_directory", "build-time path"},
    {"queue_directory", "build-time path"},
    {"mail_owner", "build-time account"},
    {"setgid_group", "build-time group"},
    /* Host-specific: the reference came from another machine. */
    {"myhostname", "host name"},
    {"mydomain", "host domain"},
    {"mynetworks", "host interfaces"},
    /* Identity: we are not Postfix, and say so in banners and headers. */
    {"mail_name", "postern, not Postfix"},
    {"mail_version", "postern's own version"},
    /* Postfix 3.9's safer default, an SMTP smuggling defence (smtpd/main.c). */
    {"smtpd_forbid_bare_newline", "3.9 default normalize, not 3.7's no"},
};

static const char *reference_path(void)
{
	const char *env = getenv("POSTERN_POSTFIX_REFERENCE");

	return env ? env : "../shared/reference/postfix-3.7-postconf-d.txt";
}

static const char *deliberate_reason(const char *name)
{
	for (size_t i = 0; i < sizeof(deliberate) / sizeof(deliberate[0]); i++)
		if (strcmp(deliberate[i].name, name) == 0)
			return deliberate[i].reason;
	return NULL;
}

static void test_reference_defaults(void **state)
{
	FILE *fp = fopen(reference_path(), "r");
	char line[4096];
	int compared = 0, mismatches = 0;

	if (fp == NULL)
		fail_msg("cannot open the Postfix reference %s (relative to the repository top; "
		         "set POSTERN_POSTFIX_REFERENCE to override): %m",
		         reference_path());
	while (fgets(line, sizeof(line), fp)) {
		char *eq = strstr(line, " =");
		const struct param_info *info;
		char *value;

		line[strcspn(line, "\n")] = 0;
		if (eq == NULL)
			continue;
		*eq = 0;
		value = eq[2] == ' ' ? eq + 3 : eq + 2;
		if ((info = params_find(line)) == NULL || deliberate_reason(line))
			continue;
		compared++;
		if (info->default_value == PARAM_COMPUTED ||
		    strcmp(info->default_value, value) != 0) {
			print_error("%s: got default \"%s\", want Postfix's \"%s\"\n", line,
			            info->default_value ? info->default_value : "(computed)",
			            value);
			mismatches++;
		}
	}
	fclose(fp);
	assert_int_equal(mismatches, 0);
	assert_int_equal(compared + (int)(sizeof(deliberate) / sizeof(deliberate[0])),
	                 (int)params_count());
}

static void test_table_sorted_and_found(void **state)
{
	for (size_t i = 0; i < params_count(); i++) {
		const struct param_info *info = params_at(i);

		if (i > 0 && strcmp(params_at(i - 1)->name, info->name) >= 0)
			fail_msg("table not sorted: %s before %s", params_at(i - 1)->name,
			         info->name);
		assert_ptr_equal(params_find(info->name), info);
	}
	assert_null(params_find("no_such_parameter"));
	assert_null(params_at(params_count()));
	assert_ptr_equal(params_find("mail_name")->storage, &var_mail_name);
	assert_int_equal(params_find("daemon_timeout")->type, PARAM_TYPE_TIME);
}

static void test_store_types(void **state)
{
	static const struct {
		const char *name;
		const char *value;
		const char *error; /* NULL: accepted */
	} cases[] = {
	    {"default_process_limit", "50", NULL},
	    {"default_process_limit", "0", "invalid default_process_limit parameter value 0 < 1"},
	    {"default_process_limit", "abc",
	     "bad numerical configuration: default_process_limit = abc"},
	    {"default_process_limit", "", "bad numerical configuration: default_process_limit = "},
	    {"default_process_limit", "99999999999",
	     "bad numerical configuration: default_process_limit = 99999999999"},
	    {"lmdb_map_size", "99999999999", NULL},
	    {"lmdb_map_size", "0", "invalid lmdb_map_size parameter value 0 < 1"},
	    {"daemon_timeout", "2m", NULL},
	    {"daemon_timeout", "3x", "parameter daemon_timeout: bad time value or unit: 3x"},
	    {"daemon_timeout", "-3", "parameter daemon_timeout: bad time value or unit: -3"},
	    {"daemon_timeout", "0", "invalid daemon_timeout: 0 (min 1)"},
	    {"mail_name", "anything at all", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
		bool ok = params_store(params_find(cases[i].name), cases[i].value, error);

		if (ok != (cases[i].error == NULL) ||
		    (!ok && strcmp(strbuf_str(error), cases[i].error) != 0))
			fail_msg("%s = %s: got %s \"%s\", want %s", cases[i].name, cases[i].value,
			         ok ? "success" : "error", strbuf_str(error),
			         cases[i].error ? cases[i].error : "success");
		strbuf_free(&error);
	}
	assert_int_equal(var_default_process_limit, 50);
	assert_int_equal(var_lmdb_map_size, 99999999999L);
	assert_int_equal(var_daemon_timeout, 120);
	assert_string_equal(var_mail_name, "anything at all");
	params_reset();
	assert_null(var_mail_name);
	assert_int_equal(var_daemon_timeout, 0);
	assert_int_equal(var_lmdb_map_size, 0);
}

static void test_time_unit_and_raw(void **state)
{
	struct param_info raw = {"test_raw", PARAM_TYPE_RAW, "$x", 0, 0, "test", NULL};
	struct param_info hours = {"test_hours", PARAM_TYPE_TIME, "12h", 0, 0, "test", NULL};
	char *raw_value = NULL;
	int seconds = 0;
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	raw.storage = &raw_value;
	hours.storage = &seconds;
	assert_int_equal(params_time_unit(&hours), 'h');
	assert_int_equal(params_time_unit(params_find("daemon_timeout")), 's');
	assert_true(params_store(&hours, "2", error));
	assert_int_equal(seconds, 7200);
	assert_true(params_store(&raw, "$literal", error));
	assert_string_equal(raw_value, "$literal");
	free(raw_value);
	strbuf_free(&error);
}

static void test_host_defaults(void **state)
{
	char host[256];
	char *name, *domain;
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	assert_int_equal(gethostname(host, sizeof(host)), 0);
	name = params_host_name("example.org");
	assert_true(strncmp(name, host, strlen(host)) == 0);
	if (strchr(host, '.') == NULL)
		assert_string_equal(name + strlen(host), ".example.org");
	free(name);
	domain = params_host_domain("mx.a.example.com");
	assert_string_equal(domain, "a.example.com");
	free(domain);
	domain = params_host_domain("nodot");
	assert_string_equal(domain, "localdomain");
	free(domain);

	assert_true(params_host_networks("host", "loopback-only", "ipv4", out, error));
	assert_string_equal(strbuf_str(out), "127.0.0.1/32");
	strbuf_reset(out);
	assert_true(params_host_networks("subnet", "loopback-only", "ipv4", out, error));
	assert_string_equal(strbuf_str(out), "127.0.0.0/8");
	strbuf_reset(out);
	assert_true(params_host_networks("class", "127.0.0.1", "all", out, error));
	assert_string_equal(strbuf_str(out), "127.0.0.0/8");
	strbuf_reset(out);
	assert_false(params_host_networks("bogus", "all", "all", out, error));
	assert_string_equal(strbuf_str(error), "unknown mynetworks_style parameter value: bogus");
	strbuf_free(&out);
	strbuf_free(&error);
}

static struct conf *conf_from(const char *text)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf = main_cf_new("/x/main.cf");

	assert_true(main_cf_parse(cf, text, strlen(text), error));
	strbuf_free(&error);
	return conf_new(cf);
}

static void test_conf_values(void **state)
{
	struct conf *conf = conf_from("mydomain = example.net\nmail_name = mail.$mydomain\n"
	                              "compatibility_level = 3.6\n");
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	char host[256];

	assert_true(conf_apply(conf, error));
	assert_string_equal(var_mail_name, "mail.example.net");
	assert_string_equal(var_mynetworks_style, "host");
	assert_string_equal(var_syslog_name, "postfix");
	assert_int_equal(var_max_idle, 100);
	assert_int_equal(var_daemon_timeout, 18000);
	gethostname(host, sizeof(host));
	if (strchr(host, '.') == NULL) {
		strbuf_printf(out, "%s.example.net", host);
		assert_string_equal(var_myhostname, strbuf_str(out));
	}
	assert_string_equal(conf_raw(conf, "mynetworks_style", error),
	                    "${{$compatibility_level} <level {2} ? {subnet} : {host}}");
	assert_null(conf_raw(conf, "unknown_name", error));
	assert_int_equal(strbuf_len(error), 0);
	conf_free(&conf);
	assert_null(conf);

	conf = conf_from("multi_instance_name = postfix-out\n");
	assert_true(conf_apply(conf, error));
	assert_string_equal(var_syslog_name, "postfix-out");
	assert_string_equal(var_mynetworks_style, "subnet");
	conf_free(&conf);
	strbuf_free(&out);
	strbuf_free(&error);
	params_reset();
}

static void test_conf_errors_name_line(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	    {"a = 1\ndefault_process_limit = abc\n",
	     "/x/main.cf, line 2: bad numerical configuration: default_process_limit = abc"},
	    {"mail_name = $a\na = $b\nb = $a\n",
	     "/x/main.cf, line 1: unreasonable macro call nesting: \"a\""},
	    {"mail_name = $myhostname\nmyhostname = $mail_name\n",
	     "/x/main.cf, line 1: unreasonable macro call nesting: \"myhostname\""},
	    /* mydestination's default ($myhostname, localhost.$mydomain) meets the loop first. */
	    {"mydomain = $myhostname\nmyhostname = $mydomain\n",
	     "unreasonable macro call nesting: \"myhostname\""},
	    /* Found while computing the default of mynetworks: no line to name. */
	    {"mynetworks_style = $mynetworks\n", "unreasonable macro call nesting: \"mynetworks\""},
	    {"mynetworks_style = bogus\n", "unknown mynetworks_style parameter value: bogus"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf *conf = conf_from(cases[i].text);
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

		if (conf_apply(conf, error))
			fail_msg("case %zu: applied, want error %s", i, cases[i].error);
		if (strcmp(strbuf_str(error), cases[i].error) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, strbuf_str(error),
			         cases[i].error);
		conf_free(&conf);
		strbuf_free(&error);
	}
	params_reset();
}

/* Runs conf_load() in a child; returns its exit status, stderr in *text_r. */
static int load_in_child(const char *main_cf, const char *const *overrides, int flags, char *text,
                         size_t size)
{
	char dir[] = "/tmp/test_params.XXXXXX";
	char path[64];
	int pipe_fd[2], status;
	FILE *fp;
	pid_t pid;
	ssize_t got;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/main.cf", dir);
	fp = fopen(path, "w");
	fputs(main_cf, fp);
	fclose(fp);
	assert_int_equal(pipe(pipe_fd), 0);
	if ((pid = fork()) == 0) {
		dup2(pipe_fd[1], 2);
		msg_output_reset();
		msg_output_add(msg_stderr_output);
		conf_load(dir, overrides, flags);
		msg_info("loaded %s %s", var_mail_name, getenv("HOME") ? "HOME" : "-");
		exit(0);
	}
	close(pipe_fd[1]);
	got = read(pipe_fd[0], text, size - 1);
	text[got > 0 ? got : 0] = 0;
	close(pipe_fd[0]);
	waitpid(pid, &status, 0);
	unlink(path);
	rmdir(dir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_conf_load(void **state)
{
	static const char *const overrides[] = {"mail_name = from.override", NULL};
	static const char *const bad_override[] = {"mail_name", NULL};
	char text[1024];

	msg_init("test_params");
	setenv("HOME", "/root", 1);
	assert_int_equal(load_in_child("mail_name = x\n", NULL, 0, text, sizeof(text)), 0);
	assert_string_equal(text, "test_params: loaded x HOME\n");
	assert_int_equal(
	    load_in_child("mail_name = x\n", overrides, CONF_LOAD_IMPORT, text, sizeof(text)), 0);
	assert_string_equal(text, "test_params: loaded from.override -\n");
	assert_int_equal(
	    load_in_child("mail_name = x\ndaemon_timeout = 1x\n", NULL, 0, text, sizeof(text)), 1);
	assert_non_null(strstr(text, "fatal: "));
	assert_non_null(strstr(text, "/main.cf, line 2: parameter daemon_timeout: bad time value "
	                             "or unit: 1x\n"));
	assert_int_equal(load_in_child("x\n", NULL, 0, text, sizeof(text)), 1);
	assert_non_null(strstr(text, "/main.cf, line 1: missing '=' after attribute name: \"x\""));
	assert_int_equal(load_in_child("", bad_override, 0, text, sizeof(text)), 1);
	assert_non_null(strstr(text, "fatal: invalid parameter override: mail_name: missing '=' "
	                             "after attribute name"));
	assert_int_equal(load_in_child("mail_owner = no-such-user-here\n", NULL, CONF_LOAD_OWNER,
	                               text, sizeof(text)),
	                 1);
	assert_non_null(strstr(text, "parameter mail_owner: unknown user name value: "
	                             "no-such-user-here"));
	assert_int_equal(
	    load_in_child("mail_owner = root\n", NULL, CONF_LOAD_OWNER, text, sizeof(text)), 1);
	assert_non_null(strstr(text, "parameter mail_owner: user root has privileged user ID"));
}

static void test_conf_load_logging(void **state)
{
	char log[64], main_cf[256], text[1024], *logged;
	FILE *fp;

	snprintf(log, sizeof(log), "/tmp/test_params.%ld.log", (long)getpid());
	snprintf(main_cf, sizeof(main_cf),
	         "maillog_file_prefixes = /tmp\nmaillog_file = %s\nsyslog_name = tester\n", log);
	msg_init("test_params");
	assert_int_equal(load_in_child(main_cf, NULL, CONF_LOAD_LOGGING, text, sizeof(text)), 0);
	fp = fopen(log, "r");
	assert_non_null(fp);
	logged = fgets(text, sizeof(text), fp);
	fclose(fp);
	unlink(log);
	assert_non_null(logged);
	assert_non_null(strstr(text, " tester/test_params["));
	assert_non_null(strstr(text, "]: loaded "));

	assert_int_equal(load_in_child("maillog_file = /etc/nope\n", NULL, CONF_LOAD_LOGGING, text,
	                               sizeof(text)),
	                 1);
	assert_non_null(strstr(text, "maillog_file value '/etc/nope' does not match any prefix "
	                             "in maillog_file_prefixes"));
	assert_int_equal(load_in_child("syslog_facility = nonsense\n", NULL, CONF_LOAD_LOGGING,
	                               text, sizeof(text)),
	                 1);
	assert_non_null(strstr(text, "parameter syslog_facility: unknown value: nonsense"));
}

static void test_directory_choice(void **state)
{
	unsetenv("MAIL_CONFIG");
	assert_string_equal(conf_directory_choose(NULL), DEF_CONFIG_DIR);
	setenv("MAIL_CONFIG", "/env/dir", 1);
	assert_string_equal(conf_directory_choose(NULL), "/env/dir");
	assert_string_equal(conf_directory_choose("/opt/dir"), "/opt/dir");
	setenv("MAIL_CONFIG", "", 1);
	assert_string_equal(conf_directory_choose(NULL), DEF_CONFIG_DIR);
	unsetenv("MAIL_CONFIG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reference_defaults),
	    cmocka_unit_test(test_table_sorted_and_found),
	    cmocka_unit_test(test_store_types),
	    cmocka_unit_test(test_time_unit_and_raw),
	    cmocka_unit_test(test_host_defaults),
	    cmocka_unit_test(test_conf_values),
	    cmocka_unit_test(test_conf_errors_name_line),
	    cmocka_unit_test(test_conf_load),
	    cmocka_unit_test(test_conf_load_logging),
	    cmocka_unit_test(test_directory_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
