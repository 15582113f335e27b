/*
 * Temporary files and directories for unit tests, under /tmp, named after
 * the test that made them.  Every function fails the running test (cmocka)
 * when the file system refuses, except where a result is returned.
 */
#ifndef TEST_TMPFILE_H
#define TEST_TMPFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes text to a new file /tmp/<name>.XXXXXX; returns its path (caller frees). */
char *test_tmpfile_new(const char *name, const char *text);

/* Writes text to path, replacing what it held. */
void test_tmpfile_write(const char *path, const char *text);

/* Makes a new directory /tmp/<name>.XXXXXX in dir[size]; false if that fails. */
bool test_tmpfile_dir_new(char *dir, size_t size, const char *name);

/* Removes dir and everything below it; returns 0, or -1 if that failed. */
int test_tmpfile_dir_remove(const char *dir);

/* Writes the names of the files in dir to out[size]: sorted, each followed by a space. */
void test_tmpfile_dir_list(const char *dir, char *out, size_t size);

#endif
