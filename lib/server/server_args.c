/*
 * server_args - parsing a daemon's master command line.  Hand-written
 * rather than getopt() so that it keeps no global state (tests parse many
 * command lines in one process) and can say exactly what was wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_args.h"
#include "util/alloc.h"

static char server_args_error[256];

__attribute__((format(printf, 1, 2))) static const char *server_args_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(server_args_error, sizeof(server_args_error), fmt, ap);
	va_end(ap);
	return server_args_error;
}

bool server_args_type_known(const char *type)
{
	static const char *const types[] = {"inet", "unix", "unix-dgram", "fifo", "pass"};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

/* A -o value must start with a parameter name and '='. */
static bool server_args_override_ok(const char *value)
{
	size_t n = strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n > 0 && value[n] == '=';
}

static bool server_args_count(const char *text, int *count_r)
{
	char *end;
	long n;

	if (text[0] < '0' || text[0] > '9')
		return false;
	n = strtol(text, &end, 10);
	if (*end != 0 || n > SERVER_ARGS_LISTEN_MAX)
		return false;
	*count_r = (int)n;
	return true;
}

/* Stores the value of option opt; NULL or an error text. */
static const char *server_args_value(struct server_args *args, char opt, const char *value)
{
	switch (opt) {
	case 'n':
		free(args->service_name);
		args->service_name = xstrdup(value);
		return NULL;
	case 't':
		if (!server_args_type_known(value))
			return server_args_fail("unknown service type: %s", value);
		free(args->service_type);
		args->service_type = xstrdup(value);
		return NULL;
	case 's':
		if (!server_args_count(value, &args->listen_count))
			return server_args_fail("bad descriptor count: %s", value);
		return NULL;
	default:
		if (!server_args_override_ok(value))
			return server_args_fail("bad -o value (want name=value): %s", value);
		argv_add(args->overrides, value);
		return NULL;
	}
}

/*
 * Handles one option word (argv[*i]), which may bundle flags ("-vv") and
 * end in an option that takes a value, attached or in the next word.
 */
static const char *server_args_word(struct server_args *args, int argc, char **argv, int *i)
{
	char opt_text[2] = {0, 0};

	for (const char *p = argv[*i] + 1; *p; p++) {
		switch (*p) {
		case 'c':
			args->no_chroot = true;
			continue;
		case 'd':
			args->debug = true;
			continue;
		case 'u':
			args->unprivileged = true;
			continue;
		case 'v':
			args->verbose++;
			continue;
		case 'n':
		case 't':
		case 's':
		case 'o':
			if (p[1])
				return server_args_value(args, *p, p + 1);
			if (*i + 1 >= argc) {
				opt_text[0] = *p;
				return server_args_fail("option -%s requires a value", opt_text);
			}
			return server_args_value(args, *p, argv[++*i]);
		default:
			opt_text[0] = *p;
			return server_args_fail("unknown option: -%s", opt_text);
		}
	}
	return NULL;
}

static const char *server_args_check(const struct server_args *args)
{
	if (args->debug)
		return NULL;
	if (args->service_name == NULL)
		return server_args_fail("%s", "missing -n service name");
	if (args->service_type == NULL)
		return server_args_fail("%s", "missing -t service type");
	if (args->listen_count == 0)
		return server_args_fail("%s", "-s 0 needs -d");
	return NULL;
}

struct server_args *server_args_parse(int argc, char **argv, const char **error_r)
{
	struct server_args *args = xcalloc(1, sizeof(*args));
	const char *error = NULL;
	int i;

	args->listen_count = 1;
	args->overrides = argv_new();
	args->extra = argv_new();
	for (i = 1; i < argc && error == NULL; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][0] != '-' || argv[i][1] == 0)
			break;
		error = server_args_word(args, argc, argv, &i);
	}
	for (; i < argc && error == NULL; i++)
		argv_add(args->extra, argv[i]);
	if (error == NULL)
		error = server_args_check(args);
	if (error == NULL && args->service_name == NULL)
		args->service_name = xstrdup("-");
	if (error == NULL && args->service_type == NULL)
		args->service_type = xstrdup("unix");
	if (error) {
		server_args_free(&args);
		*error_r = error;
	}
	return args;
}

void server_args_free(struct server_args **args)
{
	if (*args == NULL)
		return;
	free((*args)->service_name);
	free((*args)->service_type);
	argv_free(&(*args)->overrides);
	argv_free(&(*args)->extra);
	free(*args);
	*args = NULL;
}
