/*
 * pickup - private interfaces of the maildrop pickup daemon.
 */
#ifndef POSTERN_PICKUP_PICKUP_H
#define POSTERN_PICKUP_PICKUP_H

#include <stddef.h>

/* What became of one maildrop file. */
enum pickup_result {
	PICKUP_DONE,    /* queued by cleanup and removed, or moved to corrupt/ */
	PICKUP_SKIPPED, /* incomplete, vanished or not a regular file */
	PICKUP_RETRY,   /* cleanup unavailable or failed temporarily: stop this scan */
};

/* trigger_server callback: scans maildrop/ once. */
void pickup_scan(const char *data, size_t len, const char *service_name, char **argv);

/* Hands maildrop/NAME to cleanup. */
enum pickup_result pickup_file(const char *name);

/* Moves maildrop/NAME to corrupt/NAME with a warning that says why. */
void pickup_corrupt(const char *name, const char *why);

#endif
