/*
 * server_status - the child side of master's status pipe: one fixed-size
 * struct master_status record per state change, written in a single
 * write(2) so that records of sibling children never mix.
 */
#ifndef POSTERN_SERVER_SERVER_STATUS_H
#define POSTERN_SERVER_SERVER_STATUS_H

#include <stdbool.h>

#include "server/master_proto.h"

/*
 * The generation to report, from the text of MASTER_GENERATION_ENV:
 * a decimal number, else 0 (NULL, empty, junk or out of range).
 */
unsigned server_status_generation(const char *text);

/*
 * Writes one record {getpid(), generation, kind} to fd.  False (errno
 * set) when the write failed or was short; master is then gone.
 */
bool server_status_send(int fd, unsigned generation, enum master_status_kind kind);

#endif
