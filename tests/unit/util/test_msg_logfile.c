/* Unit tests for lib/util/msg_logfile: line shape, file handling, stdout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/msg_logfile.h"

struct fixture {
	char dir[64];
	char log[128];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/postern-logfile-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->log, sizeof(fx->log), "%s/maillog", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char command[128];

	msg_logfile_close();
	snprintf(command, sizeof(command), "rm -rf '%s'", fx->dir);
	if (system(command) != 0)
		return -1;
	free(fx);
	return 0;
}

static char *read_file(const char *path)
{
	static char content[8192];
	FILE *fp = fopen(path, "r");
	size_t len;

	assert_non_null(fp);
	len = fread(content, 1, sizeof(content) - 1, fp);
	content[len] = 0;
	fclose(fp);
	return content;
}

/* Checks every line of text against the extended regex pattern. */
static void assert_lines_match(const char *text, const char *const *patterns, size_t count)
{
	const char *line = text;

	for (size_t i = 0; i < count; i++) {
		const char *end = strchr(line, '\n');
		char copy[1024];
		regex_t re;

		if (end == NULL)
			fail_msg("line %zu missing in \"%s\"", i + 1, text);
		snprintf(copy, sizeof(copy), "%.*s", (int)(end - line), line);
		assert_int_equal(regcomp(&re, patterns[i], REG_EXTENDED | REG_NOSUB), 0);
		if (regexec(&re, copy, 0, NULL, 0) != 0)
			fail_msg("got line \"%s\", want /%s/", copy, patterns[i]);
		regfree(&re);
		line = end + 1;
	}
	if (*line != 0)
		fail_msg("got extra text \"%s\"", line);
}

#define STAMP "[A-Z][a-z]{2} [0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"

static void test_lines_in_file(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	char patterns[3][256];
	const char *list[3];
	struct stat st;

	if (!msg_logfile_open(fx->log, MSG_LOGFILE_MODE, "mx.example.com", "postfix", &error))
		fail_msg("got error \"%s\", want open", error);
	msg_info("connect from client[192.0.2.1]");
	msg_warn("disk %s", "full");
	msg_error("bad");
	snprintf(patterns[0], sizeof(patterns[0]),
	         "^" STAMP " mx\\.example\\.com postfix/test_msg_logfile\\[%ld\\]: "
	         "connect from client\\[192\\.0\\.2\\.1\\]$",
	         (long)getpid());
	snprintf(patterns[1], sizeof(patterns[1]),
	         "^" STAMP " mx\\.example\\.com postfix/test_msg_logfile\\[%ld\\]: "
	         "warning: disk full$",
	         (long)getpid());
	snprintf(patterns[2], sizeof(patterns[2]),
	         "^" STAMP " mx\\.example\\.com postfix/test_msg_logfile\\[%ld\\]: error: bad$",
	         (long)getpid());
	for (int i = 0; i < 3; i++)
		list[i] = patterns[i];
	assert_lines_match(read_file(fx->log), list, 3);
	assert_int_equal(stat(fx->log, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_appends_to_existing_file(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	FILE *fp = fopen(fx->log, "w");
	const char *const patterns[] = {"^earlier line$",
	                                "^" STAMP " h n/test_msg_logfile\\[[0-9]+\\]: new$"};

	fputs("earlier line\n", fp);
	fclose(fp);
	assert_true(msg_logfile_open(fx->log, 0640, "h", "n", &error));
	msg_info("new");
	assert_lines_match(read_file(fx->log), patterns, 2);
}

static void test_refuses_symlink_and_keeps_old_file(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	char link_path[160];
	const char *const patterns[] = {"^" STAMP " h n/test_msg_logfile\\[[0-9]+\\]: still here$"};

	assert_true(msg_logfile_open(fx->log, MSG_LOGFILE_MODE, "h", "n", &error));
	snprintf(link_path, sizeof(link_path), "%s/link", fx->dir);
	assert_int_equal(symlink("/etc/passwd", link_path), 0);
	assert_false(msg_logfile_open(link_path, MSG_LOGFILE_MODE, "h", "n", &error));
	assert_non_null(strstr(error, "is a symbolic link"));
	msg_info("still here");
	assert_lines_match(read_file(fx->log), patterns, 1);
}

static void test_dev_stdout(void **state)
{
	struct fixture *fx = *state;
	const char *const patterns[] = {
	    "^" STAMP " host postfix/test_msg_logfile\\[[0-9]+\\]: warning: to stdout$"};
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		const char *error;
		int fd = open(fx->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(2);
		if (!msg_logfile_open("/dev/stdout", 0, "host", "postfix", &error))
			_exit(3);
		msg_warn("to stdout");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_lines_match(read_file(fx->log), patterns, 1);
}

static void test_format_pads_day_with_zero(void **state)
{
	char line[256];
	struct tm tm = {.tm_year = 2026 - 1900,
	                .tm_mon = 10,
	                .tm_mday = 2,
	                .tm_hour = 9,
	                .tm_min = 5,
	                .tm_sec = 7,
	                .tm_isdst = -1};
	time_t when = mktime(&tm);
	size_t len;

	len = msg_logfile_format(line, sizeof(line), when, "host", "postfix/smtpd", 123, MSG_FATAL,
	                         "out of memory");
	assert_string_equal(line,
	                    "Nov 02 09:05:07 host postfix/smtpd[123]: fatal: out of memory\n");
	assert_int_equal(len, strlen(line));
	tm = (struct tm){
	    .tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 22, .tm_hour = 12, .tm_isdst = -1};
	when = mktime(&tm);
	msg_logfile_format(line, sizeof(line), when, "h", "p/q", 1, MSG_PANIC, "x");
	assert_string_equal(line, "Nov 22 12:00:00 h p/q[1]: panic: x\n");
}

static void test_format_cuts_long_text_keeping_newline(void **state)
{
	char line[32];
	size_t len = msg_logfile_format(line, sizeof(line), 0, "host", "a/b", 1, MSG_INFO,
	                                "a very long message that cannot fit");

	assert_int_equal(len, sizeof(line) - 1);
	assert_int_equal(strlen(line), len);
	assert_int_equal(line[len - 1], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_lines_in_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_appends_to_existing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refuses_symlink_and_keeps_old_file, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_dev_stdout, setup, teardown),
	    cmocka_unit_test(test_format_pads_day_with_zero),
	    cmocka_unit_test(test_format_cuts_long_text_keeping_newline),
	};

	/* Only the file output, registered once by the first open. */
	msg_init("test_msg_logfile");
	msg_output_reset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
