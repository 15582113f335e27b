/*
 * dict_nul - the trailing-NUL convention of binary table files.  A table
 * written by any Postfix version or by postmap -n must stay readable, so
 * readers probe both key forms until the file tells which one it uses.
 */
#include "dict/dict_nul.h"

void dict_nul_init(struct dict_nul *nul, int flags)
{
	nul->with_nul = (flags & DICT_NUL_FLAG_EXCLUDE) == 0;
	nul->without_nul = (flags & DICT_NUL_FLAG_INCLUDE) == 0;
	if (!nul->with_nul && !nul->without_nul)
		nul->with_nul = nul->without_nul = true;
}

int dict_nul_lookup_lengths(const struct dict_nul *nul, size_t key_len, size_t lens_r[2])
{
	int count = 0;

	if (nul->with_nul)
		lens_r[count++] = key_len + 1;
	if (nul->without_nul)
		lens_r[count++] = key_len;
	return count;
}

void dict_nul_found(struct dict_nul *nul, size_t key_len, size_t found_len)
{
	if (found_len > key_len)
		nul->without_nul = false;
	else
		nul->with_nul = false;
}

size_t dict_nul_store_length(struct dict_nul *nul, size_t len)
{
	if (nul->with_nul && nul->without_nul)
		nul->without_nul = false;
	return nul->with_nul ? len + 1 : len;
}

bool dict_nul_copy(struct strbuf *buf, const void *data, size_t len)
{
	if (len > 0 && ((const char *)data)[len - 1] == 0)
		len--;
	strbuf_reset(buf);
	return strbuf_append(buf, data, len);
}
