/*
 * main_cf_edit - rewrite main.cf for postconf -e, -X and -#, keeping
 * every comment, blank line and the order of the other definitions.
 *
 * The new file is written beside main.cf, synced and renamed over it, so
 * a reader sees the old or the new file and never a mix; on any error
 * main.cf is left byte for byte as it was and the temporary file is
 * removed.  The file keeps its permission bits (and owner, when run by
 * root).  Concurrent editors are serialized with a lock on the directory.
 */
#ifndef POSTERN_CONFIG_MAIN_CF_EDIT_H
#define POSTERN_CONFIG_MAIN_CF_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

enum main_cf_edit_mode {
	MAIN_CF_EDIT_SET,     /* replace each definition in place, append new ones */
	MAIN_CF_EDIT_REMOVE,  /* drop each definition with its continuation lines */
	MAIN_CF_EDIT_COMMENT, /* put '#' before each of its lines */
};

/* One change: values is ignored except for MAIN_CF_EDIT_SET. */
struct main_cf_change {
	const char *name;
	const char *value;
};

/*
 * Applies count changes to the text of a main.cf (len bytes) and returns
 * the new text (caller frees; *len_r gets its length).  A name defined
 * more than once is changed everywhere, with a warning naming path.
 */
char *main_cf_edit_text(const char *path, const char *text, size_t len, enum main_cf_edit_mode mode,
                        const struct main_cf_change *changes, size_t count, size_t *len_r);

/*
 * Rewrites the file at path (created if missing, for SET) with the
 * changes.  Returns false with the reason in error, main.cf unchanged.
 */
bool main_cf_edit(const char *path, enum main_cf_edit_mode mode,
                  const struct main_cf_change *changes, size_t count, struct strbuf *error);

#endif
