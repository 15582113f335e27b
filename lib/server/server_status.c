/*
 * server_status - writing status records to master.  EINTR is retried
 * because a daemon's watchdog or event signals may interrupt the write;
 * a record is small enough (well under PIPE_BUF) that it is written whole
 * or not at all.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server_status.h"

unsigned server_status_generation(const char *text)
{
	char *end;
	unsigned long value;

	if (text == NULL || *text < '0' || *text > '9')
		return 0;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (*end != 0 || errno != 0 || value > UINT_MAX)
		return 0;
	return (unsigned)value;
}

bool server_status_send(int fd, unsigned generation, enum master_status_kind kind)
{
	struct master_status record;
	ssize_t n;

	memset(&record, 0, sizeof(record));
	record.pid = getpid();
	record.generation = generation;
	record.status = kind;
	do
		n = write(fd, &record, sizeof(record));
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n != sizeof(record))
		errno = EPIPE;
	return n >= 0 && (size_t)n == sizeof(record);
}
