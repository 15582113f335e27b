/*
 * dict_environ - "environ:name": looks keys up in the process
 * environment (after the daemon's import_environment filtering).  name
 * is only a label.
 */
#ifndef POSTERN_DICT_DICT_ENVIRON_H
#define POSTERN_DICT_DICT_ENVIRON_H

#include "dict/dict.h"

/* Opens environ:name; never fails itself. */
struct dict *dict_environ_open(const char *name, int flags, const char **error_r);

#endif
