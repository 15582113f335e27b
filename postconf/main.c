/*
 * NAME
 *	postconf - show and edit the mail system configuration
 *
 * SYNOPSIS
 *	postconf [-dhnvx] [-c config_dir] [-o name=value] [name ...]
 *	postconf -e [-c config_dir] name=value ...
 *	postconf -X | -# [-c config_dir] name ...
 *	postconf -m | -l | -a | -A
 *	postconf -T compile-version | run-version | public-key-algorithms
 *	postconf -M | -F | -P [-fhx] [-c config_dir] [service[/type[/name]] ...]
 *	postconf -Me | -MX | -M# | -Fe | -Pe | -PX [-c config_dir] argument ...
 *
 * DESCRIPTION
 *	Without options, prints every parameter with its effective value:
 *	main.cf's when set there, else the default, sorted by name.  Names
 *	given as operands select parameters.  Values print with runs of
 *	whitespace shown as one space.
 *
 *	-c config_dir	Read main.cf in config_dir instead of $MAIL_CONFIG or
 *			the built-in directory.
 *	-d		Print defaults instead of main.cf values.
 *	-n		Print only parameters that main.cf (or -o) sets.
 *	-h		Print values without "name = ".
 *	-x		Expand $name references in printed values.
 *	-o name=value	Override a main.cf value for this run.
 *	-e		Set each name=value operand in main.cf: a definition
 *			is replaced where it stands (continuation lines
 *			included), a new one goes at the end.
 *	-X		Remove the named parameters from main.cf.
 *	-#		Comment out the named parameters in main.cf.
 *	-m		List the lookup table types.
 *	-l		List the mailbox locking methods.
 *	-a, -A		List the server or client SASL types (none are built in
 *			yet, so nothing is listed).
 *	-T mode		GnuTLS compile-time or run-time version, or the public
 *			key algorithms it supports.
 *	-M		Print master.cf entries (service[/type] selects); with
 *			-f long lines are folded.
 *	-F		Print master.cf fields as service/type/field = value.
 *	-P		Print master.cf "-o" parameters as
 *			service/type/parameter = value (-x expands them).
 *	-Me, -MX, -M#	Replace ("service/type=entry"), remove or comment out
 *			master.cf entries.
 *	-Fe, -Pe, -PX	Set a field ("service/type/field=value"), set or
 *			remove an -o parameter.  master.cf is rewritten
 *			atomically as main.cf is.
 *	-v		More verbose logging.
 *
 *	main.cf is rewritten through a temporary file main.cf.tmp in the
 *	same directory that is synced and renamed over it, keeping its
 *	permissions; on error main.cf is unchanged.
 *
 * DIAGNOSTICS
 *	Warnings go to standard error, Postfix's way:
 *	"path: undefined parameter: name" for a $name that nothing defines,
 *	"name: unknown parameter" for an operand we have no parameter for,
 *	"path: unused parameter: name=value" for a main.cf setting that
 *	neither the table nor any $name reference uses.  Errors are fatal
 *	with exit status 1, e.g. "path, line N: missing '=' after attribute
 *	name: "text"".
 *
 * PARAMETERS
 *	config_directory (built-in)	where main.cf is read.
 *	Every parameter in lib/config/params.def, for display.
 *	master.cf in config_directory for -M, -F and -P.
 *
 * SECURITY
 *	postconf is not set-id; it edits only files its invoker may write.
 *
 * SEE ALSO
 *	lib/config/params.def, lib/config/main_cf.h, postconf(5) of Postfix.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "postconf.h"
#include "util/msg.h"

enum postconf_mode { MODE_SHOW, MODE_SET, MODE_REMOVE, MODE_COMMENT, MODE_LIST };

static _Noreturn void usage(void)
{
	msg_fatal("usage: postconf [-a (server SASL types)] [-A (client SASL types)] "
	          "[-c config_dir] [-d (parameter defaults)] [-e (edit configuration)] "
	          "[-f (fold lines)] [-F (master.cf fields)] [-h (no names)] [-l (lock types)] [-m "
	          "(map types)] [-M (master.cf)] "
	          "[-n (non-default parameters)] [-o name=value (override parameter value)] [-P "
	          "(master.cf parameters)] "
	          "[-T compile-version|run-version|public-key-algorithms] [-v (verbose)] "
	          "[-x (expand parameter values)] [-X (exclude)] [-# (comment-out)] [name...]");
}

/* Refuses option combinations that make no sense, naming both. */
static void check_conflicts(int flags, enum postconf_mode mode, const char *edit_option,
                            size_t overrides)
{
	if ((flags & POSTCONF_DEFAULTS) && (flags & POSTCONF_NONDEF))
		msg_fatal("specify one of -d -n");
	if ((flags & POSTCONF_DEFAULTS) && overrides > 0)
		msg_fatal("specify one of -d -o");
	if (mode != MODE_SHOW && mode != MODE_LIST && (flags & POSTCONF_DEFAULTS))
		msg_fatal("specify one of -d %s", edit_option);
	if (mode != MODE_SHOW && mode != MODE_LIST && (flags & POSTCONF_NONDEF))
		msg_fatal("specify one of -n %s", edit_option);
}

