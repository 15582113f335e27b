/*
 * main_cf_expand - evaluate $name references and ${...} conditionals.
 * A small recursive-descent evaluator over the text; every recursion
 * (into a looked-up value or a chosen branch) counts against one depth
 * limit, which is what turns a $a -> $b -> $a loop into an error.
 */
#include <ctype.h>
#include <string.h>

#include "config/main_cf_expand.h"

struct expander {
	main_cf_lookup_fn lookup;
	void *context;
	struct strbuf *error;
	int depth;
};

/* A view of part of a string. */
struct span {
	const char *ptr;
	size_t len;
};

static bool expand_span(struct expander *ex, struct span text, struct strbuf *out);

static bool is_name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

static void skip_space(struct span *s)
{
	while (s->len > 0 && isspace((unsigned char)*s->ptr)) {
		s->ptr++;
		s->len--;
	}
}

static void trim_space(struct span *s)
{
	skip_space(s);
	while (s->len > 0 && isspace((unsigned char)s->ptr[s->len - 1]))
		s->len--;
}

/* Reports a syntax error inside content at position at, as Postfix shows it. */
static bool syntax_error(struct expander *ex, const char *what, struct span content, const char *at)
{
	size_t before = (size_t)(at - content.ptr);
	const char *token_end = at;
	size_t shown;

	/* Like Postfix, show the token before the error, not the blanks after it. */
	while (token_end > content.ptr && isspace((unsigned char)token_end[-1]))
		token_end--;
	shown = (size_t)(token_end - content.ptr) < 2 ? (size_t)(token_end - content.ptr) : 2;
	strbuf_printf(ex->error, "%s at: \"...%.*s>>>%.*s\"", what, (int)shown, token_end - shown,
	              (int)(content.len - before), at);
	return false;
}

/* Index of the bracket closing the one at text[0], or len when unbalanced. */
static size_t matching_close(const char *text, size_t len)
{
	char open = text[0];
	char close = open == '{' ? '}' : ')';
	int level = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == open)
			level++;
		else if (text[i] == close && --level == 0)
			return i;
	}
	return len;
}

/* Takes "{...}" off the front of s into group (without the braces). */
static bool take_group(struct span *s, struct span *group)
{
	size_t close;

	if (s->len == 0 || *s->ptr != '{')
		return false;
	close = matching_close(s->ptr, s->len);
	if (close == s->len)
		return false;
	group->ptr = s->ptr + 1;
	group->len = close - 1;
	trim_space(group);
	s->ptr += close + 1;
	s->len -= close + 1;
	return true;
}

static bool expand_nested(struct expander *ex, struct span text, struct strbuf *out,
                          const char *name, size_t name_len)
{
	bool ok;

	if (ex->depth >= MAIN_CF_EXPAND_DEPTH) {
		strbuf_printf(ex->error, "unreasonable macro call nesting: \"%.*s\"", (int)name_len,
		              name);
		return false;
	}
	ex->depth++;
	ok = expand_span(ex, text, out);
	ex->depth--;
	return ok;
}

static bool lookup_expand(struct expander *ex, const char *name, size_t len, struct strbuf *out)
{
	char key[256];
	const char *value;
	size_t errors = strbuf_len(ex->error);

	if (len >= sizeof(key)) {
		strbuf_printf(ex->error, "parameter name too long: \"%.*s\"", (int)len, name);
		return false;
	}
	memcpy(key, name, len);
	key[len] = 0;
	value = ex->lookup(key, ex->context, ex->error);
	if (strbuf_len(ex->error) != errors)
		return false;
	if (value == NULL)
		return true;
	return expand_nested(ex, (struct span){value, strlen(value)}, out, name, len);
}

enum relation { REL_EQ, REL_NE, REL_LE, REL_GE, REL_LT, REL_GT };

static bool take_operator(struct span *s, enum relation *rel_r, bool *level_r)
{
	static const struct {
		const char *token;
		enum relation rel;
	} ops[] = {{"==", REL_EQ}, {"!=", REL_NE}, {"<=", REL_LE},
	           {">=", REL_GE}, {"<", REL_LT},  {">", REL_GT}};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].token);

		if (s->len >= n && memcmp(s->ptr, ops[i].token, n) == 0) {
			s->ptr += n;
			s->len -= n;
			*level_r = s->len >= 5 && memcmp(s->ptr, "level", 5) == 0;
			if (*level_r) {
				s->ptr += 5;
				s->len -= 5;
			}
			*rel_r = ops[i].rel;
			return true;
		}
	}
	return false;
}

