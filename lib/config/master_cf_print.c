/*
 * master_cf_print - master.cf in the forms postconf -M, -F and -P show.
 *
 * The layouts follow Postfix's postconf byte for byte: fields padded to
 * fixed columns (a wide field pushes the next one right by a single
 * space), the command folded before column 80 with each -o option on a
 * line of its own, parameter values folded at 80.  The editors write
 * entries in the folded -M form too, so one formatter serves both.
 */
#include <stdlib.h>
#include <string.h>

#include "config/master_cf_int.h"
#include "util/alloc.h"

/* Where each of the eight columns starts in postconf -M output. */
static const size_t master_cf_columns[MASTER_CF_FIELD_COUNT] = {0, 11, 17, 25, 33, 41, 49, 57};

/* The widest command line before folding, and the widest value line. */
#define MASTER_CF_COMMAND_WIDTH 79
#define MASTER_CF_VALUE_WIDTH 80
#define MASTER_CF_INDENT "    "

static bool master_cf_has_space(const char *text)
{
	return strpbrk(text, " \t\r\n") != NULL;
}

/*
 * Appends a command word so that reading it back yields the same word:
 * braces around what would otherwise split, vanish or read as an option.
 */
static void master_cf_append_word(struct strbuf *out, const char *word, bool option_position)
{
	bool brace = word[0] == 0 || word[0] == '{' || master_cf_has_space(word) ||
	             (option_position && word[0] == '-' && word[1] != 0 && strcmp(word, "--") != 0);

	if (brace)
		strbuf_append_char(out, '{');
	strbuf_append_str(out, word);
	if (brace)
		strbuf_append_char(out, '}');
}

/* The folding state of one output line. */
struct master_cf_fold {
	struct strbuf *out;
	size_t line_start; /* offset in out of the current line's column 0 */
	bool fold;
	bool first;
	bool last_own_line;
};

/* Appends one unit (text already in unit) with the separator it needs. */
static void master_cf_fold_add(struct master_cf_fold *fold, const struct strbuf *unit,
                               bool own_line, size_t width)
{
	size_t column = fold->out->len - fold->line_start;

	if (!fold->first) {
		if (fold->fold &&
		    (own_line || fold->last_own_line || column + 1 + unit->len > width)) {
			strbuf_append_char(fold->out, '\n');
			fold->line_start = fold->out->len;
			strbuf_append_str(fold->out, MASTER_CF_INDENT);
		} else {
			strbuf_append_char(fold->out, ' ');
		}
	}
	strbuf_append(fold->out, unit->data, unit->len);
	fold->first = false;
	fold->last_own_line = own_line;
}

void master_cf_format_command(const struct master_cf_service *svc, bool fold, size_t column,
                              struct strbuf *out)
{
	struct master_cf_fold state = {.out = out, .fold = fold, .first = true};
	struct strbuf *unit = strbuf_new(STRBUF_UNLIMITED);

	state.line_start = out->len >= column ? out->len - column : 0;
	for (size_t i = 0; i < svc->argc; i++) {
		bool own_line = false;

		strbuf_reset(unit);
		if (i > 0 && i < svc->option_end && strcmp(svc->argv[i], "-o") == 0 &&
		    i + 1 < svc->option_end) {
			const char *setting = svc->argv[++i];
			bool brace = master_cf_has_space(setting);

			strbuf_printf(unit, brace ? "-o {%s}" : "-o %s", setting);
			own_line = true;
		} else if (i < svc->option_end && i > 0) {
			strbuf_append_str(unit, svc->argv[i]);
		} else {
			master_cf_append_word(unit, svc->argv[i], i == svc->option_end);
		}
		master_cf_fold_add(&state, unit, own_line, MASTER_CF_COMMAND_WIDTH);
	}
	strbuf_free(&unit);
}

void master_cf_format_entry(const struct master_cf_service *svc, bool fold, struct strbuf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < MASTER_CF_FIELD_COUNT; i++) {
		size_t column = out->len - start;

		if (i > 0 && column >= master_cf_columns[i])
			strbuf_append_char(out, ' ');
		while (out->len - start < master_cf_columns[i])
			strbuf_append_char(out, ' ');
		if (i < MASTER_CF_COMMAND)
			strbuf_append_str(out, svc->field[i]);
	}
	master_cf_format_command(svc, fold, out->len - start, out);
	strbuf_append_char(out, '\n');
}

void master_cf_format_service(const struct master_cf_service *svc, struct strbuf *out)
{
	master_cf_format_entry(svc, true, out);
}

/*
 * Calls back for each (entry, request) pair that matches, in file order
 * and then request order, as postconf lists them; "*" stands in for an
 * empty request list.
 */
typedef void (*master_cf_visit_fn)(const struct master_cf_service *svc, const char *name,
                                   void *context, bool *found_r);

static void master_cf_visit(const struct master_cf *cf, char *const *requests, size_t nrequests,
                            bool *matched, master_cf_visit_fn visit, void *context)
{
	static char *const all[] = {"*"};

	if (nrequests == 0) {
		requests = all;
		nrequests = 1;
		matched = NULL;
	}
	for (size_t r = 0; matched != NULL && r < nrequests; r++)
		matched[r] = false;
	for (size_t i = 0; i < master_cf_count(cf); i++) {
		const struct master_cf_service *svc = master_cf_service(cf, i);

		for (size_t r = 0; r < nrequests; r++) {
			const char *name;
			bool found = false;

			if (!master_cf_request_match(svc, requests[r], &name))
				continue;
			visit(svc, name, context, &found);
			if (found && matched != NULL)
				matched[r] = true;
		}
	}
}

