/*
 * libFuzzer target for the SMTP command argument parsers: the input is
 * one command line; it goes through the verb splitter, both path
 * keywords, the parameter walker and each parameter value parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/smtp_cmd.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_params(const char *params, struct strbuf *out)
{
	char *copy = strdup(params);
	char *cursor = copy, *name, *value;
	long long n;

	while (smtp_cmd_param(&cursor, &name, &value)) {
		if (value == NULL)
			continue;
		strbuf_reset(out);
		smtp_cmd_size(value, &n);
		smtp_cmd_notify(value);
		smtp_cmd_xtext(value, out);
		smtp_cmd_orcpt(value, out);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct strbuf *addr = strbuf_new(512);
	struct strbuf *out = strbuf_new(512);
	char verb[16];
	const char *args, *params;

	memcpy(line, data, size);
	line[size] = 0;
	args = smtp_cmd_verb(line, verb, sizeof(verb));
	if (smtp_cmd_path(args, "FROM:", addr, &params) == SMTP_CMD_PATH_OK)
		fuzz_params(params, out);
	if (smtp_cmd_path(args, "TO:", addr, &params) == SMTP_CMD_PATH_OK)
		fuzz_params(params, out);
	strbuf_free(&addr);
	strbuf_free(&out);
	free(line);
	return 0;
}