bool main_cf_expand_level(const char *text, long long *level_r)
{
	long long parts[3] = {0, 0, 0};
	int count = 0;
	const char *p = text;

	while (count < 3 && isdigit((unsigned char)*p)) {
		long long n = 0;

		while (isdigit((unsigned char)*p) && n < 1000000)
			n = n * 10 + (*p++ - '0');
		if (n >= 1000000)
			return false;
		parts[count++] = n;
		if (*p != '.' || count == 3)
			break;
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
	}
	if (count == 0 || *p != 0)
		return false;
	*level_r = (parts[0] * 1000000 + parts[1]) * 1000000 + parts[2];
	return true;
}

static bool all_digits(const char *text)
{
	if (*text == 0)
		return false;
	for (; *text; text++)
		if (!isdigit((unsigned char)*text))
			return false;
	return true;
}

/* Numbers of any length compare by value, without overflow. */
static int compare_numbers(const char *a, const char *b)
{
	size_t la, lb;

	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static bool compare(struct expander *ex, const char *a, const char *b, bool level, int *cmp_r)
{
	long long la, lb;

	if (!level) {
		*cmp_r = all_digits(a) && all_digits(b) ? compare_numbers(a, b) : strcmp(a, b);
		return true;
	}
	if (!main_cf_expand_level(a, &la) || !main_cf_expand_level(b, &lb)) {
		strbuf_printf(ex->error, "malformed compatibility level syntax: \"%s\"",
		              main_cf_expand_level(a, &la) ? b : a);
		return false;
	}
	*cmp_r = la < lb ? -1 : la > lb;
	return true;
}

static bool relation_holds(enum relation rel, int cmp)
{
	switch (rel) {
	case REL_EQ:
		return cmp == 0;
	case REL_NE:
		return cmp != 0;
	case REL_LE:
		return cmp <= 0;
	case REL_GE:
		return cmp >= 0;
	case REL_LT:
		return cmp < 0;
	default:
		return cmp > 0;
	}
}

/* "{a} op {b}" at the front of *rest; *holds_r gets the outcome. */
static bool eval_relation(struct expander *ex, struct span *rest, struct span content,
                          bool *holds_r)
{
	struct span left, right;
	struct strbuf *a = strbuf_new(STRBUF_UNLIMITED);
	struct strbuf *b = strbuf_new(STRBUF_UNLIMITED);
	enum relation rel;
	bool level;
	int cmp;
	bool ok = false;

	take_group(rest, &left);
	skip_space(rest);
	if (!take_operator(rest, &rel, &level))
		syntax_error(ex, "\"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected", content,
		             rest->ptr);
	else if (skip_space(rest), !take_group(rest, &right))
		syntax_error(ex, "\"{\" expected", content, rest->ptr);
	else if (expand_nested(ex, left, a, left.ptr, left.len) &&
	         expand_nested(ex, right, b, right.ptr, right.len) &&
	         compare(ex, strbuf_str(a), strbuf_str(b), level, &cmp)) {
		*holds_r = relation_holds(rel, cmp);
		ok = true;
	}
	strbuf_free(&a);
	strbuf_free(&b);
	return ok;
}

/* The name at the front of *rest; value_r gets its expanded value. */
static bool eval_name(struct expander *ex, struct span *rest, struct span content,
                      struct span whole, struct strbuf *value)
{
	size_t len = 0;

	while (len < rest->len && is_name_char(rest->ptr[len]))
		len++;
	if (len == 0 && rest->len == 0) {
		strbuf_printf(ex->error, "empty macro name: \"%.*s\"", (int)whole.len, whole.ptr);
		return false;
	}
	if (len == 0 || (len < rest->len && !isspace((unsigned char)rest->ptr[len]) &&
	                 rest->ptr[len] != '?' && rest->ptr[len] != ':'))
		return syntax_error(ex, "attribute name syntax error", content, rest->ptr + len);
	if (!lookup_expand(ex, rest->ptr, len, value))
		return false;
	rest->ptr += len;
	rest->len -= len;
	return true;
}

/* The "?..." or ":..." part: picks a branch by holds and expands it. */
static bool eval_choice(struct expander *ex, struct span rest, struct span content, bool holds,
                        struct strbuf *out)
{
	struct span when_true = {"", 0}, when_false = {"", 0};
	char kind = *rest.ptr;

	if (kind != '?' && kind != ':')
		return syntax_error(ex, "unexpected input", content, rest.ptr);
	rest.ptr++;
	rest.len--;
	skip_space(&rest);
	if (kind == '?' && take_group(&rest, &when_true)) {
		skip_space(&rest);
		if (rest.len > 0 && *rest.ptr != ':')
			return syntax_error(ex, "\":\" expected", content, rest.ptr);
		if (rest.len > 0) {
			rest.ptr++;
			rest.len--;
			skip_space(&rest);
			kind = ':';
		}
	} else if (kind == '?') {
		when_true = rest;
		trim_space(&when_true);
		rest.len = 0;
	}
	if (kind == ':' && take_group(&rest, &when_false)) {
		skip_space(&rest);
		if (rest.len > 0)
			return syntax_error(ex, "unexpected input", content, rest.ptr);
	} else if (kind == ':') {
		when_false = rest;
		trim_space(&when_false);
	}
	rest = holds ? when_true : when_false;
	return expand_nested(ex, rest, out, content.ptr, content.len);
}

/* The inside of ${...} or $(...); whole is the text being expanded. */
static bool expand_braced(struct expander *ex, struct span content, struct span whole,
                          struct strbuf *out)
{
	struct strbuf *value = strbuf_new(STRBUF_UNLIMITED);
	struct span rest = content;
	bool relational = content.len > 0 && *content.ptr == '{';
	bool holds = false;
	bool ok;

	if (relational)
		ok = eval_relation(ex, &rest, content, &holds);
	else if ((ok = eval_name(ex, &rest, content, whole, value)))
		holds = strbuf_len(value) > 0;
	if (ok) {
		skip_space(&rest);
		if (rest.len > 0)
			ok = eval_choice(ex, rest, content, holds, out);
		else if (relational)
			strbuf_append_str(out, holds ? "true" : "");
		else
			strbuf_append(out, strbuf_str(value), strbuf_len(value));
	}
	strbuf_free(&value);
	return ok;
}

static bool expand_span(struct expander *ex, struct span text, struct strbuf *out)
{
	const char *p = text.ptr;
	const char *end = text.ptr + text.len;

	while (p < end) {
		const char *dollar = memchr(p, '$', (size_t)(end - p));
		size_t len;

		if (dollar == NULL)
			dollar = end;
		strbuf_append(out, p, (size_t)(dollar - p));
		if (dollar == end)
			break;
		p = dollar + 1;
		if (p < end && *p == '$') {
			strbuf_append_char(out, '$');
			p++;
		} else if (p < end && (*p == '{' || *p == '(')) {
			len = matching_close(p, (size_t)(end - p));
			if (p + len == end) {
				strbuf_printf(ex->error, "truncated macro reference: \"%.*s\"",
				              (int)text.len, text.ptr);
				return false;
			}
			if (!expand_braced(ex, (struct span){p + 1, len - 1}, text, out))
				return false;
			p += len + 1;
		} else if (p < end && is_name_char(*p)) {
			for (len = 0; p + len < end && is_name_char(p[len]); len++)
				continue;
			if (!lookup_expand(ex, p, len, out))
				return false;
			p += len;
		} else {
			strbuf_printf(ex->error, "empty macro name: \"%.*s\"", (int)text.len,
			              text.ptr);
			return false;
		}
	}
	return true;
}

bool main_cf_expand(const char *text, main_cf_lookup_fn lookup, void *context, struct strbuf *out,
                    struct strbuf *error)
{
	struct expander ex = {lookup, context, error, 0};

	return expand_span(&ex, (struct span){text, strlen(text)}, out);
}

void main_cf_expand_names(const char *text, main_cf_name_fn found, void *context)
{
	const char *p = text;

	while ((p = strchr(p, '$')) != NULL) {
		size_t len = 0;

		p++;
		if (*p == '$') {
			p++;
			continue;
		}
		if (*p == '{' || *p == '(')
			p++;
		while (is_name_char(p[len]))
			len++;
		if (len > 0)
			found(p, len, context);
		p += len;
	}
}
