/* Unit tests for lib/util/lock: method names, flock, fcntl, dot-locks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/lock.h"
#include "util/msg.h"

struct fixture {
	char dir[64];
	char file[128];
	char lock_file[160];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	int fd;

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/postern-lock-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->file, sizeof(fx->file), "%s/mailbox", fx->dir);
	snprintf(fx->lock_file, sizeof(fx->lock_file), "%s.lock", fx->file);
	if ((fd = open(fx->file, O_RDWR | O_CREAT, 0600)) < 0)
		return -1;
	close(fd);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	unlink(fx->lock_file);
	unlink(fx->file);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void test_method_names(void **state)
{
	const char *const *names = lock_method_names();
	enum lock_method method;

	assert_string_equal(names[0], "flock");
	assert_string_equal(names[1], "fcntl");
	assert_string_equal(names[2], "dotlock");
	assert_null(names[3]);
	for (int i = 0; names[i] != NULL; i++) {
		assert_true(lock_method_parse(names[i], &method));
		assert_string_equal(lock_method_name(method), names[i]);
	}
	assert_true(lock_method_parse("fcntl", &method));
	assert_int_equal(method, LOCK_METHOD_FCNTL);
	assert_false(lock_method_parse("FCNTL", &method));
	assert_false(lock_method_parse("", &method));
	assert_false(lock_method_parse("lockf", &method));
}

/*
 * Runs lock_fd() in a child (fcntl locks are per process, so only
 * another process sees them as held) and returns its lock_status.
 */
static int status_in_child(const char *path, enum lock_method method, enum lock_op op)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		const char *error;
		int fd = open(path, O_RDWR);

		_exit(fd < 0 ? 99 : (int)lock_fd(fd, method, op, false, &error));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void check_method(const char *path, enum lock_method method)
{
	const char *error;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(lock_fd(fd, method, LOCK_OP_EXCLUSIVE, true, &error), LOCK_ACQUIRED);
	assert_int_equal(status_in_child(path, method, LOCK_OP_EXCLUSIVE), LOCK_BUSY);
	assert_int_equal(status_in_child(path, method, LOCK_OP_SHARED), LOCK_BUSY);
	assert_int_equal(lock_fd(fd, method, LOCK_OP_SHARED, false, &error), LOCK_ACQUIRED);
	assert_int_equal(status_in_child(path, method, LOCK_OP_SHARED), LOCK_ACQUIRED);
	assert_int_equal(status_in_child(path, method, LOCK_OP_EXCLUSIVE), LOCK_BUSY);
	assert_int_equal(lock_fd(fd, method, LOCK_OP_UNLOCK, false, &error), LOCK_ACQUIRED);
	assert_int_equal(status_in_child(path, method, LOCK_OP_EXCLUSIVE), LOCK_ACQUIRED);
	close(fd);
}

static void test_fcntl(void **state)
{
	struct fixture *fx = *state;

	check_method(fx->file, LOCK_METHOD_FCNTL);
}

static void test_flock(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	int first;
	int second;

	check_method(fx->file, LOCK_METHOD_FLOCK);
	/* flock locks belong to the open file, so even this process is refused. */
	first = open(fx->file, O_RDWR);
	second = open(fx->file, O_RDWR);
	assert_int_equal(lock_fd(first, LOCK_METHOD_FLOCK, LOCK_OP_EXCLUSIVE, false, &error),
	                 LOCK_ACQUIRED);
	assert_int_equal(lock_fd(second, LOCK_METHOD_FLOCK, LOCK_OP_EXCLUSIVE, false, &error),
	                 LOCK_BUSY);
	assert_non_null(strstr(error, "flock: "));
	close(first);
	close(second);
}

