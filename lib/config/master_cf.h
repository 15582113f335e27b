/*
 * master_cf - read, print and edit master.cf, the service table.
 *
 * A master.cf is read whole into a struct master_cf that remembers every
 * physical line, so the editors can change one entry and write the file
 * back with every comment and untouched line byte for byte as it was.
 *
 * Syntax (master(5)): '#' comment lines and blank lines are ignored; a line
 * that starts with whitespace continues the entry above it; an entry has
 * seven fields and a command: service, type (inet, unix, unix-dgram, fifo,
 * pass), private, unprivileged, chroot (y, n or -), wakeup (seconds, an
 * optional trailing '?', or -), process limit (a number, 0 = no limit, or
 * -), then the command name and its arguments.  An argument written as
 * "{ text }" may hold whitespace (the braces and the whitespace just
 * inside them are removed).  Daemon options come first: "-o name=value",
 * "-o { name = value }", "-oname=value" and flags such as -v or -D; the
 * first other argument, or "--", ends them, as getopt would.
 *
 * Services are identified by name and type: smtp/inet and smtp/unix are
 * different services.  When two entries share a name and type the later
 * one is used and the earlier is marked superseded (master warns).
 *
 * Error strings returned through error_r live in a buffer owned by this
 * module; they stay valid until the next call of a master_cf function.
 */
#ifndef POSTERN_CONFIG_MASTER_CF_H
#define POSTERN_CONFIG_MASTER_CF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* The longest logical line (an entry with its continuations) accepted. */
#define MASTER_CF_LINE_MAX 65536
/* The most command words (name plus arguments) in one entry. */
#define MASTER_CF_ARGS_MAX 1024
/* The longest master.cf file accepted. */
#define MASTER_CF_FILE_MAX (16 * 1024 * 1024)

enum master_cf_type {
	MASTER_CF_INET,
	MASTER_CF_UNIX,
	MASTER_CF_UNIX_DGRAM,
	MASTER_CF_FIFO,
	MASTER_CF_PASS,
};

/*
 * The eight columns, in file order.  Their names as postconf -F shows them
 * are service, type, private, unprivileged, chroot, wakeup, process_limit
 * and command.
 */
enum master_cf_field {
	MASTER_CF_SERVICE,
	MASTER_CF_TYPE,
	MASTER_CF_PRIVATE,
	MASTER_CF_UNPRIVILEGED,
	MASTER_CF_CHROOT,
	MASTER_CF_WAKEUP,
	MASTER_CF_PROCESS_LIMIT,
	MASTER_CF_COMMAND,
	MASTER_CF_FIELD_COUNT,
};

/* One "-o name=value" daemon option. */
struct master_cf_override {
	char *name;
	char *value;
};

/* One entry, read-only for callers. */
struct master_cf_service {
	/* The seven fields before the command exactly as written; "-" kept. */
	char *field[MASTER_CF_COMMAND];
	enum master_cf_type type;
	/*
	 * The command as master hands it to execv(): argv[0] is the command
	 * name, braces are removed, options are normalised ("-vo x=y" becomes
	 * "-v", "-o", "x=y"; "-o { a = b }" becomes "-o", "a=b").  NULL-ended.
	 */
	char **argv;
	size_t argc;
	/* argv[1] up to argv[option_end] (excluded) are daemon options. */
	size_t option_end;
	/* The -o options among them, in order (a name may repeat). */
	struct master_cf_override *overrides;
	size_t override_count;
	/* The line number of the entry's first line. */
	unsigned line;
	/* True when a later entry has the same name and type. */
	bool superseded;
};

/* A whole master.cf: its path, its lines and the services among them. */
struct master_cf;

/*
 * Reads and checks the file at path.  Returns NULL and sets *error_r to
 * "PATH: line N: what is wrong" on the first syntax error (bad type, bad
 * y/n field, bad wakeup or process limit, too few fields, unbalanced
 * braces, an -o without name=value, an inet service that is private, a
 * continuation line without an entry, a line or entry over the limits),
 * or "open PATH: reason" when the file cannot be read.
 */
