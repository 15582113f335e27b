/*
 * Unit tests for lib/config/master_cf: syntax forms, errors with their
 * line numbers, postconf -M/-Mf/-F/-P output against what Debian's Postfix
 * 3.7 postconf printed for its own master.cf (tests/data/master_cf), the
 * editors, and the atomic rewrite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/master_cf.h"
#include "util/alloc.h"

#define DATA "tests/data/master_cf/"

static char *read_file(const char *path, size_t *len_r)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf *buf = strbuf_new(STRBUF_UNLIMITED);
	char chunk[4096];
	size_t n;

	if (fp == NULL)
		fail_msg("open %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_append(buf, chunk, n);
	fclose(fp);
	if (len_r != NULL)
		*len_r = strbuf_len(buf);
	return strbuf_export(&buf);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static struct master_cf *parse_ok(const char *text)
{
	const char *error = NULL;
	struct master_cf *cf = master_cf_parse("test.cf", text, strlen(text), &error);

	if (cf == NULL)
		fail_msg("parse of \"%s\" failed: %s", text, error);
	return cf;
}

static void check_equal(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("%s: got\n[%s]\nwant\n[%s]", what, got, want);
}

/* Compares a printer's output for the shipped file with postconf's. */
static void check_listing(const char *expected_file, char mode)
{
	const char *error = NULL;
	struct master_cf *cf = master_cf_read(DATA "master.cf", &error);
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	char *want = read_file(expected_file, NULL);

	if (cf == NULL)
		fail_msg("read failed: %s", error);
	assert_int_equal(master_cf_count(cf), 31);
	if (mode == 'M' || mode == 'm')
		master_cf_print_services(cf, NULL, 0, mode == 'm' ? MASTER_CF_PRINT_FOLD : 0, NULL,
		                         out);
	else if (mode == 'F' || mode == 'f')
		master_cf_print_fields(cf, NULL, 0, mode == 'f' ? MASTER_CF_PRINT_FOLD : 0, NULL,
		                       out);
	else
		master_cf_print_params(cf, NULL, 0, 0, NULL, NULL, NULL, out);
	check_equal(expected_file, strbuf_str(out), want);
	free(want);
	strbuf_free(&out);
	master_cf_free(&cf);
	assert_null(cf);
}

static void test_shipped_file_listings(void **state)
{
	check_listing(DATA "master.cf.M", 'M');
	check_listing(DATA "master.cf.Mf", 'm');
	check_listing(DATA "master.cf.F", 'F');
	check_listing(DATA "master.cf.Ff", 'f');
	check_listing(DATA "master.cf.P", 'P');
}

static void test_unedited_text_round_trips(void **state)
{
	static const char *const texts[] = {
	    "",
	    "# only a comment",
	    "\n\n#c\n   \n",
	    "a unix - - n - - cmd\n#in\n\n  -o x=y\n# after\n",
	    "a unix - - n - - cmd\r\n  arg",
	};
	size_t len;
	char *shipped = read_file(DATA "master.cf", &len);

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct master_cf *cf = parse_ok(texts[i]);
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

		master_cf_text(cf, out);
		check_equal("round trip", strbuf_str(out), texts[i]);
		strbuf_free(&out);
		master_cf_free(&cf);
	}
	{
		struct master_cf *cf = parse_ok(shipped);
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

		master_cf_text(cf, out);
		assert_int_equal(strbuf_len(out), len);
		assert_memory_equal(strbuf_str(out), shipped, len);
		strbuf_free(&out);
		master_cf_free(&cf);
	}
	free(shipped);
}

