/*
 * dict_cmd_main - postmap's and postalias's command line.  The two
 * commands share options, messages and exit statuses with Postfix's, so
 * one parser serves both; only the source format, the listing separator
 * and the alias sentinel differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "dict/dict_cmd.h"
#include "dict/dict_cmd_main.h"
#include "dict/dict_cmd_ops.h"
#include "dict/dict_db.h"
#include "dict/dict_lmdb.h"
#include "dict/dict_nul.h"
#include "util/msg.h"

/* What the command line asks for beyond struct dict_cmd. */
struct dict_cmd_request {
	const char *config_dir;
	const char *query;  /* -q key */
	const char *delete; /* -d key */
	bool dump;          /* -s */
	bool incremental;   /* -i */
};

static _Noreturn void dict_cmd_usage(const struct dict_cmd_program *program)
{
	msg_fatal("usage: %s", program->usage);
}

void dict_cmd_main_defaults(const struct dict_cmd_program *program, struct dict_cmd *cmd)
{
	*cmd = (struct dict_cmd){
	    .format = program->format,
	    .dup_flags = DICT_FLAG_DUP_WARN,
	    .fold = true,
	    .as_owner = true,
	    .source_mode = true,
	    .aliases = program->aliases != 0,
	    .separator = program->separator,
	};
}

void dict_cmd_main_configure(struct dict_cmd *cmd, const char *config_dir)
{
	conf_load(config_dir, NULL, CONF_LOAD_LOGGING);
	cmd->default_type = var_default_database_type;
	cmd->hostname = var_myhostname;
	dict_db_set_buffer_sizes((size_t)var_berkeley_db_create_buffer_size,
	                         (size_t)var_berkeley_db_read_buffer_size);
	dict_lmdb_set_map_size((size_t)var_lmdb_map_size);
	/* New tables get at most the source's read bits; Postfix starts from 022. */
	umask(022);
}

/* The options that only change struct dict_cmd; false for other letters. */
static bool dict_cmd_flag_option(int ch, struct dict_cmd *cmd)
{
	switch (ch) {
	case 'f':
		cmd->fold = false;
		return true;
	case 'N':
		cmd->dict_flags =
		    (cmd->dict_flags & ~DICT_NUL_FLAG_EXCLUDE) | DICT_NUL_FLAG_INCLUDE;
		return true;
	case 'n':
		cmd->dict_flags =
		    (cmd->dict_flags & ~DICT_NUL_FLAG_INCLUDE) | DICT_NUL_FLAG_EXCLUDE;
		return true;
	case 'o':
		cmd->as_owner = false;
		return true;
	case 'p':
		cmd->source_mode = false;
		return true;
	case 'r':
		cmd->dup_flags = DICT_FLAG_DUP_REPLACE;
		return true;
	case 'w':
		cmd->dup_flags = DICT_FLAG_DUP_IGNORE;
		return true;
	case 'u':
	case 'U':
		/* UTF-8 checks are not implemented, so there is nothing to turn off or force. */
		return true;
	default:
		return false;
	}
}

/* The mode options, refused in combination with Postfix's messages. */
static bool dict_cmd_mode_option(int ch, struct dict_cmd_request *req)
{
	switch (ch) {
	case 'd':
		if (req->dump || req->query)
			msg_fatal("specify only one of -s -q or -d");
		req->delete = optarg;
		return true;
	case 'q':
		if (req->dump || req->delete)
			msg_fatal("specify only one of -s -q or -d");
		req->query = optarg;
		return true;
	case 's':
		if (req->query || req->delete)
			msg_fatal("specify only one of -s or -q or -d");
		req->dump = true;
		return true;
	case 'i':
		req->incremental = true;
		return true;
	case 'c':
		req->config_dir = optarg;
		return true;
	case 'v':
		msg_verbose++;
		return true;
	default:
		return false;
	}
}

static void dict_cmd_parse(const struct dict_cmd_program *program, int argc, char **argv,
                           struct dict_cmd *cmd, struct dict_cmd_request *req)
{
	char optstring[64];
	int ch;

	snprintf(optstring, sizeof(optstring), ":%sc:d:q:", program->flag_letters);
	opterr = 0;
	while ((ch = getopt(argc, argv, optstring)) != -1) {
		if (dict_cmd_mode_option(ch, req) || dict_cmd_flag_option(ch, cmd))
			continue;
		if (ch == '?' || ch == ':') {
			fprintf(stderr, "%s: %s -- '%c'\n", program->name,
			        ch == ':' ? "option requires an argument" : "invalid option",
			        optopt);
			dict_cmd_usage(program);
		}
		msg_fatal("option -%c is not supported by this implementation", ch);
	}
	if (optind >= argc)
		dict_cmd_usage(program);
}

/* Runs -q, -d or -s; the exit status. */
static int dict_cmd_run_ops(const struct dict_cmd *cmd, const struct dict_cmd_request *req,
                            char **names, int count)
{
	enum dict_status status;
	const char *error = NULL;

	if (req->query)
		status = dict_cmd_ops_query(cmd, names, count, req->query, stdin, stdout, &error);
	else if (req->delete)
		status = dict_cmd_ops_delete(cmd, names, count, req->delete, stdin, &error);
	else
		status = dict_cmd_ops_dump(cmd, names[0], stdout, &error);
	if (status != DICT_FOUND && status != DICT_NOT_FOUND)
		msg_fatal("%s", error);
	if (fflush(stdout) != 0 || ferror(stdout))
		msg_fatal("write error: %m");
	return status == DICT_FOUND ? 0 : 1;
}

int dict_cmd_main(const struct dict_cmd_program *program, int argc, char **argv)
{
	struct dict_cmd cmd;
	struct dict_cmd_request req = {0};
	const char *error;

	msg_init(program->name);
	if (getenv("MAIL_VERBOSE") != NULL)
		msg_verbose++;
	dict_cmd_main_defaults(program, &cmd);
	dict_cmd_parse(program, argc, argv, &cmd, &req);
	dict_cmd_main_configure(&cmd, req.config_dir);
	if (req.query || req.delete || req.dump)
		return dict_cmd_run_ops(&cmd, &req, argv + optind, argc - optind);
	for (int i = optind; i < argc; i++)
		if (!dict_cmd_build(&cmd, argv[i], req.incremental, &error))
			msg_fatal("%s", error);
	return 0;
}
