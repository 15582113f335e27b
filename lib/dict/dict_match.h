/*
 * dict_match - lookup tables for match lists (config/match_list.h):
 * the "type:name" patterns of domain, network and string lists open real
 * tables through dict_open(), with keys folded to lower case as Postfix
 * does for list lookups.
 */
#ifndef POSTERN_DICT_DICT_MATCH_H
#define POSTERN_DICT_DICT_MATCH_H

#include "config/match_list.h"

/* The tables argument for domain_list_new(), string_list_new() and friends. */
const struct match_list_tables *dict_match_tables(void);

#endif
