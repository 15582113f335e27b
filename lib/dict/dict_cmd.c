/*
 * dict_cmd - the build half of postmap and postalias.  A full build goes
 * through dict_db/dict_lmdb's DICT_FLAG_CREATE, which writes beside the
 * table and renames on sync, so closing without sync after any error
 * leaves the old table as it was.  An incremental update writes in place
 * under the table's exclusive lock, as Postfix's does.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dict/dict.h"
#include "dict/dict_cmd.h"
#include "dict/dict_nul.h"
#include "util/alloc.h"
#include "util/eugid.h"
#include "util/msg.h"
#include "util/strbuf.h"

/* The types a build can create, with the file name suffix each uses. */
static const struct {
	const char *type;
	const char *suffix;
} dict_cmd_creatable[] = {
    {"btree", ".db"},
    {"hash", ".db"},
    {"lmdb", ".lmdb"},
};

/* Messages outlive the functions that make them, until the next one. */
static struct strbuf *dict_cmd_error;

static const char *dict_cmd_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *dict_cmd_errorf(const char *fmt, ...)
{
	va_list ap;

	if (dict_cmd_error == NULL)
		dict_cmd_error = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(dict_cmd_error);
	va_start(ap, fmt);
	strbuf_vprintf(dict_cmd_error, fmt, ap);
	va_end(ap);
	return strbuf_str(dict_cmd_error);
}

void dict_cmd_split(const struct dict_cmd *cmd, char *text, const char **type_r,
                    const char **name_r)
{
	char *colon = strchr(text, ':');

	if (colon == NULL) {
		*type_r = cmd->default_type;
		*name_r = text;
		return;
	}
	*colon = 0;
	*type_r = text;
	*name_r = colon + 1;
}

/* The table file's suffix for a creatable type, else NULL. */
static const char *dict_cmd_suffix(const char *type)
{
	for (size_t i = 0; i < sizeof(dict_cmd_creatable) / sizeof(dict_cmd_creatable[0]); i++)
		if (strcmp(dict_cmd_creatable[i].type, type) == 0)
			return dict_cmd_creatable[i].suffix;
	return NULL;
}

/* What a build changes in the process, to undo when it ends. */
struct dict_cmd_state {
	bool eugid;    /* acting as the source's owner */
	mode_t umask;  /* the umask to restore */
	int source_fd; /* the source we opened, or -1 */
	struct dict *dict;
};

/*
 * Acts as the source file's owner when root runs us for a file that root
 * does not own (Postfix's default; -o keeps root).  A missing source is
 * left for the open to report.
 */
static bool dict_cmd_become_owner(const struct dict_cmd *cmd, const char *name,
                                  struct dict_cmd_state *state, const char **error_r)
{
	struct stat st;

	if (!cmd->as_owner || geteuid() != 0 || stat(name, &st) < 0 || st.st_uid == 0)
		return true;
	if (!eugid_set(st.st_uid, st.st_gid)) {
		*error_r = dict_cmd_errorf("set user ID %ld group ID %ld: %s", (long)st.st_uid,
		                           (long)st.st_gid, strerror(errno));
		return false;
	}
	state->eugid = true;
	return true;
}

/*
 * Opens the source and sets the umask for the table's files: the
 * source's group and other read bits carry over unless -p said not to.
 */
