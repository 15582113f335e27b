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
#include "util/alloc.h"
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

/* What the options ask for beyond struct postconf. */
struct command {
	enum postconf_mode mode;
	const char *mode_option; /* "-e", "-m", ... for messages */
	int list;                /* the listing option letter */
	const char *tls_mode;    /* -T's argument */
	const char *dir_option;  /* -c's argument */
};

/*
 * Records an editing or listing mode, refusing a second different one;
 * the message names the two options in one fixed order, as Postfix's does.
 */
static void set_mode(struct command *cmd, enum postconf_mode want, const char *want_option)
{
	static const char order[] = "eX#aAlmT";
	bool swap;

	if (cmd->mode != MODE_SHOW && strcmp(cmd->mode_option, want_option) != 0) {
		swap = strchr(order, cmd->mode_option[1]) > strchr(order, want_option[1]);
		msg_fatal("specify one of %s %s", swap ? want_option : cmd->mode_option,
		          swap ? cmd->mode_option : want_option);
	}
	cmd->mode = want;
	cmd->mode_option = want_option;
}

/* The options that only set a flag; false for any other letter. */
static bool flag_option(int ch, struct postconf *pc)
{
	static const char letters[] = "dnhxf";
	static const int flags[] = {POSTCONF_DEFAULTS, POSTCONF_NONDEF, POSTCONF_NO_NAME,
	                            POSTCONF_EXPAND, POSTCONF_FOLD};
	const char *at = strchr(letters, ch);

	if (at == NULL || ch == 0)
		return false;
	pc->flags |= flags[at - letters];
	return true;
}

static void parse_options(int argc, char **argv, struct postconf *pc, struct command *cmd)
{
	static const char *const mode_options[] = {"-e", "-X", "-#", "-a", "-A", "-l", "-m"};
	static const enum postconf_mode modes[] = {MODE_SET,  MODE_REMOVE, MODE_COMMENT, MODE_LIST,
	                                           MODE_LIST, MODE_LIST,   MODE_LIST};
	const char *at;
	int ch;

	/* usage() says what is wrong; getopt's own message would name the full path. */
	opterr = 0;
	pc->overrides = xcalloc((size_t)argc, sizeof(*pc->overrides));
	while ((ch = getopt(argc, argv, "+aAc:defFhlmMno:PT:vxX#")) != -1) {
		if (flag_option(ch, pc))
			continue;
		if ((at = strchr("eX#aAlm", ch)) != NULL) {
			set_mode(cmd, modes[at - "eX#aAlm"], mode_options[at - "eX#aAlm"]);
			cmd->list = ch;
		} else if (ch == 'T') {
			set_mode(cmd, MODE_LIST, "-T");
			cmd->list = ch;
			cmd->tls_mode = optarg;
		} else if (ch == 'M' || ch == 'F' || ch == 'P') {
			if (pc->master && pc->master != ch)
				msg_fatal("specify one of -%c -%c", pc->master, ch);
			pc->master = (char)ch;
		} else if (ch == 'c') {
			cmd->dir_option = optarg;
		} else if (ch == 'o') {
			pc->overrides[pc->override_count++] = optarg;
		} else if (ch == 'v') {
			msg_verbose++;
		} else {
			usage();
		}
	}
	pc->names = argv + optind;
	pc->name_count = (size_t)(argc - optind);
}

static int run(const struct postconf *pc, const struct command *cmd)
{
	switch (cmd->mode) {
	case MODE_SET:
		postconf_edit_set(pc);
		return 0;
	case MODE_REMOVE:
	case MODE_COMMENT:
		postconf_edit_remove(pc, cmd->mode == MODE_COMMENT);
		return 0;
	case MODE_LIST:
		if (cmd->list == 'm')
			postconf_info_tables();
		else if (cmd->list == 'l')
			postconf_info_locks();
		else if (cmd->list == 'T')
			return postconf_info_tls(cmd->tls_mode);
		/* -a, -A: lib/sasl has no backend yet, so there is nothing to list. */
		return 0;
	default:
		return postconf_show(pc);
	}
}

int main(int argc, char **argv)
{
	struct postconf pc = {0};
	struct command cmd = {.mode = MODE_SHOW, .mode_option = ""};

	msg_init(argv[0]);
	parse_options(argc, argv, &pc, &cmd);
	if (pc.master && cmd.mode == MODE_LIST)
		msg_fatal("specify one of -%c %s", pc.master, cmd.mode_option);
	if (!pc.master)
		check_conflicts(pc.flags, cmd.mode, cmd.mode_option, pc.override_count);
	pc.dir = conf_directory_choose(cmd.dir_option);
	pc.dir_chosen = cmd.dir_option != NULL || getenv("MAIL_CONFIG") != NULL;
	if (pc.master)
		return postconf_master(&pc, cmd.mode == MODE_SHOW ? 0 : cmd.mode_option[1]);
	return run(&pc, &cmd);
}
