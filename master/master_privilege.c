/*
 * master_privilege - who a child runs as.  In root mode master execs
 * every daemon as root and the daemon's skeleton drops to mail_owner
 * (and chroots, unless master passed -c) after its start-up, as Postfix
 * daemons do: start-up may need root, e.g. to read a root-only TLS key,
 * and only the daemon can chroot once its shared libraries are loaded.
 * What master enforces is that a network-facing program is never
 * configured privileged (unprivileged = n).  In instance mode (master
 * not root) everything runs as master's own user, which mail_owner must
 * name, and every daemon gets -c.
 */
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "master.h"
#include "util/msg.h"

bool master_root_mode;

/* The programs that talk to the network; never run as root. */
static const char *const master_privilege_network[] = {"smtpd", "smtp", "lmtp", "tlsproxy", NULL};

void master_privilege_init(void)
{
	master_root_mode = geteuid() == 0;
	if (!master_root_mode && conf_owner_uid != getuid()) {
		struct passwd *pw = getpwuid(getuid());

		msg_fatal(
		    "file %s/main.cf: parameter mail_owner: %s is not the user who runs master "
		    "(%s); in instance mode mail_owner must name that user",
		    var_config_directory, var_mail_owner, pw ? pw->pw_name : "unknown");
	}
}

bool master_privilege_check(const struct master_serv *serv, struct strbuf *error)
{
	const char *command = strrchr(serv->path, '/');

	command = command ? command + 1 : serv->path;
	if (!master_root_mode || !serv->privileged)
		return true;
	for (size_t i = 0; master_privilege_network[i] != NULL; i++) {
		if (strcmp(command, master_privilege_network[i]) == 0) {
			strbuf_printf(error,
			              "service %s: command %s must not run privileged "
			              "(unprivileged = n)",
			              serv->name, command);
			return false;
		}
	}
	return true;
}