static struct dict_source *dict_cmd_source(const struct dict_cmd *cmd, const char *name,
                                           bool incremental, struct dict_cmd_state *state,
                                           const char **error_r)
{
	int fd = incremental ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
	int source_flags = cmd->fold ? DICT_FLAG_FOLD_CASE : 0;
	mode_t mask = 022;
	struct stat st;

	if (fd < 0) {
		*error_r = dict_cmd_errorf("open %s: %s", name, strerror(errno));
		return NULL;
	}
	if (!incremental)
		state->source_fd = fd;
	if (cmd->source_mode && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		mask |= ~st.st_mode & 077;
	state->umask = umask(mask);
	return dict_source_fdopen(fd, incremental ? "stdin" : name, cmd->format, source_flags,
	                          error_r);
}

/* Opens the table for a full build, or in place when updating one that exists. */
static struct dict *dict_cmd_open_table(const struct dict_cmd *cmd, const char *type,
                                        const char *name, bool incremental, const char **error_r)
{
	struct strbuf *type_name = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	int flags = cmd->dict_flags | cmd->dup_flags;
	struct dict *dict;

	strbuf_printf(type_name, "%s:%s", type, name);
	strbuf_printf(path, "%s%s", name, dict_cmd_suffix(type));
	flags |=
	    incremental && access(strbuf_str(path), F_OK) == 0 ? DICT_FLAG_WRITE : DICT_FLAG_CREATE;
	dict = dict_open(strbuf_str(type_name), cmd->default_type, flags, error_r);
	strbuf_free(&type_name);
	strbuf_free(&path);
	return dict;
}

/* Copies every source record into the table; bad lines are warnings. */
static bool dict_cmd_load(struct dict *dict, struct dict_source *source, const char **error_r)
{
	struct dict_source_record record;

	for (;;) {
		switch (dict_source_next(source, &record, error_r)) {
		case DICT_SOURCE_END:
			return true;
		case DICT_SOURCE_ERROR:
			return false;
		case DICT_SOURCE_BAD_LINE:
		case DICT_SOURCE_SKIPPED:
			msg_warn("%s", *error_r);
			break;
		case DICT_SOURCE_RECORD:
			if (dict_update(dict, record.key, record.value, error_r) != DICT_FOUND)
				return false;
			break;
		}
	}
}

/*
 * Adds sendmail's "@" entry, which says that the alias table is complete
 * (an alias "@" of the source wins).
 */
static bool dict_cmd_alias_sentinel(struct dict *dict, const char **error_r)
{
	const char *value;

	switch (dict_lookup(dict, "@", &value, error_r)) {
	case DICT_FOUND:
		return true;
	case DICT_NOT_FOUND:
		return dict_update(dict, "@", "@", error_r) == DICT_FOUND;
	default:
		return false;
	}
}

/*
 * Adds the NIS entries that Postfix's postalias writes: the build time
 * and the master's host name, without trailing NULs and never folded, as
 * makedbm writes them.  They go in after the rename, so the new table is
 * already in place and complete without them.
 */
static bool dict_cmd_alias_nis(const struct dict_cmd *cmd, const char *type, const char *name,
                               const char **error_r)
{
	int flags = DICT_FLAG_WRITE | DICT_FLAG_DUP_REPLACE | DICT_NUL_FLAG_EXCLUDE;
	struct strbuf *type_name = strbuf_new(STRBUF_UNLIMITED);
	struct dict *dict;
	char stamp[32];
	bool ok;

	strbuf_printf(type_name, "%s:%s", type, name);
	dict = dict_open(strbuf_str(type_name), cmd->default_type, flags, error_r);
	strbuf_free(&type_name);
	if (dict == NULL)
		return false;
	snprintf(stamp, sizeof(stamp), "%010ld", (long)time(NULL));
	ok = dict_update(dict, "YP_LAST_MODIFIED", stamp, error_r) == DICT_FOUND &&
	     dict_update(dict, "YP_MASTER_NAME", cmd->hostname, error_r) == DICT_FOUND &&
	     dict_sync(dict, error_r) == DICT_FOUND;
	if (!ok)
		*error_r = dict_cmd_errorf("%s", *error_r);
	dict_close(&dict);
	return ok;
}

/* Undoes what the build changed in the process; the table is discarded unless synced. */
static void dict_cmd_finish(struct dict_cmd_state *state, struct dict_source **source)
{
	dict_close(&state->dict);
	dict_source_close(source);
	if (state->source_fd >= 0)
		close(state->source_fd);
	if (state->umask != (mode_t)-1)
		umask(state->umask);
	if (state->eugid && !eugid_restore())
		msg_fatal("restore root privileges: %m");
}

bool dict_cmd_build(const struct dict_cmd *cmd, const char *type_name, bool incremental,
                    const char **error_r)
{
	struct dict_cmd_state state = {.umask = (mode_t)-1, .source_fd = -1};
	struct dict_source *source = NULL;
	char *copy = xstrdup(type_name);
	const char *type, *name;
	bool ok = false;

	dict_cmd_split(cmd, copy, &type, &name);
	if (dict_cmd_suffix(type) == NULL)
		*error_r = dict_cmd_errorf("unsupported map type for this operation: %s", type);
	else if (dict_cmd_become_owner(cmd, name, &state, error_r) &&
	         (source = dict_cmd_source(cmd, name, incremental, &state, error_r)) != NULL &&
	         (state.dict = dict_cmd_open_table(cmd, type, name, incremental, error_r)) !=
	             NULL &&
	         dict_cmd_load(state.dict, source, error_r) &&
	         (!cmd->aliases || dict_cmd_alias_sentinel(state.dict, error_r)) &&
	         dict_sync(state.dict, error_r) == DICT_FOUND) {
		dict_close(&state.dict);
		ok = !cmd->aliases || dict_cmd_alias_nis(cmd, type, name, error_r);
	}
	/* The message may live in the table, which closing frees. */
	if (!ok && (dict_cmd_error == NULL || *error_r != strbuf_str(dict_cmd_error)))
		*error_r = dict_cmd_errorf("%s", *error_r);
	dict_cmd_finish(&state, &source);
	free(copy);
	return ok;
}