static void test_bad_descriptor_fails(void **state)
{
	const char *error = NULL;

	assert_int_equal(lock_fd(-1, LOCK_METHOD_FCNTL, LOCK_OP_SHARED, false, &error),
	                 LOCK_FAILED);
	assert_string_equal(error, "fcntl: Bad file descriptor");
	assert_int_equal(lock_fd(-1, LOCK_METHOD_FLOCK, LOCK_OP_SHARED, false, &error),
	                 LOCK_FAILED);
	assert_string_equal(error, "flock: Bad file descriptor");
}

static void test_dotlock_method_on_descriptor_panics(void **state)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		const char *error;

		msg_output_reset();
		lock_fd(0, LOCK_METHOD_DOTLOCK, LOCK_OP_EXCLUSIVE, false, &error);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("dotlock on fd: got status 0x%x, want SIGABRT", status);
}

static void test_dotlock_acquire_busy_release(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	char want[256];
	struct stat st;

	assert_int_equal(lock_dotlock(fx->file, 1, 0, 500, &error), LOCK_ACQUIRED);
	assert_int_equal(lstat(fx->lock_file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(lock_dotlock(fx->file, 3, 0, 500, &error), LOCK_BUSY);
	snprintf(want, sizeof(want), "%s: lock is held by another process", fx->lock_file);
	assert_string_equal(error, want);
	assert_true(lock_dotlock_release(fx->file, &error));
	assert_int_equal(lstat(fx->lock_file, &st), -1);
	assert_false(lock_dotlock_release(fx->file, &error));
	snprintf(want, sizeof(want), "remove %s: No such file or directory", fx->lock_file);
	assert_string_equal(error, want);
	assert_int_equal(lock_dotlock(fx->file, 1, 0, 500, &error), LOCK_ACQUIRED);
}

static void test_dotlock_removes_stale_lock(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	struct timeval old[2];
	int fd = open(fx->lock_file, O_WRONLY | O_CREAT | O_EXCL, 0);

	assert_true(fd >= 0);
	close(fd);
	gettimeofday(&old[0], NULL);
	old[0].tv_sec -= 1000;
	old[1] = old[0];
	assert_int_equal(utimes(fx->lock_file, old), 0);
	/* Not yet stale for a 2000 second limit... */
	assert_int_equal(lock_dotlock(fx->file, 1, 0, 2000, &error), LOCK_BUSY);
	/* ...but stale for 500, even with a single attempt. */
	assert_int_equal(lock_dotlock(fx->file, 1, 0, 500, &error), LOCK_ACQUIRED);
	assert_int_equal(lock_dotlock(fx->file, 1, 0, 500, &error), LOCK_BUSY);
}

static void test_dotlock_does_not_follow_symlink(void **state)
{
	struct fixture *fx = *state;
	const char *error = NULL;
	char target[200];
	struct stat st;

	snprintf(target, sizeof(target), "%s/elsewhere", fx->dir);
	assert_int_equal(symlink(target, fx->lock_file), 0);
	assert_int_equal(lock_dotlock(fx->file, 2, 0, 500, &error), LOCK_BUSY);
	assert_int_equal(lstat(target, &st), -1);
}

static void test_dotlock_in_missing_directory_fails(void **state)
{
	const char *error = NULL;

	assert_int_equal(lock_dotlock("/tmp/postern-no-such-dir/mbox", 3, 0, 500, &error),
	                 LOCK_FAILED);
	assert_string_equal(error, "create /tmp/postern-no-such-dir/mbox.lock: No such file or "
	                           "directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_method_names),
	    cmocka_unit_test_setup_teardown(test_fcntl, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flock, setup, teardown),
	    cmocka_unit_test(test_bad_descriptor_fails),
	    cmocka_unit_test(test_dotlock_method_on_descriptor_panics),
	    cmocka_unit_test_setup_teardown(test_dotlock_acquire_busy_release, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dotlock_removes_stale_lock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dotlock_does_not_follow_symlink, setup, teardown),
	    cmocka_unit_test(test_dotlock_in_missing_directory_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
