/*
 * params - the table of every parameter postern reads (params.def), its
 * var_<name> storage, and conversion of a value to the parameter's type.
 *
 * Each program's start-up (conf_load() in config.h) fills every var_
 * from main.cf and the defaults; code then reads var_<name> directly.
 */
#ifndef POSTERN_CONFIG_PARAMS_H
#define POSTERN_CONFIG_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "util/strbuf.h"

enum param_type {
	PARAM_TYPE_STR,  /* string, $name expanded */
	PARAM_TYPE_RAW,  /* string kept verbatim */
	PARAM_TYPE_INT,  /* int within [min, max] */
	PARAM_TYPE_LONG, /* long within [min, max] */
	PARAM_TYPE_TIME, /* seconds; "10m" etc., bare numbers in the default's unit */
};

/* The default of a parameter whose value depends on the host. */
#define PARAM_COMPUTED NULL

#define PARAM_CTYPE_STR char *
#define PARAM_CTYPE_RAW char *
#define PARAM_CTYPE_INT int
#define PARAM_CTYPE_LONG long
#define PARAM_CTYPE_TIME int

#define PARAM(type, name, def, min, max, desc) extern PARAM_CTYPE_##type var_##name;
#include "config/params.def"
#undef PARAM

/* One row of the table. */
struct param_info {
	const char *name;
	enum param_type type;
	const char *default_value; /* PARAM_COMPUTED: see conf_default() */
	long min;
	long max; /* 0: no upper bound */
	const char *description;
	void *storage; /* the var_<name> of the row's type */
};

/* The number of rows; rows are sorted by name. */
size_t params_count(void);

/* Row index (0 <= index < params_count()). */
const struct param_info *params_at(size_t index);

/* The row for name, or NULL for a parameter we do not have. */
const struct param_info *params_find(const char *name);

/*
 * Checks value (already expanded for STR) against the row's type and
 * bounds and stores it in the row's variable.  Returns false with the
 * reason in error (Postfix's wording, from util/units.h).
 */
bool params_store(const struct param_info *info, const char *value, struct strbuf *error);

/* The unit of bare numbers for a TIME row: its default's unit letter. */
char params_time_unit(const struct param_info *info);

/* Frees every string variable and zeroes all of them (tests, reloads). */
void params_reset(void);

#endif
