/*
 * dict_lmdb - LMDB tables.  LMDB's own lock file is not used (Postfix
 * does not use it either): flock(2) on the data file serialises writers
 * and readers as for Berkeley DB files.  Writes are grouped in batches
 * that are also kept in memory, because a write that finds the map full
 * aborts the whole transaction: the map is then doubled and the batch
 * replayed.  A rebuild commits batches into a temporary file that no
 * reader can see until dict_sync() renames it.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "dict/dict_file.h"
#include "dict/dict_lmdb.h"
#include "dict/dict_nul.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/strbuf.h"

/* Writes per transaction while building a new file; in place, one. */
#define DICT_LMDB_BATCH 1024

/* One write of the open batch: value NULL means delete. */
struct dict_lmdb_op {
	void *key;
	size_t key_len;
	void *value;
	size_t value_len;
};

struct dict_lmdb {
	struct dict dict;
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;      /* the open write batch, or NULL */
	MDB_txn *iter_txn; /* read transaction of an iteration */
	MDB_cursor *cursor;
	char *path;      /* name.lmdb */
	char *temp_path; /* the file being built, until dict_sync() renames it */
	int lock_fd;     /* flock'd descriptor of path, or -1 */
	bool lock_per_op;
	size_t map_size;
	struct dict_lmdb_op *batch;
	size_t batch_count;
	size_t batch_limit;
	struct dict_nul nul;
	struct strbuf *key;
	struct strbuf *value;
	struct strbuf *error;
};

static size_t dict_lmdb_map_size = 16 * 1024 * 1024;

/* Open failures outlive the table; the message stays until the next one. */
static struct strbuf *dict_lmdb_open_error;

void dict_lmdb_set_map_size(size_t size)
{
	dict_lmdb_map_size = size;
}

static enum dict_status dict_lmdb_fail(struct dict_lmdb *lm, const char **error_r, const char *what,
                                       int ret)
{
	strbuf_reset(lm->error);
	strbuf_printf(lm->error, "%s %s: %s", what, lm->path, mdb_strerror(ret));
	*error_r = strbuf_str(lm->error);
	return DICT_ERR_RETRY;
}

static bool dict_lmdb_lock(struct dict_lmdb *lm, int op, const char **error_r)
{
	if (!lm->lock_per_op || dict_file_lock(lm->lock_fd, op))
		return true;
	dict_lmdb_fail(lm, error_r, "lock", errno);
	return false;
}

static void dict_lmdb_unlock(struct dict_lmdb *lm)
{
	if (lm->lock_per_op)
		(void)dict_file_lock(lm->lock_fd, LOCK_UN);
}

/* A read transaction; another process may have grown the map meanwhile. */
static int dict_lmdb_read_txn(struct dict_lmdb *lm, MDB_txn **txn_r)
{
	int ret = mdb_txn_begin(lm->env, NULL, MDB_RDONLY, txn_r);

	if (ret == MDB_MAP_RESIZED && (ret = mdb_env_set_mapsize(lm->env, 0)) == 0)
		ret = mdb_txn_begin(lm->env, NULL, MDB_RDONLY, txn_r);
	return ret;
}

static void dict_lmdb_batch_clear(struct dict_lmdb *lm)
{
	for (size_t i = 0; i < lm->batch_count; i++) {
		free(lm->batch[i].key);
		free(lm->batch[i].value);
	}
	lm->batch_count = 0;
}

/* Applies one batched write inside lm->txn. */
static int dict_lmdb_apply(struct dict_lmdb *lm, const struct dict_lmdb_op *op)
{
	MDB_val key = {.mv_data = op->key, .mv_size = op->key_len};
	MDB_val value = {.mv_data = op->value, .mv_size = op->value_len};
	int ret;

	if (op->value != NULL)
		return mdb_put(lm->txn, lm->dbi, &key, &value, 0);
	ret = mdb_del(lm->txn, lm->dbi, &key, NULL);
	return ret == MDB_NOTFOUND ? 0 : ret;
}

