/*
 * postconf_show - print main.cf parameters and warn about names that are
 * unknown, undefined or unused, at the moments Postfix does: "undefined"
 * while reading main.cf, "unknown" while printing, "unused" after the
 * output is flushed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/main_cf_expand.h"
#include "config/master_cf.h"
#include "postconf.h"
#include "util/alloc.h"
#include "util/msg.h"

/* A name list with linear search: main.cf files are small. */
struct name_set {
	char **names;
	size_t count;
};

static bool set_has(const struct name_set *set, const char *name, size_t len)
{
	for (size_t i = 0; i < set->count; i++)
		if (strlen(set->names[i]) == len && memcmp(set->names[i], name, len) == 0)
			return true;
	return false;
}

static void set_add(struct name_set *set, const char *name, size_t len)
{
	if (set_has(set, name, len))
		return;
	set->names = xreallocarray(set->names, set->count + 1, sizeof(*set->names));
	set->names[set->count++] = xstrndup(name, len);
}

static void set_clear(struct name_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->names[i]);
	free(set->names);
	set->names = NULL;
	set->count = 0;
}

/* State of one run. */
struct show {
	const struct postconf *pc;
	struct conf *conf;
	struct main_cf *cf;
	struct name_set used; /* names some main.cf value refers to */
	struct name_set warned;
	const char *scanning; /* the file whose values are being scanned */
};

static void note_reference(const char *name, size_t len, void *context)
{
	struct show *show = context;
	char key[256];

	set_add(&show->used, name, len);
	if (len >= sizeof(key) || set_has(&show->warned, name, len))
		return;
	memcpy(key, name, len);
	key[len] = 0;
	/* master sets $service_name for each service at run time. */
	if (params_find(key) == NULL && main_cf_find(show->cf, key) == NULL &&
	    strcmp(key, "service_name") != 0) {
		set_add(&show->warned, name, len);
		msg_warn("%s: undefined parameter: %s", show->scanning, key);
	}
}

/* A parameter postconf knows: ours, or one main.cf defines and refers to. */
static bool known(const struct show *show, const char *name)
{
	return params_find(name) != NULL ||
	       (main_cf_find(show->cf, name) && set_has(&show->used, name, strlen(name)));
}

/* Prints value with runs of whitespace as one space, as Postfix does. */
static void print_value(const char *name, const char *value, int flags)
{
	bool first = true;

	if (!(flags & POSTCONF_NO_NAME))
		printf("%s =", name);
	while (*value) {
		size_t n;

		value += strspn(value, " \t\r\n");
		n = strcspn(value, " \t\r\n");
		if (n == 0)
			break;
		printf("%s%.*s", first && (flags & POSTCONF_NO_NAME) ? "" : " ", (int)n, value);
		first = false;
		value += n;
	}
	putchar('\n');
}

static void show_one(struct show *show, const char *name)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	const struct param_info *info = params_find(name);
	const char *raw;
	int flags = show->pc->flags;

	if (flags & POSTCONF_DEFAULTS)
		raw = info ? conf_default(show->conf, info, error) : NULL;
	else if (flags & POSTCONF_NONDEF)
		raw = main_cf_find(show->cf, name) ? main_cf_find(show->cf, name)->value : NULL;
	else
		raw = conf_raw(show->conf, name, error);
	if (strbuf_len(error) > 0)
		msg_fatal("%s", strbuf_str(error));
	if (raw != NULL && (flags & POSTCONF_EXPAND) && !conf_expand(show->conf, raw, out, error)) {
		msg_warn("%s", strbuf_str(error));
		msg_fatal("macro processing error");
	}
	if (raw != NULL)
		print_value(name, (flags & POSTCONF_EXPAND) ? strbuf_str(out) : raw, flags);
	strbuf_free(&error);
	strbuf_free(&out);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_all(struct show *show)
{
	struct name_set all = {0};

	for (size_t i = 0; i < params_count(); i++)
		set_add(&all, params_at(i)->name, strlen(params_at(i)->name));
	for (size_t i = 0; i < show->cf->count; i++)
		if (known(show, show->cf->entries[i].name))
			set_add(&all, show->cf->entries[i].name, strlen(show->cf->entries[i].name));
	qsort(all.names, all.count, sizeof(*all.names), compare_names);
	for (size_t i = 0; i < all.count; i++)
		show_one(show, all.names[i]);
	set_clear(&all);
}

