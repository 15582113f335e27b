/*
 * queue_dirs - the queue directory table and the code that creates,
 * checks and repairs directories from it.  Everything works on lstat()
 * results so that a symbolic link planted where a queue directory belongs
 * is reported, never followed, and repairs use descriptors opened with
 * O_NOFOLLOW so a directory swapped for a link between the check and the
 * change is not touched either.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/queue_dirs.h"
#include "util/msg.h"

/* The whole table; bases first so that create() makes them before their contents. */
static const struct queue_dirs_entry queue_dirs_table[] = {
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

#define QUEUE_DIRS_COUNT (sizeof(queue_dirs_table) / sizeof(queue_dirs_table[0]))

size_t queue_dirs_count(void)
{
	return QUEUE_DIRS_COUNT;
}

const struct queue_dirs_entry *queue_dirs_at(size_t index)
{
	return index < QUEUE_DIRS_COUNT ? &queue_dirs_table[index] : NULL;
}

const struct queue_dirs_entry *queue_dirs_find(enum queue_dirs_base base, const char *name)
{
	for (size_t i = 0; i < QUEUE_DIRS_COUNT; i++)
		if (queue_dirs_table[i].base == base && strcmp(queue_dirs_table[i].name, name) == 0)
			return &queue_dirs_table[i];
	return NULL;
}

static void queue_dirs_user_name(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%ld", (long)uid);
}

static void queue_dirs_group_name(gid_t gid, char *buf, size_t size)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%ld", (long)gid);
}

bool queue_dirs_ids_init(struct queue_dirs_ids *ids, const char *mail_owner,
                         const char *setgid_group, const char **error_r)
{
	static char error[256];
	struct passwd *pw;
	struct group *gr;

	memset(ids, 0, sizeof(*ids));
	if (geteuid() != 0) {
		ids->root_uid = ids->owner_uid = geteuid();
		ids->sgid_gid = getegid();
		queue_dirs_user_name(ids->root_uid, ids->root_name, sizeof(ids->root_name));
		queue_dirs_user_name(ids->owner_uid, ids->owner_name, sizeof(ids->owner_name));
		queue_dirs_group_name(ids->sgid_gid, ids->sgid_name, sizeof(ids->sgid_name));
		return true;
	}
	if ((pw = getpwnam(mail_owner)) == NULL) {
		snprintf(error, sizeof(error), "unknown mail_owner user name: %s", mail_owner);
		*error_r = error;
		return false;
	}
	ids->owner_uid = pw->pw_uid;
	if ((gr = getgrnam(setgid_group)) == NULL) {
		snprintf(error, sizeof(error), "unknown setgid_group group name: %s", setgid_group);
		*error_r = error;
		return false;
	}
	ids->sgid_gid = gr->gr_gid;
	ids->root_uid = 0;
	snprintf(ids->root_name, sizeof(ids->root_name), "root");
	snprintf(ids->owner_name, sizeof(ids->owner_name), "%s", mail_owner);
	snprintf(ids->sgid_name, sizeof(ids->sgid_name), "%s", setgid_group);
	return true;
}

void queue_dirs_path(const struct queue_dirs_entry *entry, const char *queue_dir,
                     const char *data_dir, struct strbuf *out)
{
	strbuf_set(out, entry->base == QUEUE_DIRS_DATA ? data_dir : queue_dir);
	if (*entry->name)
		strbuf_printf(out, "/%s", entry->name);
}

static uid_t queue_dirs_uid(const struct queue_dirs_entry *entry, const struct queue_dirs_ids *ids)
{
	return entry->user == QUEUE_DIRS_ROOT ? ids->root_uid : ids->owner_uid;
}

static const char *queue_dirs_uname(const struct queue_dirs_entry *entry,
                                    const struct queue_dirs_ids *ids)
{
	return entry->user == QUEUE_DIRS_ROOT ? ids->root_name : ids->owner_name;
}

/*
 * The status of an entry's path: a base may be a link to the real
 * directory (stat), anything inside may not (lstat).
 */
static int queue_dirs_stat(const struct queue_dirs_entry *entry, const char *path, struct stat *st)
{
	return *entry->name ? lstat(path, st) : stat(path, st);
}

/*
 * Opens the directory at path for fchown/fchmod, refusing a symbolic
 * link in an entry's place; -1 with errno set on failure.
 */
static int queue_dirs_open(const struct queue_dirs_entry *entry, const char *path)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;

	return open(path, *entry->name ? flags | O_NOFOLLOW : flags);
}

/* Gives the open directory fd its owner, group and mode; chmod last, chown clears set-gid. */
static bool queue_dirs_set(int fd, const struct queue_dirs_entry *entry,
                           const struct queue_dirs_ids *ids, const char *path)
{
	gid_t gid = entry->setgid_group ? ids->sgid_gid : (gid_t)-1;

	if (fchown(fd, queue_dirs_uid(entry, ids), gid) < 0) {
		msg_warn("cannot change the owner of %s: %m", path);
		return false;
	}
	if (fchmod(fd, entry->mode) < 0) {
		msg_warn("cannot change the mode of %s: %m", path);
		return false;
	}
	return true;
}

/* Creates one missing directory; true when it exists afterwards. */
static bool queue_dirs_create_one(const struct queue_dirs_entry *entry, const char *path,
                                  const struct queue_dirs_ids *ids)
{
	struct stat st;
	bool ok;
	int fd;

	if (queue_dirs_stat(entry, path, &st) == 0 || errno != ENOENT)
		return true;
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		msg_warn("cannot create directory %s: %m", path);
		return false;
	}
	if ((fd = queue_dirs_open(entry, path)) < 0) {
		msg_warn("cannot open directory %s: %m", path);
		return false;
	}
	ok = queue_dirs_set(fd, entry, ids, path);
	close(fd);
	return ok;
}

