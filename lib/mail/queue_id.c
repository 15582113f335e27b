/*
 * queue_id - builds and recognizes queue file names.  The long form's
 * alphabet leaves out vowels so that no id spells a word, and 'z' (its
 * last character) never occurs in the inode part, so it can separate the
 * time from the inode.
 */
#include <stdio.h>
#include <string.h>

#include "mail/queue_id.h"

static const char queue_id_alphabet[] = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

#define QUEUE_ID_BASE 52
#define QUEUE_ID_USEC_DIGITS 4 /* 52^4 > 1000000 */
#define QUEUE_ID_SEC_DIGITS 6  /* at least */

/* Appends value in base radix (most significant first), at least width digits. */
static char *queue_id_encode(char *out, unsigned long long value, unsigned radix, int width)
{
	char digits[32];
	int n = 0;

	do {
		digits[n++] = queue_id_alphabet[value % radix];
		value /= radix;
	} while (value > 0 && n < (int)sizeof(digits));
	while (n < width)
		digits[n++] = queue_id_alphabet[0];
	while (n > 0)
		*out++ = digits[--n];
	return out;
}

void queue_id_make(char *buf, bool long_form, long sec, long usec, ino_t ino)
{
	char *out = buf;

	if (!long_form) {
		snprintf(buf, QUEUE_ID_SIZE, "%05lX%llX", (unsigned long)usec,
		         (unsigned long long)ino);
		return;
	}
	out = queue_id_encode(out, (unsigned long long)sec, QUEUE_ID_BASE, QUEUE_ID_SEC_DIGITS);
	out = queue_id_encode(out, (unsigned long long)usec, QUEUE_ID_BASE, QUEUE_ID_USEC_DIGITS);
	*out++ = 'z';
	out = queue_id_encode(out, (unsigned long long)ino, QUEUE_ID_BASE - 1, 1);
	*out = 0;
}

static bool queue_id_valid_short(const char *name)
{
	size_t len = strlen(name);

	return len >= 6 && len < QUEUE_ID_SIZE && strspn(name, "0123456789ABCDEF") == len;
}

static bool queue_id_valid_long(const char *name)
{
	size_t len = strlen(name);
	const char *z = strchr(name, 'z');

	if (len >= QUEUE_ID_SIZE || strspn(name, queue_id_alphabet) != len || z == NULL)
		return false;
	return z - name >= QUEUE_ID_SEC_DIGITS + QUEUE_ID_USEC_DIGITS && z[1] != 0 &&
	       strchr(z + 1, 'z') == NULL;
}

bool queue_id_valid(const char *name)
{
	return queue_id_valid_short(name) || queue_id_valid_long(name);
}
