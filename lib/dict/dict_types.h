/*
 * dict_types - the headers of every built-in table type, so that
 * dict_types.def's open functions are declared where dict.c expands it.
 * Add one include per type, beside its line in dict_types.def.
 */
#ifndef POSTERN_DICT_DICT_TYPES_H
#define POSTERN_DICT_DICT_TYPES_H

#include "dict/dict_environ.h"
#include "dict/dict_fail.h"
#include "dict/dict_inline.h"
#include "dict/dict_internal.h"
#include "dict/dict_static.h"
#include "dict/dict_texthash.h"
#include "dict/dict_unix.h"
#include "dict/dict_db.h"
#include "dict/dict_lmdb.h"
#include "dict/dict_cidr.h"
#include "dict/dict_pcre.h"
#include "dict/dict_regexp.h"
#include "dict/dict_socketmap.h"

#endif
