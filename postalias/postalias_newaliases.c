/*
 * postalias_newaliases - newaliases, Postfix's "sendmail -bi": rebuild
 * every alias table that alias_database names, with postalias's defaults.
 * It is postalias under another name, so no sendmail is needed for it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/params.h"
#include "postalias.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/split.h"

int postalias_newaliases(int argc, char **argv)
{
	struct dict_cmd cmd;
	const char *config_dir = NULL;
	const char *error;
	char *list, *cursor, *name;
	int ch;

	msg_init(postalias_program.name);
	dict_cmd_main_defaults(&postalias_program, &cmd);
	opterr = 0;
	while ((ch = getopt(argc, argv, "C:v")) != -1) {
		if (ch == 'C')
			config_dir = optarg;
		else if (ch == 'v')
			msg_verbose++;
		else
			msg_fatal("usage: newaliases [-C config_dir] [-v]");
	}
	dict_cmd_main_configure(&cmd, config_dir);
	cursor = list = xstrdup(var_alias_database);
	while ((name = split_next(&cursor, SPLIT_LIST_SEPARATORS)) != NULL)
		if (!dict_cmd_build(&cmd, name, false, &error))
			msg_fatal("%s", error);
	free(list);
	return 0;
}