/* Appends "prefix = " as -h and -H want it; false when no value follows. */
static bool master_cf_print_name(struct strbuf *out, const struct master_cf_service *svc,
                                 const char *name, int flags)
{
	if (flags & MASTER_CF_PRINT_VALUE_ONLY)
		return true;
	strbuf_printf(out, "%s/%s/%s", svc->field[MASTER_CF_SERVICE], svc->field[MASTER_CF_TYPE],
	              name);
	if (flags & MASTER_CF_PRINT_NAME_ONLY) {
		strbuf_append_char(out, '\n');
		return false;
	}
	strbuf_append_str(out, " = ");
	return true;
}

struct master_cf_print_context {
	int flags;
	master_cf_expand_fn expand;
	void *expand_context;
	struct strbuf *out;
};

static void master_cf_visit_service(const struct master_cf_service *svc, const char *name,
                                    void *context, bool *found_r)
{
	struct master_cf_print_context *ctx = context;

	master_cf_format_entry(svc, (ctx->flags & MASTER_CF_PRINT_FOLD) != 0, ctx->out);
	*found_r = true;
}

void master_cf_print_services(const struct master_cf *cf, char *const *requests, size_t nrequests,
                              int flags, bool *matched, struct strbuf *out)
{
	struct master_cf_print_context ctx = {.flags = flags, .out = out};

	master_cf_visit(cf, requests, nrequests, matched, master_cf_visit_service, &ctx);
}

static void master_cf_visit_fields(const struct master_cf_service *svc, const char *name,
                                   void *context, bool *found_r)
{
	struct master_cf_print_context *ctx = context;
	struct strbuf *out = ctx->out;

	for (size_t f = 0; f < MASTER_CF_FIELD_COUNT; f++) {
		size_t line_start = out->len;

		if (strcmp(name, "*") != 0 && strcmp(name, master_cf_field_name(f)) != 0)
			continue;
		*found_r = true;
		if (!master_cf_print_name(out, svc, master_cf_field_name(f), ctx->flags))
			continue;
		if (f == MASTER_CF_COMMAND)
			master_cf_format_command(svc, (ctx->flags & MASTER_CF_PRINT_FOLD) != 0,
			                         out->len - line_start, out);
		else
			strbuf_append_str(out, svc->field[f]);
		strbuf_append_char(out, '\n');
	}
}

void master_cf_print_fields(const struct master_cf *cf, char *const *requests, size_t nrequests,
                            int flags, bool *matched, struct strbuf *out)
{
	struct master_cf_print_context ctx = {.flags = flags, .out = out};

	master_cf_visit(cf, requests, nrequests, matched, master_cf_visit_fields, &ctx);
}

/* Appends the words of value one space apart, folding at 80 columns. */
static void master_cf_append_value(struct strbuf *out, const char *value, bool fold, size_t column)
{
	struct master_cf_fold state = {.out = out, .fold = fold, .first = true};
	struct strbuf *unit = strbuf_new(STRBUF_UNLIMITED);
	const char *cp = value;

	state.line_start = out->len - column;
	for (;;) {
		size_t len;

		cp += strspn(cp, " \t\r\n");
		if ((len = strcspn(cp, " \t\r\n")) == 0)
			break;
		strbuf_reset(unit);
		strbuf_append(unit, cp, len);
		master_cf_fold_add(&state, unit, false, MASTER_CF_VALUE_WIDTH);
		cp += len;
	}
	strbuf_free(&unit);
}

static int master_cf_override_cmp(const void *a, const void *b)
{
	const struct master_cf_override *const *x = a;
	const struct master_cf_override *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* The -o options of svc, one per name (the last), sorted by name. */
static size_t master_cf_sorted_overrides(const struct master_cf_service *svc,
                                         const struct master_cf_override **list)
{
	size_t count = 0;

	for (size_t i = 0; i < svc->override_count; i++) {
		bool later = false;

		for (size_t j = i + 1; j < svc->override_count && !later; j++)
			later = strcmp(svc->overrides[i].name, svc->overrides[j].name) == 0;
		if (!later)
			list[count++] = &svc->overrides[i];
	}
	qsort(list, count, sizeof(*list), master_cf_override_cmp);
	return count;
}

static void master_cf_visit_params(const struct master_cf_service *svc, const char *name,
                                   void *context, bool *found_r)
{
	struct master_cf_print_context *ctx = context;
	const struct master_cf_override **list;
	size_t count;

	if (svc->override_count == 0)
		return;
	list = xreallocarray(NULL, svc->override_count, sizeof(*list));
	count = master_cf_sorted_overrides(svc, list);
	for (size_t i = 0; i < count; i++) {
		size_t line_start = ctx->out->len;
		const char *value = list[i]->value;

		if (strcmp(name, "*") != 0 && strcmp(name, list[i]->name) != 0)
			continue;
		*found_r = true;
		if (!master_cf_print_name(ctx->out, svc, list[i]->name, ctx->flags))
			continue;
		if (ctx->expand != NULL)
			value = ctx->expand(value, ctx->expand_context);
		master_cf_append_value(ctx->out, value, (ctx->flags & MASTER_CF_PRINT_FOLD) != 0,
		                       ctx->out->len - line_start);
		strbuf_append_char(ctx->out, '\n');
	}
	free(list);
}

void master_cf_print_params(const struct master_cf *cf, char *const *requests, size_t nrequests,
                            int flags, master_cf_expand_fn expand, void *context, bool *matched,
                            struct strbuf *out)
{
	struct master_cf_print_context ctx = {
	    .flags = flags, .expand = expand, .expand_context = context, .out = out};

	master_cf_visit(cf, requests, nrequests, matched, master_cf_visit_params, &ctx);
}

void master_cf_text(const struct master_cf *cf, struct strbuf *out)
{
	for (size_t i = 0; i < cf->item_count; i++)
		strbuf_append_str(out, cf->items[i].text);
}
