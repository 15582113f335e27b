/*
 * conf - the effective configuration: main.cf on top of the parameter
 * table's defaults, and the start-up call every program makes.
 *
 * A struct conf answers "what is the value of name": main.cf's last
 * definition (or a -o override), else the table's default, computing the
 * host-dependent ones (myhostname, mydomain, mynetworks) on first use.
 */
#ifndef POSTERN_CONFIG_CONF_H
#define POSTERN_CONFIG_CONF_H

#include <stdbool.h>
#include <sys/types.h>

#include "config/main_cf.h"
#include "config/params.h"
#include "util/strbuf.h"

struct conf;

/* A configuration over cf, which it takes over and frees. */
struct conf *conf_new(struct main_cf *cf);

/* Frees *config (NULL is fine) and clears it. */
void conf_free(struct conf **config);

/* The main.cf behind config. */
struct main_cf *conf_main_cf(const struct conf *config);

/*
 * The unexpanded default of a row; host-dependent defaults are computed
 * (and kept) on the first call.  NULL with the reason in error on failure.
 */
const char *conf_default(struct conf *config, const struct param_info *info, struct strbuf *error);

/*
 * The unexpanded value of name: its main.cf definition, else its table
 * default.  NULL when name is neither (error untouched) or when computing
 * a default failed (reason appended to error).
 */
const char *conf_raw(struct conf *config, const char *name, struct strbuf *error);

/* Appends the $name expansion of text; false with the reason in error. */
bool conf_expand(struct conf *config, const char *text, struct strbuf *out, struct strbuf *error);

/*
 * Expands (except RAW rows), checks and stores every table parameter in
 * its var_.  A bad value's error names the main.cf file and line.
 */
bool conf_apply(struct conf *config, struct strbuf *error);

/*
 * The configuration directory: option (from -c) when not NULL, else
 * $MAIL_CONFIG when set and not empty, else the build default.
 */
const char *conf_directory_choose(const char *option);

/* True when path starts with one of the maillog_file_prefixes. */
bool conf_maillog_prefix_ok(const char *path);

/*
 * Opens logging per main.cf (path names it in errors): syslog with
 * syslog_name and syslog_facility, or with maillog_file set, lines to
 * postlogd through public/$postlog_service_name, or into the file itself
 * when direct is true (master, postlogd) or no postlog socket exists.
 * A maillog_file outside maillog_file_prefixes is fatal.
 */
void conf_open_logging(const char *path, bool direct);

/* conf_load() flags. */
#define CONF_LOAD_OWNER (1 << 0)   /* resolve and check mail_owner, setgid_group, default_privs */
#define CONF_LOAD_IMPORT (1 << 1)  /* keep only import_environment in the environment */
#define CONF_LOAD_LOGGING (1 << 2) /* log via postlogd or maillog_file, else syslog */
#define CONF_LOAD_LOG_DIRECT (1 << 3) /* as LOGGING, but write maillog_file itself */

/* Filled by conf_load() with CONF_LOAD_OWNER. */
extern uid_t conf_owner_uid;
extern gid_t conf_owner_gid;
extern gid_t conf_sgid_gid;
extern uid_t conf_default_uid;
extern gid_t conf_default_gid;

/*
 * Program start-up: reads main.cf in the chosen directory (see
 * conf_directory_choose()), applies overrides ("name=value", NULL
 * terminated, may be NULL), stores every parameter, and does what flags
 * ask.  Any problem is fatal and names the file and line.  A set-id
 * program accepts a non-default directory only when the default main.cf
 * lists it in alternate_config_directories.
 */
void conf_load(const char *directory, const char *const *overrides, int flags);

/* The configuration conf_load() read, for names outside the table. */
struct conf *conf_global(void);

#endif
