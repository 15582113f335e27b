/*
 * dict_db - Berkeley DB tables.  Postfix's postmap writes a bare DB file
 * (no environment, default page size, no DB-level locking) and guards it
 * with flock(2); doing the same keeps our files and Postfix's
 * interchangeable, and lets Postfix's postmap and ours run side by side.
 * Rebuilds go through a temporary file (dict_file.h) so that no reader
 * ever opens a half-written table.
 */
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "dict/dict_db.h"
#include "dict/dict_file.h"
#include "dict/dict_nul.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/strbuf.h"

/* Postfix's default expected size of a hash table. */
#define DICT_DB_NELEM 4096

struct dict_db {
	struct dict dict;
	DB *db;
	DBC *cursor;
	char *path;       /* name.db */
	char *temp_path;  /* the file being built, until dict_sync() renames it */
	int lock_fd;      /* flock'd descriptor of path, or -1 */
	bool lock_per_op; /* lock around each access rather than for our lifetime */
	struct dict_nul nul;
	struct strbuf *key;
	struct strbuf *value;
	struct strbuf *error;
};

static size_t dict_db_create_size = 16 * 1024 * 1024;
static size_t dict_db_read_size = 128 * 1024;

/* Open failures outlive the table; the message stays until the next one. */
static struct strbuf *dict_db_open_error;

void dict_db_set_buffer_sizes(size_t create_size, size_t read_size)
{
	dict_db_create_size = create_size;
	dict_db_read_size = read_size;
}

/* Berkeley DB's own diagnostics add detail to our error; trace them only. */
static void dict_db_errcall(const DB_ENV *env, const char *prefix, const char *text)
{
	if (msg_verbose)
		msg_info("Berkeley DB: %s", text);
}

/* Sets db->error to the message and returns status. */
static enum dict_status dict_db_fail(struct dict_db *db, enum dict_status status,
                                     const char **error_r, const char *what, int ret)
{
	strbuf_reset(db->error);
	strbuf_printf(db->error, "%s %s: %s", what, db->path, db_strerror(ret));
	*error_r = strbuf_str(db->error);
	return status;
}

/* Takes the per-access lock (op LOCK_SH or LOCK_EX) when the table uses one. */
static bool dict_db_lock(struct dict_db *db, int op, const char **error_r)
{
	if (!db->lock_per_op || dict_file_lock(db->lock_fd, op))
		return true;
	dict_db_fail(db, DICT_ERR_RETRY, error_r, "lock", errno);
	return false;
}

static void dict_db_unlock(struct dict_db *db)
{
	if (db->lock_per_op)
		(void)dict_file_lock(db->lock_fd, LOCK_UN);
}

/* Looks key up in both NUL forms still possible; copies a hit's value. */
static enum dict_status dict_db_get(struct dict_db *db, const char *key, const char **value_r,
                                    const char **error_r)
{
	size_t key_len = strlen(key);
	size_t lens[2];
	int count = dict_nul_lookup_lengths(&db->nul, key_len, lens);

	for (int i = 0; i < count; i++) {
		DBT db_key = {.data = (void *)key, .size = (u_int32_t)lens[i]};
		DBT db_value = {0};
		int ret = db->db->get(db->db, NULL, &db_key, &db_value, 0);

		if (ret == DB_NOTFOUND)
			continue;
		if (ret != 0)
			return dict_db_fail(db, DICT_ERR_RETRY, error_r, "read database", ret);
		dict_nul_found(&db->nul, key_len, lens[i]);
		dict_nul_copy(db->value, db_value.data, db_value.size);
		*value_r = strbuf_str(db->value);
		return DICT_FOUND;
	}
	return DICT_NOT_FOUND;
}

static enum dict_status dict_db_lookup(struct dict *dict, const char *key, const char **value_r,
                                       const char **error_r)
{
	struct dict_db *db = (struct dict_db *)dict;
	enum dict_status status;

	if (!dict_db_lock(db, LOCK_SH, error_r))
		return DICT_ERR_RETRY;
	status = dict_db_get(db, key, value_r, error_r);
	dict_db_unlock(db);
	return status;
}

/* Flushes an in-place change when other processes must see it at once. */
static enum dict_status dict_db_flush(struct dict_db *db, const char **error_r)
{
	int ret;

	if (db->temp_path != NULL ||
	    (!db->lock_per_op && (db->dict.flags & DICT_FLAG_SYNC_UPDATE) == 0))
		return DICT_FOUND;
	if ((ret = db->db->sync(db->db, 0)) != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "sync database", ret);
	return DICT_FOUND;
}

