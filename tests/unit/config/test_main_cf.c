/*
 * Unit tests for lib/config/main_cf, main_cf_expand and main_cf_edit:
 * every syntax form, malformed lines and expansions, loops, and the
 * line-preserving rewrite behind postconf -e/-X/-#.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/main_cf.h"
#include "config/main_cf_edit.h"
#include "config/main_cf_expand.h"
#include "util/msg.h"

/* Warnings logged during a test, one per line. */
static char warnings[4096];

static void capture(enum msg_level level, const char *text)
{
	size_t len = strlen(warnings);

	snprintf(warnings + len, sizeof(warnings) - len, "%s%s\n", msg_level_prefix(level), text);
}

static int setup(void **state)
{
	msg_output_reset();
	msg_output_add(capture);
	warnings[0] = 0;
	return 0;
}

static struct main_cf *parse(const char *text, struct strbuf *error)
{
	struct main_cf *cf = main_cf_new("/etc/postfix/main.cf");

	if (!main_cf_parse(cf, text, strlen(text), error))
		main_cf_free(&cf);
	return cf;
}

static void want_value(const struct main_cf *cf, const char *name, const char *want)
{
	const struct main_cf_entry *entry = main_cf_find(cf, name);

	if (entry == NULL)
		fail_msg("%s: got no definition, want \"%s\"", name, want);
	if (strcmp(entry->value, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", name, entry->value, want);
}

static void test_parse_forms(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf = parse("# comment\n"
	                           "a = 1\n"
	                           "b=2\n"
	                           "c =   spaced   value   \r\n"
	                           "d = first\n"
	                           "  second\n"
	                           "   # indented comment inside\n"
	                           "\n"
	                           "\t third\n"
	                           "e =\n"
	                           "a = last wins\n"
	                           "f = 1 # not a comment\n"
	                           "odd-name = x\n"
	                           "g = no newline",
	                           error);

	assert_non_null(cf);
	want_value(cf, "a", "last wins");
	want_value(cf, "b", "2");
	want_value(cf, "c", "spaced   value");
	want_value(cf, "d", "first  second\t third");
	want_value(cf, "e", "");
	want_value(cf, "f", "1 # not a comment");
	want_value(cf, "odd-name", "x");
	want_value(cf, "g", "no newline");
	assert_null(main_cf_find(cf, "comment"));
	assert_int_equal(main_cf_find(cf, "d")->line, 5);
	assert_int_equal(main_cf_find(cf, "a")->line, 11);
	assert_string_equal(
	    warnings, "warning: /etc/postfix/main.cf, line 11: overriding earlier entry: a=1\n");
	main_cf_free(&cf);
	assert_null(cf);
	strbuf_free(&error);
}

static void test_parse_malformed(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen(text) */
		const char *error;
	} cases[] = {
	    {"foo\n", 0, "/etc/postfix/main.cf, line 1: missing '=' after attribute name: \"foo\""},
	    {"a = 1\n\n# c\nbad name = 2\n", 0,
	     "/etc/postfix/main.cf, line 4: missing '=' after attribute name: \"bad name = 2\""},
	    {"a = 1\nfoo bar\n  baz\n", 0,
	     "/etc/postfix/main.cf, line 2: missing '=' after attribute name: \"foo bar  baz\""},
	    {"= value\n", 0, "/etc/postfix/main.cf, line 1: missing attribute name: \"= value\""},
	    {"a = 1\n\0\n", 8, "/etc/postfix/main.cf, line 2: missing attribute name: \"\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
		struct main_cf *cf = main_cf_new("/etc/postfix/main.cf");
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

		if (main_cf_parse(cf, cases[i].text, len, error))
			fail_msg("case %zu: parsed, want error %s", i, cases[i].error);
		if (strcmp(strbuf_str(error), cases[i].error) != 0)
			fail_msg("case %zu: got error \"%s\", want \"%s\"", i, strbuf_str(error),
			         cases[i].error);
		main_cf_free(&cf);
		strbuf_free(&error);
	}
}

static void test_parse_leading_whitespace_and_long_line(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf = parse("  lead = 1\nb = 2\n", error);
	char *big;

	assert_non_null(cf);
	assert_null(main_cf_find(cf, "lead"));
	want_value(cf, "b", "2");
	assert_string_equal(warnings, "warning: /etc/postfix/main.cf: logical line must not "
	                              "start with whitespace: \"  lead = 1\"\n");
	main_cf_free(&cf);

	big = malloc(MAIN_CF_LINE_MAX + 16);
	memset(big, 'x', MAIN_CF_LINE_MAX + 15);
	memcpy(big, "a = 1\nb = ", 10);
	big[MAIN_CF_LINE_MAX + 15] = 0;
	assert_null(parse(big, error));
	assert_string_equal(strbuf_str(error), "/etc/postfix/main.cf, line 2: logical line longer "
	                                       "than 1048576 bytes");
	free(big);
	strbuf_free(&error);
}

static void test_split(void **state)
{
	char *name, *value;
	const char *reason;

	assert_true(main_cf_split("a = b c ", &name, &value, &reason));
	assert_string_equal(name, "a");
	assert_string_equal(value, "b c");
	free(name);
	free(value);
	assert_true(main_cf_split("a=", &name, &value, &reason));
	assert_string_equal(value, "");
	free(name);
	free(value);
	assert_false(main_cf_split("a b=c", &name, &value, &reason));
	assert_string_equal(reason, "missing '=' after attribute name");
	assert_false(main_cf_split("=c", &name, &value, &reason));
	assert_string_equal(reason, "missing attribute name");
	assert_false(main_cf_split("", &name, &value, &reason));
	assert_string_equal(reason, "missing attribute name");
}

/* Lookup over a fixed table of name/value pairs. */
static const char *const *lookup_table;

static const char *table_lookup(const char *name, void *context, struct strbuf *error)
{
	for (const char *const *p = lookup_table; *p; p += 2)
		if (strcmp(*p, name) == 0)
			return p[1];
	if (strcmp(name, "broken") == 0)
		strbuf_append_str(error, "lookup failed");
	return NULL;
}

static void test_expand_forms(void **state)
{
	static const char *const table[] = {"host",    "mx.example.com", "empty", "",  "ref",
	                                    "<$host>", "level",          "3.6",   NULL};
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
	    {"plain text", "plain text"},
	    {"$host", "mx.example.com"},
	    {"a${host}b", "amx.example.comb"},
	    {"$(host)", "mx.example.com"},
	    {"$ref", "<mx.example.com>"},
	    {"$undefined.", "."},
	    {"$$host", "$host"},
	    {"${host?yes}", "yes"},
	    {"${empty?yes}", ""},
	    {"${host:no}", ""},
	    {"${empty:no}", "no"},
	    {"${undefined:no}", "no"},
	    {"${host?{yes}}", "yes"},
	    {"${empty:{no}}", "no"},
	    {"${host?{A}:{B}}", "A"},
	    {"${empty?{A}:{B}}", "B"},
	    {"${empty?{A}:B b}", "B b"},
	    {"${host ?x}", "x"},
	    {"${host?$ref}", "<mx.example.com>"},
	    {"${host? {  sp  } : {n} }", "sp"},
	    {"${{1} == {1}}", "true"},
	    {"${{1} != {1}}", ""},
	    {"${{10} < {9} ? {lt}:{ge}}", "ge"},
	    {"${{010} == {10} ? eq}", "eq"},
	    {"${{a} < {b} ? lt : ge}", "lt : ge"},
	    {"${{b} <= {b} ? {le}}", "le"},
	    {"${{c} > {b} ? {gt}}", "gt"},
	    {"${{a} >= {b} ? {ge} : {lt}}", "lt"},
	    {"${{$level} <level {3.10} ? {old} : {new}}", "old"},
	    {"${{$level} ==level {3.6.0} ? {same}}", "same"},
	    {"${{2} >=level {10} ? {ge} : {lt}}", "lt"},
	    {"${{$host} == {mx.example.com} ? {$host!}}", "mx.example.com!"},
	    {"${{99999999999999999999} > {99999999999999999998} ? big}", "big"},
	};

	lookup_table = table;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

		if (!main_cf_expand(cases[i].text, table_lookup, NULL, out, error))
			fail_msg("%s: got error \"%s\", want \"%s\"", cases[i].text,
			         strbuf_str(error), cases[i].want);
		if (strcmp(strbuf_str(out), cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text, strbuf_str(out),
			         cases[i].want);
		strbuf_free(&out);
		strbuf_free(&error);
	}
}

static void test_expand_errors(void **state)
{
	static const char *const table[] = {"a",    "$b", "b", "x $a", "self", "${self?{$self}}",
	                                    "host", "h",  NULL};
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	    {"a $ b", "empty macro name: \"a $ b\""},
	    {"$@x", "empty macro name: \"$@x\""},
	    {"end $", "empty macro name: \"end $\""},
	    {"${}", "empty macro name: \"${}\""},
	    {"a ${host", "truncated macro reference: \"a ${host\""},
	    {"${host?{x}", "truncated macro reference: \"${host?{x}\""},
	    {"${host?{x} junk}", "\":\" expected at: \"...x}>>>junk\""},
	    {"${host?{a}b}", "\":\" expected at: \"...a}>>>b\""},
	    {"${nonex:{a}:{b}}", "unexpected input at: \"...a}>>>:{b}\""},
	    {"${my-domain}", "attribute name syntax error at: \"...my>>>-domain\""},
	    {"${=}", "attribute name syntax error at: \"...>>>=\""},
	    {"${{1} =~ {1} ? a}",
	     "\"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected at: \"...1}>>>=~ {1} ? a\""},
	    {"${{1}}", "\"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected at: \"...1}>>>\""},
	    {"${{1} == 1}", "\"{\" expected at: \"...==>>>1\""},
	    {"${{x} <level {3} ? a}", "malformed compatibility level syntax: \"x\""},
	    {"${{3} <level {3.x} ? a}", "malformed compatibility level syntax: \"3.x\""},
	    {"$a", "unreasonable macro call nesting: \"a\""},
	    {"$self", "unreasonable macro call nesting: \"self\""},
	    {"$broken", "lookup failed"},
	};

	lookup_table = table;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
		struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

		if (main_cf_expand(cases[i].text, table_lookup, NULL, out, error))
			fail_msg("%s: got \"%s\", want error %s", cases[i].text, strbuf_str(out),
			         cases[i].error);
		if (strstr(strbuf_str(error), cases[i].error) != strbuf_str(error) &&
		    strcmp(strbuf_str(error), cases[i].error) != 0)
			fail_msg("%s: got error \"%s\", want \"%s\"", cases[i].text,
			         strbuf_str(error), cases[i].error);
		strbuf_free(&out);
		strbuf_free(&error);
	}
}

