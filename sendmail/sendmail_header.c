/*
 * sendmail_header - the header section as sendmail -t sees it: the
 * addresses in To:, Cc: and Bcc: (with their continuation lines).
 * cleanup does the real extraction (CLEANUP_FLAG_EXTRACT); sendmail
 * only counts, so that a message without any recipient fails at once
 * with Postfix's "No recipient addresses found in message header"
 * instead of being queued.  A header longer than header_size_limit is
 * cut there, as cleanup cuts it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/params.h"
#include "mail/header_addr.h"
#include "sendmail.h"
#include "util/alloc.h"
#include "util/argv.h"
#include "util/strbuf.h"

struct sendmail_header {
	struct strbuf *current; /* the header being collected */
	struct argv *addresses;
	bool in_line; /* the previous piece was partial */
	bool done;    /* the empty line was seen */
};

struct sendmail_header *sendmail_header_new(void)
{
	struct sendmail_header *hdr = xcalloc(1, sizeof(*hdr));

	hdr->current = strbuf_new((size_t)var_header_size_limit);
	hdr->addresses = argv_new();
	return hdr;
}

/* Takes the addresses of the collected header when it is To:, Cc: or Bcc:. */
static void sendmail_header_flush(struct sendmail_header *hdr)
{
	static const char *const names[] = {"to:", "cc:", "bcc:"};
	const char *text = strbuf_str(hdr->current);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (strncasecmp(text, names[i], n) == 0)
			header_addr_list(text + n, strbuf_len(hdr->current) - n,
			                 (size_t)var_header_address_token_limit, hdr->addresses);
	}
	strbuf_reset(hdr->current);
}

bool sendmail_header_line(struct sendmail_header *hdr, const char *line, size_t len, bool partial)
{
	bool starts = !hdr->in_line;

	if (hdr->done)
		return false;
	hdr->in_line = partial;
	if (starts && len == 0) {
		sendmail_header_flush(hdr);
		hdr->done = true;
		return false;
	}
	if (starts && !isspace((unsigned char)line[0]))
		sendmail_header_flush(hdr);
	else if (starts)
		strbuf_append_char(hdr->current, '\n');
	strbuf_append(hdr->current, line, len);
	return true;
}

size_t sendmail_header_finish(struct sendmail_header **hdrp)
{
	struct sendmail_header *hdr = *hdrp;
	size_t count;

	if (!hdr->done)
		sendmail_header_flush(hdr);
	count = hdr->addresses->count;
	argv_free(&hdr->addresses);
	strbuf_free(&hdr->current);
	free(hdr);
	*hdrp = NULL;
	return count;
}
