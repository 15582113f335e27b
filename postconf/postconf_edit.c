/*
 * postconf_edit - the -e, -X and -# options: check the operands, then
 * let main_cf_edit rewrite main.cf atomically.
 */
#include <stdlib.h>
#include <string.h>

#include "config/main_cf_edit.h"
#include "postconf.h"
#include "util/alloc.h"
#include "util/msg.h"

static void edit(const struct postconf *pc, enum main_cf_edit_mode mode,
                 const struct main_cf_change *changes)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);

	strbuf_printf(path, "%s/main.cf", pc->dir);
	if (!main_cf_edit(strbuf_str(path), mode, changes, pc->name_count, error))
		msg_fatal("%s", strbuf_str(error));
	strbuf_free(&path);
	strbuf_free(&error);
}

void postconf_edit_set(const struct postconf *pc)
{
	struct main_cf_change *changes = xcalloc(pc->name_count + 1, sizeof(*changes));
	const char *reason;

	if (pc->name_count == 0)
		msg_fatal("-e requires name=value argument");
	for (size_t i = 0; i < pc->name_count; i++) {
		char *name, *value;

		if (!main_cf_split(pc->names[i], &name, &value, &reason))
			msg_fatal("%s: \"%s\"", reason, pc->names[i]);
		changes[i].name = name;
		changes[i].value = value;
	}
	edit(pc, MAIN_CF_EDIT_SET, changes);
	for (size_t i = 0; i < pc->name_count; i++) {
		free((char *)changes[i].name);
		free((char *)changes[i].value);
	}
	free(changes);
}

void postconf_edit_remove(const struct postconf *pc, bool comment)
{
	struct main_cf_change *changes = xcalloc(pc->name_count + 1, sizeof(*changes));

	if (pc->name_count == 0)
		msg_fatal("-X or -# requires parameter name argument");
	for (size_t i = 0; i < pc->name_count; i++) {
		if (strchr(pc->names[i], '=') != NULL)
			msg_fatal("-X or -# requires parameter names without value");
		changes[i].name = pc->names[i];
	}
	edit(pc, comment ? MAIN_CF_EDIT_COMMENT : MAIN_CF_EDIT_REMOVE, changes);
	free(changes);
}
