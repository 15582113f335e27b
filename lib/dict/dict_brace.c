/*
 * dict_brace - brace grouping for table names.  The rules are Postfix's
 * (as observed with postmap -q): braces nest, a group is trimmed inside,
 * and even whitespace after the closing brace is an error, so that a
 * typo cannot silently change a value.
 */
#include <ctype.h>
#include <string.h>

#include "dict/dict.h"
#include "dict/dict_brace.h"

static char *dict_brace_skip_space(char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	return text;
}

static void dict_brace_trim_end(char *text)
{
	size_t len = strlen(text);

	while (len > 0 && isspace((unsigned char)text[len - 1]))
		text[--len] = 0;
}

/* The matching '}' for the '{' at open, or NULL when braces do not balance. */
static char *dict_brace_match(char *open)
{
	int depth = 0;

	for (char *cp = open; *cp; cp++) {
		if (*cp == '{')
			depth++;
		else if (*cp == '}' && --depth == 0)
			return cp;
	}
	return NULL;
}

bool dict_brace_strip(char *text, char **inner_r, const char **error_r)
{
	char *start = dict_brace_skip_space(text);
	char *close;

	if (*start != '{') {
		*inner_r = text;
		return true;
	}
	if ((close = dict_brace_match(start)) == NULL) {
		*error_r = dict_errorf("missing '}' in \"%s\"", start);
		return false;
	}
	if (close[1] != 0) {
		*error_r = dict_errorf("syntax error after '}' in \"%s\"", start);
		return false;
	}
	*close = 0;
	*inner_r = dict_brace_skip_space(start + 1);
	dict_brace_trim_end(*inner_r);
	return true;
}

char *dict_brace_token(char **cursor, const char *separators)
{
	char *start = *cursor + strspn(*cursor, separators);
	char *cp = start;
	int depth = 0;

	if (*start == 0) {
		*cursor = start;
		return NULL;
	}
	for (; *cp; cp++) {
		if (*cp == '{')
			depth++;
		else if (*cp == '}' && depth > 0)
			depth--;
		else if (depth == 0 && strchr(separators, *cp) != NULL)
			break;
	}
	if (*cp != 0)
		*cp++ = 0;
	*cursor = cp;
	return start;
}

bool dict_brace_split_pair(char *text, char **name_r, char **value_r, const char **error_r)
{
	char *name = dict_brace_skip_space(text);
	char *end = name + strcspn(name, "= \t\r\n\v\f");
	char *equals = dict_brace_skip_space(end);

	if (*equals != '=') {
		*error_r = dict_errorf("missing '=' after attribute name");
		return false;
	}
	*end = 0;
	*name_r = name;
	*value_r = dict_brace_skip_space(equals + 1);
	dict_brace_trim_end(*value_r);
	return true;
}
