/*
 * mail_trigger - wake a trigger service (pickup, qmgr) by writing one
 * MASTER_TRIGGER_* byte to its endpoint under queue_directory, which is
 * a UNIX socket or a fifo depending on the service's master.cf type.
 */
#ifndef POSTERN_MAIL_MAIL_TRIGGER_H
#define POSTERN_MAIL_MAIL_TRIGGER_H

#include <stdbool.h>

/*
 * Writes byte to path ("public/pickup", relative to the current
 * directory or absolute), waiting at most timeout seconds for a socket
 * listener.  False with *error_r ("unable to connect to public/pickup:
 * ...", static storage) when nobody listens or the write fails.
 */
bool mail_trigger(const char *path, char byte, int timeout, const char **error_r);

#endif
