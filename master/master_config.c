/*
 * master_config - turns main.cf and master.cf into a list of services,
 * checking everything first so that a bad entry stops master before it
 * opens a single socket: the caller gets "file: line N: reason" and
 * nothing has been started.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/master_cf.h"
#include "master.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/split.h"

/* The largest main.cf whose text becomes part of the signatures. */
#define MASTER_CONFIG_MAIN_MAX (16 * 1024 * 1024)

const char *master_config_file(void)
{
	static struct strbuf *path;

	if (path == NULL)
		path = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(path);
	strbuf_printf(path, "%s/master.cf", var_config_directory);
	return strbuf_str(path);
}

/*
 * master_service_disable: "type" or "name/type" items, "!" to exclude,
 * first match wins, as Postfix's match lists do.
 */
static bool master_config_disabled(const char *name, const char *type)
{
	char *list = xstrdup(var_master_service_disable);
	char *cursor = list;
	bool disabled = false;

	for (char *item; (item = split_next(&cursor, SPLIT_LIST_SEPARATORS)) != NULL;) {
		bool negate = *item == '!';
		const char *pattern = item + negate;
		const char *slash = strchr(pattern, '/');
		bool match = slash ? strncmp(pattern, name, (size_t)(slash - pattern)) == 0 &&
		                         name[slash - pattern] == 0 && strcmp(slash + 1, type) == 0
		                   : strcmp(pattern, type) == 0;

		if (match) {
			disabled = !negate;
			break;
		}
	}
	free(list);
	return disabled;
}

/* The socket or fifo paths of a local service, relative to queue_directory. */
static bool master_config_endpoints(struct master_serv *serv, const struct master_cf_service *svc,
                                    struct strbuf *error)
{
	if (serv->type == MASTER_CF_INET)
		return master_listen_inet_endpoints(serv->name, serv->endpoints, error);
	if (strchr(serv->name, '/') != NULL || strcmp(serv->name, ".") == 0 ||
	    strcmp(serv->name, "..") == 0) {
		strbuf_printf(error, "bad service name for a local socket: %s", serv->name);
		return false;
	}
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(path, "%s/%s", master_cf_private(svc) ? "private" : "public", serv->name);
	argv_add(serv->endpoints, strbuf_str(path));
	strbuf_free(&path);
	return true;
}

/* The command line of master_proto.h, for a service with count listeners. */
static void master_config_args(struct master_serv *serv, const struct master_cf_service *svc)
{
	char count[32];

	argv_add(serv->args, svc->argv[0]);
	if (!master_root_mode || !serv->chroot)
		argv_add(serv->args, "-c");
	if (!serv->privileged)
		argv_add(serv->args, "-u");
	for (int i = 0; i < master_opts.verbose; i++)
		argv_add(serv->args, "-v");
	argv_add(serv->args, "-n");
	argv_add(serv->args, serv->name);
	argv_add(serv->args, "-t");
	argv_add(serv->args, master_cf_type_name(serv->type));
	snprintf(count, sizeof(count), "%zu", serv->endpoints->count);
	argv_add(serv->args, "-s");
	argv_add(serv->args, count);
	for (size_t i = 1; i < svc->argc; i++)
		argv_add(serv->args, svc->argv[i]);
}

static void master_config_signature(struct master_serv *serv, const char *main_text)
{
	struct strbuf *sig = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(sig, "%s\n%d%d\n%u%c\n%u\n%s\n", master_cf_type_name(serv->type),
	              serv->privileged, serv->chroot, serv->wakeup,
	              serv->wakeup_when_used ? '?' : '-', serv->max_proc, serv->path);
	argv_join(serv->args, "\n", sig);
	strbuf_append_str(sig, "\n");
	argv_join(serv->endpoints, "\n", sig);
	strbuf_append_str(sig, "\n");
	strbuf_append_str(sig, main_text);
	serv->signature = strbuf_export(&sig);
}

