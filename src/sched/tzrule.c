/*
 * Parsing and evaluating the POSIX TZ rule string of a TZif footer.
 * Grammar: std offset [dst [offset] [,start[/time],end[/time]]], where a
 * name is alphabetic or quoted in <>, an offset is [+-]hh[:mm[:ss]] west of
 * UTC, and a date is Jn, n or Mm.w.d.
 */
#include <ctype.h>
#include <string.h>

#include "sched/civil.h"
#include "sched/tzrule.h"

struct cursor {
	const char *p, *end;
};

static int
peek(const struct cursor *c)
{
	return c->p < c->end ? (unsigned char)*c->p : 0;
}

static int
parse_name(struct cursor *c)
{
	const char *start = c->p;

	if (peek(c) == '<') {
		while (c->p < c->end && *c->p != '>')
			c->p++;
		if (peek(c) != '>' || c->p - start < 2)
			return -1;
		c->p++;
		return 0;
	}
	while (c->p < c->end && isalpha((unsigned char)*c->p))
		c->p++;
	return c->p > start ? 0 : -1;
}

static int
parse_number(struct cursor *c, int max_digits, int *out)
{
	int n = 0, digits = 0;

	while (isdigit(peek(c)) && digits < max_digits) {
		n = n * 10 + (*c->p++ - '0');
		digits++;
	}
	*out = n;
	return digits ? 0 : -1;
}

/* [+-]h[hh][:mm[:ss]] in seconds, sign applied. */
static int
parse_hms(struct cursor *c, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;

	if (peek(c) == '+' || peek(c) == '-')
		sign = *c->p++ == '-' ? -1 : 1;
	if (parse_number(c, 3, &h) < 0 || h > 167)
		return -1;
	if (peek(c) == ':') {
		c->p++;
		if (parse_number(c, 2, &m) < 0 || m > 59)
			return -1;
		if (peek(c) == ':') {
			c->p++;
			if (parse_number(c, 2, &s) < 0 || s > 59)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int
parse_date(struct cursor *c, struct tz_rule_date *d)
{
	d->time = 7200;
	d->kind = 'D';
	if (peek(c) == 'M') {
		c->p++;
		d->kind = 'M';
		if (parse_number(c, 2, &d->m) < 0 || peek(c) != '.')
			return -1;
		c->p++;
		if (parse_number(c, 1, &d->w) < 0 || peek(c) != '.')
			return -1;
		c->p++;
		if (parse_number(c, 1, &d->d) < 0)
			return -1;
		if (d->m < 1 || d->m > 12 || d->w < 1 || d->w > 5 || d->d > 6)
			return -1;
	} else {
		if (peek(c) == 'J') {
			c->p++;
			d->kind = 'J';
		}
		if (parse_number(c, 3, &d->n) < 0 || d->n > 365 || (d->kind == 'J' && d->n < 1))
			return -1;
	}
	if (peek(c) == '/') {
		c->p++;
		return parse_hms(c, &d->time);
	}
	return 0;
}

int
tz_rule_parse(struct tz_rule *r, const char *s, size_t len)
{
	struct cursor c = { s, s + len };
	int32_t west;

	memset(r, 0, sizeof(*r));
	if (parse_name(&c) < 0 || parse_hms(&c, &west) < 0)
		return -1;
	r->std_off = -west;
	if (c.p == c.end)
		return 0;
	if (parse_name(&c) < 0)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (peek(&c) != ',' && c.p < c.end) {
		if (parse_hms(&c, &west) < 0)
			return -1;
		r->dst_off = -west;
	}
	if (peek(&c) != ',')
		return -1;
	c.p++;
	if (parse_date(&c, &r->start) < 0 || peek(&c) != ',')
		return -1;
	c.p++;
	if (parse_date(&c, &r->end) < 0)
		return -1;
	return c.p == c.end ? 0 : -1;
}

/* Days from 1970-01-01 to the rule date in the given year. */
static int64_t
rule_day(const struct tz_rule_date *d, int year)
{
	int64_t jan1 = civil_days(year, 1, 1);

	if (d->kind == 'J')
		return jan1 + d->n - 1 + (civil_leap(year) && d->n >= 60);
	if (d->kind == 'D')
		return jan1 + d->n;

	int64_t first = civil_days(year, d->m, 1);
	int day = 1 + (d->d - civil_weekday(first) + 7) % 7 + (d->w - 1) * 7;
	if (day > civil_month_days(year, d->m))
		day -= 7;
	return first + day - 1;
}

void
tz_rule_year(const struct tz_rule *r, int year, int64_t *start, int64_t *end)
{
	*start = rule_day(&r->start, year) * CIVIL_DAY + r->start.time - r->std_off;
	*end = rule_day(&r->end, year) * CIVIL_DAY + r->end.time - r->dst_off;
}