/* After MDB_MAP_FULL: doubles the map and redoes the lost batch. */
static int dict_lmdb_grow(struct dict_lmdb *lm)
{
	int ret;

	for (;;) {
		mdb_txn_abort(lm->txn);
		lm->txn = NULL;
		lm->map_size *= 2;
		if ((ret = mdb_env_set_mapsize(lm->env, lm->map_size)) != 0)
			return ret;
		if ((ret = mdb_txn_begin(lm->env, NULL, 0, &lm->txn)) != 0) {
			lm->txn = NULL;
			return ret;
		}
		ret = 0;
		for (size_t i = 0; i < lm->batch_count && ret == 0; i++)
			ret = dict_lmdb_apply(lm, &lm->batch[i]);
		if (ret != MDB_MAP_FULL)
			return ret;
	}
}

/* Commits the open batch, growing the map as often as needed. */
static int dict_lmdb_commit_batch(struct dict_lmdb *lm)
{
	int ret = 0;

	while (lm->txn != NULL) {
		ret = mdb_txn_commit(lm->txn);
		lm->txn = NULL;
		if (ret != MDB_MAP_FULL)
			break;
		if ((ret = mdb_txn_begin(lm->env, NULL, 0, &lm->txn)) != 0 ||
		    (ret = dict_lmdb_grow(lm)) != 0)
			break;
	}
	if (lm->txn != NULL) {
		mdb_txn_abort(lm->txn);
		lm->txn = NULL;
	}
	dict_lmdb_batch_clear(lm);
	return ret;
}

/* Opens a write batch unless one is open. */
static int dict_lmdb_begin(struct dict_lmdb *lm)
{
	int ret;

	if (lm->txn != NULL)
		return 0;
	if ((ret = mdb_txn_begin(lm->env, NULL, 0, &lm->txn)) == MDB_MAP_RESIZED &&
	    (ret = mdb_env_set_mapsize(lm->env, 0)) == 0)
		ret = mdb_txn_begin(lm->env, NULL, 0, &lm->txn);
	if (ret != 0)
		lm->txn = NULL;
	return ret;
}

/* Drops a write transaction that holds no batched write. */
static void dict_lmdb_idle(struct dict_lmdb *lm)
{
	if (lm->txn != NULL && lm->batch_count == 0) {
		mdb_txn_abort(lm->txn);
		lm->txn = NULL;
	}
}

/* Records a write that took effect, and ends the batch when it is full. */
static int dict_lmdb_record(struct dict_lmdb *lm, const MDB_val *key, const MDB_val *value)
{
	struct dict_lmdb_op *op = &lm->batch[lm->batch_count++];

	op->key = xmemdup(key->mv_data, key->mv_size);
	op->key_len = key->mv_size;
	op->value = value != NULL ? xmemdup(value->mv_data, value->mv_size) : NULL;
	op->value_len = value != NULL ? value->mv_size : 0;
	if (lm->batch_count < lm->batch_limit)
		return 0;
	return dict_lmdb_commit_batch(lm);
}

/* Looks key up in both NUL forms still possible, inside txn. */
static enum dict_status dict_lmdb_get(struct dict_lmdb *lm, MDB_txn *txn, const char *key,
                                      const char **value_r, const char **error_r)
{
	size_t key_len = strlen(key);
	size_t lens[2];
	int count = dict_nul_lookup_lengths(&lm->nul, key_len, lens);

	for (int i = 0; i < count; i++) {
		MDB_val db_key = {.mv_data = (void *)key, .mv_size = lens[i]};
		MDB_val db_value;
		int ret = mdb_get(txn, lm->dbi, &db_key, &db_value);

		if (ret == MDB_NOTFOUND)
			continue;
		if (ret != 0)
			return dict_lmdb_fail(lm, error_r, "read database", ret);
		dict_nul_found(&lm->nul, key_len, lens[i]);
		dict_nul_copy(lm->value, db_value.mv_data, db_value.mv_size);
		*value_r = strbuf_str(lm->value);
		return DICT_FOUND;
	}
	return DICT_NOT_FOUND;
}

static enum dict_status dict_lmdb_lookup(struct dict *dict, const char *key, const char **value_r,
                                         const char **error_r)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;
	enum dict_status status;
	MDB_txn *txn;
	int ret;

	if (lm->txn != NULL)
		return dict_lmdb_get(lm, lm->txn, key, value_r, error_r);
	if (!dict_lmdb_lock(lm, LOCK_SH, error_r))
		return DICT_ERR_RETRY;
	if ((ret = dict_lmdb_read_txn(lm, &txn)) != 0) {
		dict_lmdb_unlock(lm);
		return dict_lmdb_fail(lm, error_r, "read database", ret);
	}
	status = dict_lmdb_get(lm, txn, key, value_r, error_r);
	mdb_txn_abort(txn);
	dict_lmdb_unlock(lm);
	return status;
}

