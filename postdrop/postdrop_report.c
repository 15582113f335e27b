/*
 * postdrop_report - what postdrop -r tells sendmail on standard output
 * (attribute lists, DESIGN section 3), and the pickup wake-up.
 */
#include <unistd.h>

#include "config/params.h"
#include "mail/mail_trigger.h"
#include "postdrop.h"
#include "server/master_proto.h"
#include "util/attr.h"
#include "util/msg.h"
#include "util/strbuf.h"
#include "util/stream.h"

/* How long the pickup trigger may wait for the socket. */
#define POSTDROP_TRIGGER_TIMEOUT 10

/* Writes one list to standard output and flushes it; fatal when the caller is gone. */
static void postdrop_report_write(const char *name1, const char *value1, const char *name2,
                                  const char *value2)
{
	struct stream *out = stream_open(STDOUT_FILENO);
	bool ok = attr_write_str(out, name1, value1) && attr_write_str(out, name2, value2) &&
	          attr_write_end(out) && stream_flush(out);
	const char *why = stream_err_text(stream_error(out));

	(void)stream_release(&out);
	if (!ok)
		msg_fatal("write report to the caller: %s", why);
}

void postdrop_report_queue_id(const char *queue_id)
{
	postdrop_report_write("protocol", "postdrop_protocol", "queue_id", queue_id);
}

void postdrop_report_done(void)
{
	postdrop_report_write("status", "0", "reason", "");
}

void postdrop_wake_pickup(void)
{
	struct strbuf *path = strbuf_new(STRBUF_UNLIMITED);
	const char *error;

	strbuf_printf(path, "public/%s", var_pickup_service_name);
	if (!mail_trigger(strbuf_str(path), MASTER_TRIGGER_WAKEUP, POSTDROP_TRIGGER_TIMEOUT,
	                  &error))
		msg_warn("%s", error);
	strbuf_free(&path);
}