struct master_cf *master_cf_read(const char *path, const char **error_r);

/*
 * Like master_cf_read() for text already in memory; path names the text
 * in messages and is where master_cf_write() puts it.
 */
struct master_cf *master_cf_parse(const char *path, const char *text, size_t len,
                                  const char **error_r);

/* Frees *cf (NULL is fine) and clears it. */
void master_cf_free(struct master_cf **cf);

/* The path given when the file was read. */
const char *master_cf_path(const struct master_cf *cf);

/* The number of entries, superseded ones included. */
size_t master_cf_count(const struct master_cf *cf);

/* Entry number index (0 up to master_cf_count() - 1) in file order. */
const struct master_cf_service *master_cf_service(const struct master_cf *cf, size_t index);

/* The entry in use for name and type (the last one), or NULL. */
const struct master_cf_service *master_cf_find(const struct master_cf *cf, const char *name,
                                               const char *type);

/* The name of a field as postconf -F shows it ("process_limit"). */
const char *master_cf_field_name(enum master_cf_field field);

/* The name of a service type ("unix-dgram"). */
const char *master_cf_type_name(enum master_cf_type type);

/*
 * The resolved y/n fields, with the defaults of master(5) for "-":
 * private is y except for inet services (which are never private),
 * unprivileged is y, chroot is n.
 */
bool master_cf_private(const struct master_cf_service *svc);
bool master_cf_unprivileged(const struct master_cf_service *svc);
bool master_cf_chroot(const struct master_cf_service *svc);

/*
 * The wakeup period in seconds, 0 for none ("-" or 0); *when_used_r is
 * set when the field ends in '?' (no wakeup before the first use).
 */
unsigned master_cf_wakeup(const struct master_cf_service *svc, bool *when_used_r);

/*
 * The process limit; 0 means no limit and "-" yields default_limit (the
 * caller's $default_process_limit).
 */
unsigned master_cf_process_limit(const struct master_cf_service *svc, unsigned default_limit);

/*
 * The value of the last "-o name=..." option of svc, or NULL.
 */
const char *master_cf_override(const struct master_cf_service *svc, const char *name);

/*
 * Selecting entries as postconf's arguments do.  A request is
 * "service[/type[/name]]"; each part may be "*", and omitted trailing parts
 * count as "*".  max_parts is 2 for -M and 3 for -F and -P.  Returns
 * false, setting *error_r, when the request has more parts than max_parts.
 */
bool master_cf_request_check(const char *request, int max_parts, const char **error_r);

/*
 * True when svc matches the service and type parts of request; when it
 * does and name_r is not NULL, *name_r points into request at the third
 * part ("*" when omitted).
 */
bool master_cf_request_match(const struct master_cf_service *svc, const char *request,
                             const char **name_r);

/* Options for the printers below. */
enum master_cf_print_flags {
	MASTER_CF_PRINT_FOLD = 1 << 0,       /* -f: fold long lines at 80 columns */
	MASTER_CF_PRINT_VALUE_ONLY = 1 << 1, /* -h: "value" without "name = " */
	MASTER_CF_PRINT_NAME_ONLY = 1 << 2,  /* -H: "name" without " = value" */
};

/*
 * Expands $name in a parameter value for postconf -x; returns the text to
 * print, which stays valid until the next call.
 */
typedef const char *(*master_cf_expand_fn)(const char *value, void *context);

/*
 * postconf -M: appends each entry in normalised form to out: aligned
 * columns, then the command and its arguments.  With MASTER_CF_PRINT_FOLD
 * (-Mf) lines are folded before column 80 with four spaces of indentation
 * and each "-o name=value" gets a line of its own.  With requests
 * (nrequests > 0) an entry is printed once for every request it matches,
 * in file order; matched[i] (when matched is not NULL) is set for each
 * request that matched something, so the caller can warn about the rest
 * ("unmatched request").  Superseded entries are printed too, as postconf
 * shows the file.
 */