/* Stores key and value in the batch, resolving an existing key by the DUP flags. */
static enum dict_status dict_lmdb_put(struct dict_lmdb *lm, const char *key, const char *value,
                                      const char **error_r)
{
	MDB_val db_key = {.mv_data = (void *)key,
	                  .mv_size = dict_nul_store_length(&lm->nul, strlen(key))};
	MDB_val db_value = {.mv_data = (void *)value,
	                    .mv_size = dict_nul_store_length(&lm->nul, strlen(value))};
	MDB_val stored;
	int ret;

	if ((ret = dict_lmdb_begin(lm)) != 0)
		return dict_lmdb_fail(lm, error_r, "write database", ret);
	do {
		stored = db_value;
		ret = mdb_put(lm->txn, lm->dbi, &db_key, &stored, MDB_NOOVERWRITE);
		if (ret == MDB_KEYEXIST) {
			if (lm->dict.flags & DICT_FLAG_DUP_WARN)
				msg_warn("%s: duplicate entry: \"%s\"", lm->path, key);
			if (lm->dict.flags & (DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE)) {
				dict_lmdb_idle(lm);
				return DICT_FOUND;
			}
			ret = mdb_put(lm->txn, lm->dbi, &db_key, &db_value, 0);
		}
	} while (ret == MDB_MAP_FULL && (ret = dict_lmdb_grow(lm)) == 0);
	if (ret == 0)
		ret = dict_lmdb_record(lm, &db_key, &db_value);
	if (ret != 0)
		return dict_lmdb_fail(lm, error_r, "write database", ret);
	return DICT_FOUND;
}

static enum dict_status dict_lmdb_update(struct dict *dict, const char *key, const char *value,
                                         const char **error_r)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;
	enum dict_status status;

	if (!dict_lmdb_lock(lm, LOCK_EX, error_r))
		return DICT_ERR_RETRY;
	status = dict_lmdb_put(lm, key, value, error_r);
	dict_lmdb_unlock(lm);
	return status;
}

/* Deletes key, in whichever NUL form the table holds it, through the batch. */
static enum dict_status dict_lmdb_del(struct dict_lmdb *lm, const char *key, const char **error_r)
{
	size_t key_len = strlen(key);
	size_t lens[2];
	int count = dict_nul_lookup_lengths(&lm->nul, key_len, lens);
	int ret;

	if ((ret = dict_lmdb_begin(lm)) != 0)
		return dict_lmdb_fail(lm, error_r, "delete from database", ret);
	for (int i = 0; i < count; i++) {
		MDB_val db_key = {.mv_data = (void *)key, .mv_size = lens[i]};

		ret = mdb_del(lm->txn, lm->dbi, &db_key, NULL);
		if (ret == MDB_NOTFOUND)
			continue;
		if (ret == MDB_MAP_FULL && (ret = dict_lmdb_grow(lm)) == 0)
			ret = mdb_del(lm->txn, lm->dbi, &db_key, NULL);
		if (ret == 0)
			ret = dict_lmdb_record(lm, &db_key, NULL);
		if (ret != 0)
			return dict_lmdb_fail(lm, error_r, "delete from database", ret);
		dict_nul_found(&lm->nul, key_len, lens[i]);
		return DICT_FOUND;
	}
	dict_lmdb_idle(lm);
	return DICT_NOT_FOUND;
}

static enum dict_status dict_lmdb_delete(struct dict *dict, const char *key, const char **error_r)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;
	enum dict_status status;

	if (!dict_lmdb_lock(lm, LOCK_EX, error_r))
		return DICT_ERR_RETRY;
	status = dict_lmdb_del(lm, key, error_r);
	dict_lmdb_unlock(lm);
	return status;
}

