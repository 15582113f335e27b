/*
 * pickup_scan - one pass over maildrop/.  Only names shaped like queue
 * ids are considered, so postdrop's temporary files and foreign files
 * are left alone; a temporary cleanup failure ends the pass (the next
 * wakeup tries again).
 */
#include <dirent.h>
#include <string.h>

#include "mail/queue_id.h"
#include "pickup.h"
#include "util/msg.h"

void pickup_scan(const char *data, size_t len, const char *service_name, char **argv)
{
	struct dirent *entry;
	DIR *dir;

	if ((dir = opendir("maildrop")) == NULL) {
		msg_warn("open directory maildrop: %m");
		return;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (!queue_id_valid(entry->d_name))
			continue;
		if (pickup_file(entry->d_name) == PICKUP_RETRY)
			break;
	}
	closedir(dir);
}
