/*
 * libFuzzer target for the configuration readers: the input is parsed as
 * main.cf, every value is $name-expanded against the file itself (so loops
 * and deep nesting are exercised), and the same bytes are parsed as
 * master.cf and printed back in both -M layouts.  Errors are fine; crashes,
 * overreads and unbounded recursion are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/main_cf.h"
#include "config/main_cf_expand.h"
#include "config/master_cf.h"
#include "util/msg.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_lookup(const char *name, void *context, struct strbuf *error)
{
	const struct main_cf_entry *entry = main_cf_find(context, name);

	return entry ? entry->value : NULL;
}

static void fuzz_main_cf(const char *text, size_t size)
{
	struct main_cf *cf = main_cf_new("fuzz/main.cf");
	struct strbuf *error = strbuf_new(4096), *out = strbuf_new(1 << 20);

	if (main_cf_parse(cf, text, size, error)) {
		for (size_t i = 0; i < cf->count; i++) {
			strbuf_reset(out);
			strbuf_reset(error);
			main_cf_expand(cf->entries[i].value, fuzz_lookup, cf, out, error);
		}
	}
	strbuf_free(&out);
	strbuf_free(&error);
	main_cf_free(&cf);
}

static void fuzz_master_cf(const char *text, size_t size)
{
	const char *error = NULL;
	struct master_cf *cf = master_cf_parse("fuzz/master.cf", text, size, &error);
	struct strbuf *out = strbuf_new(STRBUF_UNLIMITED);

	if (cf != NULL) {
		master_cf_print_services(cf, NULL, 0, 0, NULL, out);
		master_cf_print_services(cf, NULL, 0, MASTER_CF_PRINT_FOLD, NULL, out);
		master_cf_free(&cf);
	}
	strbuf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	msg_output_reset();
	memcpy(text, data, size);
	text[size] = 0;
	fuzz_main_cf(text, size);
	fuzz_master_cf(text, size);
	free(text);
	return 0;
}
