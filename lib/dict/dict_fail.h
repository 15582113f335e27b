/*
 * dict_fail - "fail:name": every operation is a temporary failure.  It
 * lets an administrator force mail to be deferred, or test how a daemon
 * copes with a broken table; name only labels the messages.
 */
#ifndef POSTERN_DICT_DICT_FAIL_H
#define POSTERN_DICT_DICT_FAIL_H

#include "dict/dict.h"

/* Opens fail:name; never fails itself. */
struct dict *dict_fail_open(const char *name, int flags, const char **error_r);

#endif
