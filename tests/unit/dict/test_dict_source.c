/*
 * Unit tests for lib/dict/dict_source: postmap and aliases source files,
 * written to a temporary directory and read back as records.  Expected
 * records come from Postfix 3.7 (postmap -q on texthash: tables, postalias
 * -s on built aliases files, same inputs).  Every case is read once from
 * the file and once through a pipe fed one byte per write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_source.h"
#include "util/strbuf.h"

static char test_dir[] = "/tmp/test_dict_source.XXXXXX";

struct source_case {
	const char *label;
	enum dict_source_format format;
	int flags;
	const char *text;
	/* One line per result: "key=value@line", "!message" for a bad line,
	   "~message" for a line skipped with a complete warning, with "FILE"
	   standing for the file name. */
	const char *want;
};

static const struct source_case cases[] = {
    {"postmap basics", DICT_SOURCE_POSTMAP, DICT_FLAG_FOLD_CASE,
     "Key1 value one\n# comment\n\n  \nkey2\tv2\n  continued here\nkey3\nkey1 dup\n"
     "  # indented comment\nkey4   v4   \n",
     "key1=value one@1\nkey2=v2  continued here@5\n"
     "!FILE, line 7: expected format: key whitespace value\nkey1=dup@8\nkey4=v4@10\n"},
    {"postmap no fold", DICT_SOURCE_POSTMAP, 0, "Key1 Value\n", "Key1=Value@1\n"},
    {"postmap continuation", DICT_SOURCE_POSTMAP, 0,
     "  leading v0\n  more\nk1 a\n\tb\n  # c\n   d\nk2\n  vv\nk3 x\nk3\n y\n"
     "k5 x # not comment\nk6\r\n",
     "~FILE: logical line must not start with whitespace: \"  leading v0  more\"\n"
     "k1=a\tb   d@3\nk2=vv@7\nk3=x@9\nk3=y@10\nk5=x # not comment@12\n"
     "!FILE, line 13: expected format: key whitespace value\n"},
    {"postmap blank lines inside a record", DICT_SOURCE_POSTMAP, 0,
     "k a\n\n  b\nj a\n   \n  c\nm a\n#x\n  d\n", "k=a  b@1\nj=a  c@4\nm=a  d@7\n"},
    {"postmap backslash is plain", DICT_SOURCE_POSTMAP, 0, "a b \\\n c\n", "a=b \\ c@1\n"},
    {"postmap indented start with controls", DICT_SOURCE_POSTMAP, 0, "\t  q\r\nk v\n",
     "~FILE: logical line must not start with whitespace: \"?  q?\"\nk=v@2\n"},
    /* Postfix quotes 30 bytes of the line and cuts before making them
       printable, so a character cut in half shows as '?'. */
    {"postmap indented start cut", DICT_SOURCE_POSTMAP, 0,
     "  this is a long line of more than thirty\nk v\n",
     "~FILE: logical line must not start with whitespace: \"  this is a long line of more ...\"\n"
     "k=v@2\n"},
    {"postmap indented start of 30 bytes", DICT_SOURCE_POSTMAP, 0,
     "  xxxxxxxxxxxxxxxxxxxxxxxxxxxx\nk v\n",
     "~FILE: logical line must not start with whitespace: \"  xxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
     "k=v@2\n"},
    {"postmap indented start cut in a character", DICT_SOURCE_POSTMAP, 0,
     "  xxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9zz\n \xc3\xa9\nk v\n",
     "~FILE: logical line must not start with whitespace: "
     "\"  xxxxxxxxxxxxxxxxxxxxxxxxxxx?...\"\nk=v@3\n"},
    /* Quotes keep whitespace in a key and stay part of it. */
    {"postmap quoted keys", DICT_SOURCE_POSTMAP, DICT_FLAG_FOLD_CASE,
     "\"a b\" v1\na\"b c\" v2\n\"a\\\"b c\" v3\n\"\" v4\n\"only\"\n\"x\"y\"z w\" v6\n"
     "\"A B\"  V7 \n\"t\tu\"\tv8\n\"p q\"r s v9\n\"m\n n\" v10\n\"e\\\\\" v11\n"
     "\"unterm v12\n k\n\"trail\\\n\"z\001  \n",
     "\"a b\"=v1@1\na\"b c\"=v2@2\n\"a\\\"b c\"=v3@3\n\"\"=v4@4\n"
     "!FILE, line 5: expected format: key whitespace value\n\"x\"y\"z w\"=v6@6\n"
     "\"a b\"=V7@7\n\"t\tu\"=v8@8\n\"p q\"r=s v9@9\n\"m n\"=v10@10\n\"e\\\\\"=v11@12\n"
     "~FILE, line 13: unbalanced '\"' in '\"unterm v12 k' -- ignoring this line\n"
     "~FILE, line 15: unbalanced '\"' in '\"trail\\' -- ignoring this line\n"
     "~FILE, line 16: unbalanced '\"' in '\"z?  ' -- ignoring this line\n"},
    /* A backslash outside quotes protects the next character, whitespace too. */
    {"postmap backslash in keys", DICT_SOURCE_POSTMAP, 0,
     "a\\ b v1\na\\\"b c\" v2\nk3 \"v w\nk6\\\tv6\n\"q\"\\  v7\nk8\\\n",
     "a\\ b=v1@1\na\\\"b=c\" v2@2\nk3=\"v w@3\n"
     "!FILE, line 4: expected format: key whitespace value\n\"q\"\\ =v7@5\n"
     "!FILE, line 6: expected format: key whitespace value\n"},
    {"postmap no final newline", DICT_SOURCE_POSTMAP, 0, "k v", "k=v@1\n"},
    {"postmap empty", DICT_SOURCE_POSTMAP, 0, "", ""},
    {"postmap only comments", DICT_SOURCE_POSTMAP, 0, "# a\n\n   # b\n", ""},
    {"aliases basics", DICT_SOURCE_ALIASES, DICT_FLAG_FOLD_CASE,
     "Root: admin, \"|/bin/cmd arg\"\n# comment\npostmaster:root\nlist: a,\n  b,\n\tc\n"
     "\"Quoted Name\": x\n\"a:b\" : y\nnocolon value\n: empty\n"
     "multi:  :include:/etc/list  ,  /var/file  \n  # indented comment\nlast: z\nempty:\n",
     "root=admin, \"|/bin/cmd arg\"@1\npostmaster=root@3\nlist=a, b, c@4\n"
     "quoted name=x@7\na:b=y@8\n!FILE, line 9: need name:value pair\n"
     "!FILE, line 10: need name:value pair\nmulti=:include:/etc/list, /var/file@11\n"
     "last=z@13\n!FILE, line 14: need name:value pair\n"},
    {"aliases names", DICT_SOURCE_ALIASES, DICT_FLAG_FOLD_CASE,
     "\"a b\"c: 1\nx\"y\": 2\n\"unterminated: 3\n  \"sp\" : 4\nkey :5\nk\\:x: 6\n"
     "Q\"x y\"z: w\n",
     "a b c=1@1\nx y=2@2\n!FILE, line 3: need name:value pair\nkey=5@5\nk:x=6@6\n"
     "q x y z=w@7\n"},
    {"aliases values", DICT_SOURCE_ALIASES, 0,
     "vals: a , \"b, c\"  ,d,,e\nv3: a b  c\nx1: a . b , c @ d\nx2: <e> , (my  comment) f\n"
     "x4: foo@bar.com,/var/mail/x\nx5:a\nUpper: Keep\nx3: a\\\"b, \"q\\\"x\"\nvals2: \"x\n",
     "vals=a, \"b, c\", d, , e@1\nv3=a b c@2\nx1=a.b, c@d@3\n"
     "x2=<e>, (my  comment) f@4\nx4=foo@bar.com, /var/mail/x@5\nx5=a@6\nUpper=Keep@7\n"
     "x3=\"a\\\"b\", \"q\\\"x\"@8\nvals2=\"x\"@9\n"},
    /* Commands, files and addresses as postalias -s of Postfix 3.7 shows them. */
    {"aliases value forms", DICT_SOURCE_ALIASES, 0,
     "a1: |\"/usr/bin/cmd arg\"\na2: \"|/usr/bin/cmd arg\"\na3: | /usr/bin/cmd\n"
     "a4: :include: /etc/list\na5: user (Real Name), other\na6: \"quoted local\"@example.com\n"
     "a7: x, y,\na8: Name<u@x>\na9: |\"cmd\" arg, |exit 1\na10: \\root\na11: u @ x . com\n"
     "a12: a\\ b, a\\.b, \\.a, a\\@b@c, a\\\\b, a\\%b, a\\'b\na13: \"a\\b\"\n"
     "a14: [ x  y ], a[x]b, a [ b\na15: a < b, < <, >(c), a(c)\na16: \\\na17: a \\\n"
     "a18: a\\\na19: \"a\\\na20: a ! b % c | d\na21: (open\n"
     "a22: \"a\tb\", [a\rb], a\\\tb, (a\tb), a\\\001b\n",
     "a1=|\"/usr/bin/cmd arg\"@1\na2=\"|/usr/bin/cmd arg\"@2\na3=|/usr/bin/cmd@3\n"
     "a4=:include:/etc/list@4\na5=user (Real Name), other@5\na6=\"quoted local\"@example.com@6\n"
     "a7=x, y, @7\na8=Name <u@x>@8\na9=|\"cmd\" arg, |exit 1@9\na10=root@10\na11=u@x.com@11\n"
     "a12=\"a b\", \"a.b\", \".a\", \"a@b\"@c, \"a\\\\b\", \"a%b\", a'b@12\na13=\"ab\"@13\n"
     "a14=[ x  y ], a [x] b, a [ b]@14\na15=a <b, < <, >(c), a (c)@15\na16=@16\na17=a @17\n"
     "a18=a@18\na19=\"a\"@19\na20=a!b%c|d@20\na21=(open@21\n"
     "a22=\"a b\", [a b], \"a b\", (a\tb), \"a\001b\"@22\n"},
    /* An alias is a local name: an unquoted '@' or '%' is refused. */
    {"aliases remote names", DICT_SOURCE_ALIASES, 0,
     "a@b: 1\n\"c@d\": 2\ne!f: 3\ng%h@i: 4\n\"j%k\": 5\na | b: 6\nx[a  b]y: 7\n",
     "!FILE, line 1: name must be local\nc@d=2@2\ne!f=3@3\n!FILE, line 4: name must be local\n"
     "j%k=5@5\na|b=6@6\nx [a  b] y=7@7\n"},
};

