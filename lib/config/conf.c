/*
 * conf - effective parameter values and program start-up.  Computed
 * defaults are cached per configuration; a guard flag per row turns a
 * default that needs itself (mydomain = $myhostname with no hostname
 * domain) into an error instead of endless recursion.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/main_cf_expand.h"
#include "config/params_host.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/msg_logfile.h"
#include "util/msg_postlog.h"
#include "util/msg_syslog.h"

struct conf {
	struct main_cf *cf;
	char **computed; /* per table row: a computed default, or NULL */
	bool *computing; /* per table row: inside its computation */
};

uid_t conf_owner_uid;
gid_t conf_owner_gid;
gid_t conf_sgid_gid;
uid_t conf_default_uid;
gid_t conf_default_gid;

static struct conf *conf_loaded;

struct conf *conf_new(struct main_cf *cf)
{
	struct conf *config = xcalloc(1, sizeof(*config));

	config->cf = cf;
	config->computed = xcalloc(params_count(), sizeof(*config->computed));
	config->computing = xcalloc(params_count(), sizeof(*config->computing));
	return config;
}

void conf_free(struct conf **config_ptr)
{
	struct conf *config = *config_ptr;

	if (config == NULL)
		return;
	for (size_t i = 0; i < params_count(); i++)
		free(config->computed[i]);
	free(config->computed);
	free(config->computing);
	main_cf_free(&config->cf);
	free(config);
	*config_ptr = NULL;
}

struct main_cf *conf_main_cf(const struct conf *config)
{
	return config->cf;
}

static const char *conf_lookup(const char *name, void *context, struct strbuf *error)
{
	return conf_raw(context, name, error);
}

bool conf_expand(struct conf *config, const char *text, struct strbuf *out, struct strbuf *error)
{
	return main_cf_expand(text, conf_lookup, config, out, error);
}

/* Appends the expanded value of name; explicit: only a main.cf definition. */
static bool conf_value(struct conf *config, const char *name, bool explicit, bool *found_r,
                       struct strbuf *out, struct strbuf *error)
{
	const struct main_cf_entry *entry = main_cf_find(config->cf, name);
	const char *raw;

	*found_r = false;
	if (explicit && entry == NULL)
		return true;
	raw = entry ? entry->value : conf_raw(config, name, error);
	if (raw == NULL)
		return strbuf_len(error) == 0;
	*found_r = true;
	return conf_expand(config, raw, out, error);
}

static char *conf_compute(struct conf *config, const char *name, struct strbuf *error)
{
	struct strbuf *a = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *b = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *c = strbuf_new(STRBUF_UNLIMITED);
	char *result = NULL;
	bool found;

	if (strcmp(name, "myhostname") == 0) {
		if (conf_value(config, "mydomain", true, &found, a, error))
			result = params_host_name(found ? strbuf_str(a) : NULL);
	} else if (strcmp(name, "mydomain") == 0) {
		if (conf_value(config, "myhostname", false, &found, a, error))
			result = params_host_domain(strbuf_str(a));
	} else if (strcmp(name, "mynetworks") == 0) {
		struct strbuf *nets = strbuf_new(STRBUF_UNLIMITED);

		if (conf_value(config, "mynetworks_style", false, &found, a, error) &&
		    conf_value(config, "inet_interfaces", false, &found, b, error) &&
		    conf_value(config, "inet_protocols", false, &found, c, error) &&
		    params_host_networks(strbuf_str(a), strbuf_str(b), strbuf_str(c), nets, error))
			result = strbuf_export(&nets);
		strbuf_free(&nets);
	} else {
		msg_panic("conf_compute: no computed default for %s", name);
	}
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&c);
	return result;
}

const char *conf_default(struct conf *config, const struct param_info *info, struct strbuf *error)
{
	size_t row = (size_t)(info - params_at(0));

	if (info->default_value != PARAM_COMPUTED)
		return info->default_value;
	if (config->computed[row] == NULL) {
		if (config->computing[row]) {
			strbuf_printf(error, "unreasonable macro call nesting: \"%s\"", info->name);
			return NULL;
		}
		config->computing[row] = true;
		config->computed[row] = conf_compute(config, info->name, error);
		config->computing[row] = false;
	}
	return config->computed[row];
}

const char *conf_raw(struct conf *config, const char *name, struct strbuf *error)
{
	const struct main_cf_entry *entry = main_cf_find(config->cf, name);
	const struct param_info *info;

	if (entry != NULL)
		return entry->value;
	info = params_find(name);
	return info ? conf_default(config, info, error) : NULL;
}

