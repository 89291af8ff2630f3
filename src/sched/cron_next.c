/*
 * The next matching time of a cron expression, for sched/cron.h: a port of
 * croniter's _get_next and _calc (forward, five fields) on naive wall times.
 * Each step moves the candidate forward to the next value one field allows
 * and starts over, exactly as croniter's proc_* functions do, so that its
 * slips (such as "31,L" passing over the 30th of a 30-day month) are
 * reproduced too.
 */
#include "sched/civil.h"
#include "sched/cron.h"

#define SEARCH_YEARS 50 /* croniter's max_years_between_matches */

struct calc {
	const struct cron *c;
	unsigned star; /* the fields left unrestricted in this pass */
	struct civil d;
};

static int
unrestricted(const struct calc *k, enum cron_field f)
{
	return (k->star >> f) & 1;
}

/*
 * croniter's _get_next_nearest_diff: how far from x to the first listed value
 * at or after it (L counting as range, after the numbers), else around.
 */
static int
nearest_diff(uint64_t set, int last, int x, int range)
{
	int first = -1;

	for (int v = 0; v < 60; v++) {
		if (!((set >> v) & 1))
			continue;
		if (first < 0)
			first = v;
		if (v >= x)
			return v - x;
	}
	if (last)
		return range - x;
	return first - x + range;
}

static void
set_secs(struct civil *d, int64_t secs)
{
	civil_split(secs, d);
}

static int64_t
day_start(const struct civil *d)
{
	return civil_days(d->year, d->month, d->day) * CIVIL_DAY;
}

static int
proc_month(struct calc *k)
{
	struct civil *d = &k->d;
	int diff;

	if (unrestricted(k, CRON_MONTH))
		return 0;
	diff = nearest_diff(k->c->set[CRON_MONTH], 0, d->month, 12);
	if (diff == 0)
		return 0;
	int m = d->month + diff;
	*d = (struct civil){ d->year + (m - 1) / 12, (m - 1) % 12 + 1, 1, 0, 0, 0 };
	return 1;
}

static int
proc_dom(struct calc *k)
{
	struct civil *d = &k->d;
	int days = civil_month_days(d->year, d->month), diff;
	uint64_t last = 1ULL << CRON_DOM_LAST;
	uint64_t set = k->c->set[CRON_DOM];

	if (unrestricted(k, CRON_DOM))
		return 0;
	if ((set & last) && d->day == days)
		return 0;
	diff = nearest_diff(set & ~last, (set & last) != 0, d->day, days);
	if (diff == 0)
		return 0;
	set_secs(d, day_start(d) + (int64_t)diff * CIVIL_DAY);
	return 1;
}

static int
proc_dow(struct calc *k)
{
	struct civil *d = &k->d;
	int diff;

	if (unrestricted(k, CRON_DOW))
		return 0;
	diff = nearest_diff(k->c->set[CRON_DOW], 0,
			    civil_weekday(civil_days(d->year, d->month, d->day)), 7);
	if (diff == 0)
		return 0;
	set_secs(d, day_start(d) + (int64_t)diff * CIVIL_DAY);
	return 1;
}

/* The day of month of weekday wd's nth occurrence (NTH_LAST: the last), or 0. */
static int
nth_day(int year, int month, int wd, int nth)
{
	int first = (wd - civil_weekday(civil_days(year, month, 1)) + 7) % 7 + 1;
	int days = civil_month_days(year, month);
	int count = (days - first) / 7 + 1;

	if (nth == CRON_NTH_LAST)
		return first + (count - 1) * 7;
	return nth < count ? first + nth * 7 : 0;
}

/* croniter's proc_day_of_week_nth. */
static int
proc_nth(struct calc *k)
{
	struct civil *d = &k->d;
	int best = 0;

	for (int wd = 0; wd < 7; wd++)
		for (int n = 0; n <= CRON_NTH_LAST; n++) {
			if (!((k->c->nth[wd] >> n) & 1))
				continue;
			int day = nth_day(d->year, d->month, wd, n);
			if (day && day >= d->day && (!best || day < best))
				best = day;
		}
	if (!best) {
		int days = civil_month_days(d->year, d->month);
		set_secs(d, day_start(d) + (int64_t)(days - d->day + 1) * CIVIL_DAY);
		return 1;
	}
	if (best == d->day)
		return 0;
	set_secs(d, day_start(d) + (int64_t)(best - d->day) * CIVIL_DAY);
	return 1;
}

static int
proc_hour(struct calc *k)
{
	struct civil *d = &k->d;
	int diff;

	if (unrestricted(k, CRON_HOUR))
		return 0;
	diff = nearest_diff(k->c->set[CRON_HOUR], 0, d->hour, 24);
	if (diff == 0)
		return 0;
	set_secs(d, day_start(d) + (int64_t)(d->hour + diff) * 3600);
	return 1;
}

static int
proc_minute(struct calc *k)
{
	struct civil *d = &k->d;
	int diff;

	if (unrestricted(k, CRON_MINUTE))
		return 0;
	diff = nearest_diff(k->c->set[CRON_MINUTE], 0, d->minute, 60);
	if (diff == 0)
		return 0;
	set_secs(d, day_start(d) + d->hour * 3600 + (int64_t)(d->minute + diff) * 60);
	return 1;
}

/* croniter's _calc: the first match from the minute after now. */
static int
calc(const struct cron *c, unsigned star, int64_t now, int64_t *out)
{
	struct calc k = { c, star, { 0, 0, 0, 0, 0, 0 } };
	int start_year;

	set_secs(&k.d, now + 60);
	start_year = k.d.year;
	while (k.d.year - start_year <= SEARCH_YEARS) {
		if (proc_month(&k) || proc_dom(&k))
			continue;
		if (c->has_nth ? proc_nth(&k) : proc_dow(&k))
			continue;
		if (proc_hour(&k) || proc_minute(&k))
			continue;
		k.d.second = 0;
		*out = civil_secs(&k.d);
		return 1;
	}
	return 0;
}

int
cron_next(const struct cron *c, int64_t wall, int64_t *next)
{
	unsigned dom = 1u << CRON_DOM, dow = 1u << CRON_DOW;
	int64_t t1, t2;

	if ((c->star & (dom | dow)) || !c->day_or)
		return calc(c, c->star, wall, next);
	/* Both day fields restricted and day_or: one pass without each. Either
	 * failing fails the whole, as croniter's does. */
	if (!calc(c, c->star | dow, wall, &t1) || !calc(c, c->star | dom, wall, &t2))
		return 0;
	*next = t1 < t2 ? t1 : t2;
	return 1;
}
