/*
 * dict_cmd_ops - lookups, deletions and listings for postmap and
 * postalias.  Tables open lazily, as Postfix's do: "-q key a b" stops at
 * a's hit without ever opening b.  Readers take the table's shared lock
 * around each access, so a concurrent in-place update is never seen half
 * done.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict_cmd_ops.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* The tables of one command, opened on first use. */
struct dict_cmd_tables {
	const struct dict_cmd *cmd;
	char *const *names;
	struct dict **dicts;
	int count;
	int open_flags;
	struct strbuf *folded;
};

/* Messages outlive the tables they came from, until the next one. */
static struct strbuf *dict_cmd_ops_error;

/* Keeps a copy of message, since closing a table may free the original. */
static const char *dict_cmd_ops_keep(const char *message)
{
	if (dict_cmd_ops_error == NULL)
		dict_cmd_ops_error = strbuf_new(STRBUF_UNLIMITED);
	if (message != strbuf_str(dict_cmd_ops_error))
		strbuf_set(dict_cmd_ops_error, message);
	return strbuf_str(dict_cmd_ops_error);
}

static void dict_cmd_tables_init(struct dict_cmd_tables *tables, const struct dict_cmd *cmd,
                                 char *const *names, int count, int open_flags)
{
	tables->cmd = cmd;
	tables->names = names;
	tables->count = count;
	tables->dicts = xcalloc((size_t)(count > 0 ? count : 1), sizeof(*tables->dicts));
	tables->open_flags = open_flags | cmd->dict_flags;
	tables->folded = strbuf_new(STRBUF_UNLIMITED);
}

static void dict_cmd_tables_free(struct dict_cmd_tables *tables)
{
	for (int i = 0; i < tables->count; i++)
		dict_close(&tables->dicts[i]);
	free(tables->dicts);
	strbuf_free(&tables->folded);
}

/* Table i, opened now if need be; NULL with *error_r on failure. */
static struct dict *dict_cmd_tables_get(struct dict_cmd_tables *tables, int i, const char **error_r)
{
	if (tables->dicts[i] == NULL)
		tables->dicts[i] = dict_open(tables->names[i], tables->cmd->default_type,
		                             tables->open_flags, error_r);
	return tables->dicts[i];
}

/* The key as table dict stores it: folded for fixed-key tables unless -f. */
static const char *dict_cmd_tables_key(struct dict_cmd_tables *tables, struct dict *dict,
                                       const char *key)
{
	if (!tables->cmd->fold || (dict->properties & DICT_PROP_FIXED) == 0)
		return key;
	strbuf_set(tables->folded, key);
	for (size_t i = 0; i < tables->folded->len; i++)
		tables->folded->data[i] = (char)tolower((unsigned char)tables->folded->data[i]);
	return strbuf_str(tables->folded);
}

/* The first table's value for key. */
static enum dict_status dict_cmd_tables_lookup(struct dict_cmd_tables *tables, const char *key,
                                               const char **value_r, const char **error_r)
{
	for (int i = 0; i < tables->count; i++) {
		struct dict *dict = dict_cmd_tables_get(tables, i, error_r);
		enum dict_status status;

		if (dict == NULL)
			return DICT_ERR_CONFIG;
		status =
		    dict_lookup(dict, dict_cmd_tables_key(tables, dict, key), value_r, error_r);
		if (status != DICT_NOT_FOUND)
			return status;
	}
	return DICT_NOT_FOUND;
}

/* Deletes key from every table; DICT_FOUND when any had it. */
static enum dict_status dict_cmd_tables_delete(struct dict_cmd_tables *tables, const char *key,
                                               const char **error_r)
{
	enum dict_status result = DICT_NOT_FOUND;

	for (int i = 0; i < tables->count; i++) {
		struct dict *dict = dict_cmd_tables_get(tables, i, error_r);
		enum dict_status status;

		if (dict == NULL)
			return DICT_ERR_CONFIG;
		status = dict_delete(dict, dict_cmd_tables_key(tables, dict, key), error_r);
		if (status == DICT_FOUND)
			result = DICT_FOUND;
		else if (status != DICT_NOT_FOUND)
			return status;
	}
	return result;
}

