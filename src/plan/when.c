/* Dates and date-times from the command line (see when.h). */
#include "plan/when.h"

#include <string.h>

/* clang-format off */
static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
};
/* clang-format on */

/* Exactly n digits at *p, advancing it; -1 when they are not there. */
static int
digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

static int
expect(const char **p, char c)
{
	if (**p != c)
		return 0;
	(*p)++;
	return 1;
}

static int
bad(struct error *err, const char *text)
{
	return error_set(err, ERROR_USAGE,
			 "'%s' is not a date (YYYY-MM-DD) or date-time "
			 "(YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])",
			 text);
}

static int
parse_date(struct when *w, const char **p, const char *text, struct error *err)
{
	struct civil *c = &w->wall;
	c->year = digits(p, 4);
	if (c->year < 0 || !expect(p, '-') || (c->month = digits(p, 2)) < 0 || !expect(p, '-') ||
	    (c->day = digits(p, 2)) < 0)
		return bad(err, text);
	if (c->month < 1 || c->month > 12)
		return error_set(err, ERROR_USAGE, "'%s' is not a valid date: no month %d", text,
				 c->month);
	if (c->day < 1 || c->day > civil_month_days(c->year, c->month))
		return error_set(err, ERROR_USAGE, "'%s' is not a valid date: %s %d has %d days",
				 text, month_names[c->month - 1], c->year,
				 civil_month_days(c->year, c->month));
	/* a day inside each end of Python's datetime range, so any zone's instants fit it */
	if ((c->year == 1 && c->month == 1 && c->day < 3) || c->year < 1 ||
	    (c->year == 9999 && c->month == 12 && c->day > 29))
		return error_set(err, ERROR_USAGE,
				 "'%s' is out of range: dates from " WHEN_FIRST " to " WHEN_LAST
				 " are accepted",
				 text);
	return 0;
}

static int
parse_time(struct when *w, const char **p, const char *text, struct error *err)
{
	struct civil *c = &w->wall;
	if ((c->hour = digits(p, 2)) < 0 || !expect(p, ':') || (c->minute = digits(p, 2)) < 0)
		return bad(err, text);
	if (expect(p, ':') && (c->second = digits(p, 2)) < 0)
		return bad(err, text);
	if (c->hour > 23 || c->minute > 59 || c->second > 59)
		return error_set(err, ERROR_USAGE, "'%s' is not a valid time of day", text);
	w->has_time = 1;
	return 0;
}

static int
parse_offset(struct when *w, const char **p, const char *text, struct error *err)
{
	int sign = **p == '-' ? -1 : 1, hours, minutes;
	if (expect(p, 'Z') || expect(p, 'z')) {
		w->has_offset = 1;
		return 0;
	}
	if (!expect(p, '+') && !expect(p, '-'))
		return bad(err, text);
	if ((hours = digits(p, 2)) < 0 || !expect(p, ':') || (minutes = digits(p, 2)) < 0)
		return bad(err, text);
	if (hours > 18 || minutes > 59)
		return error_set(err, ERROR_USAGE, "'%s' has an impossible UTC offset", text);
	w->has_offset = 1;
	w->offset = sign * (hours * 3600 + minutes * 60);
	return 0;
}

int
when_parse(struct when *w, const char *text, struct error *err)
{
	const char *p = text;
	memset(w, 0, sizeof(*w));
	if (parse_date(w, &p, text, err) < 0)
		return -1;
	if (!*p)
		return 0;
	if (!expect(&p, 'T') && !expect(&p, 't') && !expect(&p, ' '))
		return bad(err, text);
	if (parse_time(w, &p, text, err) < 0)
		return -1;
	if (*p && parse_offset(w, &p, text, err) < 0)
		return -1;
	return *p ? bad(err, text) : 0;
}

static int64_t
in_zone(int64_t wall, const struct tz *tz)
{
	return wall - tz_wall_offset(tz, wall, 0);
}

int64_t
when_first(const struct when *w, const struct tz *tz)
{
	int64_t wall = civil_secs(&w->wall);
	return w->has_offset ? wall - w->offset : in_zone(wall, tz);
}

int64_t
when_last(const struct when *w, const struct tz *tz)
{
	if (w->has_time)
		return when_first(w, tz);
	return in_zone(civil_secs(&w->wall) + CIVIL_DAY, tz) - 1;
}

int
when_after(const struct when *start, const struct when *end)
{
	int64_t a = civil_secs(&start->wall), b = civil_secs(&end->wall);
	if (start->has_offset != end->has_offset)
		return -1;
	if (start->has_offset)
		return a - start->offset > b - end->offset;
	return a > b + (end->has_time ? 0 : CIVIL_DAY - 1);
}
