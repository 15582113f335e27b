/*
 * NAME
 *	postalias - build, query and update alias tables
 *	newaliases - rebuild the alias tables in alias_database
 *
 * SYNOPSIS
 *	postalias [-fimnNoprsuvw] [-c config_dir] [-d key] [-q key] [type:]file ...
 *	newaliases [-C config_dir] [-v]
 *
 * DESCRIPTION
 *	postalias is postmap(1) for aliases(5) files: "name: value, value"
 *	lines, a name optionally quoted, continuation lines starting with
 *	whitespace.  Values are stored normalized as Postfix stores them.
 *	A build also stores sendmail's "@" -> "@" entry, which tells readers
 *	that the table is complete, and the NIS entries YP_LAST_MODIFIED (the
 *	build time, ten digits) and YP_MASTER_NAME (myhostname), which are
 *	stored without trailing NUL.  The options are postmap(1)'s; -s and
 *	"-q -" print "key:<TAB>value".
 *
 *	Invoked as newaliases, builds each table that alias_database lists,
 *	as Postfix's "sendmail -bi" does; -C names the configuration
 *	directory.
 *
 * PARAMETERS
 *	alias_database (hash:/etc/aliases)	the tables newaliases builds.
 *	berkeley_db_create_buffer_size (16777216)	cache for building hash/btree.
 *	berkeley_db_read_buffer_size (131072)	cache for reading hash/btree.
 *	config_directory (built-in)	where main.cf is read.
 *	default_database_type (hash)	the type of a name without one.
 *	lmdb_map_size (16777216)	initial LMDB map size.
 *	myhostname (system host name)	YP_MASTER_NAME's value.
 *	syslog_facility (mail), syslog_name (postfix), maillog_file ()	logging.
 *
 * DIAGNOSTICS
 *	As postmap(1): "file, line N: need name:value pair" for a malformed
 *	line (skipped), "file.db: duplicate entry: "name"" for a duplicate
 *	(first kept).  Exit status 0 on success, 1 when -q or -d found
 *	nothing or on any error.
 *
 * SECURITY
 *	Not set-id.  Run as root for a source file owned by another user,
 *	it switches to that user (unless -o) before reading the source or
 *	writing the table.
 *
 * SEE ALSO
 *	postmap(1), aliases(5), lib/dict/dict_cmd.h, Postfix's postalias(1).
 */
#include <string.h>

#include "postalias.h"

const struct dict_cmd_program postalias_program = {
    .name = "postalias",
    .usage = "postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...",
    .flag_letters = "Nfinoprsuvw",
    .format = DICT_SOURCE_ALIASES,
    .separator = ":\t",
    .aliases = 1,
};

int main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');

	if (strcmp(slash ? slash + 1 : argv[0], "newaliases") == 0)
		return postalias_newaliases(argc, argv);
	return dict_cmd_main(&postalias_program, argc, argv);
}
