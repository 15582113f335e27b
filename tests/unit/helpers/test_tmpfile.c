/*
 * Temporary files and directories for unit tests: the mkstemp/mkdtemp,
 * write and "rm -rf" steps that table, list and queue tests all need.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/test_tmpfile.h"

char *test_tmpfile_new(const char *name, const char *text)
{
	char *path;
	int fd;

	assert_true(asprintf(&path, "/tmp/%s.XXXXXX", name) > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

void test_tmpfile_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

bool test_tmpfile_dir_new(char *dir, size_t size, const char *name)
{
	int len = snprintf(dir, size, "/tmp/%s.XXXXXX", name);

	return len > 0 && (size_t)len < size && mkdtemp(dir) != NULL;
}

int test_tmpfile_dir_remove(const char *dir)
{
	char command[300];

	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

void test_tmpfile_dir_list(const char *dir, char *out, size_t size)
{
	char command[300];
	FILE *fp;
	size_t len;

	snprintf(command, sizeof(command), "ls '%s' | tr '\\n' ' '", dir);
	fp = popen(command, "r");
	assert_non_null(fp);
	len = fread(out, 1, size - 1, fp);
	out[len] = 0;
	pclose(fp);
}
