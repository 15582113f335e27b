/*
 * dict_unix - the passwd and group maps.  A missing entry is "not found";
 * an errno from the NSS backend other than the ones glibc uses for "no
 * such entry" means the backend (NIS, LDAP, ...) failed and the caller
 * should try again later rather than bounce mail.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "dict/dict_unix.h"
#include "util/alloc.h"
#include "util/strbuf.h"

struct dict_unix {
	struct dict dict;
	struct strbuf *result;
};

/* True when errno after a failed getpwnam/getgrnam means "no such entry". */
static bool dict_unix_absent(int error)
{
	return error == 0 || error == ENOENT || error == ESRCH || error == EBADF || error == EPERM;
}

static enum dict_status dict_unix_failed(struct dict *dict, const char *key, int error,
                                         const char **error_r)
{
	if (dict_unix_absent(error))
		return DICT_NOT_FOUND;
	*error_r = dict_errorf("table %s:%s: lookup of \"%s\" failed: %s", dict->type, dict->name,
	                       key, strerror(error));
	return DICT_ERR_RETRY;
}

static enum dict_status dict_unix_passwd_lookup(struct dict *dict, const char *key,
                                                const char **value_r, const char **error_r)
{
	struct strbuf *result = ((struct dict_unix *)dict)->result;
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(key)) == NULL)
		return dict_unix_failed(dict, key, errno, error_r);
	strbuf_reset(result);
	strbuf_printf(result, "%s:%s:%ld:%ld:%s:%s:%s", pw->pw_name, pw->pw_passwd,
	              (long)pw->pw_uid, (long)pw->pw_gid, pw->pw_gecos, pw->pw_dir, pw->pw_shell);
	*value_r = strbuf_str(result);
	return DICT_FOUND;
}

static enum dict_status dict_unix_group_lookup(struct dict *dict, const char *key,
                                               const char **value_r, const char **error_r)
{
	struct strbuf *result = ((struct dict_unix *)dict)->result;
	struct group *gr;

	errno = 0;
	if ((gr = getgrnam(key)) == NULL)
		return dict_unix_failed(dict, key, errno, error_r);
	strbuf_reset(result);
	strbuf_printf(result, "%s:%s:%ld:", gr->gr_name, gr->gr_passwd, (long)gr->gr_gid);
	for (char **member = gr->gr_mem; *member != NULL; member++)
		strbuf_printf(result, "%s%s", member == gr->gr_mem ? "" : ",", *member);
	*value_r = strbuf_str(result);
	return DICT_FOUND;
}

static void dict_unix_close(struct dict *dict)
{
	strbuf_free(&((struct dict_unix *)dict)->result);
}

static const struct dict_ops dict_unix_passwd_ops = {
    .lookup = dict_unix_passwd_lookup,
    .close = dict_unix_close,
};

static const struct dict_ops dict_unix_group_ops = {
    .lookup = dict_unix_group_lookup,
    .close = dict_unix_close,
};

struct dict *dict_unix_open(const char *name, int flags, const char **error_r)
{
	const struct dict_ops *ops;
	struct dict_unix *table;

	if (strcmp(name, "passwd.byname") == 0) {
		ops = &dict_unix_passwd_ops;
	} else if (strcmp(name, "group.byname") == 0) {
		ops = &dict_unix_group_ops;
	} else {
		*error_r = dict_errorf("unknown table: unix:%s", name);
		return NULL;
	}
	table = xcalloc(1, sizeof(*table));
	dict_init(&table->dict, ops, "unix", name, flags, DICT_PROP_FIXED);
	table->result = strbuf_new(STRBUF_UNLIMITED);
	return &table->dict;
}
