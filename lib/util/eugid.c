/*
 * eugid - switching effective ids and back.  Only the effective ids
 * change (the real uid stays 0), which is what lets a root command act
 * for one file's owner, then return to root for the next file.
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/eugid.h"

/* The supplementary groups from before eugid_set(), for eugid_restore(). */
static gid_t *eugid_saved_groups;
static int eugid_saved_count = -1;

static bool eugid_save_groups(void)
{
	int count = getgroups(0, NULL);

	if (count < 0)
		return false;
	free(eugid_saved_groups);
	eugid_saved_groups = xmalloc(sizeof(gid_t) * (size_t)(count > 0 ? count : 1));
	if ((eugid_saved_count = getgroups(count, eugid_saved_groups)) < 0)
		return false;
	return true;
}

bool eugid_set(uid_t uid, gid_t gid)
{
	int saved;

	if (eugid_saved_count < 0 && !eugid_save_groups())
		return false;
	if (setgroups(1, &gid) == 0 && setegid(gid) == 0 && seteuid(uid) == 0)
		return true;
	saved = errno;
	(void)eugid_restore();
	errno = saved;
	return false;
}

bool eugid_restore(void)
{
	if (seteuid(0) < 0 || setegid(getgid()) < 0)
		return false;
	if (eugid_saved_count >= 0 && setgroups((size_t)eugid_saved_count, eugid_saved_groups) < 0)
		return false;
	return true;
}
