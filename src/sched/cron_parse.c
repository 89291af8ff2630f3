/*
 * Parsing cron expressions for sched/cron.h: a port of croniter's expand()
 * for five fields, so that what Prefect accepts is accepted here with the
 * same meaning and what it refuses is refused, with a message that names
 * the field. The odd corners (a-a is the whole field, wrapped ranges with
 * steps, 1-31 in day-of-month counting as "*" only when day-of-week has a
 * "*" in it) are croniter's, reproduced on purpose.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sched/cron.h"

#define CRON_MAX 1024 /* longest expression accepted */
#define BIG 1000000   /* numbers are clamped here; all such are out of range */
#define V_BAD (-1)
#define V_LAST (-2) /* L in day-of-month */
#define NTH_L 6     /* "Ld": the last such weekday */

struct field_spec {
	const char *name;
	int lo, hi, shown_hi; /* shown_hi: 7 for day-of-week, which takes 7 for Sunday */
	int len_all;          /* croniter's LEN_MEANS_ALL */
	const char *const *names;
	int name_base;
	const char *kind; /* what a value must be, for messages */
};

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
					   "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const day_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

/* clang-format off */
static const struct field_spec specs[CRON_FIELDS] = {
	{ "minute", 0, 59, 59, 60, NULL, 0, "a number" },
	{ "hour", 0, 23, 23, 24, NULL, 0, "a number" },
	{ "day-of-month", 1, 31, 31, 31, NULL, 0, "a number or L" },
	{ "month", 1, 12, 12, 12, month_names, 1, "a month name or number" },
	{ "day-of-week", 0, 6, 7, 7, day_names, 0, "a day name or number" },
};
/* clang-format on */

static const struct {
	const char *name, *expr;
	/* clang-format off */
} aliases[] = {
	{ "@midnight", "0 0 * * *" }, { "@hourly", "0 * * * *" }, { "@daily", "0 0 * * *" },
	{ "@weekly", "0 0 * * 0" }, { "@monthly", "0 0 1 * *" }, { "@yearly", "0 0 1 1 *" },
	{ "@annually", "0 0 1 1 *" },
};
/* clang-format on */

/* One field being read. */
struct field {
	const struct field_spec *spec;
	enum cron_field f;
	const char *shown; /* the element being read, as written */
	uint64_t bits;
	int star, last;
	struct cron *c;
	struct error *err;
};

/* A range a-b[/n] split as croniter's step_search_re does. */
struct range {
	const char *low, *high;
	size_t low_len, high_len;
	int step;
};

static int bad(struct field *fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(struct field *fd, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error_set(fd->err, ERROR_INVALID, "%s '%s' %s", fd->spec->name, fd->shown, what);
}

static int
out_of_range(struct field *fd)
{
	return bad(fd, "is out of range %d-%d", fd->spec->lo, fd->spec->shown_hi);
}

static int
all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return len > 0;
}

static int
number(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n = n < BIG ? n * 10 + (s[i] - '0') : BIG;
	return n;
}

static int
name_index(const char *const *names, const char *tok, size_t len)
{
	for (int i = 0; names && names[i]; i++)
		if (len == 3 && strncmp(names[i], tok, 3) == 0)
			return i;
	return -1;
}

/* A number, a name or (day-of-month) L, as croniter's alphaconv and value_alias. */
static int
token_value(struct field *fd, const char *tok, size_t len, int *v)
{
	int i;

	if (all_digits(tok, len)) {
		*v = number(tok, len);
		if (fd->f == CRON_DOW && *v == 7)
			*v = 0;
		return 0;
	}
	if (fd->f == CRON_DOM && len == 1 && tok[0] == 'l') {
		*v = V_LAST;
		return 0;
	}
	if ((i = name_index(fd->spec->names, tok, len)) < 0)
		return bad(fd, "is not %s", fd->spec->kind);
	*v = i + fd->spec->name_base;
	return 0;
}

