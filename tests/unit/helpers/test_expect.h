/*
 * Small assertions shared by unit tests, failing with "got X, want Y".
 */
#ifndef TEST_EXPECT_H
#define TEST_EXPECT_H

/*
 * Fails the test unless the call made from input failed: result is NULL
 * and its error contains want_part.
 */
void test_expect_error(const char *input, const void *result, const char *error,
                       const char *want_part);

#endif
