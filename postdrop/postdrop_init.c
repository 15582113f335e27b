/*
 * postdrop_init - command line, configuration and the submitter check.
 * postdrop is set-gid: the standard descriptors are made safe before
 * anything is opened, and only import_environment survives.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "mail/submit_user.h"
#include "postdrop.h"
#include "util/msg.h"

/* Opens /dev/null on a closed standard descriptor so no file we open becomes one. */
static void postdrop_init_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0 &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			abort();
	}
}

bool postdrop_init(int argc, char **argv)
{
	const char *config_dir = NULL;
	bool report = false;
	int opt;

	postdrop_init_stdio();
	umask(022);
	msg_init("postdrop");
	while ((opt = getopt(argc, argv, "c:rv")) != -1) {
		switch (opt) {
		case 'c':
			config_dir = optarg;
			break;
		case 'r':
			report = true;
			break;
		case 'v':
			msg_verbose++;
			break;
		default:
			msg_fatal("usage: postdrop [-c config_dir] [-r] [-v]");
		}
	}
	if (optind != argc)
		msg_fatal("usage: postdrop [-c config_dir] [-r] [-v]");
	conf_load(conf_directory_choose(config_dir), NULL, CONF_LOAD_IMPORT | CONF_LOAD_LOGGING);
	submit_user_check("authorized_submit_users", var_authorized_submit_users, "submit mail", 1);
	if (chdir(var_queue_directory) < 0)
		msg_fatal("chdir %s: %m", var_queue_directory);
	return report;
}
