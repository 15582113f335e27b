/*
 * mail_addr_find - the search order of address tables.  The keys are
 * computed up front from the address (split at the last '@', then at the
 * first delimiter of the localpart unless the localpart is one that must
 * never split), then tried in order, each against every table, so that a
 * precise key in a later table beats a wildcard in an earlier one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/mail_addr_find.h"
#include "util/alloc.h"

/* Enough for the access order of a domain with 250 labels. */
#define MAIL_ADDR_FIND_MAX_KEYS 260

/* The keys to try, and for each whether it left the extension out. */
struct mail_addr_find_keys {
	struct strbuf *key[MAIL_ADDR_FIND_MAX_KEYS];
	bool unmatched_extension[MAIL_ADDR_FIND_MAX_KEYS];
	int count;
};

static bool mail_addr_find_atext(unsigned char ch)
{
	return isalnum(ch) || ch >= 0x80 || strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL;
}

/* True when localpart[0..len) is an RFC 5322 dot-atom. */
static bool mail_addr_find_dot_atom(const char *localpart, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (localpart[i] == '.') {
			if (i == 0 || i == len - 1 || localpart[i - 1] == '.')
				return false;
		} else if (!mail_addr_find_atext((unsigned char)localpart[i])) {
			return false;
		}
	}
	return true;
}

void mail_addr_find_quote_local(struct strbuf *out, const char *localpart, size_t len)
{
	if (mail_addr_find_dot_atom(localpart, len)) {
		strbuf_append(out, localpart, len);
		return;
	}
	strbuf_append_char(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (localpart[i] == '"' || localpart[i] == '\\')
			strbuf_append_char(out, '\\');
		strbuf_append_char(out, localpart[i]);
	}
	strbuf_append_char(out, '"');
}

/* True when the localpart is one whose delimiter must not be honoured. */
static bool mail_addr_find_unsplittable(const char *localpart,
                                        const struct mail_addr_find_options *options)
{
	const char *double_bounce =
	    options->double_bounce_sender ? options->double_bounce_sender : "double-bounce";
	size_t len = strlen(localpart);

	if (strcasecmp(localpart, "postmaster") == 0 ||
	    strcasecmp(localpart, "mailer-daemon") == 0 ||
	    strcasecmp(localpart, double_bounce) == 0)
		return true;
	if (!options->owner_request_special || strchr(options->delimiters, '-') == NULL)
		return false;
	return strncasecmp(localpart, "owner-", 6) == 0 ||
	       (len > 8 && strcasecmp(localpart + len - 8, "-request") == 0);
}

/* The length of the localpart before its extension, or len when none. */
static size_t mail_addr_find_base_length(const char *localpart,
                                         const struct mail_addr_find_options *options)
{
	size_t len = strlen(localpart);
	size_t base;

	if (options->delimiters == NULL || *options->delimiters == 0 ||
	    mail_addr_find_unsplittable(localpart, options))
		return len;
	base = strcspn(localpart, options->delimiters);
	return base > 0 ? base : len;
}

/* Adds the key localpart[0..len) plus "@domain" when domain is not NULL. */
static void mail_addr_find_add(struct mail_addr_find_keys *keys, const char *localpart, size_t len,
                               const char *domain, bool unmatched_extension)
{
	struct strbuf *key = strbuf_new(STRBUF_UNLIMITED);

	if (localpart != NULL)
		mail_addr_find_quote_local(key, localpart, len);
	if (domain != NULL)
		strbuf_printf(key, "@%s", domain);
	keys->unmatched_extension[keys->count] = unmatched_extension;
	keys->key[keys->count++] = key;
}

static void mail_addr_find_keys(struct mail_addr_find_keys *keys, const char *localpart,
                                const char *domain, size_t base,
                                const struct mail_addr_find_options *options)
{
	size_t len = strlen(localpart);
	bool extended = base < len;

	keys->count = 0;
	mail_addr_find_add(keys, localpart, len, domain, false);
	if (extended)
		mail_addr_find_add(keys, localpart, base, domain, true);
	if (domain == NULL)
		return;
	if (options->is_local != NULL && options->is_local(domain, options->context)) {
		mail_addr_find_add(keys, localpart, len, NULL, false);
		if (extended)
			mail_addr_find_add(keys, localpart, base, NULL, true);
	}
	mail_addr_find_add(keys, NULL, 0, domain, extended);
}

/* The access(5) order: address, domain and its parents, then "user@". */
static void mail_addr_find_access_keys(struct mail_addr_find_keys *keys, const char *localpart,
                                       const char *domain, size_t base,
                                       const struct mail_addr_find_options *options)
{
	size_t len = strlen(localpart);
	bool extended = base < len;

	keys->count = 0;
	mail_addr_find_add(keys, localpart, len, domain, false);
	if (domain == NULL)
		return;
	if (extended)
		mail_addr_find_add(keys, localpart, base, domain, true);
	for (const char *name = domain; *name && keys->count < MAIL_ADDR_FIND_MAX_KEYS - 2;) {
		mail_addr_find_add(keys, NULL, 0, NULL, extended);
		strbuf_append_str(keys->key[keys->count - 1], name);
		if ((name = strchr(name + 1, '.')) == NULL)
			break;
		if (options->parent_domain_matches)
			name++;
	}
	mail_addr_find_add(keys, localpart, len, "", false);
	if (extended)
		mail_addr_find_add(keys, localpart, base, "", true);
}

/* Tries each key against every table; fills result on a match. */
static enum dict_status mail_addr_find_search(struct dict *const *tables,
                                              struct mail_addr_find_keys *keys,
                                              const char *extension,
                                              struct mail_addr_find_result *result,
                                              const char **error_r)
{
	for (int i = 0; i < keys->count; i++) {
		for (struct dict *const *table = tables; *table != NULL; table++) {
			const char *key = strbuf_str(keys->key[i]);
			enum dict_status status = dict_lookup(*table, key, &result->value, error_r);

			if (status == DICT_NOT_FOUND)
				continue;
			if (status == DICT_FOUND) {
				result->key = xstrdup(key);
				if (keys->unmatched_extension[i])
					result->extension = xstrdup(extension);
			}
			return status;
		}
	}
	return DICT_NOT_FOUND;
}

enum dict_status mail_addr_find(struct dict *const *tables, const char *address,
                                const struct mail_addr_find_options *options,
                                struct mail_addr_find_result *result, const char **error_r)
{
	const char *at = strrchr(address, '@');
	char *localpart = at ? xstrndup(address, (size_t)(at - address)) : xstrdup(address);
	size_t base = mail_addr_find_base_length(localpart, options);
	struct mail_addr_find_keys keys;
	enum dict_status status;

	result->value = NULL;
	result->key = result->extension = NULL;
	if (options->style == MAIL_ADDR_FIND_ACCESS)
		mail_addr_find_access_keys(&keys, localpart, at ? at + 1 : NULL, base, options);
	else
		mail_addr_find_keys(&keys, localpart, at ? at + 1 : NULL, base, options);
	status = mail_addr_find_search(tables, &keys, localpart + base, result, error_r);
	for (int i = 0; i < keys.count; i++)
		strbuf_free(&keys.key[i]);
	free(localpart);
	return status;
}

void mail_addr_find_result_clear(struct mail_addr_find_result *result)
{
	xfree_ptr(&result->key);
	xfree_ptr(&result->extension);
	result->value = NULL;
}
