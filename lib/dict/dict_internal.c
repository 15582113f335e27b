/*
 * dict_internal - a small chained hash table behind the dict interface.
 * Entries live in one array in insertion order (which makes iteration
 * stable and cheap); buckets hold index chains into that array.  Deleted
 * entries leave a hole that iteration skips, because tables that delete
 * much are not what this type is for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict_internal.h"
#include "util/alloc.h"
#include "util/msg.h"

#define DICT_INTERNAL_NO_ENTRY SIZE_MAX

struct dict_internal_entry {
	char *key; /* NULL for a deleted entry */
	char *value;
	size_t next; /* next entry index in the same bucket */
};

struct dict_internal {
	struct dict dict;
	struct dict_internal_entry *entries;
	size_t count;    /* entries used, including deleted ones */
	size_t capacity; /* entries allocated */
	size_t *buckets; /* first entry index per bucket */
	size_t bucket_count;
	size_t cursor; /* next entry for dict_iterate() */
};

static size_t dict_internal_hash(const char *key)
{
	uint64_t hash = 14695981039346656037ULL;

	for (; *key; key++) {
		hash ^= (unsigned char)*key;
		hash *= 1099511628211ULL;
	}
	return (size_t)hash;
}

/* Rebuilds the bucket chains for bucket_count buckets. */
static void dict_internal_rehash(struct dict_internal *table, size_t bucket_count)
{
	free(table->buckets);
	table->bucket_count = bucket_count;
	table->buckets = xreallocarray(NULL, bucket_count, sizeof(*table->buckets));
	for (size_t i = 0; i < bucket_count; i++)
		table->buckets[i] = DICT_INTERNAL_NO_ENTRY;
	for (size_t i = 0; i < table->count; i++) {
		struct dict_internal_entry *entry = &table->entries[i];
		size_t bucket;

		if (entry->key == NULL)
			continue;
		bucket = dict_internal_hash(entry->key) % bucket_count;
		entry->next = table->buckets[bucket];
		table->buckets[bucket] = i;
	}
}

static struct dict_internal_entry *dict_internal_find(struct dict_internal *table, const char *key)
{
	size_t index = table->buckets[dict_internal_hash(key) % table->bucket_count];

	while (index != DICT_INTERNAL_NO_ENTRY) {
		struct dict_internal_entry *entry = &table->entries[index];

		if (strcmp(entry->key, key) == 0)
			return entry;
		index = entry->next;
	}
	return NULL;
}

static void dict_internal_add(struct dict_internal *table, const char *key, const char *value)
{
	struct dict_internal_entry *entry;
	size_t bucket;

	if (table->count == table->capacity) {
		table->capacity *= 2;
		table->entries =
		    xreallocarray(table->entries, table->capacity, sizeof(*table->entries));
	}
	if (table->count >= table->bucket_count)
		dict_internal_rehash(table, table->bucket_count * 2 + 1);
	entry = &table->entries[table->count];
	entry->key = xstrdup(key);
	entry->value = xstrdup(value);
	bucket = dict_internal_hash(key) % table->bucket_count;
	entry->next = table->buckets[bucket];
	table->buckets[bucket] = table->count++;
}

bool dict_internal_put(struct dict *dict, const char *key, const char *value, bool replace)
{
	struct dict_internal *table = (struct dict_internal *)dict;
	struct dict_internal_entry *entry;

	key = dict_fold_key(dict, key);
	if ((entry = dict_internal_find(table, key)) == NULL) {
		dict_internal_add(table, key, value);
		return true;
	}
	if (!replace)
		return false;
	free(entry->value);
	entry->value = xstrdup(value);
	return true;
}

static enum dict_status dict_internal_lookup(struct dict *dict, const char *key,
                                             const char **value_r, const char **error_r)
{
	struct dict_internal_entry *entry = dict_internal_find((struct dict_internal *)dict, key);

	if (entry == NULL)
		return DICT_NOT_FOUND;
	*value_r = entry->value;
	return DICT_FOUND;
}

static enum dict_status dict_internal_update(struct dict *dict, const char *key, const char *value,
                                             const char **error_r)
{
	bool replace = (dict->flags & (DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE)) == 0;

	if (!dict_internal_put(dict, key, value, replace) && (dict->flags & DICT_FLAG_DUP_WARN))
		msg_warn("table %s:%s: duplicate entry: \"%s\"", dict->type, dict->name, key);
	return DICT_FOUND;
}

/* Unlinks entry number index from its bucket chain. */
static void dict_internal_unlink(struct dict_internal *table, size_t index)
{
	size_t *link =
	    &table->buckets[dict_internal_hash(table->entries[index].key) % table->bucket_count];

	while (*link != index)
		link = &table->entries[*link].next;
	*link = table->entries[index].next;
}

static enum dict_status dict_internal_delete(struct dict *dict, const char *key,
                                             const char **error_r)
{
	struct dict_internal *table = (struct dict_internal *)dict;
	struct dict_internal_entry *entry = dict_internal_find(table, key);

	if (entry == NULL)
		return DICT_NOT_FOUND;
	dict_internal_unlink(table, (size_t)(entry - table->entries));
	xfree_ptr(&entry->key);
	xfree_ptr(&entry->value);
	return DICT_FOUND;
}

static enum dict_status dict_internal_iterate(struct dict *dict, bool first, const char **key_r,
                                              const char **value_r, const char **error_r)
{
	struct dict_internal *table = (struct dict_internal *)dict;

	if (first)
		table->cursor = 0;
	while (table->cursor < table->count) {
		struct dict_internal_entry *entry = &table->entries[table->cursor++];

		if (entry->key != NULL) {
			*key_r = entry->key;
			*value_r = entry->value;
			return DICT_FOUND;
		}
	}
	return DICT_NOT_FOUND;
}

static void dict_internal_close(struct dict *dict)
{
	struct dict_internal *table = (struct dict_internal *)dict;

	for (size_t i = 0; i < table->count; i++) {
		free(table->entries[i].key);
		free(table->entries[i].value);
	}
	free(table->entries);
	free(table->buckets);
}

static const struct dict_ops dict_internal_writable_ops = {
    .lookup = dict_internal_lookup,
    .update = dict_internal_update,
    .delete = dict_internal_delete,
    .iterate = dict_internal_iterate,
    .close = dict_internal_close,
};

static const struct dict_ops dict_internal_read_only_ops = {
    .lookup = dict_internal_lookup,
    .iterate = dict_internal_iterate,
    .close = dict_internal_close,
};

struct dict *dict_internal_create(const char *type, const char *name, int flags, int properties)
{
	struct dict_internal *table = xcalloc(1, sizeof(*table));
	const struct dict_ops *ops = (properties & DICT_PROP_WRITABLE)
	                                 ? &dict_internal_writable_ops
	                                 : &dict_internal_read_only_ops;

	dict_init(&table->dict, ops, type, name, flags, properties | DICT_PROP_FIXED);
	table->capacity = 16;
	table->entries = xreallocarray(NULL, table->capacity, sizeof(*table->entries));
	dict_internal_rehash(table, 17);
	return &table->dict;
}

struct dict *dict_internal_open(const char *name, int flags, const char **error_r)
{
	return dict_internal_create("internal", name, flags, DICT_PROP_WRITABLE);
}
