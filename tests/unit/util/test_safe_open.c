/* Unit tests for lib/util/safe_open: links, special files, owner, mode. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/safe_open.h"

struct fixture {
	char dir[64];
	char path[128]; /* scratch for path_in() */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/postern-safe-open-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", fx->dir);
	if (system(command) != 0)
		return -1;
	free(fx);
	return 0;
}

static const char *path_in(struct fixture *fx, const char *name)
{
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
	return fx->path;
}

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(content, fp);
	assert_int_equal(fclose(fp), 0);
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Expects a refusal whose message names path and contains reason. */
static void assert_refused(int fd, const char *error, const char *path, const char *reason)
{
	if (fd >= 0)
		fail_msg("%s: got descriptor %d, want refusal \"%s\"", path, fd, reason);
	if (strncmp(error, path, strlen(path)) != 0 || strstr(error, reason) == NULL)
		fail_msg("got error \"%s\", want \"%s: ...%s...\"", error, path, reason);
}

static void test_existing_regular_file(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "plain");
	const char *error = NULL;
	struct stat st;
	int fd;

	write_file(path, "hello");
	fd = safe_open_existing(path, O_RDWR | O_APPEND, getuid(), &st, &error);
	if (fd < 0)
		fail_msg("got error \"%s\", want a descriptor", error);
	assert_int_equal(st.st_size, 5);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFL) & O_APPEND);
	assert_int_equal(write(fd, "!", 1), 1);
	close(fd);
	assert_int_equal(file_size(path), 6);
}

static void test_existing_missing_file(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "missing");
	const char *error = NULL;
	int fd = safe_open_existing(path, O_RDONLY, SAFE_OPEN_ANY_UID, NULL, &error);

	assert_refused(fd, error, path, "No such file or directory");
	assert_int_equal(errno, ENOENT);
}

static void test_existing_refuses_symlink(void **state)
{
	struct fixture *fx = *state;
	char target[128];
	const char *error = NULL;
	const char *path;
	int fd;

	snprintf(target, sizeof(target), "%s", path_in(fx, "target"));
	write_file(target, "secret");
	path = path_in(fx, "link");
	assert_int_equal(symlink(target, path), 0);
	fd = safe_open_existing(path, O_RDWR | O_TRUNC, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, path, "is a symbolic link");
	assert_int_equal(errno, EPERM);
	assert_int_equal(file_size(target), 6);
	/* safe_open() must not fall back to creating through the link. */
	fd = safe_open(path, O_RDWR, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID, NULL, &error);
	assert_refused(fd, error, path, "is a symbolic link");
}

static void test_existing_refuses_hard_link(void **state)
{
	struct fixture *fx = *state;
	char first[128];
	const char *second;
	const char *error = NULL;
	int fd;

	snprintf(first, sizeof(first), "%s", path_in(fx, "first"));
	write_file(first, "data");
	second = path_in(fx, "second");
	assert_int_equal(link(first, second), 0);
	fd = safe_open_existing(second, O_WRONLY | O_TRUNC, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, second, "has 2 hard links");
	fd = safe_open_existing(first, O_WRONLY | O_TRUNC, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, first, "has 2 hard links");
	assert_int_equal(file_size(first), 4);
}

static void test_existing_refuses_special_files(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	const char *path;
	int fd;

	fd = safe_open_existing(fx->dir, O_RDONLY, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, fx->dir, "not a regular file");
	/* A FIFO would block open() for reading; it must be refused first. */
	path = path_in(fx, "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	fd = safe_open_existing(path, O_RDONLY, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, path, "not a regular file");
	fd = safe_open_existing("/dev/null", O_RDONLY, SAFE_OPEN_ANY_UID, NULL, &error);
	assert_refused(fd, error, "/dev/null", "not a regular file");
}

static void test_existing_checks_owner(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "owned");
	const char *error = NULL;
	char want[64];
	int fd;

	write_file(path, "x");
	fd = safe_open_existing(path, O_RDONLY, getuid() + 1, NULL, &error);
	snprintf(want, sizeof(want), "owned by uid %lu, not %lu", (unsigned long)getuid(),
	         (unsigned long)getuid() + 1);
	assert_refused(fd, error, path, want);
	fd = safe_open_existing(path, O_RDONLY, getuid(), NULL, &error);
	assert_true(fd >= 0);
	close(fd);
}

static void test_existing_truncates_after_checks(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "trunc");
	const char *error = NULL;
	struct stat st;
	int fd;

	write_file(path, "old content");
	fd = safe_open_existing(path, O_WRONLY | O_TRUNC, SAFE_OPEN_ANY_UID, &st, &error);
	assert_true(fd >= 0);
	assert_int_equal(st.st_size, 0);
	close(fd);
	assert_int_equal(file_size(path), 0);
}

static void test_create_exact_mode_and_owner(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "new");
	const char *error = NULL;
	mode_t old_umask = umask(077);
	struct stat st;
	int fd;

	fd = safe_open_create(path, O_WRONLY, 0644, getuid(), getgid(), &st, &error);
	umask(old_umask);
	if (fd < 0)
		fail_msg("got error \"%s\", want a descriptor", error);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_uid, getuid());
	assert_int_equal(st.st_gid, getgid());
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void test_create_refuses_existing_and_dangling_link(void **state)
{
	struct fixture *fx = *state;
	char target[128];
	const char *error = NULL;
	const char *path;
	struct stat st;
	int fd;

	path = path_in(fx, "exists");
	write_file(path, "x");
	fd = safe_open_create(path, O_WRONLY, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID, NULL,
	                      &error);
	assert_refused(fd, error, path, "File exists");
	assert_int_equal(errno, EEXIST);

	snprintf(target, sizeof(target), "%s", path_in(fx, "nowhere"));
	path = path_in(fx, "dangling");
	assert_int_equal(symlink(target, path), 0);
	fd = safe_open_create(path, O_WRONLY, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID, NULL,
	                      &error);
	assert_refused(fd, error, path, "File exists");
	assert_int_equal(lstat(target, &st), -1);
}

static void test_safe_open_creates_then_reopens(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "either");
	const char *error = NULL;
	struct stat first;
	struct stat second;
	int fd;

	fd = safe_open(path, O_WRONLY | O_APPEND, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID,
	               &first, &error);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a", 1), 1);
	close(fd);
	fd = safe_open(path, O_WRONLY | O_APPEND, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID,
	               &second, &error);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(first.st_ino, second.st_ino);
	assert_int_equal(second.st_size, 1);
	assert_int_equal(second.st_mode & 07777, 0600);
}

static void test_create_in_missing_directory(void **state)
{
	struct fixture *fx = *state;
	const char *path = path_in(fx, "no/such/dir");
	const char *error = NULL;
	int fd =
	    safe_open(path, O_WRONLY, 0600, SAFE_OPEN_ANY_UID, SAFE_OPEN_ANY_GID, NULL, &error);

	assert_refused(fd, error, path, "No such file or directory");
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_existing_regular_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_missing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_refuses_symlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_refuses_hard_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_refuses_special_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_checks_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_existing_truncates_after_checks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_exact_mode_and_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_refuses_existing_and_dangling_link, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_safe_open_creates_then_reopens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_in_missing_directory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
