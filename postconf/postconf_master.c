/*
 * postconf_master - the master.cf options -M, -F and -P and their -e, -X
 * and -# forms, on top of lib/config/master_cf.  Requests that match
 * nothing are warnings, as in Postfix; a bad request or edit is fatal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/master_cf.h"
#include "postconf.h"
#include "util/alloc.h"
#include "util/msg.h"

static struct master_cf *read_master_cf(const struct postconf *pc)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct master_cf *cf;
	const char *error;

	strbuf_printf(path, "%s/master.cf", pc->dir);
	if ((cf = master_cf_read(strbuf_str(path), &error)) == NULL)
		msg_fatal("%s", error);
	strbuf_free(&path);
	return cf;
}

/* Expansion for -Px: values see main.cf as the daemons would. */
static const char *expand_value(const char *value, void *context)
{
	static struct strbuf *out;
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	if (out == NULL)
		out = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(out);
	if (!conf_expand(context, value, out, error)) {
		msg_warn("%s", strbuf_str(error));
		msg_fatal("macro processing error");
	}
	strbuf_free(&error);
	return strbuf_str(out);
}

static struct conf *read_main_conf(const struct postconf *pc)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct main_cf *cf;

	strbuf_printf(path, "%s/main.cf", pc->dir);
	if ((cf = main_cf_read(strbuf_str(path), false, error)) == NULL)
		msg_fatal("%s", strbuf_str(error));
	strbuf_free(&path);
	strbuf_free(&error);
	return conf_new(cf);
}

static void show(const struct postconf *pc, struct master_cf *cf)
{
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);
	bool *matched = xcalloc(pc->name_count + 1, sizeof(*matched));
	int flags = ((pc->flags & POSTCONF_FOLD) ? MASTER_CF_PRINT_FOLD : 0) |
	            ((pc->flags & POSTCONF_NO_NAME) ? MASTER_CF_PRINT_VALUE_ONLY : 0);
	struct conf *conf = NULL;

	if (pc->master == 'M')
		master_cf_print_services(cf, pc->names, pc->name_count, flags, matched, out);
	else if (pc->master == 'F')
		master_cf_print_fields(cf, pc->names, pc->name_count, flags, matched, out);
	else {
		if (pc->flags & POSTCONF_EXPAND)
			conf = read_main_conf(pc);
		master_cf_print_params(cf, pc->names, pc->name_count, flags,
		                       conf ? expand_value : NULL, conf, matched, out);
	}
	for (size_t i = 0; i < pc->name_count; i++)
		if (!matched[i])
			msg_warn("unmatched request: \"%s\"", pc->names[i]);
	fwrite(strbuf_str(out), 1, strbuf_len(out), stdout);
	conf_free(&conf);
	free(matched);
	strbuf_free(&out);
}

/* The editor for an option pair such as -Me or -PX; fatal for pairs Postfix lacks. */
static enum master_cf_edit_result edit_one(int master, char edit, struct master_cf *cf,
                                           const char *arg, const char **error_r)
{
	switch (master << 8 | edit) {
	case 'M' << 8 | 'e':
		return master_cf_edit_service(cf, arg, error_r);
	case 'M' << 8 | 'X':
		return master_cf_remove_service(cf, arg, error_r);
	case 'M' << 8 | '#':
		return master_cf_comment_service(cf, arg, error_r);
	case 'F' << 8 | 'e':
		return master_cf_edit_field(cf, arg, error_r);
	case 'P' << 8 | 'e':
		return master_cf_edit_param(cf, arg, error_r);
	case 'P' << 8 | 'X':
		return master_cf_remove_param(cf, arg, error_r);
	default:
		msg_fatal("with option -%c, do not specify -%c", master, edit);
	}
}

static void edit(const struct postconf *pc, struct master_cf *cf, char how)
{
	const char *error;

	if (pc->name_count == 0)
		msg_fatal("-%c%c requires an argument", pc->master, how);
	for (size_t i = 0; i < pc->name_count; i++) {
		switch (edit_one(pc->master, how, cf, pc->names[i], &error)) {
		case MASTER_CF_EDIT_ERROR:
			msg_fatal("%s", error);
		case MASTER_CF_EDIT_UNMATCHED:
			msg_warn("%s", error);
			break;
		default:
			break;
		}
	}
	if (!master_cf_write(cf, &error))
		msg_fatal("%s", error);
}

int postconf_master(const struct postconf *pc, char how)
{
	static const char *const forms[] = {"service_name[/type]",
	                                    "service_name[/type[/field_name]]",
	                                    "service_name[/type[/parameter_name]]"};
	int max_parts = pc->master == 'M' ? 2 : 3;
	const char *form = forms[strchr("MFP", pc->master) - "MFP"];
	struct master_cf *cf;
	const char *error;

	if (pc->flags & POSTCONF_DEFAULTS)
		msg_fatal("with option -%c, do not specify -d", pc->master);
	if (pc->flags & POSTCONF_NONDEF)
		msg_fatal("with option -%c, do not specify -n", pc->master);
	for (size_t i = 0; how == 0 && i < pc->name_count; i++)
		if (!master_cf_request_check(pc->names[i], max_parts, &error))
			msg_fatal("-%c option requires %s", pc->master, form);
	/* lib/config/master_cf prints -M and -F unexpanded; say so rather than ignore -x. */
	if ((pc->flags & POSTCONF_EXPAND) && pc->master != 'P')
		msg_fatal("option -x is not supported with -%c", pc->master);
	cf = read_master_cf(pc);
	if (how)
		edit(pc, cf, how);
	else
		show(pc, cf);
	master_cf_free(&cf);
	return 0;
}
