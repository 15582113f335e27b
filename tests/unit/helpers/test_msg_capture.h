/*
 * Log capture for unit tests: while capturing, every msg_* line is kept as
 * "<level prefix><text>\n" (as msg_level_prefix() writes it) instead of
 * going to stderr, so tests can compare exact log lines.
 */
#ifndef TEST_MSG_CAPTURE_H
#define TEST_MSG_CAPTURE_H

/* Sends all log output to an empty capture buffer. */
void test_msg_capture_start(void);

/* Sends all log output nowhere. */
void test_msg_capture_discard(void);

/* Sends log output to stderr again; the captured text stays readable until the next start. */
void test_msg_capture_stop(void);

/* Empties the capture buffer. */
void test_msg_capture_clear(void);

/* What was captured since the last start or clear. */
const char *test_msg_capture_text(void);

/*
 * Fails the test unless the captured text, with each occurrence of path
 * written as "FILE" (path may be NULL), is want; the message shows where
 * they part.
 */
void test_msg_capture_expect(const char *path, const char *want);

#endif
