/*
 * server_args - the command line master gives a daemon (master_proto.h):
 *   command [-c] [-d] [-v]... -n service -t type -s count
 *           [-o name=value]... [other arguments]
 * parsed into a struct, with every malformed piece reported rather than
 * guessed at, since a wrong service type or socket count would make the
 * daemon serve the wrong descriptors.
 */
#ifndef POSTERN_SERVER_SERVER_ARGS_H
#define POSTERN_SERVER_SERVER_ARGS_H

#include <stdbool.h>

#include "util/argv.h"

/* Most listening descriptors one service may hand a child (-s). */
#define SERVER_ARGS_LISTEN_MAX 64

struct server_args {
	char *service_name;     /* -n: master.cf field 1 */
	char *service_type;     /* -t: inet, unix, unix-dgram, fifo or pass */
	int listen_count;       /* -s: descriptors from MASTER_LISTEN_FD on */
	struct argv *overrides; /* -o values, "name=value", in order */
	bool no_chroot;         /* -c */
	bool unprivileged;      /* -u: master.cf says unprivileged = y */
	bool debug;             /* -d: no master */
	int verbose;            /* count of -v */
	struct argv *extra;     /* the arguments after the options */
};

/*
 * Parses argv[1..argc-1].  -n and -t are required unless -d is given;
 * -s defaults to 1 (0 is accepted only with -d); with -d, -n defaults
 * to "-" and -t to "unix".  Options end at the
 * first non-option or at "--".  Returns NULL with *error_r set (static
 * storage, valid until the next call) for an unknown option, a missing
 * option value, an -o without "name=", an unknown -t or a bad -s.
 */
struct server_args *server_args_parse(int argc, char **argv, const char **error_r);

/* Frees *args (NULL is fine) and clears it. */
void server_args_free(struct server_args **args);

/* True when type is one of the master.cf service types. */
bool server_args_type_known(const char *type);

#endif
