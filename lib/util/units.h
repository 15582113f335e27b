/*
 * units - numbers, times and booleans as Postfix's main.cf and master.cf
 * write them.
 *
 * Each parser takes the parameter name (for the message) and the value
 * text, stores the result through *value_r and returns true, or returns
 * false with *error_r set to Postfix's own wording, e.g.
 *   "parameter smtpd_timeout: bad time value or unit: 10x"
 *   "invalid smtpd_timeout: 0 (min 1)"
 *   "bad numerical configuration: line_length_limit = 1k"
 *   "invalid line_length_limit parameter value 39 < 512"
 *   "bad boolean configuration: smtputf8_enable = maybe"
 * A caller prefixes it with the file and line.  *error_r points into
 * storage that the next units_* call overwrites.
 *
 * Accepted syntax: decimal digits with an optional '+' (and '-' where
 * negative numbers make sense); no whitespace, no hexadecimal or octal
 * (a leading 0 is decimal), nothing after the number or the unit.
 * Postfix itself ignores text after a time unit ("5m3s" means 5m) and
 * reads a lone unit ("s") as 0; both are errors here, since they are
 * almost certainly typing mistakes.
 */
#ifndef POSTERN_UTIL_UNITS_H
#define POSTERN_UTIL_UNITS_H

#include <stdbool.h>

/*
 * Parses a time: a non-negative number with an optional unit s
 * (seconds), m (minutes), h (hours), d (days) or w (weeks), lower case
 * only; a bare number is in def_unit, the parameter's default unit (one
 * of "smhdw"; anything else is a caller bug and panics).  The result in
 * seconds must fit an int and lie in [min, max].
 */
bool units_time(const char *name, const char *text, char def_unit, int min, int max, int *seconds_r,
                const char **error_r);

/* Parses a decimal int in [min, max]; sizes and counts carry no unit. */
bool units_int(const char *name, const char *text, int min, int max, int *value_r,
               const char **error_r);

/* Parses a decimal long in [min, max] (e.g. message_size_limit). */
bool units_long(const char *name, const char *text, long min, long max, long *value_r,
                const char **error_r);

/* Parses "yes" or "no" in any mix of case. */
bool units_bool(const char *name, const char *text, bool *value_r, const char **error_r);

/* Seconds in one def_unit ('s' 1, 'm' 60, ...), or 0 for an unknown unit. */
int units_time_multiplier(char unit);

#endif
