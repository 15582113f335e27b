/*
 * NAME
 *	test_trigger - a trigger_server daemon for master's tests
 * SYNOPSIS
 *	test_trigger [generic daemon options] FILE
 * DESCRIPTION
 *	Appends the bytes of every trigger it receives (e.g. the 'W' of a
 *	master.cf wakeup, MASTER_TRIGGER_WAKEUP) to FILE, creating it with
 *	mode 0644, so a test sees which triggers arrived and in what order.
 *	FILE is opened at start-up, before chroot and privilege drop, so
 *	any directory root can write will do.
 * PROTOCOL
 *	Trigger bytes on the service's fifo or socket (trigger_server.h).
 * PARAMETERS
 *	daemon_timeout (18000s) watchdog for one trigger
 *	max_idle (100s) idle time before exit
 *	max_use (100) triggers before exit
 * LOG LINES
 *	fatal: usage: test_trigger [options] FILE
 *	fatal: open FILE: REASON
 *	warning: write FILE: REASON
 * SECURITY
 *	Test only; never installed.
 * SEE ALSO
 *	lib/server/trigger_server.h, lib/server/master_proto.h
 */
#include <fcntl.h>
#include <unistd.h>

#include "server/trigger_server.h"
#include "util/msg.h"

static int trigger_fd = -1;

static void trigger_pre_init(const char *service_name, char **argv)
{
	if (argv[0] == NULL || argv[1] != NULL)
		msg_fatal("usage: test_trigger [options] FILE");
	if ((trigger_fd = open(argv[0], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
		msg_fatal("open %s: %m", argv[0]);
}

static void trigger_append(const char *data, size_t len, const char *service_name, char **argv)
{
	if (write(trigger_fd, data, len) != (ssize_t)len)
		msg_warn("write %s: %m", argv[0]);
}

static const struct trigger_server_spec spec = {
    .server = {.pre_init = trigger_pre_init},
    .trigger = trigger_append,
};

int main(int argc, char **argv)
{
	trigger_server_main(argc, argv, &spec);
}
