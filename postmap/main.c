/*
 * NAME
 *	postmap - build, query and update lookup tables
 *
 * SYNOPSIS
 *	postmap [-fimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [type:]file ...
 *
 * DESCRIPTION
 *	Without -q, -d or -s, builds each table from its source file: hash:
 *	and btree: write file.db, lmdb: writes file.lmdb; a name without a
 *	type uses default_database_type.  The source holds "key whitespace
 *	value" lines; a line that starts with whitespace continues the
 *	previous one; blank lines and lines starting with '#' are skipped.
 *	The table is built beside the old one and renamed over it when
 *	complete, so readers see the old or the new table, never a partial
 *	one, and a failed build leaves the old table untouched.
 *
 *	-c config_dir	Read main.cf in config_dir.
 *	-d key		Delete key from every table that has it; "-" reads
 *			keys from standard input.  Exit 0 when anything was
 *			deleted.
 *	-f		Do not fold keys to lower case.
 *	-i		Add entries read from standard input to the table
 *			(created when missing), in place, under its lock.
 *	-N, -n		Store keys and values with (-N) or without (-n) the
 *			trailing NUL; by default write it and read both.
 *	-o		As root, keep root privileges; by default root acts
 *			as the source file's owner, who then owns new files.
 *	-p		New tables get mode 0644 rather than the source's
 *			group and other read permissions.
 *	-q key		Print the first value found for key; "-" reads keys
 *			from standard input and prints "key<TAB>value" for
 *			each key found.  Exit 0 when anything was found.
 *	-r		On a duplicate key, replace the value silently.
 *	-s		List the first table's entries as "key<TAB>value".
 *	-u, -U		Accepted; UTF-8 checks are not implemented.
 *	-v		More verbose logging.
 *	-w		On a duplicate key, keep the first value silently.
 *	-b, -h, -m, -F	Not implemented; refused.
 *
 * PARAMETERS
 *	berkeley_db_create_buffer_size (16777216)	cache for building hash/btree.
 *	berkeley_db_read_buffer_size (131072)	cache for reading hash/btree.
 *	config_directory (built-in)	where main.cf is read.
 *	default_database_type (hash)	the type of a name without one.
 *	lmdb_map_size (16777216)	initial LMDB map size.
 *	syslog_facility (mail), syslog_name (postfix), maillog_file ()	logging.
 *
 * DIAGNOSTICS
 *	Problems go to standard error and the mail log.  A malformed source
 *	line is a warning ("file, line N: expected format: key whitespace
 *	value") and is skipped; a duplicate key is a warning ("file.db:
 *	duplicate entry: "key"") and keeps the first value.  Exit status 0 on
 *	success, 1 when -q or -d found nothing or on any error.
 *
 * SECURITY
 *	Not set-id.  Run as root for a source file owned by another user,
 *	it switches to that user (unless -o) before reading the source or
 *	writing the table.
 *
 * SEE ALSO
 *	postalias(1), lib/dict/dict_cmd.h, Postfix's postmap(1).
 */
#include "dict/dict_cmd_main.h"

int main(int argc, char **argv)
{
	static const struct dict_cmd_program postmap = {
	    .name = "postmap",
	    .usage = "postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] "
	             "[map_type:]file...",
	    .flag_letters = "bfFhimnNoprsuUvw",
	    .format = DICT_SOURCE_POSTMAP,
	    .separator = "\t",
	};

	return dict_cmd_main(&postmap, argc, argv);
}