size_t queue_dirs_create(const char *queue_dir, const char *data_dir,
                         const struct queue_dirs_ids *ids)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	size_t failures = 0;

	for (size_t i = 0; i < QUEUE_DIRS_COUNT; i++) {
		queue_dirs_path(&queue_dirs_table[i], queue_dir, data_dir, path);
		if (!queue_dirs_create_one(&queue_dirs_table[i], strbuf_str(path), ids))
			failures++;
	}
	strbuf_free(&path);
	return failures;
}

/* Warns about a wrong file type; false when path is not a usable directory. */
static bool queue_dirs_check_type(const struct queue_dirs_entry *entry, const char *path,
                                  struct stat *st)
{
	if (queue_dirs_stat(entry, path, st) < 0) {
		if (errno == ENOENT)
			msg_warn("missing directory: %s", path);
		else
			msg_warn("cannot examine %s: %m", path);
		return false;
	}
	if (S_ISLNK(st->st_mode)) {
		msg_warn("symbolic link instead of a directory: %s; remove it and run "
		         "\"postfix set-permissions\"",
		         path);
		return false;
	}
	if (!S_ISDIR(st->st_mode)) {
		msg_warn("not a directory: %s; remove it and run \"postfix set-permissions\"",
		         path);
		return false;
	}
	return true;
}

/* The problems of one existing directory, one warning each. */
static size_t queue_dirs_check_one(const struct queue_dirs_entry *entry, const char *path,
                                   const struct queue_dirs_ids *ids)
{
	mode_t mode, extra_writable;
	struct stat st;
	size_t problems = 0;

	if (!queue_dirs_check_type(entry, path, &st))
		return 1;
	if (st.st_uid != queue_dirs_uid(entry, ids)) {
		msg_warn("not owned by %s: %s", queue_dirs_uname(entry, ids), path);
		problems++;
	}
	if (entry->setgid_group && st.st_gid != ids->sgid_gid) {
		msg_warn("not owned by group %s: %s", ids->sgid_name, path);
		problems++;
	}
	mode = st.st_mode & 07777;
	extra_writable = mode & ~entry->mode & 022;
	if (extra_writable) {
		msg_warn("group or other writable: %s", path);
		problems++;
	} else if (mode != entry->mode) {
		msg_warn("mode %04o should be %04o: %s", (unsigned)mode, (unsigned)entry->mode,
		         path);
		problems++;
	}
	return problems;
}

size_t queue_dirs_check(const char *queue_dir, const char *data_dir,
                        const struct queue_dirs_ids *ids)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	size_t problems = 0;

	for (size_t i = 0; i < QUEUE_DIRS_COUNT; i++) {
		queue_dirs_path(&queue_dirs_table[i], queue_dir, data_dir, path);
		problems += queue_dirs_check_one(&queue_dirs_table[i], strbuf_str(path), ids);
	}
	strbuf_free(&path);
	return problems;
}

/*
 * Gives everything inside the open directory dir_fd to the entry's owner
 * (directories also the entry's mode), without following links.
 * Takes over dir_fd.  Returns the number of failures.
 */
static size_t queue_dirs_fix_tree(int dir_fd, const struct queue_dirs_entry *entry,
                                  const struct queue_dirs_ids *ids, const char *path)
{
	DIR *dir = fdopendir(dir_fd);
	size_t failures = 0;
	struct dirent *de;

	if (dir == NULL) {
		msg_warn("cannot read directory %s: %m", path);
		close(dir_fd);
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		struct stat st;
		int fd;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fchownat(dirfd(dir), de->d_name, queue_dirs_uid(entry, ids), (gid_t)-1,
		             AT_SYMLINK_NOFOLLOW) < 0) {
			msg_warn("cannot change the owner of %s/%s: %m", path, de->d_name);
			failures++;
			continue;
		}
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		fd =
		    openat(dirfd(dir), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fchmod(fd, entry->mode) < 0) {
			msg_warn("cannot change the mode of %s/%s: %m", path, de->d_name);
			failures++;
		}
		if (fd >= 0)
			failures += queue_dirs_fix_tree(fd, entry, ids, path);
	}
	closedir(dir);
	return failures;
}

/* Repairs one directory (and its tree when the entry says so). */
static size_t queue_dirs_fix_one(const struct queue_dirs_entry *entry, const char *path,
                                 const struct queue_dirs_ids *ids)
{
	struct stat st;
	size_t failures = 0;
	int fd;

	if (!queue_dirs_create_one(entry, path, ids))
		return 1;
	if (!queue_dirs_check_type(entry, path, &st))
		return 1;
	if ((fd = queue_dirs_open(entry, path)) < 0) {
		msg_warn("cannot open directory %s: %m", path);
		return 1;
	}
	if (!queue_dirs_set(fd, entry, ids, path))
		failures++;
	if (entry->recursive)
		return failures + queue_dirs_fix_tree(fd, entry, ids, path);
	close(fd);
	return failures;
}

size_t queue_dirs_fix(const char *queue_dir, const char *data_dir, const struct queue_dirs_ids *ids)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	size_t failures = 0;

	for (size_t i = 0; i < QUEUE_DIRS_COUNT; i++) {
		queue_dirs_path(&queue_dirs_table[i], queue_dir, data_dir, path);
		failures += queue_dirs_fix_one(&queue_dirs_table[i], strbuf_str(path), ids);
	}
	strbuf_free(&path);
	return failures;
}
