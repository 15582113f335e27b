/*
 * dict_texthash - loads a source file into an in-memory table.  The
 * file's identity is taken before reading, so an edit that races with the
 * load still shows up in dict_changed() and the daemon restarts with the
 * new content.
 */
#include <errno.h>
#include <string.h>

#include "dict/dict_internal.h"
#include "dict/dict_source.h"
#include "dict/dict_texthash.h"
#include "util/msg.h"

/* Adds one record, applying the duplicate policy of the open flags. */
static void dict_texthash_add(struct dict *table, struct dict_source *source,
                              const struct dict_source_record *record)
{
	bool replace = (table->flags & DICT_FLAG_DUP_REPLACE) != 0;

	if (dict_internal_put(table, record->key, record->value, replace))
		return;
	if ((table->flags & DICT_FLAG_DUP_IGNORE) == 0)
		msg_warn("%s, line %d: duplicate entry: \"%s\"", dict_source_name(source),
		         record->line, record->key);
}

struct dict *dict_texthash_open(const char *path, int flags, const char **error_r)
{
	struct dict_source_record record;
	enum dict_source_status status;
	struct dict_source *source;
	struct dict *table;
	const char *error;

	if ((source = dict_source_open(path, DICT_SOURCE_POSTMAP, flags, &error)) == NULL) {
		*error_r = dict_errorf("open database %s: %s", path, strerror(errno));
		return NULL;
	}
	table = dict_internal_create("texthash", path, flags, DICT_PROP_FIXED);
	dict_watch_file(table, path);
	while ((status = dict_source_next(source, &record, &error)) != DICT_SOURCE_END) {
		if (status == DICT_SOURCE_RECORD) {
			dict_texthash_add(table, source, &record);
		} else if (status == DICT_SOURCE_BAD_LINE) {
			msg_warn("%s -- ignoring this line", error);
		} else if (status == DICT_SOURCE_SKIPPED) {
			msg_warn("%s", error);
		} else {
			*error_r = error;
			dict_close(&table);
			break;
		}
	}
	dict_source_close(&source);
	return table;
}