static int
add_value(struct field *fd, int v, int nth)
{
	if (v == V_LAST) {
		fd->last = 1;
		return 0;
	}
	if (v < fd->spec->lo || v > fd->spec->hi)
		return out_of_range(fd);
	fd->bits |= 1ULL << v;
	if (nth) {
		fd->c->nth[v] |= (uint8_t)(1u << (nth - 1));
		fd->c->has_nth = 1;
	}
	return 0;
}

static int
add_steps(struct field *fd, int from, int to, int step, int nth, int *last)
{
	for (int v = from; v <= to; v += step) {
		if (add_value(fd, v, nth) < 0)
			return -1;
		*last = v;
	}
	return 0;
}

/* croniter's range expansion, including how it wraps low > high around. */
static int
add_range(struct field *fd, int low, int high, int step, int nth)
{
	int lo = fd->spec->lo, hi = fd->spec->hi, last = low, skip = 0;

	if (step == 0)
		return bad(fd, "has a step of 0");
	if (low == high)
		return add_steps(fd, lo, hi, step, nth, &last);
	if (low < high)
		return add_steps(fd, low, high, step, nth, &last);
	if (add_steps(fd, low, hi, step, nth, &last) < 0)
		return -1;
	if (last - lo + step > hi - lo + 1 && hi - last < step)
		skip = step - (hi - last);
	return add_steps(fd, lo + skip, high, step, nth, &last);
}

/* step_search_re: ^([^-]+)-([^-/]+)(/(\d+))?$ */
static int
match_range(const char *t, struct range *r)
{
	const char *dash = strchr(t, '-'), *end;

	if (!dash || dash == t)
		return 0;
	r->low = t;
	r->low_len = (size_t)(dash - t);
	r->high = dash + 1;
	r->high_len = strcspn(r->high, "-/");
	end = r->high + r->high_len;
	if (r->high_len == 0 || *end == '-')
		return 0;
	r->step = 1;
	if (*end == '/') {
		if (!all_digits(end + 1, strlen(end + 1)))
			return 0;
		r->step = number(end + 1, strlen(end + 1));
	}
	return 1;
}

static int
parse_range(struct field *fd, struct range *r, int nth)
{
	int low, high;

	if (fd->f == CRON_DOM && r->high_len == 1 && r->high[0] == 'l') {
		r->high = "31";
		r->high_len = 2;
	}
	if (token_value(fd, r->low, r->low_len, &low) < 0 ||
	    token_value(fd, r->high, r->high_len, &high) < 0)
		return -1;
	if (low == V_LAST)
		return bad(fd, "cannot start a range with L");
	if ((low > high ? low : high) > fd->spec->hi)
		return out_of_range(fd);
	return add_range(fd, low, high, r->step, nth);
}

static int
parse_single(struct field *fd, const char *t, int nth)
{
	int v;

	if (t[0] == '-')
		return bad(fd, "is negative");
	if (strcmp(t, "*") == 0) {
		fd->star = 1;
		return 0;
	}
	if (token_value(fd, t, strlen(t), &v) < 0)
		return -1;
	return add_value(fd, v, nth);
}

static int
count_bits(uint64_t bits)
{
	int n = 0;
	for (; bits; bits &= bits - 1)
		n++;
	return n;
}

static int
word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return len > 0;
}

static int
name_range(const char *s, size_t len, const char *const *names)
{
	return len == 7 && s[3] == '-' && name_index(names, s, 3) >= 0 &&
	       name_index(names, s + 4, 3) >= 0;
}

/*
 * croniter's special_dow_re: "d#n" (d a word or a name range) and "Ld".
 * inner holds a copy of e; it is cut down to d, and *nth set, on a match.
 */
