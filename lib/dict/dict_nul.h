/*
 * dict_nul - whether keys and values in a hash, btree or lmdb file carry a
 * trailing NUL byte.  Postfix writes them with the NUL by default (postmap
 * -N forces it, -n forbids it), and reads tables of either convention: a
 * lookup tries both forms until one hits, then sticks to that form for the
 * rest of the table's life.  The table types share this bookkeeping.
 */
#ifndef POSTERN_DICT_DICT_NUL_H
#define POSTERN_DICT_DICT_NUL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/*
 * Open flags beside dict.h's DICT_FLAG_*: keys and values include the
 * NUL (postmap -N), or never include it (postmap -n).  Neither: read both,
 * write with the NUL, as Postfix does on Linux.
 */
#define DICT_NUL_FLAG_INCLUDE (1 << 16)
#define DICT_NUL_FLAG_EXCLUDE (1 << 17)

/* Which forms a table may still hold. */
struct dict_nul {
	bool with_nul;
	bool without_nul;
};

/* Sets the forms allowed by the open flags. */
void dict_nul_init(struct dict_nul *nul, int flags);

/*
 * Fills lens_r with the key lengths to try, in order, for a key of
 * key_len bytes (strlen), and returns how many (1 or 2).
 */
int dict_nul_lookup_lengths(const struct dict_nul *nul, size_t key_len, size_t lens_r[2]);

/* Records that the key form of length found_len hit, fixing the convention. */
void dict_nul_found(struct dict_nul *nul, size_t key_len, size_t found_len);

/*
 * The number of bytes to store for a key or value of len bytes; the first
 * write to an undecided table fixes the convention (with the NUL).
 */
size_t dict_nul_store_length(struct dict_nul *nul, size_t len);

/*
 * Copies a stored key or value into buf as a C string, dropping one
 * trailing NUL if present.  False when the data exceeds buf's limit.
 */
bool dict_nul_copy(struct strbuf *buf, const void *data, size_t len);

#endif