/* One entry in, its postconf -M line out. */
static const struct {
	const char *in;
	const char *want;
} forms[] = {
    {"smtp inet n - y - - smtpd\n",
     "smtp       inet  n       -       y       -       -       smtpd\n"},
    {"smtp\tinet\tn\t-\ty\t-\t-\tsmtpd",
     "smtp       inet  n       -       y       -       -       smtpd\n"},
    {"# c\nsmtp inet n - y -\n# inside\n\n  - smtpd\n    -o a=b\n",
     "smtp       inet  n       -       y       -       -       smtpd -o a=b\n"},
    {"127.0.0.1:2525 inet n - n - 10 smtpd -o a=b\n",
     "127.0.0.1:2525 inet n    -       n       -       10      smtpd -o a=b\n"},
    {"[::1]:2526 inet - - n 10? 0 smtpd",
     "[::1]:2526 inet  -       -       n       10?     0       smtpd\n"},
    {"2527 inet - - n 0 0 smtpd",
     "2527       inet  -       -       n       0       0       smtpd\n"},
    {"postlog unix-dgram n - n - 1 postlogd",
     "postlog    unix-dgram n  -       n       -       1       postlogd\n"},
    {"a-very-long-service-name-indeed fifo - n - - 100 x",
     "a-very-long-service-name-indeed fifo - n - -     100     x\n"},
    {"p pass - - - - - cmd", "p          pass  -       -       -       -       -       cmd\n"},
    {"s unix - - n - - smtpd -o { smtpd_banner = hello  world } -o {a=b}",
     "s          unix  -       -       n       -       -       smtpd -o {smtpd_banner=hello  "
     "world} -o a=b\n"},
    {"s unix - - n - - smtpd -o{c=d} -ofoo=bar -vo z=w -D",
     "s          unix  -       -       n       -       -       smtpd -o c=d -o foo=bar -v -o z=w "
     "-D\n"},
    {"s unix - - n - - smtpd -o { a = b = c } -o {a=} -o { b =  }",
     "s          unix  -       -       n       -       -       smtpd -o {a=b = c} -o a= -o b=\n"},
    {"s unix - - n - - smtpd -o x=y -- -o z=w",
     "s          unix  -       -       n       -       -       smtpd -o x=y -- -o z=w\n"},
    {"s unix - - n - - smtpd x -o y=z { a  b } {} {{n}} a}b",
     "s          unix  -       -       n       -       -       smtpd x -o y=z {a  b} {} {{n}} "
     "a}b\n"},
    {"s unix - - n - - smtpd {-v} {a {b} c}",
     "s          unix  -       -       n       -       -       smtpd {-v} {a {b} c}\n"},
    {"s unix - - n - - {smtpd x} -v",
     "s          unix  -       -       n       -       -       {smtpd x} -v\n"},
};

static void test_syntax_forms(void **state)
{
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct master_cf *cf = parse_ok(forms[i].in);
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

		assert_int_equal(master_cf_count(cf), 1);
		master_cf_print_services(cf, NULL, 0, 0, NULL, out);
		check_equal(forms[i].in, strbuf_str(out), forms[i].want);
		/* The normalised form must read back to the same entry. */
		{
			struct master_cf *again = parse_ok(strbuf_str(out));
			struct strbuf *out2 = strbuf_new(STRBUF_UNLIMITED);

			master_cf_print_services(again, NULL, 0, 0, NULL, out2);
			check_equal("reparse", strbuf_str(out2), forms[i].want);
			strbuf_free(&out2);
			master_cf_free(&again);
		}
		strbuf_free(&out);
		master_cf_free(&cf);
	}
}

static void test_argv_and_overrides(void **state)
{
	struct master_cf *cf = parse_ok("s unix - - n - - smtpd -vo { a = x  y } -ob=c -o a=z "
	                                "{ arg one } -o q=r\n");
	const struct master_cf_service *svc = master_cf_service(cf, 0);
	static const char *const want[] = {"smtpd", "-v",  "-o",      "a=x  y", "-o", "b=c",
	                                   "-o",    "a=z", "arg one", "-o",     "q=r"};

	assert_int_equal(svc->argc, 11);
	for (size_t i = 0; i < svc->argc; i++)
		check_equal("argv", svc->argv[i], want[i]);
	assert_null(svc->argv[svc->argc]);
	assert_int_equal(svc->option_end, 8);
	assert_int_equal(svc->override_count, 3);
	check_equal("override name", svc->overrides[0].name, "a");
	check_equal("override value", svc->overrides[0].value, "x  y");
	check_equal("last a", master_cf_override(svc, "a"), "z");
	assert_null(master_cf_override(svc, "q"));
	master_cf_free(&cf);
}