/* Stores key and value, resolving an existing key by the DUP flags. */
static enum dict_status dict_db_put(struct dict_db *db, const char *key, const char *value,
                                    const char **error_r)
{
	size_t key_len = dict_nul_store_length(&db->nul, strlen(key));
	size_t value_len = dict_nul_store_length(&db->nul, strlen(value));
	DBT db_key = {.data = (void *)key, .size = (u_int32_t)key_len};
	DBT db_value = {.data = (void *)value, .size = (u_int32_t)value_len};
	int ret = db->db->put(db->db, NULL, &db_key, &db_value, DB_NOOVERWRITE);

	if (ret == 0)
		return DICT_FOUND;
	if (ret != DB_KEYEXIST)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "write database", ret);
	if (db->dict.flags & DICT_FLAG_DUP_WARN)
		msg_warn("%s: duplicate entry: \"%s\"", db->path, key);
	if (db->dict.flags & (DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE))
		return DICT_FOUND;
	if ((ret = db->db->put(db->db, NULL, &db_key, &db_value, 0)) != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "write database", ret);
	return DICT_FOUND;
}

static enum dict_status dict_db_update(struct dict *dict, const char *key, const char *value,
                                       const char **error_r)
{
	struct dict_db *db = (struct dict_db *)dict;
	enum dict_status status;

	if (!dict_db_lock(db, LOCK_EX, error_r))
		return DICT_ERR_RETRY;
	status = dict_db_put(db, key, value, error_r);
	if (status == DICT_FOUND)
		status = dict_db_flush(db, error_r);
	dict_db_unlock(db);
	return status;
}

/* Deletes key in whichever NUL form the table holds it. */
static enum dict_status dict_db_del(struct dict_db *db, const char *key, const char **error_r)
{
	size_t key_len = strlen(key);
	size_t lens[2];
	int count = dict_nul_lookup_lengths(&db->nul, key_len, lens);

	for (int i = 0; i < count; i++) {
		DBT db_key = {.data = (void *)key, .size = (u_int32_t)lens[i]};
		int ret = db->db->del(db->db, NULL, &db_key, 0);

		if (ret == DB_NOTFOUND)
			continue;
		if (ret != 0)
			return dict_db_fail(db, DICT_ERR_RETRY, error_r, "delete from database",
			                    ret);
		dict_nul_found(&db->nul, key_len, lens[i]);
		return dict_db_flush(db, error_r);
	}
	return DICT_NOT_FOUND;
}

static enum dict_status dict_db_delete(struct dict *dict, const char *key, const char **error_r)
{
	struct dict_db *db = (struct dict_db *)dict;
	enum dict_status status;

	if (!dict_db_lock(db, LOCK_EX, error_r))
		return DICT_ERR_RETRY;
	status = dict_db_del(db, key, error_r);
	dict_db_unlock(db);
	return status;
}

/* One cursor step; the caller holds the lock. */
static enum dict_status dict_db_step(struct dict_db *db, bool first, const char **key_r,
                                     const char **value_r, const char **error_r)
{
	DBT db_key = {0};
	DBT db_value = {0};
	int ret;

	if (db->cursor == NULL && (ret = db->db->cursor(db->db, NULL, &db->cursor, 0)) != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "read database", ret);
	ret = db->cursor->get(db->cursor, &db_key, &db_value, first ? DB_FIRST : DB_NEXT);
	if (ret == DB_NOTFOUND)
		return DICT_NOT_FOUND;
	if (ret != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "read database", ret);
	dict_nul_copy(db->key, db_key.data, db_key.size);
	dict_nul_copy(db->value, db_value.data, db_value.size);
	*key_r = strbuf_str(db->key);
	*value_r = strbuf_str(db->value);
	return DICT_FOUND;
}

static enum dict_status dict_db_iterate(struct dict *dict, bool first, const char **key_r,
                                        const char **value_r, const char **error_r)
{
	struct dict_db *db = (struct dict_db *)dict;
	enum dict_status status;

	if (!dict_db_lock(db, LOCK_SH, error_r))
		return DICT_ERR_RETRY;
	status = dict_db_step(db, first, key_r, value_r, error_r);
	dict_db_unlock(db);
	return status;
}

/* Completes a rebuild: the temporary file becomes name.db. */
static enum dict_status dict_db_commit(struct dict_db *db, const char **error_r)
{
	int fd;
	int ret;

	if ((ret = db->db->fd(db->db, &fd)) != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "sync database", ret);
	if (!dict_file_commit(db->temp_path, fd, db->path, db->lock_fd, db->error)) {
		*error_r = strbuf_str(db->error);
		return DICT_ERR_RETRY;
	}
	xfree_ptr(&db->temp_path);
	dict_watch_file(&db->dict, db->path);
	return DICT_FOUND;
}

static enum dict_status dict_db_sync(struct dict *dict, const char **error_r)
{
	struct dict_db *db = (struct dict_db *)dict;
	int ret;

	if ((ret = db->db->sync(db->db, 0)) != 0)
		return dict_db_fail(db, DICT_ERR_RETRY, error_r, "sync database", ret);
	if (db->temp_path != NULL)
		return dict_db_commit(db, error_r);
	return DICT_FOUND;
}

