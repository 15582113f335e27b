/*
 * queue_dirs - the one table of directories under queue_directory (and
 * data_directory) with the owner, group and mode each must have, and the
 * three things done with it: create the missing ones (master start-up,
 * "postfix start"), check the existing ones ("postfix check") and repair
 * them ("postfix set-permissions").
 *
 * Owners and modes are those of Debian's Postfix 3.7 (postfix-files plus
 * Debian's sticky maildrop and set-gid public): the queue directory and
 * pid/ belong to root, mode 0755; maildrop/ to mail_owner and group
 * setgid_group, mode 01730 (postdrop may add files, nobody may list or
 * remove others' files); public/ to mail_owner:setgid_group 02710;
 * everything else to mail_owner, mode 0700.  Queues are not hashed yet
 * (hash_queue_names), so no subdirectories are listed.
 *
 * In instance mode (not run as root) every owner is the invoking user and
 * every group the invoking group; the modes stay the same.
 *
 * Problems are logged with msg_warn() in Postfix's shapes
 * ("not owned by postfix: PATH", "group or other writable: PATH") and
 * counted; the caller decides whether a count is fatal.
 */
#ifndef POSTERN_MAIL_QUEUE_DIRS_H
#define POSTERN_MAIL_QUEUE_DIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

/* Which configured directory an entry lives under. */
enum queue_dirs_base {
	QUEUE_DIRS_QUEUE, /* queue_directory */
	QUEUE_DIRS_DATA,  /* data_directory */
};

/* Who owns an entry. */
enum queue_dirs_user {
	QUEUE_DIRS_ROOT,       /* root (the invoking user in instance mode) */
	QUEUE_DIRS_MAIL_OWNER, /* mail_owner */
};

struct queue_dirs_entry {
	const char *name;          /* under the base; "" is the base directory itself */
	enum queue_dirs_base base; /* queue_directory or data_directory */
	enum queue_dirs_user user; /* the owner */
	bool setgid_group;         /* group must be setgid_group; else left as created */
	mode_t mode;               /* permission bits, set-gid and sticky included */
	bool recursive;            /* set-permissions also gives the contents to the owner */
};

/* The numeric and printable owners the table's symbolic owners stand for. */
struct queue_dirs_ids {
	uid_t root_uid;
	uid_t owner_uid; /* mail_owner */
	gid_t sgid_gid;  /* setgid_group */
	char root_name[64];
	char owner_name[64];
	char sgid_name[64];
};

/* The number of table entries. */
size_t queue_dirs_count(void);

/* Entry index (0 up to queue_dirs_count() - 1), bases first; NULL past the end. */
const struct queue_dirs_entry *queue_dirs_at(size_t index);

/* The entry called name ("" is the queue directory itself), or NULL. */
const struct queue_dirs_entry *queue_dirs_find(enum queue_dirs_base base, const char *name);

/*
 * Resolves mail_owner and setgid_group.  Run as root the names are looked
 * up (false with *error_r set for an unknown name; the storage is reused
 * by the next call); otherwise (instance mode) every id is the invoking
 * user's and group's.
 */
bool queue_dirs_ids_init(struct queue_dirs_ids *ids, const char *mail_owner,
                         const char *setgid_group, const char **error_r);

/* Replaces out with the path of entry under queue_dir or data_dir. */
void queue_dirs_path(const struct queue_dirs_entry *entry, const char *queue_dir,
                     const char *data_dir, struct strbuf *out);

/*
 * Creates each missing directory with its owner, group and mode (the
 * base directories themselves but not their parents).  Logs a warning
 * per failure and returns the number of failures.
 */
size_t queue_dirs_create(const char *queue_dir, const char *data_dir,
                         const struct queue_dirs_ids *ids);

/*
 * Checks every directory without changing anything: missing, a symbolic
 * link or another file type where a directory belongs, wrong owner or
 * group, writable by group or others beyond the table's mode, other mode
 * differences.  Logs a warning per problem and returns their number.
 * The base directories may be symbolic links (spools moved to other
 * disks); the entries in them may not.
 */
size_t queue_dirs_check(const char *queue_dir, const char *data_dir,
                        const struct queue_dirs_ids *ids);

/*
 * set-permissions: creates what is missing, then sets each directory's
 * owner, group and mode; for recursive entries every file and directory
 * inside gets the owner too (directories also the mode; file modes are
 * kept, they hold queue file state).  Symbolic links are never followed
 * and a non-directory in a directory's place is left alone.  Logs a
 * warning per failure and returns their number.
 */
size_t queue_dirs_fix(const char *queue_dir, const char *data_dir,
                      const struct queue_dirs_ids *ids);

#endif
