/*
 * msg_syslog - logging through syslog(3).  openlog() keeps a pointer to
 * the ident rather than a copy, hence the static buffer.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "util/msg_syslog.h"

static const struct {
	const char *name;
	int facility;
} msg_syslog_facilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},         {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER},         {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

static char msg_syslog_ident_buf[256];
static bool msg_syslog_added;

bool msg_syslog_facility(const char *name, int *facility_r)
{
	for (size_t i = 0; i < sizeof(msg_syslog_facilities) / sizeof(msg_syslog_facilities[0]);
	     i++) {
		if (strcmp(name, msg_syslog_facilities[i].name) == 0) {
			*facility_r = msg_syslog_facilities[i].facility;
			return true;
		}
	}
	return false;
}

void msg_syslog_init(const char *syslog_name, int facility)
{
	closelog();
	snprintf(msg_syslog_ident_buf, sizeof(msg_syslog_ident_buf), "%s/%s", syslog_name,
	         msg_progname());
	openlog(msg_syslog_ident_buf, LOG_PID | LOG_NDELAY, facility);
	if (!msg_syslog_added) {
		msg_output_add(msg_syslog_output);
		msg_syslog_added = true;
	}
}

const char *msg_syslog_ident(void)
{
	return msg_syslog_ident_buf;
}

int msg_syslog_priority(enum msg_level level)
{
	switch (level) {
	case MSG_INFO:
		return LOG_INFO;
	case MSG_WARN:
		return LOG_WARNING;
	case MSG_ERROR:
		return LOG_ERR;
	default:
		return LOG_CRIT;
	}
}

void msg_syslog_output(enum msg_level level, const char *text)
{
	syslog(msg_syslog_priority(level), "%s%s", msg_level_prefix(level), text);
}
