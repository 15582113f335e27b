/*
 * string_list - match plain names against a pattern list.  Patterns are
 * stored lowercased by match_list, so the name is folded the same way;
 * tables are asked with the name as given, since a table decides its own
 * case rules.
 */
#include <stdlib.h>
#include <string.h>

#include "config/string_list.h"
#include "util/alloc.h"

struct string_list {
	struct match_list *list;
	struct strbuf *folded; /* the name being matched, lowercased */
	const char *name;      /* the name as given, for table lookups */
};

struct string_list *string_list_new(const char *patterns, const struct match_list_tables *tables,
                                    struct strbuf *error)
{
	struct match_list *list = match_list_new(patterns, 0, NULL, tables, error);
	struct string_list *strings;

	if (list == NULL)
		return NULL;
	strings = xmalloc(sizeof(*strings));
	strings->list = list;
	strings->folded = strbuf_new(STRBUF_UNLIMITED);
	strings->name = NULL;
	return strings;
}

void string_list_free(struct string_list **list)
{
	if (*list == NULL)
		return;
	match_list_free(&(*list)->list);
	strbuf_free(&(*list)->folded);
	free(*list);
	*list = NULL;
}

static enum match_list_result string_list_match_one(struct match_list *list,
                                                    const struct match_list_item *item,
                                                    const void *subject)
{
	const struct string_list *strings = subject;

	if (item->is_table)
		return match_list_lookup(list, item, strings->name);
	return strcmp(strbuf_str(strings->folded), item->pattern) == 0 ? MATCH_LIST_YES
	                                                               : MATCH_LIST_NO;
}

enum match_list_result string_list_match(struct string_list *list, const char *name,
                                         const char **error_r)
{
	enum match_list_result result;

	match_list_fold(list->folded, name);
	list->name = name;
	result = match_list_match(list->list, string_list_match_one, list, error_r);
	list->name = NULL;
	return result;
}
