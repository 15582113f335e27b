/*
 * postfix_check - the installation checks: the fatal ones that keep a
 * broken configuration from starting (master.cf must parse, queue
 * directories must exist), the warnings Postfix's script prints about
 * ownership and permissions, and set-permissions, which repairs what
 * the warnings complain about.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/main_cf.h"
#include "config/main_cf_edit.h"
#include "config/master_cf.h"
#include "config/params.h"
#include "mail/queue_dirs.h"
#include "postfix.h"
#include "util/alloc.h"
#include "util/msg.h"

/* Files set-permissions gives to root (the instance owner) with mode 0644. */
static const char *const postfix_config_files[] = {"main.cf", "master.cf"};

static void postfix_check_ids(struct queue_dirs_ids *ids)
{
	const char *error;

	if (!queue_dirs_ids_init(ids, var_mail_owner, var_setgid_group, &error))
		msg_fatal("file %s/main.cf: %s", var_config_directory, error);
}

void postfix_check_fatal(void)
{
	struct queue_dirs_ids ids;
	struct master_cf *cf;
	const char *error;
	char path[4096];

	postfix_check_ids(&ids);
	if (queue_dirs_create(var_queue_directory, var_data_directory, &ids) > 0)
		msg_fatal("unable to create missing queue directories");
	snprintf(path, sizeof(path), "%s/master.cf", var_config_directory);
	if (access(path, F_OK) < 0)
		msg_fatal("no %s file found", path);
	if ((cf = master_cf_read(path, &error)) == NULL)
		msg_fatal("%s", error);
	if (*var_maillog_file && master_cf_find(cf, "postlog", "unix-dgram") == NULL)
		msg_fatal("missing 'postlog' service in master.cf");
	master_cf_free(&cf);
}

/*
 * Warns about files under dir (recursively, not through links) that
 * are not owned by owner or that group or others may write; returns
 * the number of warnings.
 */
static size_t postfix_check_tree(const char *dir, uid_t owner, const char *owner_name)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t problems = 0;

	if (dp == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		char path[4096];
		struct stat lst, st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &lst) < 0)
			continue;
		if (lst.st_uid != owner && ++problems)
			msg_warn("not owned by %s: %s", owner_name, path);
		if (stat(path, &st) == 0 && (st.st_mode & 022) && ++problems)
			msg_warn("group or other writable: %s", path);
		if (S_ISDIR(lst.st_mode))
			problems += postfix_check_tree(path, owner, owner_name);
	}
	closedir(dp);
	return problems;
}

/* Warns about each file in the corrupt queue, as Postfix's check does. */
static size_t postfix_check_corrupt(void)
{
	char path[4096];
	struct dirent *de;
	size_t problems = 0;
	DIR *dp;

	snprintf(path, sizeof(path), "%s/corrupt", var_queue_directory);
	if ((dp = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL)
		if (de->d_name[0] != '.' && ++problems)
			msg_warn("damaged message: corrupt/%s", de->d_name);
	closedir(dp);
	return problems;
}

size_t postfix_check_warn(void)
{
	struct queue_dirs_ids ids;
	size_t queue_problems, problems;

	postfix_check_ids(&ids);
	queue_problems = queue_dirs_check(var_queue_directory, var_data_directory, &ids);
	if (queue_problems > 0)
		msg_warn("run \"postfix set-permissions\" to repair the queue directories");
	problems = postfix_check_tree(var_config_directory, ids.root_uid, ids.root_name);
	return queue_problems + problems + postfix_check_corrupt();
}

int postfix_cmd_check(const struct postfix_opts *opts, char **args, int count)
{
	postfix_check_fatal();
	postfix_check_warn();
	return 0;
}

/* Stores each name=value argument in main.cf, then rereads it. */
static void postfix_set_parameters(const struct postfix_opts *opts, char **args, int count)
{
	struct main_cf_change *changes = xcalloc((size_t)count, sizeof(*changes));
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	char **names = xcalloc((size_t)count, sizeof(*names));
	char **values = xcalloc((size_t)count, sizeof(*values));
	char path[4096];
	const char *reason;

	for (int i = 0; i < count; i++) {
		if (!main_cf_split(args[i], &names[i], &values[i], &reason))
			msg_fatal("invalid parameter setting: %s: %s", args[i], reason);
		changes[i].name = names[i];
		changes[i].value = values[i];
	}
	snprintf(path, sizeof(path), "%s/main.cf", var_config_directory);
	if (!main_cf_edit(path, MAIN_CF_EDIT_SET, changes, (size_t)count, error))
		msg_fatal("%s", strbuf_str(error));
	for (int i = 0; i < count; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
	free(changes);
	strbuf_free(&error);
	postfix_env_init(opts);
}

/* Gives main.cf and master.cf to root (the instance owner), mode 0644. */
static size_t postfix_fix_config_files(const struct queue_dirs_ids *ids)
{
	size_t failures = 0;

	for (size_t i = 0; i < sizeof(postfix_config_files) / sizeof(postfix_config_files[0]);
	     i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", var_config_directory,
		         postfix_config_files[i]);
		if (lchown(path, ids->root_uid, (gid_t)-1) < 0 || chmod(path, 0644) < 0) {
			msg_warn("cannot set the owner and mode of %s: %m", path);
			failures++;
		}
	}
	return failures;
}

int postfix_cmd_set_permissions(const struct postfix_opts *opts, char **args, int count)
{
	struct queue_dirs_ids ids;
	size_t failures;

	if (count > 1)
		postfix_set_parameters(opts, args + 1, count - 1);
	postfix_check_ids(&ids);
	failures = queue_dirs_fix(var_queue_directory, var_data_directory, &ids);
	failures += postfix_fix_config_files(&ids);
	if (failures > 0)
		msg_fatal("unable to set the permissions of %zu files or directories", failures);
	return 0;
}