static int
split_nth(struct field *fd, const char *e, char *inner, int *nth)
{
	const char *hash = strchr(e, '#');
	size_t n = hash ? (size_t)(hash - e) : 0;

	if (hash && all_digits(hash + 1, strlen(hash + 1)) &&
	    (word(e, n) || name_range(e, n, day_names) || name_range(e, n, month_names))) {
		*nth = number(hash + 1, strlen(hash + 1));
		if (*nth < 1 || *nth > 5)
			return bad(fd, "asks for week %s of the month; it must be 1-5", hash + 1);
		inner[n] = '\0';
	} else if (!hash && e[0] == 'l' && all_digits(e + 1, strlen(e + 1))) {
		snprintf(inner, CRON_MAX + 1, "%s", e + 1);
		*nth = NTH_L;
	}
	return 0;
}

/* One comma-separated element e (lowercase). */
static int
parse_element(struct field *fd, const char *e)
{
	char inner[CRON_MAX + 1], t[CRON_MAX + 32];
	const char *slash;
	struct range r;
	int nth = 0;

	snprintf(inner, sizeof(inner), "%s", e);
	if (fd->f == CRON_DOW && split_nth(fd, e, inner, &nth) < 0)
		return -1;
	if (inner[0] == '*' && inner[1] == '/' && inner[2])
		snprintf(t, sizeof(t), "%d-%d%s", fd->spec->lo, fd->spec->hi, inner + 1);
	else
		snprintf(t, sizeof(t), "%s", inner);
	if (!match_range(t, &r)) {
		slash = strrchr(inner, '/');
		if (slash && slash > inner && slash[1])
			snprintf(t, sizeof(t), "%.*s-%d%s", (int)(slash - inner), inner,
				 fd->spec->hi, slash);
		if (!match_range(t, &r))
			return strchr(t, '/') ? bad(fd, "is not a valid step") :
						parse_single(fd, t, nth);
	}
	return parse_range(fd, &r, nth);
}

/* croniter's hash_expression_re: ^(h|r)(\(\d+-\d+\))?(/\d+)?$ */
static int
hashed(const char *s)
{
	size_t n;

	if (*s != 'h' && *s != 'r')
		return 0;
	s++;
	if (*s == '(') {
		n = strspn(++s, "0123456789");
		if (!n || s[n] != '-')
			return 0;
		s += n + 1;
		n = strspn(s, "0123456789");
		if (!n || s[n] != ')')
			return 0;
		s += n + 1;
	}
	if (*s == '/') {
		n = strspn(++s, "0123456789");
		if (!n)
			return 0;
		s += n;
	}
	return *s == '\0';
}

static int
read_elements(struct field *fd, const char *low, const char *orig)
{
	char e[CRON_MAX + 1], shown[CRON_MAX + 1];
	const char *whole = orig;

	for (;;) {
		size_t n = strcspn(low, ",");
		if (n == 0) {
			fd->shown = whole;
			return bad(fd, "has an empty list item");
		}
		memcpy(e, low, n);
		e[n] = '\0';
		memcpy(shown, orig, n);
		shown[n] = '\0';
		fd->shown = shown;
		if (parse_element(fd, e) < 0)
			return -1;
		if (!low[n])
			return 0;
		low += n + 1;
		orig += n + 1;
	}
}

/* Read field f from its token (low: lowercase, orig: as written). */
static int
parse_field(struct cron *c, enum cron_field f, char *const *low, char *const *orig,
	    struct error *err)
{
	struct field fd = { &specs[f], f, orig[f], 0, 0, 0, c, err };
	const char *body = low[f], *body_orig = orig[f];
	int count;

	if (hashed(body))
		return bad(&fd, "uses hashed (H) or random (R) values, which are not supported");
	if (strchr(body, '?')) {
		if (strcmp(body, "?") != 0)
			return bad(&fd, "mixes '?' with other values");
		if (f != CRON_DOM && f != CRON_DOW)
			return bad(&fd, "uses '?', which only day-of-month and day-of-week allow");
		body = body_orig = "*";
	}
	if (read_elements(&fd, body, body_orig) < 0)
		return -1;