/* Builds one service; false with the reason (without file and line) in error. */
static bool master_config_one(const struct master_cf_service *svc, const char *main_text,
                              struct master_serv **serv_r, struct strbuf *error)
{
	struct master_serv *serv = xcalloc(1, sizeof(*serv));
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);

	*serv_r = serv;
	serv->name = xstrdup(svc->field[MASTER_CF_SERVICE]);
	serv->type = svc->type;
	serv->line = svc->line;
	serv->privileged = !master_cf_unprivileged(svc);
	serv->chroot = master_cf_chroot(svc);
	serv->wakeup = master_cf_wakeup(svc, &serv->wakeup_when_used);
	serv->max_proc = master_cf_process_limit(svc, (unsigned)var_default_process_limit);
	serv->status_fd[0] = serv->status_fd[1] = -1;
	serv->args = argv_new();
	serv->endpoints = argv_new();
	if (svc->argv[0][0] == '/')
		strbuf_append_str(path, svc->argv[0]);
	else
		strbuf_printf(path, "%s/%s", var_daemon_directory, svc->argv[0]);
	serv->path = strbuf_export(&path);
	if (!master_config_endpoints(serv, svc, error))
		return false;
	master_config_args(serv, svc);
	master_config_signature(serv, main_text);
	if (serv->wakeup > 0 && (serv->type == MASTER_CF_INET || serv->type == MASTER_CF_PASS)) {
		strbuf_printf(error,
		              "service %s: wakeup is supported for unix, unix-dgram and fifo "
		              "services only",
		              serv->name);
		return false;
	}
	if (!master_privilege_check(serv, error))
		return false;
	if (access(serv->path, X_OK) < 0) {
		strbuf_printf(error, "service %s: command %s: %m", serv->name, serv->path);
		return false;
	}
	return true;
}

/* Appends the services of cf to *tail; false with "file: line N: reason". */
static bool master_config_services(const struct master_cf *cf, const char *main_text,
                                   struct master_serv ***tail, struct strbuf *error)
{
	struct strbuf *reason = strbuf_new(STRBUF_UNLIMITED);
	bool ok = true;

	for (size_t i = 0; ok && i < master_cf_count(cf); i++) {
		const struct master_cf_service *svc = master_cf_service(cf, i);
		const char *type = master_cf_type_name(svc->type);
		struct master_serv *serv;

		if (svc->superseded) {
			msg_warn("%s: line %u: duplicate service %s/%s; using the later entry",
			         master_cf_path(cf), svc->line, svc->field[MASTER_CF_SERVICE],
			         type);
			continue;
		}
		if (master_config_disabled(svc->field[MASTER_CF_SERVICE], type))
			continue;
		ok = master_config_one(svc, main_text, &serv, reason);
		if (!ok)
			strbuf_printf(error, "%s: line %u: %s", master_cf_path(cf), svc->line,
			              strbuf_str(reason));
		**tail = serv;
		*tail = &serv->next;
	}
	strbuf_free(&reason);
	return ok;
}

struct master_serv *master_config_read(struct strbuf *error)
{
	struct master_serv *list = NULL, **tail = &list;
	struct strbuf *main_path = strbuf_new(STRBUF_UNLIMITED);
	struct master_cf *cf;
	const char *reason;
	char *main_text;
	size_t len;

	conf_load(master_opts.config_dir, NULL,
	          CONF_LOAD_OWNER | CONF_LOAD_IMPORT | CONF_LOAD_LOG_DIRECT);
	master_privilege_init();
	strbuf_printf(main_path, "%s/main.cf", var_config_directory);
	main_text = main_cf_slurp(strbuf_str(main_path), MASTER_CONFIG_MAIN_MAX, &len);
	strbuf_free(&main_path);
	if ((cf = master_cf_read(master_config_file(), &reason)) == NULL) {
		strbuf_append_str(error, reason);
		free(main_text);
		return NULL;
	}
	if (!master_config_services(cf, main_text ? main_text : "", &tail, error))
		master_config_free(&list);
	master_cf_free(&cf);
	free(main_text);
	return list;
}

void master_config_free(struct master_serv **list)
{
	struct master_serv *serv, *next;

	for (serv = *list; serv != NULL; serv = next) {
		next = serv->next;
		free(serv->name);
		free(serv->path);
		argv_free(&serv->args);
		argv_free(&serv->endpoints);
		free(serv->signature);
		free(serv->listen_fds);
		free(serv);
	}
	*list = NULL;
}
