/*
 * server - start-up and master plumbing shared by the daemon skeletons.
 * Everything here runs before the first client or between clients; the
 * skeletons own the loops.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config/conf.h"
#include "config/params.h"
#include "dict/dict.h"
#include "server/server.h"
#include "server/server_status.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/sock.h"

static void server_check_fd(int fd, const char *what)
{
	if (fcntl(fd, F_GETFD) < 0)
		msg_fatal("%s descriptor %d is not open: %m", what, fd);
	if (!sock_set_cloexec(fd, true))
		msg_fatal("%s descriptor %d: close-on-exec: %m", what, fd);
}

static void server_take_fds(struct server *server, bool listen_nonblock)
{
	server->listen_count = server->args->listen_count;
	for (int i = 0; i < server->listen_count; i++) {
		server->listen_fds[i] = MASTER_LISTEN_FD + i;
		server_check_fd(server->listen_fds[i], "listening");
		if (listen_nonblock && !sock_set_nonblock(server->listen_fds[i], true))
			msg_fatal("listening descriptor %d: non-blocking mode: %m",
			          server->listen_fds[i]);
	}
	if (!server->has_master)
		return;
	server_check_fd(MASTER_STATUS_FD, "master status");
	server_check_fd(MASTER_LIFELINE_FD, "master lifeline");
}

/*
 * Groups are looked up before chroot, because /etc/group is not inside
 * the queue directory.
 */
static void server_drop_privileges(const struct server *server)
{
	unsigned flags = server->spec->flags;
	/* Only a daemon that needs root keeps it, and only when master.cf agrees. */
	bool drop = server->args->unprivileged || (flags & SERVER_KEEP_ROOT) == 0;

	if (chdir(var_queue_directory) < 0)
		msg_fatal("chdir(\"%s\"): %m", var_queue_directory);
	if (geteuid() == 0) {
		if ((flags & SERVER_KEEP_ROOT) && (flags & SERVER_NETWORK))
			msg_fatal("a network-facing daemon must not keep root privileges");
		if (drop && initgroups(var_mail_owner, conf_owner_gid) < 0)
			msg_fatal("initgroups(%s): %m", var_mail_owner);
		if (!server->args->no_chroot && (chroot(".") < 0 || chdir("/") < 0))
			msg_fatal("chroot(\"%s\"): %m", var_queue_directory);
		if (drop && (setgid(conf_owner_gid) < 0 || setuid(conf_owner_uid) < 0))
			msg_fatal("set user %s privileges: %m", var_mail_owner);
	}
	if ((flags & SERVER_NETWORK) && (getuid() == 0 || geteuid() == 0))
		msg_fatal("a network-facing daemon must not run as root");
}

/* msg keeps the pointer: the name must live as long as the process. */
static void server_init_msg(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	msg_init(slash ? slash + 1 : argv0);
}

/* Logging to stderr stays only where someone can read it. */
static void server_init_output(const struct server_args *args)
{
	if (!args->debug && !isatty(STDERR_FILENO))
		msg_output_reset();
	msg_verbose = args->verbose;
}

struct server *server_start(int argc, char **argv, const struct server_spec *spec,
                            bool listen_nonblock)
{
	struct server *server = xcalloc(1, sizeof(*server));
	const char *error;
	int load_flags = CONF_LOAD_IMPORT;

	server_init_msg(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	if ((server->args = server_args_parse(argc, argv, &error)) == NULL)
		msg_fatal("%s", error);
	server->spec = spec;
	server->has_master = !server->args->debug;
	server->generation = server_status_generation(getenv(MASTER_GENERATION_ENV));
	if (geteuid() == 0)
		load_flags |= CONF_LOAD_OWNER;
	conf_load(NULL, (const char *const *)server->args->overrides->items, load_flags);
	server_init_output(server->args);
	conf_open_logging(conf_main_cf(conf_global())->path, (spec->flags & SERVER_LOG_FILE) != 0);
	server_take_fds(server, listen_nonblock);
	if (spec->pre_init)
		spec->pre_init(server->args->service_name, server->args->extra->items);
	server_drop_privileges(server);
	if (spec->post_init)
		spec->post_init(server->args->service_name, server->args->extra->items);
	return server;
}

void server_report(struct server *server, enum master_status_kind kind)
{
	if (!server->has_master || server->reported == (int)kind)
		return;
	if (!server_status_send(MASTER_STATUS_FD, server->generation, kind)) {
		if (msg_verbose)
			msg_info("master status: %m -- exiting");
		server_exit(&server, 0);
	}
	server->reported = kind;
}

bool server_master_gone(const struct server *server)
{
	struct pollfd pfd = {.fd = MASTER_LIFELINE_FD, .events = POLLIN};

	if (!server->has_master)
		return false;
	return poll(&pfd, 1, 0) > 0;
}

bool server_tables_changed(void)
{
	const char *name;

	if (!dict_changed(&name))
		return false;
	msg_info("table %s has changed -- restarting", name);
	return true;
}

/* Errors that only mean "no client for us this time". */
static bool server_accept_benign(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR || err == ECONNABORTED ||
	       err == EPROTO;
}

int server_accept(const struct server *server, int listen_fd)
{
	const char *error;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	int passed;

	if (fd < 0) {
		if (!server_accept_benign(errno))
			msg_warn("accept connection: %m");
		return -1;
	}
	if (strcmp(server->args->service_type, "pass") != 0)
		return fd;
	passed = sock_recv_fd(fd, &error);
	close(fd);
	if (passed < 0)
		msg_warn("receive passed connection: %s", error);
	return passed;
}

time_t server_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int server_wait(struct server *server, time_t idle_deadline)
{
	struct pollfd pfds[SERVER_ARGS_LISTEN_MAX + 1];
	int count = server->listen_count;
	time_t left = idle_deadline - server_now();
	int n;

	for (int i = 0; i < count; i++)
		pfds[i] = (struct pollfd){.fd = server->listen_fds[i], .events = POLLIN};
	pfds[count] =
	    (struct pollfd){.fd = server->has_master ? MASTER_LIFELINE_FD : -1, .events = POLLIN};
	n = poll(pfds, (nfds_t)count + 1, left > 0 ? (int)left * 1000 : 0);
	if (n < 0 && errno != EINTR)
		msg_fatal("poll: %m");
	if (n == 0 || (n > 0 && pfds[count].revents)) {
		if (msg_verbose)
			msg_info("%s -- exiting", n == 0 ? "idle timeout" : "master disconnect");
		server_exit(&server, 0);
	}
	for (int i = 0; n > 0 && i < count; i++)
		if (pfds[i].revents)
			return pfds[i].fd;
	return -1;
}

_Noreturn void server_exit(struct server **server, int status)
{
	if (*server) {
		server_args_free(&(*server)->args);
		free(*server);
		*server = NULL;
	}
	exit(status);
}
