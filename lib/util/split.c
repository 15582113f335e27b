/*
 * split - tokenizers that cut a configuration string in place.  Each
 * scan stops at the terminating NUL before looking at the next byte,
 * and errors are found before anything is written, so a bad value can
 * still be quoted whole in the message about it.
 */
#include <ctype.h>
#include <string.h>

#include "util/split.h"

#define SPLIT_ERR_UNCLOSED "missing '}'"
#define SPLIT_ERR_AFTER_BRACE "syntax error after '}'"
#define SPLIT_ERR_NO_NAME "missing attribute name"
#define SPLIT_ERR_NO_EQUALS "missing '=' after attribute name"

/* True for a non-NUL byte in separators (strchr() also finds the NUL). */
static bool split_is_separator(char ch, const char *separators)
{
	return ch != 0 && strchr(separators, ch) != NULL;
}

/* Ends the token at end (a separator or NUL) and moves the cursor on. */
static void split_finish(char **cursor, char *end)
{
	if (*end != 0)
		*end++ = 0;
	*cursor = end;
}

char *split_next(char **cursor, const char *separators)
{
	char *start = *cursor + strspn(*cursor, separators);
	char *end;

	if (*start == 0) {
		*cursor = start;
		return NULL;
	}
	end = start + strcspn(start, separators);
	split_finish(cursor, end);
	return start;
}

/* Returns the '}' that closes the '{' at open, or NULL. */
static char *split_matching_brace(char *open)
{
	int depth = 0;

	for (char *cp = open; *cp != 0; cp++) {
		if (*cp == '{')
			depth++;
		else if (*cp == '}' && --depth == 0)
			return cp;
	}
	return NULL;
}

/* Takes "{ ... }" from start; see split_next_braced(). */
static char *split_braced_group(char **cursor, char *start, const char *separators,
                                const char **error_r)
{
	char *close = split_matching_brace(start);

	if (close == NULL) {
		*error_r = SPLIT_ERR_UNCLOSED;
		return NULL;
	}
	if (close[1] != 0 && !split_is_separator(close[1], separators)) {
		*error_r = SPLIT_ERR_AFTER_BRACE;
		return NULL;
	}
	split_finish(cursor, close + 1);
	*close = 0;
	return split_trim(start + 1);
}

/* Takes a plain token whose braces protect the separators inside them. */
static char *split_plain_token(char **cursor, char *start, const char *separators,
                               const char **error_r)
{
	int depth = 0;
	char *cp;

	for (cp = start; *cp != 0; cp++) {
		if (*cp == '{')
			depth++;
		else if (*cp == '}' && depth > 0)
			depth--;
		else if (depth == 0 && split_is_separator(*cp, separators))
			break;
	}
	if (depth > 0) {
		*error_r = SPLIT_ERR_UNCLOSED;
		return NULL;
	}
	split_finish(cursor, cp);
	return start;
}

char *split_next_braced(char **cursor, const char *separators, const char **error_r)
{
	char *start = *cursor + strspn(*cursor, separators);

	*error_r = NULL;
	if (*start == 0) {
		*cursor = start;
		return NULL;
	}
	if (*start == '{')
		return split_braced_group(cursor, start, separators, error_r);
	return split_plain_token(cursor, start, separators, error_r);
}

bool split_nameval(char *text, char **name_r, char **value_r, const char **error_r)
{
	char *start = text;
	char *equals;

	while (isspace((unsigned char)*start))
		start++;
	if (*start == 0 || *start == '=') {
		*error_r = SPLIT_ERR_NO_NAME;
		return false;
	}
	equals = strchr(start, '=');
	if (equals == NULL) {
		*error_r = SPLIT_ERR_NO_EQUALS;
		return false;
	}
	*equals = 0;
	*name_r = split_trim(start);
	*value_r = split_trim(equals + 1);
	return true;
}

char *split_at(char *text, char ch)
{
	char *at = strchr(text, ch);

	if (at == NULL || ch == 0)
		return NULL;
	*at = 0;
	return at + 1;
}

char *split_at_last(char *text, char ch)
{
	char *at = strrchr(text, ch);

	if (at == NULL || ch == 0)
		return NULL;
	*at = 0;
	return at + 1;
}

char *split_trim(char *text)
{
	char *end;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	*end = 0;
	return text;
}