/*
 * A main.cf parameter that a master.cf "-o name=$param" refers to is used
 * too.  Like Postfix, a master.cf that cannot be read is only a warning
 * here: postconf must work on a half-built configuration.
 */
static void note_master_references(struct show *show)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct master_cf *master;
	const char *error;

	strbuf_printf(path, "%s/master.cf", show->pc->dir);
	if ((master = master_cf_read(strbuf_str(path), &error)) == NULL)
		msg_warn("%s", error);
	show->scanning = strbuf_str(path);
	for (size_t i = 0; master && i < master_cf_count(master); i++) {
		const struct master_cf_service *svc = master_cf_service(master, i);

		for (size_t j = 0; j < svc->override_count; j++)
			main_cf_expand_names(svc->overrides[j].value, note_reference, show);
	}
	master_cf_free(&master);
	strbuf_free(&path);
}

/*
 * Like Postfix, refuses to show anything when a parameter main.cf sets
 * cannot be expanded (a $name loop, a truncated ${...}), whatever the
 * display mode: the daemons would fail on it.
 */
static void check_expansions(struct show *show)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	for (size_t i = 0; i < show->cf->count; i++) {
		const struct main_cf_entry *entry = &show->cf->entries[i];
		const struct param_info *info = params_find(entry->name);

		if (info == NULL || info->type == PARAM_TYPE_RAW ||
		    main_cf_find(show->cf, entry->name) != entry)
			continue;
		strbuf_reset(out);
		if (!conf_expand(show->conf, entry->value, out, error)) {
			msg_warn("%s", strbuf_str(error));
			msg_fatal("macro processing error");
		}
	}
	strbuf_free(&out);
	strbuf_free(&error);
}

static void warn_unused(struct show *show)
{
	struct name_set done = {0};

	for (size_t i = 0; i < show->cf->count; i++) {
		const char *name = show->cf->entries[i].name;

		if (known(show, name) || set_has(&done, name, strlen(name)))
			continue;
		set_add(&done, name, strlen(name));
		msg_warn("%s: unused parameter: %s=%s", show->cf->path, name,
		         main_cf_find(show->cf, name)->value);
	}
	set_clear(&done);
}

/* The main.cf to show: none for -d, else the file plus -o and -c. */
static struct main_cf *read_main_cf(const struct postconf *pc)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf;

	strbuf_printf(path, "%s/main.cf", pc->dir);
	if (pc->flags & POSTCONF_DEFAULTS)
		cf = main_cf_new(strbuf_str(path));
	else if ((cf = main_cf_read(strbuf_str(path), false, error)) == NULL)
		msg_fatal("%s", strbuf_str(error));
	if (pc->dir_chosen && !(pc->flags & POSTCONF_DEFAULTS))
		main_cf_set(cf, "config_directory", pc->dir);
	for (size_t i = 0; i < pc->override_count; i++) {
		char *name, *value;
		const char *reason;

		if (!main_cf_split(pc->overrides[i], &name, &value, &reason))
			msg_fatal("invalid parameter override: %s: %s", pc->overrides[i], reason);
		main_cf_set(cf, name, value);
		free(name);
		free(value);
	}
	strbuf_free(&path);
	strbuf_free(&error);
	return cf;
}

int postconf_show(const struct postconf *pc)
{
	struct show show = {.pc = pc};

	show.cf = read_main_cf(pc);
	show.conf = conf_new(show.cf);
	/* Only the definition that wins counts, as an override hides the file's. */
	show.scanning = show.cf->path;
	for (size_t i = 0; i < show.cf->count; i++)
		if (main_cf_find(show.cf, show.cf->entries[i].name) == &show.cf->entries[i])
			main_cf_expand_names(show.cf->entries[i].value, note_reference, &show);
	note_master_references(&show);
	check_expansions(&show);
	if (pc->name_count == 0)
		show_all(&show);
	for (size_t i = 0; i < pc->name_count; i++) {
		if (known(&show, pc->names[i]))
			show_one(&show, pc->names[i]);
		else
			msg_warn("%s: unknown parameter", pc->names[i]);
	}
	fflush(stdout);
	warn_unused(&show);
	set_clear(&show.used);
	set_clear(&show.warned);
	conf_free(&show.conf);
	return 0;
}