	/* croniter's LEN_MEANS_ALL: a full list counts as "*", except in one day field
	 * while the other has no "*" in it. */
	count = count_bits(fd.bits) + fd.star + fd.last;
	if (count == fd.spec->len_all && (f == CRON_DOM ? strchr(low[CRON_DOW], '*') != NULL :
					  f == CRON_DOW ? strchr(low[CRON_DOM], '*') != NULL :
							  1)) {
		fd.bits = 0;
		fd.last = 0;
		fd.star = 1;
	}
	c->set[f] = fd.bits | (fd.last ? 1ULL << CRON_DOM_LAST : 0);
	if (fd.star)
		c->star |= 1u << f;
	return 0;
}

/* croniter refuses plain days next to d#n or Ld unless all seven are listed. */
static int
check_nth(const struct cron *c, char *const *orig, struct error *err)
{
	uint64_t plain = c->set[CRON_DOW];
	int listed = count_bits(plain) + !!(c->star & (1u << CRON_DOW));

	for (int d = 0; d < 7; d++)
		if (c->nth[d])
			plain &= ~(1ULL << d);
	if (c->has_nth && plain && listed != 7)
		return error_set(
			err, ERROR_INVALID,
			"day-of-week '%s' mixes plain days with nth (#) or last (L) weekdays",
			orig[CRON_DOW]);
	return 0;
}

/* Split s in place at whitespace (as Python's str.split()); returns the count. */
static int
split_fields(char *s, char **tok, int max)
{
	int n = 0;

	for (;;) {
		while (*s && (isspace((unsigned char)*s) || (*s >= 0x1c && *s <= 0x1f)))
			*s++ = '\0';
		if (!*s)
			return n;
		if (n < max)
			tok[n] = s;
		n++;
		while (*s && !isspace((unsigned char)*s) && !(*s >= 0x1c && *s <= 0x1f))
			s++;
	}
}

static const char *
find_alias(const char *low)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(low, aliases[i].name) == 0)
			return aliases[i].expr;
	return NULL;
}

static int
wrong_count(int n, char *const *low, struct error *err)
{
	error_set(err, ERROR_INVALID, "expected 5 fields, got %d", n);
	if (n == 6 || n == 7)
		return error_hint(err,
				  "Prefect's optional seconds and year fields are not supported");
	if (n == 1 && low[0][0] == '@' && find_alias(low[0]))
		return error_hint(err, "write %s alone, without spaces around it", low[0]);
	if (n == 1 && low[0][0] == '@')
		return error_set(err, ERROR_INVALID, "unknown cron alias '%s'", low[0]);
	return -1;
}

int
cron_parse(struct cron *c, const char *expr, int day_or, struct error *err)
{
	char low[CRON_MAX + 1], orig[CRON_MAX + 1];
	char *low_tok[CRON_FIELDS], *orig_tok[CRON_FIELDS];
	const char *alias;
	size_t len = strlen(expr);

	if (len > CRON_MAX)
		return error_set(err, ERROR_INVALID, "cron expression is longer than %d characters",
				 CRON_MAX);
	for (size_t i = 0; i <= len; i++)
		low[i] = (char)tolower((unsigned char)expr[i]);
	alias = find_alias(low);
	snprintf(orig, sizeof(orig), "%s", alias ? alias : expr);
	if (alias)
		snprintf(low, sizeof(low), "%s", alias);

	int n = split_fields(low, low_tok, CRON_FIELDS);
	split_fields(orig, orig_tok, CRON_FIELDS);
	if (n != CRON_FIELDS)
		return wrong_count(n, low_tok, err);

	memset(c, 0, sizeof(*c));
	c->day_or = day_or;
	for (int f = 0; f < CRON_FIELDS; f++)
		if (parse_field(c, (enum cron_field)f, low_tok, orig_tok, err) < 0)
			return -1;
	return check_nth(c, orig_tok, err);
}
