/*
 * Log capture for unit tests, shared so that each test states only which
 * lines it wants, not how it intercepts them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "helpers/test_msg_capture.h"
#include "util/msg.h"
#include "util/strbuf.h"

static struct strbuf *captured;

static void capture_output(enum msg_level level, const char *text)
{
	strbuf_printf(captured, "%s%s\n", msg_level_prefix(level), text);
}

static void discard_output(enum msg_level level, const char *text)
{
}

void test_msg_capture_start(void)
{
	if (captured == NULL)
		captured = strbuf_new(STRBUF_UNLIMITED);
	strbuf_reset(captured);
	msg_output_reset();
	msg_output_add(capture_output);
}

void test_msg_capture_discard(void)
{
	msg_output_reset();
	msg_output_add(discard_output);
}

void test_msg_capture_stop(void)
{
	msg_output_reset();
	msg_output_add(msg_stderr_output);
}

void test_msg_capture_clear(void)
{
	if (captured != NULL)
		strbuf_reset(captured);
}

const char *test_msg_capture_text(void)
{
	return captured != NULL ? strbuf_str(captured) : "";
}

void test_msg_capture_expect(const char *path, const char *want)
{
	struct strbuf *got = strbuf_new(STRBUF_UNLIMITED);
	const char *p = test_msg_capture_text(), *hit;
	const char *g;
	size_t at = 0;

	while (path != NULL && (hit = strstr(p, path)) != NULL) {
		strbuf_append(got, p, (size_t)(hit - p));
		strbuf_append_str(got, "FILE");
		p = hit + strlen(path);
	}
	strbuf_append_str(got, p);
	g = strbuf_str(got);
	if (strcmp(g, want) != 0) {
		while (g[at] && g[at] == want[at])
			at++;
		while (at > 0 && g[at - 1] != '\n')
			at--;
		fail_msg("log differs: got \"%.200s\", want \"%.200s\"", g + at, want + at);
	}
	strbuf_free(&got);
}
