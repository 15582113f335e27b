/*
 * dict - lookup tables, opened by "type:name" as Postfix names them
 * (hash:/etc/postfix/transport, cidr:/etc/postfix/clients, inline:{...}).
 *
 * Every table type implements struct dict's operations; callers only use
 * the dict_* functions below.  Open tables are shared within a process:
 * opening the same type:name with the same flags twice returns the same
 * table with a reference count.  A table backed by a file remembers the
 * file's identity (device, inode, mtime) at open, so a long-running daemon
 * can ask dict_changed() after each client and exit to let master restart
 * it with fresh data, as Postfix daemons do.
 *
 * Results distinguish "not found" from errors: a lookup error is a
 * temporary failure for the caller (defer the mail, 451 the client), never
 * a silent "not found".
 */
#ifndef POSTERN_DICT_DICT_H
#define POSTERN_DICT_DICT_H

#include <stdbool.h>
#include <sys/types.h>

/* Outcomes of lookup, update, delete and iteration. */
enum dict_status {
	DICT_FOUND,      /* (lookup/iterate) a value is returned */
	DICT_NOT_FOUND,  /* no such key, or end of iteration */
	DICT_ERR_RETRY,  /* temporary failure: try again later */
	DICT_ERR_CONFIG, /* the table is misconfigured or unusable */
};

/* Open flags (dict_flags): behaviour chosen by the caller. */
#define DICT_FLAG_FOLD_CASE (1 << 0)   /* fold keys to lower case before use */
#define DICT_FLAG_LOCK (1 << 1)        /* lock the file around each access */
#define DICT_FLAG_DUP_WARN (1 << 2)    /* on update: warn and ignore a duplicate key */
#define DICT_FLAG_DUP_IGNORE (1 << 3)  /* on update: silently keep the first value */
#define DICT_FLAG_DUP_REPLACE (1 << 4) /* on update: replace the old value */
#define DICT_FLAG_SYNC_UPDATE (1 << 5) /* fsync after each update */
#define DICT_FLAG_CREATE (1 << 6)      /* create (truncate) the table for writing */
#define DICT_FLAG_WRITE (1 << 7)       /* open for update/delete */

/* Type properties (struct dict.properties), set by the implementation. */
#define DICT_PROP_PATTERN (1 << 0)  /* keys are matched as patterns (regexp, cidr) */
#define DICT_PROP_FIXED (1 << 1)    /* keys are fixed strings (hash, inline) */
#define DICT_PROP_FILE (1 << 2)     /* backed by a file whose change is tracked */
#define DICT_PROP_WRITABLE (1 << 3) /* supports update and delete */

struct dict;

/*
 * The operations of a table type.  lookup's *value_r stays valid until
 * the next operation on the same table.  Operations a type lacks are NULL
 * (dict_update on such a table reports DICT_ERR_CONFIG with a message).
 * error_r receives a message for DICT_ERR_* results.
 */
struct dict_ops {
	enum dict_status (*lookup)(struct dict *dict, const char *key, const char **value_r,
	                           const char **error_r);
	enum dict_status (*update)(struct dict *dict, const char *key, const char *value,
	                           const char **error_r);
	enum dict_status (*delete)(struct dict *dict, const char *key, const char **error_r);
	/* first is true to restart; returns DICT_NOT_FOUND past the end. */
	enum dict_status (*iterate)(struct dict *dict, bool first, const char **key_r,
	                            const char **value_r, const char **error_r);
	/* Makes updates durable (e.g. DB->sync, or the atomic rename of a rebuild). */
	enum dict_status (*sync)(struct dict *dict, const char **error_r);
	/*
	 * Releases what the type added to struct dict (descriptors, memory
	 * it owns), but not the struct itself: dict_close() then frees the
	 * common fields and the whole allocation, which must come from
	 * xmalloc/xcalloc and start with struct dict.  NULL when there is
	 * nothing to release.
	 */
	void (*close)(struct dict *dict);
};

/*
 * A table.  Implementations embed this as the first member of their own
 * struct and fill it with dict_init().
 */
struct dict {
	const struct dict_ops *ops;
	char *type;     /* "hash" */
	char *name;     /* "/etc/postfix/transport" */
	int flags;      /* DICT_FLAG_* given at open */
	int properties; /* DICT_PROP_* of the type */
	int refcount;   /* shares within the process */
	dev_t file_dev; /* identity of the backing file at open (DICT_PROP_FILE) */
	ino_t file_ino;
	long file_mtime;
	long file_mtime_nsec; /* a rewrite within the same second is a change too */
	char *file_path;      /* the file whose change dict_changed() watches */
	char *fold_buf;       /* scratch for DICT_FLAG_FOLD_CASE keys */
};

/*
 * Opens a table of one type.  name is what follows "type:"; flags are
 * DICT_FLAG_*.  Returns NULL with *error_r set on failure.
 */
typedef struct dict *(*dict_open_fn)(const char *name, int flags, const char **error_r);

/*
 * Registers a table type beside the built-in ones of dict_types.def.
 * Registering a name that is already known is a panic (our bug).
 */
void dict_register(const char *type, dict_open_fn open);

/* True when a table type of that name is available. */
bool dict_type_known(const char *type);

/*
 * The names of all available types, sorted, NULL-terminated (for postconf
 * -m).  Valid until the next dict_register().
 */
const char *const *dict_type_names(void);

/* Fills the common part of a new table; implementations call it in open. */
void dict_init(struct dict *dict, const struct dict_ops *ops, const char *type, const char *name,
               int flags, int properties);

/* Records the backing file's identity so dict_changed() can notice a rebuild. */
void dict_watch_file(struct dict *dict, const char *path);

/*
 * Formats an error message for an error_r result.  The text lives in one
 * buffer per process and stays valid until the next dict_errorf() call,
 * so callers copy it if they must keep it.
 */
const char *dict_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The key as the table stores it: folded to lower case in the table's
 * scratch buffer when it was opened with DICT_FLAG_FOLD_CASE, otherwise
 * key itself.  Valid until the next call on the same table.  For types
 * that load their content at open (inline, texthash).
 */
const char *dict_fold_key(struct dict *dict, const char *key);

/*
 * Opens "type:name" (a bare name means default_database_type, which the
 * caller passes as default_type).  Shares an already open identical table.
 * Returns NULL with *error_r set on failure.
 */
struct dict *dict_open(const char *type_name, const char *default_type, int flags,
                       const char **error_r);

/*
 * Drops a reference; closes the table when the last goes.  Clears *dict.
 * Also closes a table that a type's open function returned directly.
 */
void dict_close(struct dict **dict);

/*
 * Looks key up, folding case first if the table was opened with FOLD_CASE.
 * update, delete and sync return DICT_FOUND on success (delete
 * DICT_NOT_FOUND for a missing key); sync on a type without a sync
 * operation succeeds, having nothing to flush.  An operation the type
 * lacks is DICT_ERR_CONFIG ("table type:name: update operation is not
 * supported").
 */
enum dict_status dict_lookup(struct dict *dict, const char *key, const char **value_r,
                             const char **error_r);
enum dict_status dict_update(struct dict *dict, const char *key, const char *value,
                             const char **error_r);
enum dict_status dict_delete(struct dict *dict, const char *key, const char **error_r);
enum dict_status dict_iterate(struct dict *dict, bool first, const char **key_r,
                              const char **value_r, const char **error_r);
enum dict_status dict_sync(struct dict *dict, const char **error_r);

/*
 * True when the file behind any open table has been replaced or modified
 * since it was opened; *name_r names the first such table.
 */
bool dict_changed(const char **name_r);

#endif