static void test_defaults_and_numbers(void **state)
{
	struct master_cf *cf = parse_ok("i inet - - - - - x\n"
	                                "u unix - - - 60? 0 x\n"
	                                "v unix n n y 300 7 x\n");
	const struct master_cf_service *i = master_cf_service(cf, 0);
	const struct master_cf_service *u = master_cf_service(cf, 1);
	const struct master_cf_service *v = master_cf_service(cf, 2);
	bool when_used;

	assert_false(master_cf_private(i));
	assert_true(master_cf_private(u));
	assert_false(master_cf_private(v));
	assert_true(master_cf_unprivileged(u));
	assert_false(master_cf_unprivileged(v));
	assert_false(master_cf_chroot(u));
	assert_true(master_cf_chroot(v));
	assert_int_equal(master_cf_wakeup(i, &when_used), 0);
	assert_false(when_used);
	assert_int_equal(master_cf_wakeup(u, &when_used), 60);
	assert_true(when_used);
	assert_int_equal(master_cf_wakeup(v, &when_used), 300);
	assert_false(when_used);
	assert_int_equal(master_cf_process_limit(i, 100), 100);
	assert_int_equal(master_cf_process_limit(u, 100), 0);
	assert_int_equal(master_cf_process_limit(v, 100), 7);
	assert_int_equal(i->type, MASTER_CF_INET);
	check_equal("type name", master_cf_type_name(MASTER_CF_UNIX_DGRAM), "unix-dgram");
	check_equal("field name", master_cf_field_name(MASTER_CF_PROCESS_LIMIT), "process_limit");
	master_cf_free(&cf);
}

static void test_duplicates_and_identity(void **state)
{
	struct master_cf *cf = parse_ok("smtp inet n - n - - smtpd\n"
	                                "smtp unix - - n - - smtp\n"
	                                "smtp inet n - n - 5 smtpd\n");

	assert_int_equal(master_cf_count(cf), 3);
	assert_true(master_cf_service(cf, 0)->superseded);
	assert_false(master_cf_service(cf, 1)->superseded);
	assert_false(master_cf_service(cf, 2)->superseded);
	assert_ptr_equal(master_cf_find(cf, "smtp", "inet"), master_cf_service(cf, 2));
	assert_ptr_equal(master_cf_find(cf, "smtp", "unix"), master_cf_service(cf, 1));
	assert_null(master_cf_find(cf, "smtp", "fifo"));
	assert_int_equal(master_cf_service(cf, 2)->line, 3);
	master_cf_free(&cf);
}

static const struct {
	const char *in;
	const char *want;
} errors[] = {
    {"# c\nsmtp inet n - n - - smtpd\nx bogus n - n - - smtpd\n",
     "test.cf: line 3: field \"type\": bad value: \"bogus\""},
    {"x inet q - n - - smtpd", "test.cf: line 1: field \"private\": bad value: \"q\""},
    {"x inet n yes n - - smtpd", "test.cf: line 1: field \"unprivileged\": bad value: \"yes\""},
    {"x inet n - N - - smtpd", "test.cf: line 1: field \"chroot\": bad value: \"N\""},
    {"x inet n - n abc - smtpd", "test.cf: line 1: field \"wakeup\": bad value: \"abc\""},
    {"x inet n - n 10?? - smtpd", "test.cf: line 1: field \"wakeup\": bad value: \"10??\""},
    {"x inet n - n ? - smtpd", "test.cf: line 1: field \"wakeup\": bad value: \"?\""},
    {"x inet n - n -1 - smtpd", "test.cf: line 1: field \"wakeup\": bad value: \"-1\""},
    {"x inet n - n 99999999999 - smtpd",
     "test.cf: line 1: field \"wakeup\": bad value: \"99999999999\""},
    {"x inet n - n - -1 smtpd", "test.cf: line 1: field \"process_limit\": bad value: \"-1\""},
    {"x inet n - n - {1} smtpd", "test.cf: line 1: field \"process_limit\": bad value: \"{1}\""},
    {"\n\nx inet n - n -\n", "test.cf: line 3: missing \"process_limit\" field"},
    {"x inet n - n - -\n# more\n", "test.cf: line 1: missing \"command\" field"},
    {"x", "test.cf: line 1: missing \"type\" field"},
    {"x inet y - n - - smtpd", "test.cf: line 1: inet service cannot be private"},
    {"[::1 inet - - n - - smtpd", "test.cf: line 1: field \"service\": bad inet address: \"[::1\""},
    {"host: inet - - n - - smtpd",
     "test.cf: line 1: field \"service\": bad inet address: \"host:\""},
    {"  x inet n - n - - smtpd",
     "test.cf: line 1: continuation line without a service entry above"},
    {"x unix - - n - - smtpd\n\ny unix - - n - - smtpd -o { a = b\n  -o c=d\n",
     "test.cf: line 3: missing '}' in \"{ a = b   -o c=d\""},
    {"x unix - - n - - smtpd {a b}y", "test.cf: line 1: text after '}' in \"{a\""},
    {"x unix - - n - - smtpd -o {a=b}{c=d}", "test.cf: line 1: text after '}' in \"{a=b}{c=d}\""},
    {"x unix - - n - - smtpd -o", "test.cf: line 1: option -o needs name=value"},
    {"x unix - - n - - smtpd -o a",
     "test.cf: line 1: -o \"a\": missing '=' after the parameter name"},
    {"x unix - - n - - smtpd -o { = b }", "test.cf: line 1: -o \"= b\": missing parameter name"},
    {"x unix - - n - - smtpd -o {a b = c}",
     "test.cf: line 1: -o \"a b = c\": whitespace in parameter name"},
    {"x unix - - n - - smtpd -o=b", "test.cf: line 1: -o \"=b\": missing parameter name"},
};

