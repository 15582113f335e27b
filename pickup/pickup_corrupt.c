/*
 * pickup_corrupt - a maildrop file that cannot be queued (malformed, or
 * refused by cleanup for good) goes to corrupt/ for the postmaster, so
 * it is neither retried forever nor lost.
 */
#include <stdio.h>

#include "pickup.h"
#include "util/msg.h"

void pickup_corrupt(const char *name, const char *why)
{
	char from[256], to[256];

	snprintf(from, sizeof(from), "maildrop/%s", name);
	snprintf(to, sizeof(to), "corrupt/%s", name);
	msg_warn("%s: %s; moved to corrupt/", from, why);
	if (rename(from, to) < 0)
		msg_warn("rename %s to %s: %m", from, to);
}
