/*
 * Unit tests for lib/mail/queue_dirs: the table against Postfix's
 * postfix-files, and creating, checking and repairing directories in a
 * temporary queue.  The owners are the invoking user's, as in instance
 * mode, except in the test that needs root to give a directory away.
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

#include "mail/queue_dirs.h"
#include "util/msg.h"

#define POSTFIX_FILES "/var/cache/postern-ref/root/etc/postfix/postfix-files"

static char warnings[8192];

static void capture(enum msg_level level, const char *text)
{
	size_t len = strlen(warnings);

	snprintf(warnings + len, sizeof(warnings) - len, "%s%s\n", msg_level_prefix(level), text);
}

struct fixture {
	char queue[64];
	char data[80];
	char path[160];
	struct queue_dirs_ids ids;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->queue, "/tmp/postern-queue-dirs-XXXXXX");
	if (mkdtemp(fx->queue) == NULL || chmod(fx->queue, 0755) < 0)
		return -1;
	snprintf(fx->data, sizeof(fx->data), "%s/data", fx->queue);
	fx->ids.root_uid = fx->ids.owner_uid = geteuid();
	fx->ids.sgid_gid = getegid();
	strcpy(fx->ids.root_name, "ROOT");
	strcpy(fx->ids.owner_name, "OWNER");
	strcpy(fx->ids.sgid_name, "SGID");
	warnings[0] = 0;
	msg_output_reset();
	msg_output_add(capture);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", fx->queue);
	if (system(command) != 0)
		return -1;
	free(fx);
	return 0;
}

static const char *in_queue(struct fixture *fx, const char *name)
{
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->queue, name);
	return fx->path;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Fails unless the captured warnings contain want. */
static void want_warning(const char *want)
{
	if (strstr(warnings, want) == NULL)
		fail_msg("got warnings:\n%swant one containing: %s", warnings, want);
}

/* Fails unless got problems were counted, showing the warnings. */
static void want_count(size_t got, size_t want)
{
	if (got != want)
		fail_msg("got %zu problems, want %zu; warnings:\n%s", got, want, warnings);
}