/* Stores one row; reason goes to error without the file and line. */
static bool conf_apply_one(struct conf *config, const struct param_info *info, struct strbuf *value,
                           struct strbuf *error)
{
	const char *raw = conf_raw(config, info->name, error);

	if (raw == NULL)
		return false;
	strbuf_reset(value);
	if (info->type == PARAM_TYPE_RAW)
		strbuf_append_str(value, raw);
	else if (!conf_expand(config, raw, value, error))
		return false;
	return params_store(info, strbuf_str(value), error);
}

bool conf_apply(struct conf *config, struct strbuf *error)
{
	struct strbuf *value = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *reason = strbuf_new(STRBUF_UNLIMITED);
	bool ok = true;

	for (size_t i = 0; ok && i < params_count(); i++) {
		const struct param_info *info = params_at(i);
		const struct main_cf_entry *entry = main_cf_find(config->cf, info->name);

		strbuf_reset(reason);
		if (conf_apply_one(config, info, value, reason))
			continue;
		ok = false;
		if (entry && entry->line > 0)
			strbuf_printf(error, "%s, line %d: %s", config->cf->path, entry->line,
			              strbuf_str(reason));
		else
			strbuf_append_str(error, strbuf_str(reason));
	}
	strbuf_free(&value);
	strbuf_free(&reason);
	return ok;
}

const char *conf_directory_choose(const char *option)
{
	const char *env = getenv("MAIL_CONFIG");

	if (option != NULL)
		return option;
	return env && *env ? env : DEF_CONFIG_DIR;
}

/* True when list (blanks or commas between items) holds word. */
static bool conf_list_has(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, " \t\r\n,");
		n = strcspn(p, " \t\r\n,");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
	}
	return false;
}

static _Noreturn void conf_fatal(struct strbuf *error)
{
	msg_fatal("%s", strbuf_str(error));
}

/* Loads and applies dir/main.cf with overrides; fatal on any error. */
static struct conf *conf_read(const char *dir, const char *const *overrides)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf;
	struct conf *config;

	strbuf_printf(path, "%s/main.cf", dir);
	if ((cf = main_cf_read(strbuf_str(path), false, error)) == NULL)
		conf_fatal(error);
	for (size_t i = 0; overrides && overrides[i]; i++) {
		char *name, *value;
		const char *reason;

		if (!main_cf_split(overrides[i], &name, &value, &reason))
			msg_fatal("invalid parameter override: %s: %s", overrides[i], reason);
		main_cf_set(cf, name, value);
		free(name);
		free(value);
	}
	main_cf_set(cf, "config_directory", dir);
	config = conf_new(cf);
	if (!conf_apply(config, error))
		conf_fatal(error);
	strbuf_free(&error);
	strbuf_free(&path);
	return config;
}

/*
 * A set-id program must not let its invoker pick a main.cf (that would
 * let them choose, e.g., the queue directory); Postfix allows only the
 * directories the default main.cf names.
 */
static void conf_check_directory(const char *dir)
{
	struct conf *def;

	if (strcmp(dir, DEF_CONFIG_DIR) == 0 || (getuid() == geteuid() && getgid() == getegid()))
		return;
	def = conf_read(DEF_CONFIG_DIR, NULL);
	if (!conf_list_has(var_alternate_config_directories, dir))
		msg_fatal("%s/main.cf: parameter alternate_config_directories does not list %s",
		          DEF_CONFIG_DIR, dir);
	conf_free(&def);
}

static struct passwd *conf_user(const char *path, const char *param, const char *name)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		msg_fatal("file %s: parameter %s: unknown user name value: %s", path, param, name);
	if (pw->pw_uid == 0)
		msg_fatal("file %s: parameter %s: user %s has privileged user ID", path, param,
		          name);
	return pw;
}