static void collect_name(const char *name, size_t len, void *context)
{
	strbuf_printf(context, "%.*s,", (int)len, name);
}

static void test_expand_names(void **state)
{
	struct strbuf *names = strbuf_new(STRBUF_UNLIMITED);

	main_cf_expand_names("$a ${b?$c} $$d $(e:{${f}}) ${{$g} == {x} ? {$h}} $ $", collect_name,
	                     names);
	assert_string_equal(strbuf_str(names), "a,b,c,e,f,g,h,");
	strbuf_free(&names);
}

static void test_level(void **state)
{
	long long a, b;

	assert_true(main_cf_expand_level("3.6", &a));
	assert_true(main_cf_expand_level("3.10", &b));
	assert_true(a < b);
	assert_true(main_cf_expand_level("2", &a));
	assert_true(main_cf_expand_level("3.6.1", &b));
	assert_true(a < b);
	assert_false(main_cf_expand_level("", &a));
	assert_false(main_cf_expand_level("3.", &a));
	assert_false(main_cf_expand_level("3.6.1.2", &a));
	assert_false(main_cf_expand_level("v3", &a));
	assert_false(main_cf_expand_level("99999999", &a));
}

static void want_edit(const char *text, enum main_cf_edit_mode mode,
                      const struct main_cf_change *changes, size_t count, const char *want)
{
	size_t len;
	char *got = main_cf_edit_text("main.cf", text, strlen(text), mode, changes, count, &len);

	if (strcmp(got, want) != 0)
		fail_msg("edit of\n%s\ngot\n%s\nwant\n%s", text, got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

static const char edit_input[] = "# head\n"
                                 "a = 1\n"
                                 "   continued\n"
                                 "# mid\n"
                                 "\n"
                                 "b = 2\n"
                                 "c = 3\n"
                                 "  more\n"
                                 "# between\n"
                                 "  last\n"
                                 "d = 4";

static void test_edit_set(void **state)
{
	struct main_cf_change changes[] = {
	    {"a", "new"}, {"x", "appended"}, {"c", "C"}, {"x", "appended twice"}};

	want_edit(edit_input, MAIN_CF_EDIT_SET, changes, 4,
	          "# head\n"
	          "a = new\n"
	          "# mid\n"
	          "\n"
	          "b = 2\n"
	          "c = C\n"
	          "# between\n"
	          "d = 4\n"
	          "x = appended twice\n");
	want_edit("", MAIN_CF_EDIT_SET, changes, 1, "a = new\n");
	want_edit("a = 1\nb = 2\na = 3\n", MAIN_CF_EDIT_SET, changes, 1,
	          "a = new\nb = 2\na = new\n");
	assert_string_equal(warnings, "warning: main.cf: multiple entries for \"a\"\n");
	want_edit("ab = 1\na=2\n", MAIN_CF_EDIT_SET, changes, 1, "ab = 1\na = new\n");
}

static void test_edit_remove_and_comment(void **state)
{
	struct main_cf_change changes[] = {{"a", NULL}, {"c", NULL}, {"d", NULL}, {"nope", NULL}};

	want_edit(edit_input, MAIN_CF_EDIT_REMOVE, changes, 4,
	          "# head\n"
	          "# mid\n"
	          "\n"
	          "b = 2\n"
	          "# between\n");
	want_edit(edit_input, MAIN_CF_EDIT_COMMENT, changes, 4,
	          "# head\n"
	          "#a = 1\n"
	          "#   continued\n"
	          "# mid\n"
	          "\n"
	          "b = 2\n"
	          "#c = 3\n"
	          "#  more\n"
	          "# between\n"
	          "#  last\n"
	          "#d = 4\n");
}

static void test_edit_file(void **state)
{
	char dir[] = "/tmp/test_main_cf.XXXXXX";
	char path[64], tmp[80], *text;
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf_change change = {"b", "2"};
	struct stat st;
	size_t len;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/main.cf", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(path, O_WRONLY | O_CREAT, 0640);
	assert_int_equal(write(fd, "a = 1\n", 6), 6);
	close(fd);
	chmod(path, 0640);
	assert_true(main_cf_edit(path, MAIN_CF_EDIT_SET, &change, 1, error));
	text = main_cf_slurp(path, 1000, &len);
	assert_string_equal(text, "a = 1\nb = 2\n");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_not_equal(access(tmp, F_OK), 0);

	/* A directory in the way of the temporary file: main.cf stays as it was. */
	assert_int_equal(mkdir(tmp, 0700), 0);
	change.value = "3";
	assert_false(main_cf_edit(path, MAIN_CF_EDIT_SET, &change, 1, error));
	assert_non_null(strstr(strbuf_str(error), "main.cf.tmp"));
	text = main_cf_slurp(path, 1000, &len);
	assert_string_equal(text, "a = 1\nb = 2\n");
	free(text);
	rmdir(tmp);
	unlink(path);
	rmdir(dir);
	strbuf_reset(error);
	assert_false(main_cf_edit(path, MAIN_CF_EDIT_SET, &change, 1, error));
	assert_non_null(strstr(strbuf_str(error), "No such file or directory"));
	strbuf_free(&error);
}

static void test_read(void **state)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf = main_cf_read("/nonexistent/main.cf", true, error);

	assert_non_null(cf);
	assert_int_equal(cf->count, 0);
	main_cf_set(cf, "x", "override");
	want_value(cf, "x", "override");
	assert_int_equal(main_cf_find(cf, "x")->line, 0);
	main_cf_free(&cf);
	assert_null(main_cf_read("/nonexistent/main.cf", false, error));
	assert_string_equal(strbuf_str(error),
	                    "open /nonexistent/main.cf: No such file or directory");
	strbuf_free(&error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_parse_forms, setup),
	    cmocka_unit_test_setup(test_parse_malformed, setup),
	    cmocka_unit_test_setup(test_parse_leading_whitespace_and_long_line, setup),
	    cmocka_unit_test_setup(test_split, setup),
	    cmocka_unit_test_setup(test_expand_forms, setup),
	    cmocka_unit_test_setup(test_expand_errors, setup),
	    cmocka_unit_test_setup(test_expand_names, setup),
	    cmocka_unit_test_setup(test_level, setup),
	    cmocka_unit_test_setup(test_edit_set, setup),
	    cmocka_unit_test_setup(test_edit_remove_and_comment, setup),
	    cmocka_unit_test_setup(test_edit_file, setup),
	    cmocka_unit_test_setup(test_read, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