static void test_errors_name_file_and_line(void **state)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		const char *error = NULL;
		struct master_cf *cf =
		    master_cf_parse("test.cf", errors[i].in, strlen(errors[i].in), &error);

		if (cf != NULL)
			fail_msg("\"%s\": parsed, want error \"%s\"", errors[i].in, errors[i].want);
		check_equal(errors[i].in, error, errors[i].want);
	}
}

static void test_limits(void **state)
{
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);
	const char *error = NULL;
	struct master_cf *cf;

	strbuf_append_str(text, "x unix - - n - - cmd");
	for (int i = 0; i < MASTER_CF_ARGS_MAX; i++)
		strbuf_append_str(text, " a");
	cf = master_cf_parse("t", strbuf_str(text), strbuf_len(text), &error);
	assert_null(cf);
	check_equal("too many args", error, "t: line 1: more than 1024 command arguments");
	strbuf_set(text, "x unix - - n - - cmd\n");
	for (int i = 0; i < MASTER_CF_LINE_MAX / 8; i++)
		strbuf_append_str(text, "  aaaaa\n");
	cf = master_cf_parse("t", strbuf_str(text), strbuf_len(text), &error);
	assert_null(cf);
	check_equal("too long", error, "t: line 1: entry longer than 65536 bytes");
	cf = master_cf_parse("t", "x unix - - n - - a\0b", 20, &error);
	assert_null(cf);
	check_equal("nul", error, "t: NUL byte in file");
	cf = master_cf_read("tests/data/master_cf/no-such-file", &error);
	assert_null(cf);
	check_equal("missing", error,
	            "open tests/data/master_cf/no-such-file: No such file or directory");
	strbuf_free(&text);
}

/* Every prefix of a tricky file, in a buffer of exactly that size. */
static void test_every_prefix_stays_in_bounds(void **state)
{
	static const char text[] = "# c\nsmtp inet n - y 10? 5 smtpd\n  -o { a = b c }\n"
	                           "#x\n  -vo{d=e} -- {f g} {}\nq unix - - - - - x {{y}}\n";

	for (size_t len = 0; len < sizeof(text); len++) {
		char *copy = xmemdup(text, len ? len : 1);
		const char *error = NULL;
		struct master_cf *cf = master_cf_parse("p", copy, len, &error);

		if (cf == NULL)
			assert_non_null(strstr(error, "p: line "));
		else
			assert_true(master_cf_count(cf) <= 2);
		master_cf_free(&cf);
		free(copy);
	}
}

static void test_requests_select_services(void **state)
{
	struct master_cf *cf = parse_ok("smtp inet n - n - - smtpd\n"
	                                "pickup unix n - n 60 1 pickup\n"
	                                "smtp unix - - n - - smtp\n");
	char *requests[] = {"pickup", "smtp", "nosuch", "*/inet", "smtp/*", "cleanup//type"};
	bool matched[6];
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	const char *error = NULL;
	const char *name = NULL;

	master_cf_print_services(cf, requests, 6, 0, matched, out);
	check_equal("-M requests", strbuf_str(out),
	            "smtp       inet  n       -       n       -       -       smtpd\n"
	            "smtp       inet  n       -       n       -       -       smtpd\n"
	            "smtp       inet  n       -       n       -       -       smtpd\n"
	            "pickup     unix  n       -       n       60      1       pickup\n"
	            "smtp       unix  -       -       n       -       -       smtp\n"
	            "smtp       unix  -       -       n       -       -       smtp\n");
	assert_true(matched[0] && matched[1] && matched[3] && matched[4]);
	assert_false(matched[2]);
	assert_false(matched[5]);
	assert_true(master_cf_request_match(master_cf_service(cf, 0), "smtp/inet/chroot", &name));
	check_equal("name part", name, "chroot");
	assert_true(master_cf_request_match(master_cf_service(cf, 0), "smtp", &name));
	check_equal("omitted name part", name, "*");
	assert_true(master_cf_request_check("a/b", 2, &error));
	assert_false(master_cf_request_check("a/b/c", 2, &error));
	check_equal("check", error, "request \"a/b/c\": more than 2 '/'-separated parts");
	strbuf_free(&out);
	master_cf_free(&cf);
}

