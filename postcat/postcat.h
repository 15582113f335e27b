/*
 * postcat.h - what postcat's files share: the options and the printer.
 */
#ifndef POSTERN_POSTCAT_POSTCAT_H
#define POSTERN_POSTCAT_POSTCAT_H

#include <stdbool.h>
#include <stdio.h>

/* -b, -d, -e, -h and -o. */
#define POSTCAT_BODY (1 << 0)
#define POSTCAT_TYPE (1 << 1)
#define POSTCAT_ENVELOPE (1 << 2)
#define POSTCAT_HEADERS (1 << 3)
#define POSTCAT_OFFSET (1 << 4)

/* The largest record postcat accepts. */
#define POSTCAT_RECORD_MAX (1024 * 1024)

/*
 * Prints the queue file open on fd, named name in the banners, to out
 * as the flags ask.  A malformed file is reported as a warning naming
 * the offset; returns false then (what was printed stays).
 */
bool postcat_print(int fd, const char *name, int flags, FILE *out);

#endif