static void dict_lmdb_end_iteration(struct dict_lmdb *lm)
{
	if (lm->cursor != NULL)
		mdb_cursor_close(lm->cursor);
	if (lm->iter_txn != NULL)
		mdb_txn_abort(lm->iter_txn);
	lm->cursor = NULL;
	lm->iter_txn = NULL;
}

/* One cursor step; pending writes are committed first so they are seen. */
static enum dict_status dict_lmdb_step(struct dict_lmdb *lm, bool first, const char **key_r,
                                       const char **value_r, const char **error_r)
{
	MDB_val key, value;
	int ret = 0;

	if (first)
		dict_lmdb_end_iteration(lm);
	if (lm->cursor == NULL) {
		if ((ret = dict_lmdb_commit_batch(lm)) != 0 ||
		    (ret = dict_lmdb_read_txn(lm, &lm->iter_txn)) != 0)
			return dict_lmdb_fail(lm, error_r, "read database", ret);
		if ((ret = mdb_cursor_open(lm->iter_txn, lm->dbi, &lm->cursor)) != 0) {
			dict_lmdb_end_iteration(lm);
			return dict_lmdb_fail(lm, error_r, "read database", ret);
		}
	}
	ret = mdb_cursor_get(lm->cursor, &key, &value, first ? MDB_FIRST : MDB_NEXT);
	if (ret != 0) {
		dict_lmdb_end_iteration(lm);
		return ret == MDB_NOTFOUND ? DICT_NOT_FOUND
		                           : dict_lmdb_fail(lm, error_r, "read database", ret);
	}
	dict_nul_copy(lm->key, key.mv_data, key.mv_size);
	dict_nul_copy(lm->value, value.mv_data, value.mv_size);
	*key_r = strbuf_str(lm->key);
	*value_r = strbuf_str(lm->value);
	return DICT_FOUND;
}

static enum dict_status dict_lmdb_iterate(struct dict *dict, bool first, const char **key_r,
                                          const char **value_r, const char **error_r)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;
	enum dict_status status;

	if (!dict_lmdb_lock(lm, LOCK_SH, error_r))
		return DICT_ERR_RETRY;
	status = dict_lmdb_step(lm, first, key_r, value_r, error_r);
	dict_lmdb_unlock(lm);
	return status;
}

static enum dict_status dict_lmdb_sync(struct dict *dict, const char **error_r)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;
	int fd;
	int ret;

	if ((ret = dict_lmdb_commit_batch(lm)) != 0 || (ret = mdb_env_sync(lm->env, 1)) != 0 ||
	    (ret = mdb_env_get_fd(lm->env, &fd)) != 0)
		return dict_lmdb_fail(lm, error_r, "sync database", ret);
	if (lm->temp_path == NULL)
		return DICT_FOUND;
	if (!dict_file_commit(lm->temp_path, fd, lm->path, lm->lock_fd, lm->error)) {
		*error_r = strbuf_str(lm->error);
		return DICT_ERR_RETRY;
	}
	xfree_ptr(&lm->temp_path);
	dict_watch_file(&lm->dict, lm->path);
	return DICT_FOUND;
}

/* Releases what dict_close() does not; an uncommitted rebuild is thrown away. */
static void dict_lmdb_release(struct dict_lmdb *lm)
{
	dict_lmdb_end_iteration(lm);
	if (lm->txn != NULL)
		mdb_txn_abort(lm->txn);
	if (lm->env != NULL)
		mdb_env_close(lm->env);
	if (lm->temp_path != NULL)
		(void)unlink(lm->temp_path);
	if (lm->lock_fd >= 0)
		close(lm->lock_fd);
	dict_lmdb_batch_clear(lm);
	free(lm->batch);
	free(lm->path);
	free(lm->temp_path);
	strbuf_free(&lm->key);
	strbuf_free(&lm->value);
	strbuf_free(&lm->error);
}

static void dict_lmdb_close(struct dict *dict)
{
	struct dict_lmdb *lm = (struct dict_lmdb *)dict;

	if (lm->temp_path == NULL && lm->txn != NULL && dict_lmdb_commit_batch(lm) != 0)
		msg_warn("%s: last update lost at close", lm->path);
	dict_lmdb_release(lm);
}

static const struct dict_ops dict_lmdb_ops = {
    .lookup = dict_lmdb_lookup,
    .update = dict_lmdb_update,
    .delete = dict_lmdb_delete,
    .iterate = dict_lmdb_iterate,
    .sync = dict_lmdb_sync,
    .close = dict_lmdb_close,
};

