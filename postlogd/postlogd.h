/*
 * postlogd - private interfaces of the postlogd daemon.
 */
#ifndef POSTERN_POSTLOGD_H
#define POSTERN_POSTLOGD_H

#include <stddef.h>

/* Opens maillog_file for records (pre_init: still privileged). */
void postlogd_open(const char *service_name, char **argv);

/* Appends one received record as one line (the trigger callback). */
void postlogd_write(const char *data, size_t len, const char *service_name, char **argv);

#endif
