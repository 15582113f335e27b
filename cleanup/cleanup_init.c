/*
 * cleanup_init - start-up: the yes/no parameters and the header list
 * that every message needs, read once per process.
 */
#include "cleanup.h"
#include "config/params.h"
#include "util/msg.h"
#include "util/units.h"

bool cleanup_long_queue_ids;
bool cleanup_always_add_headers;
struct argv *cleanup_drop_headers;

void cleanup_post_init(const char *service_name, char **argv)
{
	const char *error;

	if (!units_bool("enable_long_queue_ids", var_enable_long_queue_ids, &cleanup_long_queue_ids,
	                &error) ||
	    !units_bool("always_add_missing_headers", var_always_add_missing_headers,
	                &cleanup_always_add_headers, &error))
		msg_fatal("%s", error);
	cleanup_drop_headers = argv_split(var_message_drop_headers, ", \t\r\n");
}