/* Takes the lock that the open mode calls for, before the file is opened. */
static bool dict_lmdb_open_lock(struct dict_lmdb *lm, int flags)
{
	if (flags & DICT_FLAG_CREATE) {
		lm->lock_fd = dict_file_open_locked(lm->path, O_RDONLY, LOCK_EX, lm->error);
		return lm->lock_fd >= 0 || errno == ENOENT;
	}
	if ((flags & (DICT_FLAG_WRITE | DICT_FLAG_LOCK)) == 0)
		return true;
	lm->lock_fd = dict_file_open_locked(
	    lm->path, O_RDONLY, (flags & DICT_FLAG_WRITE) ? LOCK_EX : LOCK_SH, lm->error);
	if (lm->lock_fd < 0)
		return false;
	lm->lock_per_op = (flags & DICT_FLAG_LOCK) != 0;
	return true;
}

/* Opens the environment on the file (or the rebuild's temp file) and its database. */
static int dict_lmdb_open_file(struct dict_lmdb *lm, int flags)
{
	bool create = (flags & DICT_FLAG_CREATE) != 0;
	unsigned env_flags = MDB_NOSUBDIR | MDB_NOLOCK;
	MDB_txn *txn;
	int ret;

	if (create) {
		lm->temp_path = dict_file_temp_path(lm->path);
		env_flags |= MDB_NOSYNC;
	} else if ((flags & DICT_FLAG_WRITE) == 0) {
		env_flags |= MDB_RDONLY;
	}
	if ((ret = mdb_env_create(&lm->env)) != 0) {
		lm->env = NULL;
		return ret;
	}
	if ((ret = mdb_env_set_mapsize(lm->env, lm->map_size)) != 0 ||
	    (ret = mdb_env_open(lm->env, create ? lm->temp_path : lm->path, env_flags, 0644)) != 0)
		return ret;
	if ((ret = mdb_txn_begin(lm->env, NULL, env_flags & MDB_RDONLY, &txn)) != 0)
		return ret;
	if ((ret = mdb_dbi_open(txn, NULL, 0, &lm->dbi)) != 0) {
		mdb_txn_abort(txn);
		return ret;
	}
	return mdb_txn_commit(txn);
}

struct dict *dict_lmdb_open(const char *name, int flags, const char **error_r)
{
	struct dict_lmdb *lm = xcalloc(1, sizeof(*lm));
	struct dict *dict;
	int ret;

	dict_init(&lm->dict, &dict_lmdb_ops, "lmdb", name, flags,
	          DICT_PROP_FIXED | DICT_PROP_FILE | DICT_PROP_WRITABLE);
	lm->path = xmalloc(strlen(name) + 6);
	strcpy(stpcpy(lm->path, name), ".lmdb");
	lm->lock_fd = -1;
	lm->map_size = dict_lmdb_map_size;
	lm->batch_limit = (flags & DICT_FLAG_CREATE) ? DICT_LMDB_BATCH : 1;
	lm->batch = xcalloc(lm->batch_limit, sizeof(*lm->batch));
	lm->key = strbuf_new(STRBUF_UNLIMITED);
	lm->value = strbuf_new(STRBUF_UNLIMITED);
	lm->error = strbuf_new(STRBUF_UNLIMITED);
	dict_nul_init(&lm->nul, flags);
	if (!dict_lmdb_open_lock(lm, flags))
		ret = errno;
	else
		ret = dict_lmdb_open_file(lm, flags);
	if (ret == 0) {
		if (lm->lock_per_op)
			(void)dict_file_lock(lm->lock_fd, LOCK_UN);
		if (lm->temp_path == NULL)
			dict_watch_file(&lm->dict, lm->path);
		return &lm->dict;
	}
	if (dict_lmdb_open_error == NULL)
		dict_lmdb_open_error = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(dict_lmdb_open_error);
	strbuf_printf(dict_lmdb_open_error, "open database %s: %s", lm->path, mdb_strerror(ret));
	*error_r = strbuf_str(dict_lmdb_open_error);
	lm->txn = NULL;
	dict = &lm->dict;
	dict_close(&dict);
	return NULL;
}