static void conf_check_owner(const char *path)
{
	struct passwd *pw = conf_user(path, "mail_owner", var_mail_owner);
	struct group *gr;

	conf_owner_uid = pw->pw_uid;
	conf_owner_gid = pw->pw_gid;
	pw = conf_user(path, "default_privs", var_default_privs);
	conf_default_uid = pw->pw_uid;
	conf_default_gid = pw->pw_gid;
	if (conf_default_uid == conf_owner_uid)
		msg_fatal("file %s: parameters mail_owner and default_privs specify the same "
		          "user ID: %ld",
		          path, (long)conf_owner_uid);
	if ((gr = getgrnam(var_setgid_group)) == NULL)
		msg_fatal("file %s: parameter setgid_group: unknown group name: %s", path,
		          var_setgid_group);
	if (gr->gr_gid == 0)
		msg_fatal("file %s: parameter setgid_group: group %s has privileged group ID", path,
		          var_setgid_group);
	if (gr->gr_gid == conf_owner_gid)
		msg_fatal("file %s: parameters mail_owner and setgid_group specify the same "
		          "group ID: %ld",
		          path, (long)gr->gr_gid);
	conf_sgid_gid = gr->gr_gid;
}

/* Rebuilds the environment from import_environment only. */
static void conf_import_environment(void)
{
	char *list = xstrdup(var_import_environment);
	char **keep = xcalloc(strlen(list) / 2 + 2, sizeof(*keep));
	size_t count = 0;

	for (char *save, *item = strtok_r(list, " \t\r\n,", &save); item;
	     item = strtok_r(NULL, " \t\r\n,", &save)) {
		char *eq = strchr(item, '=');
		const char *current = eq ? NULL : getenv(item);
		struct strbuf *pair;

		if (eq == NULL && current == NULL)
			continue;
		pair = strbuf_new(STRBUF_UNLIMITED);
		if (eq)
			strbuf_append_str(pair, item);
		else
			strbuf_printf(pair, "%s=%s", item, current);
		keep[count++] = strbuf_export(&pair);
	}
	clearenv();
	for (size_t i = 0; i < count; i++) {
		char *eq = strchr(keep[i], '=');

		*eq = 0;
		setenv(keep[i], eq + 1, 1);
		free(keep[i]);
	}
	free(keep);
	free(list);
}

bool conf_maillog_prefix_ok(const char *path)
{
	const char *p = var_maillog_file_prefixes;

	while (*p) {
		size_t n;

		p += strspn(p, " \t\r\n,");
		n = strcspn(p, " \t\r\n,");
		if (n > 0 && strncmp(path, p, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/*
 * Sends the log where main.cf says; the stderr output stays, as it does
 * for Postfix commands run from a terminal.  With maillog_file set, lines
 * go to postlogd through public/$postlog_service_name so that one process
 * writes the file; the file is written directly by master and postlogd
 * (direct), and by anyone while that socket does not exist (master down).
 */
void conf_open_logging(const char *path, bool direct)
{
	struct strbuf *socket_path;
	const char *error;
	int facility;

	if (!msg_syslog_facility(var_syslog_facility, &facility))
		msg_fatal("file %s: parameter syslog_facility: unknown value: %s", path,
		          var_syslog_facility);
	if (*var_maillog_file == 0) {
		msg_syslog_init(var_syslog_name, facility);
		return;
	}
	if (!conf_maillog_prefix_ok(var_maillog_file)) {
		msg_syslog_init(var_syslog_name, facility);
		msg_fatal("maillog_file value '%s' does not match any prefix in "
		          "maillog_file_prefixes",
		          var_maillog_file);
	}
	if (!direct) {
		socket_path = strbuf_new(STRBUF_UNLIMITED);
		strbuf_printf(socket_path, "%s/public/%s", var_queue_directory,
		              var_postlog_service_name);
		if (msg_postlog_open(strbuf_str(socket_path), var_myhostname, var_syslog_name,
		                     &error)) {
			strbuf_free(&socket_path);
			return;
		}
		strbuf_free(&socket_path);
	}
	if (!msg_logfile_open(var_maillog_file, MSG_LOGFILE_MODE, var_myhostname, var_syslog_name,
	                      &error))
		msg_fatal("%s", error);
}

void conf_load(const char *directory, const char *const *overrides, int flags)
{
	const char *dir = conf_directory_choose(directory);

	conf_check_directory(dir);
	params_reset();
	conf_free(&conf_loaded);
	conf_loaded = conf_read(dir, overrides);
	if (flags & CONF_LOAD_OWNER)
		conf_check_owner(conf_loaded->cf->path);
	if (flags & CONF_LOAD_IMPORT)
		conf_import_environment();
	if (flags & (CONF_LOAD_LOGGING | CONF_LOAD_LOG_DIRECT))
		conf_open_logging(conf_loaded->cf->path, (flags & CONF_LOAD_LOG_DIRECT) != 0);
}

struct conf *conf_global(void)
{
	return conf_loaded;
}