/* Releases what dict_close() does not; an uncommitted rebuild is thrown away. */
static void dict_db_close(struct dict *dict)
{
	struct dict_db *db = (struct dict_db *)dict;

	if (db->cursor != NULL)
		db->cursor->close(db->cursor);
	if (db->db != NULL)
		db->db->close(db->db, db->temp_path != NULL ? DB_NOSYNC : 0);
	if (db->temp_path != NULL)
		(void)unlink(db->temp_path);
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db->path);
	free(db->temp_path);
	strbuf_free(&db->key);
	strbuf_free(&db->value);
	strbuf_free(&db->error);
}

static const struct dict_ops dict_db_ops = {
    .lookup = dict_db_lookup,
    .update = dict_db_update,
    .delete = dict_db_delete,
    .iterate = dict_db_iterate,
    .sync = dict_db_sync,
    .close = dict_db_close,
};

/* Takes the lock that the open mode calls for, before the DB is opened. */
static bool dict_db_open_lock(struct dict_db *db, int flags)
{
	if (flags & DICT_FLAG_CREATE) {
		db->lock_fd = dict_file_open_locked(db->path, O_RDONLY, LOCK_EX, db->error);
		return db->lock_fd >= 0 || errno == ENOENT;
	}
	if ((flags & (DICT_FLAG_WRITE | DICT_FLAG_LOCK)) == 0)
		return true;
	db->lock_fd = dict_file_open_locked(
	    db->path, O_RDONLY, (flags & DICT_FLAG_WRITE) ? LOCK_EX : LOCK_SH, db->error);
	if (db->lock_fd < 0)
		return false;
	db->lock_per_op = (flags & DICT_FLAG_LOCK) != 0;
	return true;
}

/* Creates the DB handle and opens the file (or the rebuild's temp file). */
static int dict_db_open_file(struct dict_db *db, DBTYPE type, int flags)
{
	bool create = (flags & DICT_FLAG_CREATE) != 0;
	u_int32_t db_flags = create                      ? DB_CREATE | DB_EXCL
	                     : (flags & DICT_FLAG_WRITE) ? 0
	                                                 : DB_RDONLY;
	size_t cache = create ? dict_db_create_size : dict_db_read_size;
	int ret;

	if ((ret = db_create(&db->db, NULL, 0)) != 0)
		return ret;
	db->db->set_errcall(db->db, dict_db_errcall);
	if ((ret = db->db->set_cachesize(db->db, 0, (u_int32_t)cache, 0)) != 0)
		return ret;
	if (type == DB_HASH && (ret = db->db->set_h_nelem(db->db, DICT_DB_NELEM)) != 0)
		return ret;
	if (create)
		db->temp_path = dict_file_temp_path(db->path);
	return db->db->open(db->db, NULL, create ? db->temp_path : db->path, NULL, type, db_flags,
	                    0644);
}

static struct dict *dict_db_open(const char *type_name, DBTYPE type, const char *name, int flags,
                                 const char **error_r)
{
	struct dict_db *db = xcalloc(1, sizeof(*db));
	struct dict *dict;
	int ret;

	dict_init(&db->dict, &dict_db_ops, type_name, name, flags,
	          DICT_PROP_FIXED | DICT_PROP_FILE | DICT_PROP_WRITABLE);
	db->path = xmalloc(strlen(name) + 4);
	strcpy(stpcpy(db->path, name), ".db");
	db->lock_fd = -1;
	db->key = strbuf_new(STRBUF_UNLIMITED);
	db->value = strbuf_new(STRBUF_UNLIMITED);
	db->error = strbuf_new(STRBUF_UNLIMITED);
	dict_nul_init(&db->nul, flags);
	if (!dict_db_open_lock(db, flags)) {
		ret = errno;
		goto fail;
	}
	if ((ret = dict_db_open_file(db, type, flags)) != 0)
		goto fail;
	if (db->lock_per_op)
		(void)dict_file_lock(db->lock_fd, LOCK_UN);
	if (db->temp_path == NULL)
		dict_watch_file(&db->dict, db->path);
	return &db->dict;

fail:
	if (dict_db_open_error == NULL)
		dict_db_open_error = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(dict_db_open_error);
	strbuf_printf(dict_db_open_error, "open database %s: %s", db->path, db_strerror(ret));
	*error_r = strbuf_str(dict_db_open_error);
	dict = &db->dict;
	dict_close(&dict);
	return NULL;
}

struct dict *dict_db_open_hash(const char *name, int flags, const char **error_r)
{
	return dict_db_open("hash", DB_HASH, name, flags, error_r);
}

struct dict *dict_db_open_btree(const char *name, int flags, const char **error_r)
{
	return dict_db_open("btree", DB_BTREE, name, flags, error_r);
}
