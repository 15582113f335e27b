/*
 * master_cf_edit - postconf's master.cf editors and the atomic rewrite.
 *
 * An edit never patches text in place: it builds the entry's new logical
 * line, parses it as the reader would (so an edit cannot produce a file
 * master would refuse), and replaces the entry's lines with the folded
 * form.  Comment lines that sat inside the entry are kept after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/master_cf_int.h"
#include "util/alloc.h"

/* A command-line argument split into service, type, name and value. */
struct master_cf_key {
	char *copy;
	const char *service;
	const char *type;
	const char *name;  /* the third part, or NULL */
	const char *value; /* after '=', or NULL */
};

/* Splits arg into parts '/'-separated parts, with "=value" if wanted. */
static bool master_cf_key_parse(struct master_cf_key *key, const char *arg, int parts,
                                bool want_value, const char **error_r)
{
	static const char *const shapes[] = {"", "", "service/type", "service/type/name"};
	const char *part[3] = {NULL, NULL, NULL};
	char *eq;
	char *cp;
	int count = 0;

	key->copy = cp = xstrdup(arg);
	if ((eq = strchr(cp, '=')) != NULL && want_value) {
		*eq = 0;
		key->value = eq + 1;
	}
	if (want_value && eq == NULL) {
		*error_r = master_cf_error("\"%s\": missing '=' after %s", arg, shapes[parts]);
		return false;
	}
	for (char *slash; count < 3; cp = slash + 1) {
		part[count++] = cp;
		if ((slash = strchr(cp, '/')) == NULL)
			break;
		*slash = 0;
	}
	for (int i = 0; i < count; i++) {
		if (*part[i] == 0 || strchr(part[i], '/') != NULL || strpbrk(part[i], " \t\r\n"))
			count = -1;
	}
	if (count != parts) {
		*error_r = master_cf_error("\"%s\": expected %s", arg, shapes[parts]);
		return false;
	}
	key->service = part[0];
	key->type = part[1];
	key->name = part[2];
	return true;
}

static bool master_cf_key_match(const struct master_cf_key *key,
                                const struct master_cf_service *svc)
{
	return svc != NULL && strcmp(svc->field[MASTER_CF_SERVICE], key->service) == 0 &&
	       strcmp(svc->field[MASTER_CF_TYPE], key->type) == 0;
}

/* Appends to out the comment and blank lines found in text. */
static void master_cf_inner_comments(const char *text, bool comment_out, struct strbuf *out)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		size_t lead = strspn(text, " \t\r\v\f");

		if (text[len] == '\n')
			len++;
		if (lead < len && text[lead] != '#' && text[lead] != '\n') {
			if (comment_out) {
				strbuf_append_char(out, '#');
				strbuf_append(out, text, len);
			}
		} else {
			strbuf_append(out, text, len);
		}
		text += len;
	}
}

/* Gives item a new entry (or none), keeping the comments inside it. */
static void master_cf_replace(struct master_cf_item *item, struct master_cf_service *svc,
                              bool comment_out)
{
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);

	if (svc != NULL)
		master_cf_format_entry(svc, true, text);
	master_cf_inner_comments(item->text, comment_out, text);
	free(item->text);
	item->text = strbuf_export(&text);
	master_cf_service_free(&item->svc);
	item->svc = svc;
}

/*
 * Parses the entry old would become with field replaced by value (NULL:
 * keep) and its command words taken from argv (option_end as for a
 * service); where prefixes errors.
 */
static struct master_cf_service *master_cf_rebuild(const struct master_cf_service *old,
                                                   size_t field, const char *value, char **argv,
                                                   size_t argc, size_t option_end,
                                                   const char *where, const char **error_r)
{
	struct master_cf_service shape = *old;
	struct strbuf *line = strbuf_new(STRBUF_UNLIMITED);
	struct master_cf_service *svc;

	for (size_t i = 0; i < MASTER_CF_COMMAND; i++) {
		strbuf_append_str(line, i == field ? value : old->field[i]);
		strbuf_append_char(line, ' ');
	}
	if (field == MASTER_CF_COMMAND) {
		strbuf_append_str(line, value);
	} else {
		shape.argv = argv;
		shape.argc = argc;
		shape.option_end = option_end;
		master_cf_format_command(&shape, false, 0, line);
	}
	svc = master_cf_parse_entry(strbuf_str(line), where, error_r);
	if (svc != NULL)
		svc->line = old->line;
	strbuf_free(&line);
	return svc;
}

