/*
 * domain_list - match host and domain names against a pattern list.
 *
 * The rules are Postfix's, including its quirk: with parent-domain
 * matching on, ".example.com" does not match sub.example.com (access(5)
 * documents the leading-dot form only for when the feature is off).
 * Keeping that quirk matters, because matching more names than Postfix
 * would means relaying for more domains than the administrator expects.
 */
#include <stdlib.h>
#include <string.h>

#include "config/domain_list.h"
#include "util/alloc.h"

struct domain_list {
	struct match_list *list;
	struct strbuf *folded; /* the name being matched, lowercased */
};

struct domain_list *domain_list_new(const char *patterns, unsigned flags,
                                    const struct match_list_tables *tables, struct strbuf *error)
{
	struct match_list *list = match_list_new(patterns, flags, NULL, tables, error);
	struct domain_list *domains;

	if (list == NULL)
		return NULL;
	domains = xmalloc(sizeof(*domains));
	domains->list = list;
	domains->folded = strbuf_new(STRBUF_UNLIMITED);
	return domains;
}

void domain_list_free(struct domain_list **list)
{
	if (*list == NULL)
		return;
	match_list_free(&(*list)->list);
	strbuf_free(&(*list)->folded);
	free(*list);
	*list = NULL;
}

/* Tries the name and then, for fixed-string tables, its parent domains. */
static enum match_list_result
domain_list_lookup(struct match_list *list, const struct match_list_item *item, const char *name)
{
	bool parent = (match_list_flags(list) & MATCH_LIST_PARENT) != 0;
	enum match_list_result result;
	const char *key = name;

	while (*key != 0) {
		if ((result = match_list_lookup(list, item, key)) != MATCH_LIST_NO)
			return result;
		if (!item->table_fixed || (key = strchr(key + 1, '.')) == NULL)
			break;
		if (parent)
			key++;
	}
	return MATCH_LIST_NO;
}

enum match_list_result domain_list_match_item(struct match_list *list,
                                              const struct match_list_item *item, const char *name)
{
	size_t name_len = strlen(name);
	size_t pattern_len;
	const char *tail;

	if (item->is_table)
		return domain_list_lookup(list, item, name);
	if (strcmp(name, item->pattern) == 0)
		return MATCH_LIST_YES;
	pattern_len = strlen(item->pattern);
	if (name_len <= pattern_len)
		return MATCH_LIST_NO;
	tail = name + name_len - pattern_len;
	if (strcmp(tail, item->pattern) != 0)
		return MATCH_LIST_NO;
	if (match_list_flags(list) & MATCH_LIST_PARENT)
		return tail[-1] == '.' ? MATCH_LIST_YES : MATCH_LIST_NO;
	return item->pattern[0] == '.' ? MATCH_LIST_YES : MATCH_LIST_NO;
}

static enum match_list_result domain_list_match_one(struct match_list *list,
                                                    const struct match_list_item *item,
                                                    const void *subject)
{
	return domain_list_match_item(list, item, subject);
}

enum match_list_result domain_list_match(struct domain_list *list, const char *name,
                                         const char **error_r)
{
	const char *at = strrchr(name, '@');

	match_list_fold(list->folded, at != NULL ? at + 1 : name);
	return match_list_match(list->list, domain_list_match_one, strbuf_str(list->folded),
	                        error_r);
}