/* The directory table of Debian's Postfix: name, owner, group, mode, recursive. */
static const struct {
	const char *name;
	enum queue_dirs_base base;
	enum queue_dirs_user user;
	bool setgid_group;
	mode_t mode;
	bool recursive;
} expected[] = {
    {"", QUEUE_DIRS_QUEUE, QUEUE_DIRS_ROOT, false, 0755, false},
    {"", QUEUE_DIRS_DATA, QUEUE_DIRS_MAIL_OWNER, false, 0700, false},
    {"active", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"bounce", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"corrupt", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"defer", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"deferred", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"flush", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"hold", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"incoming", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"maildrop", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, true, 01730, false},
    {"pid", QUEUE_DIRS_QUEUE, QUEUE_DIRS_ROOT, false, 0755, false},
    {"private", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, false},
    {"public", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, true, 02710, false},
    {"saved", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
    {"trace", QUEUE_DIRS_QUEUE, QUEUE_DIRS_MAIL_OWNER, false, 0700, true},
};

static void test_table(void **state)
{
	size_t count = sizeof(expected) / sizeof(expected[0]);

	assert_int_equal(queue_dirs_count(), count);
	assert_null(queue_dirs_at(count));
	assert_null(queue_dirs_find(QUEUE_DIRS_QUEUE, "nosuch"));
	for (size_t i = 0; i < count; i++) {
		const struct queue_dirs_entry *e =
		    queue_dirs_find(expected[i].base, expected[i].name);

		if (e == NULL)
			fail_msg("got no entry for \"%s\", want one", expected[i].name);
		if (e->user != expected[i].user || e->setgid_group != expected[i].setgid_group ||
		    e->mode != expected[i].mode || e->recursive != expected[i].recursive)
			fail_msg("%s: got user %d group %d mode %04o r %d, want %d %d %04o %d",
			         expected[i].name, e->user, e->setgid_group, (unsigned)e->mode,
			         e->recursive, expected[i].user, expected[i].setgid_group,
			         (unsigned)expected[i].mode, expected[i].recursive);
	}
}

/* Finds one directory line of postfix-files in our table ("$queue_directory/active:d:..."). */
static void compare_postfix_line(char *line)
{
	char *fields[6] = {0};
	const struct queue_dirs_entry *e;
	enum queue_dirs_base base;
	const char *name;
	size_t n = 0;

	for (char *save, *f = strtok_r(line, ":\n", &save); f && n < 6;
	     f = strtok_r(NULL, ":\n", &save))
		fields[n++] = f;
	if (n < 5 || strcmp(fields[1], "d") != 0)
		return;
	if (strncmp(fields[0], "$queue_directory", 16) == 0) {
		base = QUEUE_DIRS_QUEUE;
		name = fields[0][16] == '/' ? fields[0] + 17 : "";
	} else if (strcmp(fields[0], "$data_directory") == 0) {
		base = QUEUE_DIRS_DATA;
		name = "";
	} else {
		return;
	}
	if ((e = queue_dirs_find(base, name)) == NULL)
		fail_msg("got no entry for postfix-files %s, want one", fields[0]);
	assert_int_equal(e->user == QUEUE_DIRS_ROOT, strcmp(fields[2], "root") == 0);
	assert_int_equal(e->setgid_group, strcmp(fields[3], "$setgid_group") == 0);
	/* Debian adds the sticky bit to maildrop and set-gid to public. */
	if ((e->mode & 0777) != strtoul(fields[4], NULL, 8))
		fail_msg("%s: got mode %04o, want %s", fields[0], (unsigned)e->mode, fields[4]);
	assert_int_equal(e->recursive, fields[5] != NULL && strchr(fields[5], 'r') != NULL);
}

static void test_table_against_postfix(void **state)
{
	FILE *fp = fopen(POSTFIX_FILES, "r");
	char line[512];

	if (fp == NULL)
		skip();
	while (fgets(line, sizeof(line), fp))
		if (line[0] == '$')
			compare_postfix_line(line);
	fclose(fp);
}

static void test_create_then_check_clean(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(rmdir(fx->queue), 0);
	assert_int_equal(queue_dirs_create(fx->queue, fx->data, &fx->ids), 0);
	assert_int_equal(mode_of(fx->queue), 0755);
	assert_int_equal(mode_of(in_queue(fx, "maildrop")), 01730);
	assert_int_equal(mode_of(in_queue(fx, "public")), 02710);
	assert_int_equal(mode_of(in_queue(fx, "incoming")), 0700);
	assert_int_equal(mode_of(fx->data), 0700);
	want_count(queue_dirs_check(fx->queue, fx->data, &fx->ids), 0);
	assert_string_equal(warnings, "");
	/* Creating again changes nothing and reports nothing. */
	assert_int_equal(queue_dirs_create(fx->queue, fx->data, &fx->ids), 0);
	assert_string_equal(warnings, "");
}

/* One damaged directory: what check says, and whether fix repairs it. */
static const struct {
	const char *name;
	const char *damage; /* shell command run in the queue directory */
	const char *warning;
	bool fixable;
} damage_cases[] = {
    {"incoming", "chmod 0755 incoming", "mode 0755 should be 0700: $Q/incoming", true},
    {"active", "chmod 0770 active", "group or other writable: $Q/active", true},
    {"maildrop", "chmod 0732 maildrop", "group or other writable: $Q/maildrop", true},
    {"public", "chmod g-s public", "mode 0710 should be 2710: $Q/public", true},
    {"pid", "chmod 0757 pid", "group or other writable: $Q/pid", true},
    {"hold", "rmdir hold && ln -s /tmp hold",
     "symbolic link instead of a directory: $Q/hold; remove it", false},
    {"saved", "rmdir saved && touch saved", "not a directory: $Q/saved; remove it", false},
    {"trace", "rmdir trace", "missing directory: $Q/trace", true},
};

static void expand_q(struct fixture *fx, const char *text, char *out, size_t size)
{
	const char *q = strstr(text, "$Q");

	snprintf(out, size, "%.*s%s%s", (int)(q - text), text, fx->queue, q + 2);
}

static void run_in_queue(struct fixture *fx, const char *command)
{
	char line[512];

	snprintf(line, sizeof(line), "cd '%s' && %s", fx->queue, command);
	assert_int_equal(system(line), 0);
}

static void test_check_and_fix_damage(void **state)
{
	struct fixture *fx = *state;
	char want[256];

	for (size_t i = 0; i < sizeof(damage_cases) / sizeof(damage_cases[0]); i++) {
		const struct queue_dirs_entry *e =
		    queue_dirs_find(QUEUE_DIRS_QUEUE, damage_cases[i].name);

		assert_int_equal(queue_dirs_create(fx->queue, fx->data, &fx->ids), 0);
		run_in_queue(fx, damage_cases[i].damage);
		warnings[0] = 0;
		want_count(queue_dirs_check(fx->queue, fx->data, &fx->ids), 1);
		expand_q(fx, damage_cases[i].warning, want, sizeof(want));
		want_warning(want);
		warnings[0] = 0;
		assert_int_equal(queue_dirs_fix(fx->queue, fx->data, &fx->ids),
		                 damage_cases[i].fixable ? 0 : 1);
		if (damage_cases[i].fixable)
			assert_int_equal(mode_of(in_queue(fx, damage_cases[i].name)), e->mode);
		else
			want_count(queue_dirs_check(fx->queue, fx->data, &fx->ids), 1);
		run_in_queue(fx, "rm -rf hold saved");
	}
}

/* set-permissions fixes hashed subdirectories and contents but keeps file modes. */
static void test_fix_recursive(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(queue_dirs_create(fx->queue, fx->data, &fx->ids), 0);
	run_in_queue(fx, "mkdir -m 0777 deferred/A && touch deferred/A/1234 && chmod 0744 "
	                 "deferred/A/1234 && ln -s /nonexistent deferred/A/link");
	want_count(queue_dirs_fix(fx->queue, fx->data, &fx->ids), 0);
	assert_int_equal(mode_of(in_queue(fx, "deferred/A")), 0700);
	assert_int_equal(mode_of(in_queue(fx, "deferred/A/1234")), 0744);
	assert_string_equal(warnings, "");
}

static void test_wrong_owner(void **state)
{
	struct fixture *fx = *state;
	char want[256];
	struct stat st;

	if (geteuid() != 0)
		skip();
	assert_int_equal(queue_dirs_create(fx->queue, fx->data, &fx->ids), 0);
	run_in_queue(fx, "chown 65534 incoming && chgrp 65534 public && touch incoming/f && "
	                 "chown 65534 incoming/f");
	want_count(queue_dirs_check(fx->queue, fx->data, &fx->ids), 2);
	expand_q(fx, "not owned by OWNER: $Q/incoming", want, sizeof(want));
	want_warning(want);
	expand_q(fx, "not owned by group SGID: $Q/public", want, sizeof(want));
	want_warning(want);
	want_count(queue_dirs_fix(fx->queue, fx->data, &fx->ids), 0);
	warnings[0] = 0;
	want_count(queue_dirs_check(fx->queue, fx->data, &fx->ids), 0);
	assert_int_equal(lstat(in_queue(fx, "incoming/f"), &st), 0);
	assert_int_equal(st.st_uid, geteuid());
}

static void test_create_failure(void **state)
{
	struct fixture *fx = *state;
	char missing[128];

	snprintf(missing, sizeof(missing), "%s/no/such/queue", fx->queue);
	/* Every entry under the queue directory fails, the data directory does not. */
	assert_int_equal(queue_dirs_create(missing, fx->data, &fx->ids), queue_dirs_count() - 1);
	want_warning("cannot create directory");
}

static void test_ids_instance_mode(void **state)
{
	struct queue_dirs_ids ids;
	const char *error = NULL;

	if (geteuid() == 0) {
		assert_false(queue_dirs_ids_init(&ids, "no-such-user-x", "root", &error));
		assert_string_equal(error, "unknown mail_owner user name: no-such-user-x");
		assert_false(queue_dirs_ids_init(&ids, "root", "no-such-group-x", &error));
		assert_string_equal(error, "unknown setgid_group group name: no-such-group-x");
		assert_true(queue_dirs_ids_init(&ids, "root", "root", &error));
		assert_string_equal(ids.owner_name, "root");
		return;
	}
	assert_true(queue_dirs_ids_init(&ids, "no-such-user-x", "no-such-group-x", &error));
	assert_int_equal(ids.owner_uid, geteuid());
	assert_int_equal(ids.root_uid, geteuid());
	assert_int_equal(ids.sgid_gid, getegid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_table_against_postfix),
	    cmocka_unit_test_setup_teardown(test_create_then_check_clean, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_and_fix_damage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fix_recursive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_failure, setup, teardown),
	    cmocka_unit_test(test_ids_instance_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