/*
 * Records an editing or listing mode, refusing a second different one;
 * the message names the two options in one fixed order, as Postfix's does.
 */
static void set_mode(enum postconf_mode *mode, const char **option, enum postconf_mode want,
                     const char *want_option)
{
	static const char order[] = "eX#aAlmT";
	bool swap;

	if (*mode != MODE_SHOW && strcmp(*option, want_option) != 0) {
		swap = strchr(order, (*option)[1]) > strchr(order, want_option[1]);
		msg_fatal("specify one of %s %s", swap ? want_option : *option,
		          swap ? *option : want_option);
	}
	*mode = want;
	*option = want_option;
}

int main(int argc, char **argv)
{
	struct postconf pc = {0};
	enum postconf_mode mode = MODE_SHOW;
	const char *mode_option = "";
	const char *dir_option = NULL;
	int list = 0;
	const char *tls_mode = NULL;
	static const char *const list_options[] = {"-a", "-A", "-l", "-m"};
	int ch;

	msg_init(argv[0]);
	/* usage() says what is wrong; getopt's own message would name the full path. */
	opterr = 0;
	pc.overrides = calloc((size_t)argc, sizeof(*pc.overrides));
	while ((ch = getopt(argc, argv, "+aAc:defFhlmMno:PT:vxX#")) != -1) {
		switch (ch) {
		case 'c':
			dir_option = optarg;
			break;
		case 'd':
			pc.flags |= POSTCONF_DEFAULTS;
			break;
		case 'n':
			pc.flags |= POSTCONF_NONDEF;
			break;
		case 'h':
			pc.flags |= POSTCONF_NO_NAME;
			break;
		case 'x':
			pc.flags |= POSTCONF_EXPAND;
			break;
		case 'o':
			pc.overrides[pc.override_count++] = optarg;
			break;
		case 'e':
			set_mode(&mode, &mode_option, MODE_SET, "-e");
			break;
		case 'X':
			set_mode(&mode, &mode_option, MODE_REMOVE, "-X");
			break;
		case '#':
			set_mode(&mode, &mode_option, MODE_COMMENT, "-#");
			break;
		case 'a':
		case 'A':
		case 'l':
		case 'm':
			set_mode(&mode, &mode_option, MODE_LIST,
			         list_options[strchr("aAlm", ch) - "aAlm"]);
			list = ch;
			break;
		case 'T':
			set_mode(&mode, &mode_option, MODE_LIST, "-T");
			list = ch;
			tls_mode = optarg;
			break;
		case 'f':
			pc.flags |= POSTCONF_FOLD;
			break;
		case 'M':
		case 'F':
		case 'P':
			if (pc.master && pc.master != ch)
				msg_fatal("specify one of -%c -%c", pc.master, ch);
			pc.master = (char)ch;
			break;
		case 'v':
			msg_verbose++;
			break;
		default:
			usage();
		}
	}
	if (pc.master && mode == MODE_LIST)
		msg_fatal("specify one of -%c %s", pc.master, mode_option);
	if (!pc.master)
		check_conflicts(pc.flags, mode, mode_option, pc.override_count);
	pc.dir = conf_directory_choose(dir_option);
	pc.dir_chosen = dir_option != NULL || getenv("MAIL_CONFIG") != NULL;
	pc.names = argv + optind;
	pc.name_count = (size_t)(argc - optind);
	if (pc.master)
		return postconf_master(&pc, mode == MODE_SET       ? 'e'
		                            : mode == MODE_REMOVE  ? 'X'
		                            : mode == MODE_COMMENT ? '#'
		                                                   : 0);
	switch (mode) {
	case MODE_SET:
		postconf_edit_set(&pc);
		return 0;
	case MODE_REMOVE:
	case MODE_COMMENT:
		postconf_edit_remove(&pc, mode == MODE_COMMENT);
		return 0;
	case MODE_LIST:
		if (list == 'm')
			postconf_info_tables();
		else if (list == 'l')
			postconf_info_locks();
		else if (list == 'T')
			return postconf_info_tls(tls_mode);
		/* -a, -A: lib/sasl has no backend yet, so there is nothing to list. */
		return 0;
	default:
		return postconf_show(&pc);
	}
}