static int setup(void **state)
{
	return mkdtemp(test_dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char command[128];

	snprintf(command, sizeof(command), "rm -rf %s", test_dir);
	return system(command) == 0 ? 0 : -1;
}

/* Reads every result of source into got, in the want format. */
static void collect(struct dict_source *source, const char *name, struct strbuf *got)
{
	struct dict_source_record record;
	enum dict_source_status status;
	const char *error;

	while ((status = dict_source_next(source, &record, &error)) != DICT_SOURCE_END) {
		if (status == DICT_SOURCE_RECORD) {
			strbuf_printf(got, "%s=%s@%d\n", record.key, record.value, record.line);
		} else {
			if (status != DICT_SOURCE_BAD_LINE && status != DICT_SOURCE_SKIPPED)
				fail_msg("got status %d, want a bad or skipped line", status);
			assert_memory_equal(error, name, strlen(name));
			strbuf_printf(got, "%c%s%s\n", status == DICT_SOURCE_SKIPPED ? '~' : '!',
			              "FILE", error + strlen(name));
		}
	}
	/* The end stays the end. */
	assert_int_equal(dict_source_next(source, &record, &error), DICT_SOURCE_END);
}

static void check_result(const struct source_case *c, const char *how, struct strbuf *got)
{
	if (strcmp(strbuf_str(got), c->want) != 0)
		fail_msg("%s (%s):\ngot:\n%swant:\n%s", c->label, how, strbuf_str(got), c->want);
}

static void test_files(void **state)
{
	char path[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *got = strbuf_new(STRBUF_UNLIMITED);
		struct dict_source *source;
		const char *error = NULL;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/case%zu", test_dir, i);
		assert_non_null(fp = fopen(path, "w"));
		fputs(cases[i].text, fp);
		assert_int_equal(fclose(fp), 0);
		source = dict_source_open(path, cases[i].format, cases[i].flags, &error);
		assert_non_null(source);
		assert_string_equal(dict_source_name(source), path);
		collect(source, path, got);
		dict_source_close(&source);
		assert_null(source);
		check_result(&cases[i], "file", got);
		strbuf_free(&got);
	}
}

/* Starts a child that writes text into a pipe one byte per write. */
static int trickle(const char *text, pid_t *pid_r)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	if ((*pid_r = fork()) == 0) {
		close(fds[0]);
		for (const char *cp = text; *cp; cp++)
			if (write(fds[1], cp, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

static void test_byte_at_a_time(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf *got = strbuf_new(STRBUF_UNLIMITED);
		struct dict_source *source;
		const char *error = NULL;
		int status;
		pid_t pid;
		int fd = trickle(cases[i].text, &pid);

		source = dict_source_fdopen(fd, "FILE", cases[i].format, cases[i].flags, &error);
		assert_non_null(source);
		collect(source, "FILE", got);
		dict_source_close(&source);
		/* The descriptor stays the caller's. */
		assert_int_equal(close(fd), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_int_equal(status, 0);
		check_result(&cases[i], "pipe", got);
		strbuf_free(&got);
	}
}

static void test_open_error(void **state)
{
	const char *error = NULL;
	char path[128];

	snprintf(path, sizeof(path), "%s/missing", test_dir);
	errno = 0;
	assert_null(dict_source_open(path, DICT_SOURCE_POSTMAP, 0, &error));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(error, "No such file or directory"));
	assert_memory_equal(error, "open ", 5);
}

static void test_read_error(void **state)
{
	struct dict_source_record record;
	const char *error = NULL;
	struct dict_source *source;

	/* Reading a directory fails with EISDIR after a successful open. */
	source = dict_source_open(test_dir, DICT_SOURCE_POSTMAP, 0, &error);
	assert_non_null(source);
	assert_int_equal(dict_source_next(source, &record, &error), DICT_SOURCE_ERROR);
	assert_non_null(strstr(error, "Is a directory"));
	dict_source_close(&source);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_byte_at_a_time),
	    cmocka_unit_test(test_open_error),
	    cmocka_unit_test(test_read_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