static const char *upper_expand(const char *value, void *context)
{
	static char buf[64];

	(*(int *)context)++;
	snprintf(buf, sizeof(buf), "<%s>", value);
	return buf;
}

static void test_fields_and_params_listing(void **state)
{
	struct master_cf *cf = parse_ok("x unix - - n 10? - pipe -o z=1 -o { a = p  q } "
	                                "-o a=last -o m=2 argv=/bin/x\n");
	char *wakeup[] = {"x/unix/wakeup", "x/*/type", "x/unix/a", "y"};
	bool matched[4];
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	int calls = 0;

	master_cf_print_fields(cf, wakeup, 4, 0, matched, out);
	check_equal("-F", strbuf_str(out), "x/unix/wakeup = 10?\nx/unix/type = unix\n");
	assert_true(matched[0] && matched[1]);
	assert_false(matched[2] || matched[3]);
	strbuf_reset(out);
	master_cf_print_fields(cf, wakeup, 1, MASTER_CF_PRINT_VALUE_ONLY, NULL, out);
	check_equal("-Fh", strbuf_str(out), "10?\n");
	strbuf_reset(out);
	master_cf_print_fields(cf, wakeup, 1, MASTER_CF_PRINT_NAME_ONLY, NULL, out);
	check_equal("-FH", strbuf_str(out), "x/unix/wakeup\n");
	strbuf_reset(out);
	master_cf_print_params(cf, NULL, 0, 0, NULL, NULL, NULL, out);
	check_equal("-P", strbuf_str(out), "x/unix/a = last\nx/unix/m = 2\nx/unix/z = 1\n");
	strbuf_reset(out);
	master_cf_print_params(cf, wakeup + 2, 1, 0, upper_expand, &calls, matched, out);
	check_equal("-Px", strbuf_str(out), "x/unix/a = <last>\n");
	assert_int_equal(calls, 1);
	assert_true(matched[0]);
	master_cf_free(&cf);
	cf = parse_ok("x unix - - n - - s -o { a = p   q  r }\n");
	strbuf_reset(out);
	master_cf_print_params(cf, NULL, 0, 0, NULL, NULL, NULL, out);
	check_equal("-P spaces", strbuf_str(out), "x/unix/a = p q r\n");
	strbuf_free(&out);
	master_cf_free(&cf);
}

/* Folding: postconf folds commands before column 80, values at 80. */
static void test_folding_widths(void **state)
{
	struct master_cf *cf = parse_ok(
	    "s15 unix - - n - - pipe aaaaaaaaaaaaaaa b\n"
	    "s16 unix - - n - - pipe aaaaaaaaaaaaaaaa b\n"
	    "c1 unix - - n - - pipe x "
	    "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww q\n"
	    "t4 unix - - n - - smtpd -v -o x=y -D -vo z=w {a b} -o q=r\n"
	    "p unix - - n - - x -o { a = word0 word1 word2 word3 word4 word5 word6 word7 word8 "
	    "word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 "
	    "word21 word22 }\n");
	char *p[] = {"p"};
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

	master_cf_print_services(cf, NULL, 0, MASTER_CF_PRINT_FOLD, NULL, out);
	check_equal(
	    "-Mf", strbuf_str(out),
	    "s15        unix  -       -       n       -       -       pipe aaaaaaaaaaaaaaa b\n"
	    "s16        unix  -       -       n       -       -       pipe aaaaaaaaaaaaaaaa\n"
	    "    b\n"
	    "c1         unix  -       -       n       -       -       pipe x\n"
	    "    wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww\n"
	    "    q\n"
	    "t4         unix  -       -       n       -       -       smtpd -v\n"
	    "    -o x=y\n"
	    "    -D -v\n"
	    "    -o z=w\n"
	    "    {a b} -o q=r\n"
	    "p          unix  -       -       n       -       -       x\n"
	    "    -o {a=word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 "
	    "word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22}\n");
	strbuf_reset(out);
	master_cf_print_params(cf, p, 1, MASTER_CF_PRINT_FOLD, NULL, NULL, NULL, out);
	check_equal(
	    "-Pf", strbuf_str(out),
	    "p/unix/a = word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10\n"
	    "    word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21\n"
	    "    word22\n");
	strbuf_free(&out);
	master_cf_free(&cf);
}