/* Reads the next key line of in, without its newline; false at the end. */
static bool dict_cmd_ops_line(FILE *in, char **line, size_t *size)
{
	ssize_t len = getline(line, size, in);

	if (len < 0)
		return false;
	if (len > 0 && (*line)[len - 1] == '\n')
		(*line)[len - 1] = 0;
	return true;
}

/* Looks each line of in up; DICT_FOUND when any was found. */
static enum dict_status dict_cmd_ops_query_lines(struct dict_cmd_tables *tables, FILE *in,
                                                 FILE *out, const char **error_r)
{
	enum dict_status result = DICT_NOT_FOUND;
	char *line = NULL;
	size_t size = 0;
	const char *value;

	while (dict_cmd_ops_line(in, &line, &size)) {
		enum dict_status status = dict_cmd_tables_lookup(tables, line, &value, error_r);

		if (status == DICT_FOUND) {
			fprintf(out, "%s%s%s\n", line, tables->cmd->separator, value);
			result = DICT_FOUND;
		} else if (status != DICT_NOT_FOUND) {
			result = status;
			break;
		}
	}
	free(line);
	return result;
}

enum dict_status dict_cmd_ops_query(const struct dict_cmd *cmd, char *const *names, int count,
                                    const char *key, FILE *in, FILE *out, const char **error_r)
{
	struct dict_cmd_tables tables;
	enum dict_status status;
	const char *value;

	dict_cmd_tables_init(&tables, cmd, names, count, DICT_FLAG_LOCK);
	if (strcmp(key, "-") == 0) {
		status = dict_cmd_ops_query_lines(&tables, in, out, error_r);
	} else if ((status = dict_cmd_tables_lookup(&tables, key, &value, error_r)) == DICT_FOUND) {
		fprintf(out, "%s\n", value);
	}
	if (status != DICT_FOUND && status != DICT_NOT_FOUND)
		*error_r = dict_cmd_ops_keep(*error_r);
	dict_cmd_tables_free(&tables);
	return status;
}

/* Deletes each line of in as a key; DICT_FOUND when any was deleted. */
static enum dict_status dict_cmd_ops_delete_lines(struct dict_cmd_tables *tables, FILE *in,
                                                  const char **error_r)
{
	enum dict_status result = DICT_NOT_FOUND;
	char *line = NULL;
	size_t size = 0;

	while (dict_cmd_ops_line(in, &line, &size)) {
		enum dict_status status = dict_cmd_tables_delete(tables, line, error_r);

		if (status == DICT_FOUND) {
			result = DICT_FOUND;
		} else if (status != DICT_NOT_FOUND) {
			result = status;
			break;
		}
	}
	free(line);
	return result;
}

enum dict_status dict_cmd_ops_delete(const struct dict_cmd *cmd, char *const *names, int count,
                                     const char *key, FILE *in, const char **error_r)
{
	struct dict_cmd_tables tables;
	enum dict_status status;

	dict_cmd_tables_init(&tables, cmd, names, count, DICT_FLAG_WRITE);
	if (strcmp(key, "-") == 0)
		status = dict_cmd_ops_delete_lines(&tables, in, error_r);
	else
		status = dict_cmd_tables_delete(&tables, key, error_r);
	if (status != DICT_FOUND && status != DICT_NOT_FOUND)
		*error_r = dict_cmd_ops_keep(*error_r);
	dict_cmd_tables_free(&tables);
	return status;
}

enum dict_status dict_cmd_ops_dump(const struct dict_cmd *cmd, const char *name, FILE *out,
                                   const char **error_r)
{
	struct dict *dict =
	    dict_open(name, cmd->default_type, DICT_FLAG_LOCK | cmd->dict_flags, error_r);
	enum dict_status status;
	const char *key, *value;
	bool first = true;

	if (dict == NULL)
		return DICT_ERR_CONFIG;
	while ((status = dict_iterate(dict, first, &key, &value, error_r)) == DICT_FOUND) {
		fprintf(out, "%s%s%s\n", key, cmd->separator, value);
		first = false;
	}
	if (status == DICT_NOT_FOUND)
		status = DICT_FOUND;
	else
		*error_r = dict_cmd_ops_keep(*error_r);
	dict_close(&dict);
	return status;
}