enum master_cf_edit_result master_cf_edit_service(struct master_cf *cf, const char *arg,
                                                  const char **error_r)
{
	struct master_cf_key key = {0};
	struct master_cf_service *svc = NULL;
	bool found = false;

	if (!master_cf_key_parse(&key, arg, 2, true, error_r))
		goto bad;
	for (size_t i = 0; i < cf->item_count; i++) {
		if (!master_cf_key_match(&key, cf->items[i].svc))
			continue;
		if ((svc = master_cf_parse_entry(key.value, arg, error_r)) == NULL)
			goto bad;
		svc->line = cf->items[i].svc->line;
		master_cf_replace(&cf->items[i], svc, false);
		found = true;
	}
	if (!found) {
		if ((svc = master_cf_parse_entry(key.value, arg, error_r)) == NULL)
			goto bad;
		if (cf->item_count > 0) {
			const char *last = cf->items[cf->item_count - 1].text;

			if (*last && last[strlen(last) - 1] != '\n')
				master_cf_add_item(cf, xstrdup("\n"), NULL);
		}
		master_cf_add_item(cf, xstrdup(""), NULL);
		master_cf_replace(&cf->items[cf->item_count - 1], svc, false);
	}
	free(key.copy);
	master_cf_reindex(cf);
	return MASTER_CF_EDIT_OK;
bad:
	free(key.copy);
	master_cf_reindex(cf);
	return MASTER_CF_EDIT_ERROR;
}

/* -MX and -M#: drop the entry, or turn its lines into comments. */
static enum master_cf_edit_result master_cf_drop(struct master_cf *cf, const char *arg,
                                                 bool comment_out, const char **error_r)
{
	struct master_cf_key key = {0};

	if (!master_cf_key_parse(&key, arg, 2, false, error_r)) {
		free(key.copy);
		return MASTER_CF_EDIT_ERROR;
	}
	for (size_t i = 0; i < cf->item_count; i++) {
		if (master_cf_key_match(&key, cf->items[i].svc))
			master_cf_replace(&cf->items[i], NULL, comment_out);
	}
	free(key.copy);
	master_cf_reindex(cf);
	return MASTER_CF_EDIT_OK;
}

enum master_cf_edit_result master_cf_remove_service(struct master_cf *cf, const char *arg,
                                                    const char **error_r)
{
	return master_cf_drop(cf, arg, false, error_r);
}

enum master_cf_edit_result master_cf_comment_service(struct master_cf *cf, const char *arg,
                                                     const char **error_r)
{
	return master_cf_drop(cf, arg, true, error_r);
}

/*
 * The command words of svc with the -o settings of name replaced by
 * setting (or removed when setting is NULL), or setting added after the
 * last option; *option_end_r says where the options now end.  The words
 * are borrowed, not copied.
 */
static char **master_cf_new_argv(const struct master_cf_service *svc, const char *name,
                                 const char *setting, size_t *argc_r, size_t *option_end_r)
{
	char **argv = xreallocarray(NULL, svc->argc + 3, sizeof(*argv));
	size_t name_len = strlen(name);
	size_t argc = 0;
	bool found = false;

	for (size_t i = 0; i < svc->argc; i++) {
		if (i > 0 && i + 1 < svc->option_end && strcmp(svc->argv[i], "-o") == 0) {
			const char *old = svc->argv[i + 1];
			bool same = strncmp(old, name, name_len) == 0 && old[name_len] == '=';

			if (!same || setting != NULL) {
				argv[argc++] = svc->argv[i];
				argv[argc++] = same ? (char *)setting : svc->argv[i + 1];
			}
			found |= same;
			i++;
			continue;
		}
		if (i == svc->option_end && setting != NULL && !found) {
			argv[argc++] = "-o";
			argv[argc++] = (char *)setting;
			found = true;
		}
		if (i == svc->option_end)
			*option_end_r = argc;
		argv[argc++] = svc->argv[i];
	}
	if (svc->option_end == svc->argc) {
		if (setting != NULL && !found) {
			argv[argc++] = "-o";
			argv[argc++] = (char *)setting;
		}
		*option_end_r = argc;
	}
	argv[argc] = NULL;
	*argc_r = argc;
	return argv;
}

/* Rebuilds every entry that key names; fields are set, or -o edited. */
static enum master_cf_edit_result master_cf_rebuild_all(struct master_cf *cf,
                                                        const struct master_cf_key *key,
                                                        size_t field, const char *setting,
                                                        const char *arg, const char **error_r)
{
	bool found = false;

	for (size_t i = 0; i < cf->item_count; i++) {
		const struct master_cf_service *old = cf->items[i].svc;
		struct master_cf_service *svc;
		size_t argc, option_end = 0;
		char **argv;

		if (!master_cf_key_match(key, old))
			continue;
		if (field < MASTER_CF_FIELD_COUNT) {
			argv = xmemdup(old->argv, (old->argc + 1) * sizeof(*argv));
			argc = old->argc;
			option_end = old->option_end;
		} else {
			argv = master_cf_new_argv(old, key->name, setting, &argc, &option_end);
		}
		svc =
		    master_cf_rebuild(old, field, key->value, argv, argc, option_end, arg, error_r);
		free(argv);
		if (svc == NULL)
			return MASTER_CF_EDIT_ERROR;
		master_cf_replace(&cf->items[i], svc, false);
		found = true;
	}
	if (!found) {
		*error_r = master_cf_error("unmatched service_name/type: \"%s\"", arg);
		return MASTER_CF_EDIT_UNMATCHED;
	}
	return MASTER_CF_EDIT_OK;
}

