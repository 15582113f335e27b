/*
 * params - expand params.def into the var_ storage and a sorted table,
 * and convert text values into the typed variables (util/units has the
 * syntax and Postfix's error wording).
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "util/alloc.h"
#include "util/units.h"

#define PARAM(type, name, def, min, max, desc) PARAM_CTYPE_##type var_##name;
#include "config/params.def"
#undef PARAM

static const struct param_info params_table[] = {
#define PARAM(type, name, def, min, max, desc)                                                     \
	{#name, PARAM_TYPE_##type, def, min, max, desc, &var_##name},
#include "config/params.def"
#undef PARAM
};

#define PARAMS_COUNT (sizeof(params_table) / sizeof(params_table[0]))

size_t params_count(void)
{
	return PARAMS_COUNT;
}

const struct param_info *params_at(size_t index)
{
	return index < PARAMS_COUNT ? &params_table[index] : NULL;
}

static int params_compare(const void *key, const void *row)
{
	return strcmp(key, ((const struct param_info *)row)->name);
}

const struct param_info *params_find(const char *name)
{
	return bsearch(name, params_table, PARAMS_COUNT, sizeof(params_table[0]), params_compare);
}

char params_time_unit(const struct param_info *info)
{
	const char *def = info->default_value ? info->default_value : "";
	size_t len = strlen(def);

	return len > 0 && isalpha((unsigned char)def[len - 1]) ? def[len - 1] : 's';
}

static bool params_store_number(const struct param_info *info, const char *value,
                                struct strbuf *error)
{
	const char *reason = NULL;
	long max = info->max;
	bool ok;

	switch (info->type) {
	case PARAM_TYPE_LONG:
		ok = units_long(info->name, value, info->min, max ? max : LONG_MAX,
		                (long *)info->storage, &reason);
		break;
	case PARAM_TYPE_TIME:
		ok = units_time(info->name, value, params_time_unit(info), (int)info->min,
		                max ? (int)max : INT_MAX, (int *)info->storage, &reason);
		break;
	default:
		ok = units_int(info->name, value, (int)info->min, max ? (int)max : INT_MAX,
		               (int *)info->storage, &reason);
		break;
	}
	if (!ok)
		strbuf_append_str(error, reason);
	return ok;
}

bool params_store(const struct param_info *info, const char *value, struct strbuf *error)
{
	switch (info->type) {
	case PARAM_TYPE_STR:
	case PARAM_TYPE_RAW:
		free(*(char **)info->storage);
		*(char **)info->storage = xstrdup(value);
		return true;
	default:
		return params_store_number(info, value, error);
	}
}

void params_reset(void)
{
	for (size_t i = 0; i < PARAMS_COUNT; i++) {
		const struct param_info *info = &params_table[i];

		switch (info->type) {
		case PARAM_TYPE_STR:
		case PARAM_TYPE_RAW:
			xfree_ptr(info->storage);
			break;
		case PARAM_TYPE_LONG:
			*(long *)info->storage = 0;
			break;
		default:
			*(int *)info->storage = 0;
			break;
		}
	}
}