/* The file the editing tests start from, and one edit applied to it. */
static const char edit_base[] = "# head\n"
                                "smtp      inet  n       -       y       -       -       smtpd\n"
                                "#  -o x=1\n"
                                "  -o a=b\n"
                                "  -o { c = d e }\n"
                                "# between\n"
                                "x unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\n"
                                "y unix - - n - - smtpd -v arg\n"
                                "# tail";

typedef enum master_cf_edit_result (*edit_fn)(struct master_cf *, const char *, const char **);

static const struct {
	edit_fn edit;
	const char *arg;
	enum master_cf_edit_result result;
	const char *want; /* the file after the edit, or the error */
} edits[] = {
    {master_cf_edit_service, "smtp/inet=smtp inet n - n - 5 smtpd -o q=r", MASTER_CF_EDIT_OK,
     "# head\nsmtp       inet  n       -       n       -       5       smtpd\n    -o q=r\n"
     "#  -o x=1\n# between\nx unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\n"
     "y unix - - n - - smtpd -v arg\n# tail"},
    {master_cf_edit_service, "new/unix=  other  unix - - n - - newcmd", MASTER_CF_EDIT_OK,
     "@other      unix  -       -       n       -       -       newcmd\n"},
    {master_cf_edit_service, "smtp/inet=smtp inet n", MASTER_CF_EDIT_ERROR,
     "smtp/inet=smtp inet n: missing \"unprivileged\" field"},
    {master_cf_edit_service, "smtp=smtp inet n - - - - x", MASTER_CF_EDIT_ERROR,
     "\"smtp=smtp inet n - - - - x\": expected service/type"},
    {master_cf_remove_service, "smtp/inet", MASTER_CF_EDIT_OK,
     "# head\n#  -o x=1\n# between\nx unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\n"
     "y unix - - n - - smtpd -v arg\n# tail"},
    {master_cf_remove_service, "nosuch/inet", MASTER_CF_EDIT_OK, NULL},
    {master_cf_comment_service, "smtp/inet", MASTER_CF_EDIT_OK,
     "# head\n#smtp      inet  n       -       y       -       -       smtpd\n#  -o x=1\n"
     "#  -o a=b\n#  -o { c = d e }\n# between\n"
     "x unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\ny unix - - n - - smtpd -v arg\n"
     "# tail"},
    {master_cf_edit_field, "smtp/inet/chroot=n", MASTER_CF_EDIT_OK,
     "# head\nsmtp       inet  n       -       n       -       -       smtpd\n    -o a=b\n"
     "    -o {c=d e}\n#  -o x=1\n# between\n"
     "x unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\ny unix - - n - - smtpd -v arg\n"
     "# tail"},
    {master_cf_edit_field, "y/unix/command=pipe  {a  b}  -o {d = e}", MASTER_CF_EDIT_OK,
     "@y          unix  -       -       n       -       -       pipe {a  b} -o {d = e}\n"},
    {master_cf_edit_field, "y/unix/type=inet", MASTER_CF_EDIT_OK,
     "@y          inet  -       -       n       -       -       smtpd -v arg\n"},
    {master_cf_edit_field, "y/unix/wakeup=10?", MASTER_CF_EDIT_OK,
     "@y          unix  -       -       n       10?     -       smtpd -v arg\n"},
    {master_cf_edit_field, "y/unix/wakeup=bad", MASTER_CF_EDIT_ERROR,
     "y/unix/wakeup=bad: field \"wakeup\": bad value: \"bad\""},
    {master_cf_edit_field, "y/unix/chroot=y n", MASTER_CF_EDIT_ERROR,
     "y/unix/chroot=y n: field \"chroot\": bad value: \"y n\""},
    {master_cf_edit_field, "y/unix/command=", MASTER_CF_EDIT_ERROR,
     "y/unix/command=: missing \"command\" field"},
    {master_cf_edit_field, "y/unix/bogus=1", MASTER_CF_EDIT_ERROR,
     "\"y/unix/bogus=1\": unknown field name \"bogus\""},
    {master_cf_edit_field, "y/unix/chroot", MASTER_CF_EDIT_ERROR,
     "\"y/unix/chroot\": missing '=' after service/type/name"},
    {master_cf_edit_field, "nosuch/unix/chroot=y", MASTER_CF_EDIT_UNMATCHED,
     "unmatched service_name/type: \"nosuch/unix/chroot=y\""},
    {master_cf_edit_param, "x/unix/a=N", MASTER_CF_EDIT_OK,
     "@x          unix  -       -       n       -       -       smtpd\n    -o a=N\n    -v\n"
     "    -o a=N\n    arg -o z=1\n"},
    {master_cf_edit_param, "y/unix/q=N", MASTER_CF_EDIT_OK,
     "@y          unix  -       -       n       -       -       smtpd -v\n    -o q=N\n    arg\n"},
    {master_cf_edit_param, "x/unix/z=", MASTER_CF_EDIT_OK,
     "@x          unix  -       -       n       -       -       smtpd\n    -o a=1\n    -v\n"
     "    -o a=2\n    -o z=\n    arg -o z=1\n"},
    {master_cf_edit_param, "smtp/inet/c=NEW", MASTER_CF_EDIT_OK,
     "@smtp       inet  n       -       y       -       -       smtpd\n    -o a=b\n"
     "    -o c=NEW\n#  -o x=1\n"},
    {master_cf_edit_param, "y/unix/q=v w", MASTER_CF_EDIT_ERROR,
     "\"y/unix/q=v w\": whitespace in a parameter value"},
    {master_cf_edit_param, "y/unix/=v", MASTER_CF_EDIT_ERROR,
     "\"y/unix/=v\": expected service/type/name"},
    {master_cf_edit_param, "y/q=v", MASTER_CF_EDIT_ERROR, "\"y/q=v\": expected service/type/name"},
    {master_cf_edit_param, "nosuch/unix/q=v", MASTER_CF_EDIT_UNMATCHED,
     "unmatched service_name/type: \"nosuch/unix/q=v\""},
    {master_cf_remove_param, "x/unix/a", MASTER_CF_EDIT_OK,
     "@x          unix  -       -       n       -       -       smtpd -v arg -o z=1\n"},
    {master_cf_remove_param, "smtp/inet/nosuch", MASTER_CF_EDIT_OK,
     "@smtp       inet  n       -       y       -       -       smtpd\n    -o a=b\n"
     "    -o {c=d e}\n#  -o x=1\n"},
};

