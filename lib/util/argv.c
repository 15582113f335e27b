/*
 * argv - string vectors.  The vector keeps one spare slot for the NULL
 * terminator at all times, so items can go to execv() without a copy.
 */
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/argv.h"
#include "util/strbuf.h"

#define ARGV_INITIAL 8

struct argv *argv_new(void)
{
	struct argv *argv = xmalloc(sizeof(*argv));

	argv->capacity = ARGV_INITIAL;
	argv->items = xreallocarray(NULL, argv->capacity, sizeof(char *));
	argv->count = 0;
	argv->items[0] = NULL;
	return argv;
}

void argv_free(struct argv **argv)
{
	if (*argv == NULL)
		return;
	argv_truncate(*argv, 0);
	free((*argv)->items);
	free(*argv);
	*argv = NULL;
}

/* Takes ownership of copy, growing the array when the spare slot is used. */
static void argv_push(struct argv *argv, char *copy)
{
	if (argv->count + 1 >= argv->capacity) {
		argv->capacity *= 2;
		argv->items = xreallocarray(argv->items, argv->capacity, sizeof(char *));
	}
	argv->items[argv->count++] = copy;
	argv->items[argv->count] = NULL;
}

void argv_add(struct argv *argv, const char *text)
{
	argv_push(argv, xstrdup(text));
}

void argv_add_n(struct argv *argv, const char *text, size_t len)
{
	argv_push(argv, xstrndup(text, len));
}

void argv_truncate(struct argv *argv, size_t count)
{
	while (argv->count > count)
		free(argv->items[--argv->count]);
	argv->items[argv->count] = NULL;
}

bool argv_join(const struct argv *argv, const char *separator, struct strbuf *out)
{
	for (size_t i = 0; i < argv->count; i++) {
		if (i > 0 && !strbuf_append_str(out, separator))
			return false;
		if (!strbuf_append_str(out, argv->items[i]))
			return false;
	}
	return true;
}

void argv_split_append(struct argv *argv, const char *text, const char *delimiters)
{
	const char *cp = text;
	size_t len;

	for (;;) {
		cp += strspn(cp, delimiters);
		if (*cp == 0)
			break;
		len = strcspn(cp, delimiters);
		argv_add_n(argv, cp, len);
		cp += len;
	}
}

struct argv *argv_split(const char *text, const char *delimiters)
{
	struct argv *argv = argv_new();

	argv_split_append(argv, text, delimiters);
	return argv;
}

static int argv_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void argv_sort(struct argv *argv)
{
	if (argv->count > 1)
		qsort(argv->items, argv->count, sizeof(char *), argv_compare);
}

void argv_uniq(struct argv *argv)
{
	size_t kept = 0;

	for (size_t i = 0; i < argv->count; i++) {
		if (kept > 0 && strcmp(argv->items[kept - 1], argv->items[i]) == 0)
			free(argv->items[i]);
		else
			argv->items[kept++] = argv->items[i];
	}
	argv->count = kept;
	argv->items[kept] = NULL;
}
