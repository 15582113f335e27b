/*
 * master_reload - SIGHUP: read both configuration files again and bring
 * the running services in line.  The new configuration is first read in
 * a throw-away child, because reading main.cf is fatal on an error and a
 * typo must not take the mail system down: on failure the child has
 * logged why and master keeps the configuration it has.  Then a service
 * whose settings are unchanged keeps its sockets and children; a changed
 * one keeps the sockets that still apply and retires its children (idle
 * ones go now, busy ones when they next report idle), so an established
 * connection is never cut; a removed one is closed and its children are
 * terminated; an added one opens its sockets.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "util/alloc.h"
#include "util/msg.h"

/* True when the configuration on disk reads cleanly, judged in a child. */
static bool master_reload_valid(void)
{
	struct strbuf *error;
	struct master_serv *list;
	int status;
	pid_t pid;

	if ((pid = fork()) < 0) {
		msg_warn("reload: fork: %m");
		return false;
	}
	if (pid == 0) {
		error = strbuf_new(STRBUF_UNLIMITED);
		if ((list = master_config_read(error)) == NULL) {
			msg_error("%s", strbuf_str(error));
			_exit(1);
		}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		continue;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static struct master_serv *master_reload_find(struct master_serv *list,
                                              const struct master_serv *want)
{
	for (struct master_serv *serv = list; serv != NULL; serv = serv->next)
		if (serv->type == want->type && strcmp(serv->name, want->name) == 0)
			return serv;
	return NULL;
}

static bool master_reload_same_endpoints(const struct master_serv *a, const struct master_serv *b)
{
	if (a->endpoints->count != b->endpoints->count)
		return false;
	for (size_t i = 0; i < a->endpoints->count; i++)
		if (strcmp(a->endpoints->items[i], b->endpoints->items[i]) != 0)
			return false;
	return true;
}

#define MASTER_RELOAD_SWAP(a, b, field)                                                            \
	do {                                                                                       \
		__typeof__((a)->field) tmp_ = (a)->field;                                          \
		(a)->field = (b)->field;                                                           \
		(b)->field = tmp_;                                                                 \
	} while (0)

/* Gives old the settings of fresh (which then holds old's, to be freed). */
static void master_reload_change(struct master_serv *old, struct master_serv *fresh)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	bool reopen = !master_reload_same_endpoints(old, fresh);

	master_wakeup_stop(old);
	if (reopen)
		master_listen_close(old);
	MASTER_RELOAD_SWAP(old, fresh, path);
	MASTER_RELOAD_SWAP(old, fresh, args);
	MASTER_RELOAD_SWAP(old, fresh, endpoints);
	MASTER_RELOAD_SWAP(old, fresh, signature);
	old->line = fresh->line;
	old->privileged = fresh->privileged;
	old->chroot = fresh->chroot;
	old->max_proc = fresh->max_proc;
	old->wakeup = fresh->wakeup;
	old->wakeup_when_used = fresh->wakeup_when_used;
	old->generation++;
	master_spawn_retire(old);
	if (reopen && !master_listen_open(old, error))
		msg_warn("service %s: %s", old->name, strbuf_str(error));
	master_wakeup_start(old);
	master_status_update(old);
	strbuf_free(&error);
}

/* Closes the services that the new configuration no longer has. */
static void master_reload_remove(struct master_serv *fresh)
{
	struct master_serv **pp = &master_services, *serv, *gone = NULL;

	while ((serv = *pp) != NULL) {
		if (master_reload_find(fresh, serv) != NULL) {
			pp = &serv->next;
			continue;
		}
		*pp = serv->next;
		master_spawn_stop(serv);
		serv->next = gone;
		gone = serv;
	}
	master_config_free(&gone);
}

/* The service that stays for fresh: the old one, updated, or fresh itself. */
static struct master_serv *master_reload_merge(struct master_serv *old, struct master_serv *fresh,
                                               struct master_serv **dead)
{
	struct strbuf *error;

	if (old != NULL) {
		if (strcmp(old->signature, fresh->signature) != 0)
			master_reload_change(old, fresh);
		fresh->next = *dead;
		*dead = fresh;
		return old;
	}
	error = strbuf_new(STRBUF_UNLIMITED);
	if (master_spawn_start(fresh, error)) {
		strbuf_free(&error);
		return fresh;
	}
	msg_warn("service %s: %s", fresh->name, strbuf_str(error));
	strbuf_free(&error);
	fresh->next = *dead;
	*dead = fresh;
	return NULL;
}

static void master_reload_apply(struct master_serv *fresh)
{
	struct master_serv *result = NULL, **tail = &result, *dead = NULL;
	struct master_serv *old_list, *serv, *next;

	master_reload_remove(fresh);
	old_list = master_services;
	for (serv = fresh; serv != NULL; serv = next) {
		struct master_serv *old = master_reload_find(old_list, serv);
		struct master_serv *keep;

		next = serv->next;
		serv->next = NULL;
		if ((keep = master_reload_merge(old, serv, &dead)) != NULL) {
			*tail = keep;
			tail = &keep->tmp_next;
		}
	}
	*tail = NULL;
	/* Relink only now: old_list was searched through its own next pointers. */
	for (serv = result; serv != NULL; serv = serv->tmp_next)
		serv->next = serv->tmp_next;
	master_services = result;
	master_config_free(&dead);
}

void master_reload(int signo, int what, void *context)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct master_serv *fresh;

	if (!master_reload_valid()) {
		msg_warn("reload: configuration errors; keeping the running configuration");
	} else if ((fresh = master_config_read(error)) == NULL) {
		msg_warn("reload: %s; keeping the running configuration", strbuf_str(error));
	} else {
		msg_info("reload -- version %s, configuration %s", var_mail_version,
		         var_config_directory);
		master_reload_apply(fresh);
	}
	strbuf_free(&error);
}