void master_cf_print_services(const struct master_cf *cf, char *const *requests, size_t nrequests,
                              int flags, bool *matched, struct strbuf *out);

/*
 * postconf -F: appends "service/type/field = value" lines; requests select
 * service, type and field as for master_cf_print_services().
 */
void master_cf_print_fields(const struct master_cf *cf, char *const *requests, size_t nrequests,
                            int flags, bool *matched, struct strbuf *out);

/*
 * postconf -P: appends "service/type/parameter = value" for every -o
 * option, sorted by parameter name within each entry, the last value of a
 * repeated name winning; whitespace runs in values print as one space.
 * expand (NULL for none) rewrites each value first (-x).
 */
void master_cf_print_params(const struct master_cf *cf, char *const *requests, size_t nrequests,
                            int flags, master_cf_expand_fn expand, void *context, bool *matched,
                            struct strbuf *out);

/*
 * Appends the normalised text of svc as the editors write it: the -Mf
 * form, each line ending in a newline.
 */
void master_cf_format_service(const struct master_cf_service *svc, struct strbuf *out);

/*
 * Editing.  Each editor changes the in-memory file only; master_cf_write()
 * stores it.  An edited entry is rewritten in normalised form at the place
 * of its first line; '#' lines that were inside it follow it unchanged.
 * The editors take one postconf command-line argument each.
 */
enum master_cf_edit_result {
	MASTER_CF_EDIT_OK,
	/* No entry has that service/type; *error_r says so, for a warning. */
	MASTER_CF_EDIT_UNMATCHED,
	/* The argument or the new value is bad; *error_r says why. */
	MASTER_CF_EDIT_ERROR,
};

/*
 * postconf -Me "service/type=entry": replaces the entry (all entries) with
 * that service/type by the new entry text, which is checked like a line of
 * master.cf, or appends it at the end of the file when none exists.
 */
enum master_cf_edit_result master_cf_edit_service(struct master_cf *cf, const char *arg,
                                                  const char **error_r);

/*
 * postconf -MX "service/type": removes the entry's lines, keeping comment
 * lines inside it.  Removing what is not there is not an error (OK).
 */
enum master_cf_edit_result master_cf_remove_service(struct master_cf *cf, const char *arg,
                                                    const char **error_r);

/*
 * postconf -M# "service/type": puts '#' in front of each of the entry's
 * lines.  Commenting out what is not there is not an error (OK).
 */
enum master_cf_edit_result master_cf_comment_service(struct master_cf *cf, const char *arg,
                                                     const char **error_r);

/*
 * postconf -Fe "service/type/field=value": sets one field; "command"
 * replaces the command name and all its arguments.  The value is checked
 * as the field would be in the file.
 */
enum master_cf_edit_result master_cf_edit_field(struct master_cf *cf, const char *arg,
                                                const char **error_r);

/*
 * postconf -Pe "service/type/parameter=value": replaces the value of every
 * "-o parameter=" option of the entry, or adds "-o parameter=value" after
 * the last daemon option.  Values with whitespace are refused, as Postfix
 * does.
 */
enum master_cf_edit_result master_cf_edit_param(struct master_cf *cf, const char *arg,
                                                const char **error_r);

/*
 * postconf -PX "service/type/parameter": removes every "-o parameter=..."
 * option of the entry.  The entry is rewritten even when it had none.
 */
enum master_cf_edit_result master_cf_remove_param(struct master_cf *cf, const char *arg,
                                                  const char **error_r);

/*
 * Writes the whole file to its path atomically: a temporary file in the
 * same directory, written, fsync()ed and renamed over the old one with the
 * old file's mode (0644 for a new file).  On failure the old file is
 * untouched, the temporary file is removed and *error_r says what failed.
 */
bool master_cf_write(const struct master_cf *cf, const char **error_r);

/* The whole file as master_cf_write() would store it. */
void master_cf_text(const struct master_cf *cf, struct strbuf *out);

#endif