static void test_edits(void **state)
{
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		struct master_cf *cf = parse_ok(edit_base);
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
		const char *error = NULL;
		enum master_cf_edit_result result = edits[i].edit(cf, edits[i].arg, &error);

		if (result != edits[i].result)
			fail_msg("%s: got result %d (%s), want %d", edits[i].arg, result,
			         error ? error : "", edits[i].result);
		master_cf_text(cf, out);
		if (result != MASTER_CF_EDIT_OK)
			check_equal(edits[i].arg, error, edits[i].want);
		else if (edits[i].want == NULL)
			check_equal(edits[i].arg, strbuf_str(out), edit_base);
		else if (edits[i].want[0] == '@' && strstr(out->data, edits[i].want + 1) == NULL)
			fail_msg("%s: got\n[%s]\nwant it to contain\n[%s]", edits[i].arg,
			         strbuf_str(out), edits[i].want + 1);
		else if (edits[i].want[0] != '@')
			check_equal(edits[i].arg, strbuf_str(out), edits[i].want);
		/* Whatever the edit did, the result must read back. */
		master_cf_free(&cf);
		cf = parse_ok(strbuf_str(out));
		strbuf_free(&out);
		master_cf_free(&cf);
	}
}

static void test_edit_keeps_other_lines(void **state)
{
	struct master_cf *cf = parse_ok(edit_base);
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	const char *error = NULL;

	assert_int_equal(master_cf_edit_param(cf, "y/unix/q=N", &error), MASTER_CF_EDIT_OK);
	assert_int_equal(master_cf_edit_service(cf, "n/unix=n unix - - n - - c", &error),
	                 MASTER_CF_EDIT_OK);
	master_cf_text(cf, out);
	check_equal("edited file", strbuf_str(out),
	            "# head\n"
	            "smtp      inet  n       -       y       -       -       smtpd\n"
	            "#  -o x=1\n"
	            "  -o a=b\n"
	            "  -o { c = d e }\n"
	            "# between\n"
	            "x unix - - n - - smtpd -o a=1 -v -o a=2 arg -o z=1\n"
	            "y          unix  -       -       n       -       -       smtpd -v\n"
	            "    -o q=N\n"
	            "    arg\n"
	            "# tail\n"
	            "n          unix  -       -       n       -       -       c\n");
	assert_int_equal(master_cf_count(cf), 4);
	check_equal("new entry", master_cf_override(master_cf_find(cf, "y", "unix"), "q"), "N");
	strbuf_free(&out);
	master_cf_free(&cf);
}

