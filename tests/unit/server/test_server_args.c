/* Unit tests for lib/server/server_args: master's daemon command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "server/server_args.h"
#include "util/strbuf.h"

#define MAX_WORDS 16

/* Splits a space-separated command line (no quoting) into argv. */
static int split_words(char *text, char **argv)
{
	int argc = 0;

	for (char *save, *w = strtok_r(text, " ", &save); w && argc < MAX_WORDS - 1;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* A parse result as one comparable line. */
static void describe(const struct server_args *args, char *buf, size_t size)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(out, "n=%s t=%s s=%d c=%d d=%d v=%d", args->service_name, args->service_type,
	              args->listen_count, args->no_chroot, args->debug, args->verbose);
	if (args->unprivileged)
		strbuf_append_str(out, " u=1");
	for (size_t i = 0; i < args->overrides->count; i++)
		strbuf_printf(out, " o=%s", args->overrides->items[i]);
	for (size_t i = 0; i < args->extra->count; i++)
		strbuf_printf(out, " arg=%s", args->extra->items[i]);
	snprintf(buf, size, "%s", strbuf_str(out));
	strbuf_free(&out);
}

static void test_parse_table(void **state)
{
	static const struct {
		const char *line;
		const char *want; /* describe() output, or NULL for an error */
		const char *error;
	} cases[] = {
	    {"smtpd -n smtp -t inet -s 1", "n=smtp t=inet s=1 c=0 d=0 v=0", NULL},
	    {"smtpd -c -v -v -n 127.0.0.1:25 -t inet -s 2 -o syslog_name=postfix/x -o a_b=",
	     "n=127.0.0.1:25 t=inet s=2 c=1 d=0 v=2 o=syslog_name=postfix/x o=a_b=", NULL},
	    {"pipe -n x -t unix -vv -cs3 -oname=v arg1 -x",
	     "n=x t=unix s=3 c=1 d=0 v=2 o=name=v "
	     "arg=arg1 arg=-x",
	     NULL},
	    {"p -n x -t unix -- -o", "n=x t=unix s=1 c=0 d=0 v=0 arg=-o", NULL},
	    {"p -n x -t fifo", "n=x t=fifo s=1 c=0 d=0 v=0", NULL},
	    {"local -u -n local -t unix", "n=local t=unix s=1 c=0 d=0 v=0 u=1", NULL},
	    {"local -cu -n local -t unix", "n=local t=unix s=1 c=1 d=0 v=0 u=1", NULL},
	    {"p -n x -t unix-dgram -s 1", "n=x t=unix-dgram s=1 c=0 d=0 v=0", NULL},
	    {"p -n x -t pass -s 64", "n=x t=pass s=64 c=0 d=0 v=0", NULL},
	    {"p -d -s 0", "n=- t=unix s=0 c=0 d=1 v=0", NULL},
	    {"p -t unix", NULL, "missing -n service name"},
	    {"p -n x", NULL, "missing -t service type"},
	    {"p -n x -t unix -s 0", NULL, "-s 0 needs -d"},
	    {"p -n x -t tcp", NULL, "unknown service type: tcp"},
	    {"p -n x -t unix -s -1", NULL, "bad descriptor count: -1"},
	    {"p -n x -t unix -s 65", NULL, "bad descriptor count: 65"},
	    {"p -n x -t unix -s 2x", NULL, "bad descriptor count: 2x"},
	    {"p -n x -t unix -s", NULL, "option -s requires a value"},
	    {"p -n x -t unix -o nonsense", NULL, "bad -o value (want name=value): nonsense"},
	    {"p -n x -t unix -o =value", NULL, "bad -o value (want name=value): =value"},
	    {"p -n x -t unix -o Name=v", NULL, "bad -o value (want name=value): Name=v"},
	    {"p -n x -t unix -q", NULL, "unknown option: -q"},
	    {"p -n", NULL, "option -n requires a value"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[256], got[512];
		char *argv[MAX_WORDS];
		const char *error = NULL;
		struct server_args *args;
		int argc;

		snprintf(line, sizeof(line), "%s", cases[i].line);
		argc = split_words(line, argv);
		args = server_args_parse(argc, argv, &error);
		if (cases[i].want == NULL) {
			if (args != NULL) {
				describe(args, got, sizeof(got));
				fail_msg("\"%s\": got \"%s\", want error \"%s\"", cases[i].line,
				         got, cases[i].error);
			}
			if (strcmp(error, cases[i].error) != 0)
				fail_msg("\"%s\": got error \"%s\", want \"%s\"", cases[i].line,
				         error, cases[i].error);
			continue;
		}
		if (args == NULL)
			fail_msg("\"%s\": got error \"%s\", want \"%s\"", cases[i].line, error,
			         cases[i].want);
		describe(args, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].line, got,
			         cases[i].want);
		server_args_free(&args);
		assert_null(args);
	}
}

static void test_type_known(void **state)
{
	assert_true(server_args_type_known("unix-dgram"));
	assert_false(server_args_type_known("unix-"));
	assert_false(server_args_type_known(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_type_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
