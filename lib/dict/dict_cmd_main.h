/*
 * dict_cmd_main - the command line shared by postmap(1) and postalias(1):
 * option parsing, configuration, and the choice between building tables,
 * -q, -d and -s.  Each program's main() describes itself in a struct
 * dict_cmd_program and calls dict_cmd_main().
 */
#ifndef POSTERN_DICT_DICT_CMD_MAIN_H
#define POSTERN_DICT_DICT_CMD_MAIN_H

#include "dict/dict_cmd.h"
#include "dict/dict_source.h"

/* How one program differs from the other. */
struct dict_cmd_program {
	const char *name;               /* "postmap", for messages */
	const char *usage;              /* the usage line, without "usage: " */
	const char *flag_letters;       /* the single-letter options it accepts */
	enum dict_source_format format; /* what its source files hold */
	const char *separator;          /* between key and value in -s and "-q -" output */
	int aliases;                    /* add the "@" and NIS entries when building */
};

/*
 * Runs the program with its command line and returns the exit status
 * (0 on success; for -q and -d, 1 when no key was found).  Errors are
 * fatal, with status 1, as Postfix's are.
 */
int dict_cmd_main(const struct dict_cmd_program *program, int argc, char **argv);

/* Fills cmd with the program's defaults, before options change them. */
void dict_cmd_main_defaults(const struct dict_cmd_program *program, struct dict_cmd *cmd);

/*
 * Reads main.cf from config_dir (NULL: $MAIL_CONFIG or the default) and
 * completes cmd from it (default_database_type, myhostname); applies the
 * Berkeley DB and LMDB sizes.  Problems are fatal.
 */
void dict_cmd_main_configure(struct dict_cmd *cmd, const char *config_dir);

#endif