enum master_cf_edit_result master_cf_edit_field(struct master_cf *cf, const char *arg,
                                                const char **error_r)
{
	struct master_cf_key key = {0};
	enum master_cf_edit_result result = MASTER_CF_EDIT_ERROR;
	size_t field = MASTER_CF_FIELD_COUNT;

	if (master_cf_key_parse(&key, arg, 3, true, error_r)) {
		for (size_t f = 0; f < MASTER_CF_FIELD_COUNT; f++) {
			if (strcmp(key.name, master_cf_field_name(f)) == 0)
				field = f;
		}
		if (field == MASTER_CF_FIELD_COUNT)
			*error_r =
			    master_cf_error("\"%s\": unknown field name \"%s\"", arg, key.name);
		else if (field != MASTER_CF_COMMAND &&
		         (*key.value == 0 || strpbrk(key.value, " \t\r\n") != NULL))
			*error_r = master_cf_error("%s: field \"%s\": bad value: \"%s\"", arg,
			                           key.name, key.value);
		else
			result = master_cf_rebuild_all(cf, &key, field, NULL, arg, error_r);
	}
	free(key.copy);
	master_cf_reindex(cf);
	return result;
}

/* -Pe (remove false) and -PX (remove true). */
static enum master_cf_edit_result master_cf_param(struct master_cf *cf, const char *arg,
                                                  bool remove, const char **error_r)
{
	struct master_cf_key key = {0};
	enum master_cf_edit_result result = MASTER_CF_EDIT_ERROR;
	char *setting = NULL;

	if (!master_cf_key_parse(&key, arg, 3, !remove, error_r)) {
		free(key.copy);
		return result;
	}
	if (!remove && strpbrk(key.value, " \t\r\n") != NULL) {
		*error_r = master_cf_error("\"%s\": whitespace in a parameter value", arg);
	} else {
		if (!remove) {
			setting = xmalloc(strlen(key.name) + strlen(key.value) + 2);
			strcpy(setting, key.name);
			strcat(setting, "=");
			strcat(setting, key.value);
		}
		result =
		    master_cf_rebuild_all(cf, &key, MASTER_CF_FIELD_COUNT, setting, arg, error_r);
	}
	free(setting);
	free(key.copy);
	master_cf_reindex(cf);
	return result;
}

enum master_cf_edit_result master_cf_edit_param(struct master_cf *cf, const char *arg,
                                                const char **error_r)
{
	return master_cf_param(cf, arg, false, error_r);
}

enum master_cf_edit_result master_cf_remove_param(struct master_cf *cf, const char *arg,
                                                  const char **error_r)
{
	return master_cf_param(cf, arg, true, error_r);
}

/* Writes all of text to fd; false with errno on failure. */
static bool master_cf_write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		text += n;
		len -= (size_t)n;
	}
	return true;
}

/* Makes a rename in the directory of path durable; best effort. */
static void master_cf_sync_directory(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* The new file is already in place; a failed sync only weakens durability. */
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Gives the temporary file the old file's mode and owner. */
static bool master_cf_copy_mode(int fd, const char *path, const char **what_r)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*what_r = "stat";
		if (errno != ENOENT)
			return false;
		st.st_mode = 0644;
		st.st_uid = geteuid();
		st.st_gid = getegid();
	}
	*what_r = "chown";
	if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(fd, st.st_uid, st.st_gid) < 0)
		return false;
	*what_r = "chmod";
	return fchmod(fd, st.st_mode & 07777) == 0;
}

/* Fills the open temporary file; NULL when done, else the failed step. */
static const char *master_cf_fill(int fd, const char *path, const struct strbuf *text)
{
	const char *what = "create";

	if (!master_cf_copy_mode(fd, path, &what))
		return what;
	if (!master_cf_write_all(fd, text->data, text->len))
		return "write";
	if (fsync(fd) < 0)
		return "fsync";
	return NULL;
}

bool master_cf_write(const struct master_cf *cf, const char **error_r)
{
	struct strbuf *text = strbuf_new(STRBUF_UNLIMITED);
	char *temp = xmalloc(strlen(cf->path) + sizeof(".XXXXXX"));
	const char *what = "create";
	int fd;

	strcpy(temp, cf->path);
	strcat(temp, ".XXXXXX");
	master_cf_text(cf, text);
	if ((fd = mkostemp(temp, O_CLOEXEC)) < 0) {
		*error_r =
		    master_cf_error("create temporary file for %s: %s", cf->path, strerror(errno));
	} else {
		what = master_cf_fill(fd, cf->path, text);
		if (close(fd) < 0 && what == NULL)
			what = "close";
		if (what == NULL && rename(temp, cf->path) < 0)
			what = "rename";
		if (what != NULL) {
			*error_r = master_cf_error("%s %s: %s", what, temp, strerror(errno));
			unlink(temp);
		} else {
			master_cf_sync_directory(cf->path);
		}
	}
	free(temp);
	strbuf_free(&text);
	return fd >= 0 && what == NULL;
}
