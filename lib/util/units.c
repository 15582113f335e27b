/*
 * units - configuration value parsers.  Syntax is checked by hand
 * before strtol() sees the text, because strtol() alone would accept
 * leading whitespace, "0x" prefixes and a missing number.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "util/msg.h"
#include "util/units.h"

#define UNITS_ERROR_MAX 512

static char units_error[UNITS_ERROR_MAX];

/* Formats the message that *error_r will point at, and returns false. */
static bool units_fail(const char **error_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool units_fail(const char **error_r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(units_error, sizeof(units_error), fmt, ap);
	va_end(ap);
	*error_r = units_error;
	return false;
}

/*
 * Reads an optionally signed decimal number at the start of text into
 * *value_r and returns the first byte after it, or NULL when there is
 * no number or it does not fit a long long.
 */
static const char *units_number(const char *text, bool allow_minus, long long *value_r)
{
	const char *digits = text;
	char *end;

	if (*digits == '+' || (allow_minus && *digits == '-'))
		digits++;
	if (!isdigit((unsigned char)*digits))
		return NULL;
	errno = 0;
	*value_r = strtoll(text, &end, 10);
	if (errno == ERANGE)
		return NULL;
	return end;
}

int units_time_multiplier(char unit)
{
	switch (unit) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 60 * 60;
	case 'd':
		return 24 * 60 * 60;
	case 'w':
		return 7 * 24 * 60 * 60;
	default:
		return 0;
	}
}

bool units_time(const char *name, const char *text, char def_unit, int min, int max, int *seconds_r,
                const char **error_r)
{
	long long number;
	const char *end;
	int multiplier;

	if (units_time_multiplier(def_unit) == 0)
		msg_panic("units_time: %s: bad default unit '%c'", name, def_unit);
	end = units_number(text, false, &number);
	if (end == NULL || (end[0] != 0 && end[1] != 0))
		return units_fail(error_r, "parameter %s: bad time value or unit: %s", name, text);
	multiplier = units_time_multiplier(end[0] ? end[0] : def_unit);
	if (multiplier == 0 || number > INT_MAX / multiplier)
		return units_fail(error_r, "parameter %s: bad time value or unit: %s", name, text);
	number *= multiplier;
	if (number < min)
		return units_fail(error_r, "invalid %s: %lld (min %d)", name, number, min);
	if (number > max)
		return units_fail(error_r, "invalid %s: %lld (max %d)", name, number, max);
	*seconds_r = (int)number;
	return true;
}

bool units_long(const char *name, const char *text, long min, long max, long *value_r,
                const char **error_r)
{
	long long number;
	const char *end = units_number(text, true, &number);

	if (end == NULL || *end != 0 || number < LONG_MIN || number > LONG_MAX)
		return units_fail(error_r, "bad numerical configuration: %s = %s", name, text);
	if (number < min)
		return units_fail(error_r, "invalid %s parameter value %lld < %ld", name, number,
		                  min);
	if (number > max)
		return units_fail(error_r, "invalid %s parameter value %lld > %ld", name, number,
		                  max);
	*value_r = (long)number;
	return true;
}

bool units_int(const char *name, const char *text, int min, int max, int *value_r,
               const char **error_r)
{
	long long number;
	const char *end = units_number(text, true, &number);

	if (end == NULL || *end != 0 || number < INT_MIN || number > INT_MAX)
		return units_fail(error_r, "bad numerical configuration: %s = %s", name, text);
	if (number < min)
		return units_fail(error_r, "invalid %s parameter value %lld < %d", name, number,
		                  min);
	if (number > max)
		return units_fail(error_r, "invalid %s parameter value %lld > %d", name, number,
		                  max);
	*value_r = (int)number;
	return true;
}

bool units_bool(const char *name, const char *text, bool *value_r, const char **error_r)
{
	if (strcasecmp(text, "yes") == 0)
		*value_r = true;
	else if (strcasecmp(text, "no") == 0)
		*value_r = false;
	else
		return units_fail(error_r, "bad boolean configuration: %s = %s", name, text);
	return true;
}
