/*
 * dict_unix - "unix:passwd.byname" and "unix:group.byname": the system's
 * user and group databases (getpwnam, getgrnam, so NSS sources count).
 * Values are the /etc/passwd and /etc/group line of the entry:
 * "name:passwd:uid:gid:gecos:dir:shell" and "name:passwd:gid:mem1,mem2".
 */
#ifndef POSTERN_DICT_DICT_UNIX_H
#define POSTERN_DICT_DICT_UNIX_H

#include "dict/dict.h"

/* Opens unix:name; fails with "unknown table: unix:name" for other maps. */
struct dict *dict_unix_open(const char *name, int flags, const char **error_r);

#endif