/* A scratch directory under /tmp, removed with its files afterwards. */
static char *make_dir(void)
{
	char *dir = xstrdup("/tmp/test_master_cf.XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_dir(char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char path[512];

	while (dp != NULL && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (dp != NULL)
		closedir(dp);
	rmdir(dir);
	free(dir);
}

static int count_entries(const char *dir)
{
	DIR *dp = opendir(dir);
	int count = 0;

	while (readdir(dp) != NULL)
		count++;
	closedir(dp);
	return count - 2;
}

static void test_write_keeps_mode_and_replaces(void **state)
{
	char *dir = make_dir();
	char path[512];
	const char *error = NULL;
	struct master_cf *cf;
	struct stat st;
	char *text;

	snprintf(path, sizeof(path), "%s/master.cf", dir);
	write_file(path, edit_base, 0640);
	cf = master_cf_read(path, &error);
	assert_non_null(cf);
	check_equal("path", master_cf_path(cf), path);
	assert_int_equal(master_cf_edit_field(cf, "y/unix/chroot=y", &error), MASTER_CF_EDIT_OK);
	if (!master_cf_write(cf, &error))
		fail_msg("write: %s", error);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	text = read_file(path, NULL);
	assert_non_null(strstr(text, "y          unix  -       -       y       -       -       "
	                             "smtpd -v arg\n# tail"));
	assert_int_equal(count_entries(dir), 1);
	free(text);
	master_cf_free(&cf);
	remove_dir(dir);
}

/* A write that fails half way (file size limit) leaves the old file. */
static void test_write_failure_leaves_file_identical(void **state)
{
	char *dir = make_dir();
	char path[512];
	struct master_cf *cf;
	const char *error = NULL;
	char *before;
	char *after;
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/master.cf", dir);
	write_file(path, edit_base, 0644);
	before = read_file(path, NULL);
	cf = master_cf_read(path, &error);
	for (int i = 0; i < 200; i++)
		assert_int_equal(
		    master_cf_edit_param(cf, "y/unix/some_long_parameter_name=v", &error),
		    MASTER_CF_EDIT_OK);
	assert_int_equal(master_cf_edit_service(cf, "big/unix=big unix - - n - - c -o a=b", &error),
	                 MASTER_CF_EDIT_OK);
	if ((pid = fork()) == 0) {
		struct rlimit limit = {.rlim_cur = 100, .rlim_max = 100};

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &limit);
		if (master_cf_write(cf, &error) || strncmp(error, "write ", 6) != 0)
			_exit(1);
		_exit(strstr(error, "File too large") ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child status %d, want a reported write error", status);
	after = read_file(path, NULL);
	check_equal("file after failed write", after, before);
	assert_int_equal(count_entries(dir), 1);
	master_cf_free(&cf);
	free(before);
	free(after);
	remove_dir(dir);
}

static void test_write_into_missing_directory_fails(void **state)
{
	struct master_cf *cf = parse_ok("x unix - - n - - c\n");
	const char *error = NULL;
	char *dir = make_dir();
	char path[512];

	snprintf(path, sizeof(path), "%s/gone/master.cf", dir);
	master_cf_free(&cf);
	cf = master_cf_parse(path, "x unix - - n - - c\n", 19, &error);
	assert_false(master_cf_write(cf, &error));
	assert_non_null(strstr(error, "create temporary file for "));
	assert_non_null(strstr(error, "No such file or directory"));
	master_cf_free(&cf);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_file_listings),
	    cmocka_unit_test(test_unedited_text_round_trips),
	    cmocka_unit_test(test_syntax_forms),
	    cmocka_unit_test(test_argv_and_overrides),
	    cmocka_unit_test(test_defaults_and_numbers),
	    cmocka_unit_test(test_duplicates_and_identity),
	    cmocka_unit_test(test_errors_name_file_and_line),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_every_prefix_stays_in_bounds),
	    cmocka_unit_test(test_requests_select_services),
	    cmocka_unit_test(test_fields_and_params_listing),
	    cmocka_unit_test(test_folding_widths),
	    cmocka_unit_test(test_edits),
	    cmocka_unit_test(test_edit_keeps_other_lines),
	    cmocka_unit_test(test_write_keeps_mode_and_replaces),
	    cmocka_unit_test(test_write_failure_leaves_file_identical),
	    cmocka_unit_test(test_write_into_missing_directory_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
