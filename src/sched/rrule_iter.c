/*
 * rrule._iter and rruleset._iter of dateutil 2.9, ported (sched/rrule.h):
 * each period of the rule's frequency (a year, month, week, day, hour,
 * minute or second) gets its set of days, filtered by the BY rules, and
 * its set of times; BYSETPOS picks among their products; the counter then
 * moves on by INTERVAL periods, with dateutil's shortcuts (a filtered-out
 * day is skipped whole at HOURLY and finer) and its errors (an interval
 * that can never reach BYHOUR raises).
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sched/civil.h"
#include "sched/rrule.h"

#define MAXYEAR 9999
/*
 * Periods in a row without a date, after which a rule is taken never to
 * fire: dateutil would search on to year 9999 (at MINUTELY that is days of
 * work, which Prefect's scheduler never finishes).
 */
#define IDLE_MAX 5000000
#define MASK 385 /* dateutil's masks run 7 days into the next year; WDAYMASK is 385 long */

/* _iterinfo: what a year (and month) looks like to the filters. */
struct yinfo {
	int lastyear, lastmonth;
	int yearlen, nextyearlen, yearweekday;
	int64_t yearday0; /* days from 1970-01-01 to January 1st */
	int mrange[13];
	int8_t mmask[MASK], mdaymask[MASK], nmdaymask[MASK], wdaymask[MASK];
	uint8_t wnomask[MASK], nwdaymask[MASK], eastermask[MASK];
	int has_wno, has_nwday;
};

struct rrule_iter {
	const struct rrule *r;
	int year, month, day, hour, minute, second, weekday;
	struct yinfo ii;
	int *timeset; /* seconds of the day, sorted */
	size_t ntime;
	int *fixed; /* freq < HOURLY: the rule's own time set */
	size_t nfixed;
	int64_t count;
	int done;
	long idle; /* periods since the last date */
	/* the current period */
	int in_period, filtered;
	int dstart, dend;
	uint8_t keep[MASK];
	int64_t pos[RRULE_MAX_LIST];
	size_t npos, cur, cur_t;
};

static void
year_masks(struct yinfo *ii, int year)
{
	int64_t d0 = civil_days(year, 1, 1);
	ii->yearlen = 365 + civil_leap(year);
	ii->nextyearlen = 365 + civil_leap(year + 1);
	ii->yearday0 = d0;
	ii->yearweekday = (civil_weekday(d0) + 6) % 7;
	for (int m = 0; m <= 12; m++)
		ii->mrange[m] = m == 0 ? 0 : ii->mrange[m - 1] + civil_month_days(year, m);
	for (int i = 0, y = year, m = 1, d = 1; i < MASK; i++) {
		int dim = civil_month_days(y, m);
		ii->mmask[i] = (int8_t)m;
		ii->mdaymask[i] = (int8_t)d;
		ii->nmdaymask[i] = (int8_t)(d - dim - 1);
		ii->wdaymask[i] = (int8_t)((ii->yearweekday + i) % 7);
		if (++d > dim) {
			d = 1;
			if (++m == 13) {
				m = 1;
				y++;
			}
		}
	}
}

/* Mark the seven days (up to the next week start) from i in the week-number mask. */
static void
mark_week(struct yinfo *ii, int i, int wkst)
{
	for (int j = 0; j < 7 && i >= 0 && i < MASK - 1; j++) {
		ii->wnomask[i] = 1;
		i++;
		if (ii->wdaymask[i] == wkst)
			break;
	}
}

static int
has(const struct rrule_list *l, int64_t v)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return 1;
	return 0;
}

/* The last week of last year, when its days fall in this year (rebuild's tail). */
static void
last_years_week(struct yinfo *ii, const struct rrule *rr, int year, int no1wkst)
{
	int64_t lnumweeks;
	if (!has(&rr->byweekno, -1)) {
		int lyearweekday = (civil_weekday(civil_days(year - 1, 1, 1)) + 6) % 7;
		int lno1wkst = (7 - lyearweekday + rr->wkst) % 7;
		int lyearlen = 365 + civil_leap(year - 1);
		if (lno1wkst >= 4)
			lnumweeks = 52 + (lyearlen + (lyearweekday - rr->wkst + 7) % 7) % 7 / 4;
		else
			lnumweeks = 52 + (ii->yearlen - no1wkst) % 7 / 4;
	} else {
		lnumweeks = -1;
	}
	if (has(&rr->byweekno, lnumweeks))
		for (int i = 0; i < no1wkst; i++)
			ii->wnomask[i] = 1;
}

static void
weekno_mask(struct yinfo *ii, const struct rrule *rr, int year)
{
	int no1wkst, firstwkst, wyearlen, numweeks;

	memset(ii->wnomask, 0, sizeof(ii->wnomask));
	no1wkst = firstwkst = (7 - ii->yearweekday + rr->wkst) % 7;
	if (no1wkst >= 4) {
		no1wkst = 0;
		wyearlen = ii->yearlen + (ii->yearweekday - rr->wkst + 7) % 7;
	} else {
		wyearlen = ii->yearlen - no1wkst;
	}
	numweeks = wyearlen / 7 + (wyearlen % 7) / 4;
	for (size_t k = 0; k < rr->byweekno.n; k++) {
		int64_t n = rr->byweekno.v[k];
		int i;
		if (n < 0)
			n += numweeks + 1;
		if (!(n > 0 && n <= numweeks))
			continue;
		i = no1wkst;
		if (n > 1) {
			i = no1wkst + (int)(n - 1) * 7;
			if (no1wkst != firstwkst)
				i -= 7 - firstwkst;
		}
		mark_week(ii, i, rr->wkst);
	}
	if (has(&rr->byweekno, 1)) {
		int i = no1wkst + numweeks * 7;
		if (no1wkst != firstwkst)
			i -= 7 - firstwkst;
		if (i < ii->yearlen)
			mark_week(ii, i, rr->wkst);
	}
	if (no1wkst)
		last_years_week(ii, rr, year, no1wkst);
}

/* The n-th weekdays of the ranges (months, or the year) as rebuild marks them. */
static void
nweekday_mask(struct yinfo *ii, const struct rrule *rr, int month)
{
	int ranges[12][2], nr = 0;

	if (rr->freq == RRULE_YEARLY) {
		if (rr->has_bymonth) {
			for (int m = 1; m <= 12; m++)
				if (rr->bymonth & (1u << m)) {
					ranges[nr][0] = ii->mrange[m - 1];
					ranges[nr++][1] = ii->mrange[m];
				}
		} else {
			ranges[nr][0] = 0;
			ranges[nr++][1] = ii->yearlen;
		}
	} else if (rr->freq == RRULE_MONTHLY) {
		ranges[nr][0] = ii->mrange[month - 1];
		ranges[nr++][1] = ii->mrange[month];
	}
	if (!nr)
		return;
	memset(ii->nwdaymask, 0, sizeof(ii->nwdaymask));
	ii->has_nwday = 1;
	for (int k = 0; k < nr; k++) {
		int first = ranges[k][0], last = ranges[k][1] - 1;
		for (int j = 0; j < rr->nbynweekday; j++) {
			int wday = rr->bynweekday[j][0], n = rr->bynweekday[j][1], i;
			if (n < 0) {
				i = last + (n + 1) * 7;
				if (i < 0)
					continue;
				i -= ((ii->wdaymask[i] - wday) % 7 + 7) % 7;
			} else {
				i = first + (n - 1) * 7;
				i += ((7 - ii->wdaymask[i] + wday) % 7 + 7) % 7;
			}
			if (first <= i && i <= last)
				ii->nwdaymask[i] = 1;
		}
	}
}

/* dateutil.easter.easter(year) (the Western method): days from January 1st. */
static int
easter_yday(int y)
{
	int g = y % 19, c = y / 100;
	int h = (c - c / 4 - (8 * c + 13) / 25 + 19 * g + 15) % 30;
	int i = h - (h / 28) * (1 - (h / 28) * (29 / (h + 1)) * ((21 - g) / 11));
	int j = (y + y / 4 + i + 2 - c + c / 4) % 7;
	int p = i - j;
	int d = 1 + (p + 27 + (p + 6) / 40) % 31, m = 3 + (p + 26) / 30;
	return (int)(civil_days(y, m, d) - civil_days(y, 1, 1));
}

static void
easter_mask(struct yinfo *ii, const struct rrule *rr, int year)
{
	int eyday = easter_yday(year);
	memset(ii->eastermask, 0, sizeof(ii->eastermask));
	for (size_t k = 0; k < rr->byeaster.n; k++)
		ii->eastermask[eyday + rr->byeaster.v[k]] = 1;
}

static void
rebuild(struct yinfo *ii, const struct rrule *rr, int year, int month)
{
	if (year != ii->lastyear) {
		year_masks(ii, year);
		ii->has_wno = rr->byweekno.n > 0;
		if (ii->has_wno)
			weekno_mask(ii, rr, year);
	}
	if (rr->nbynweekday && (month != ii->lastmonth || year != ii->lastyear))
		nweekday_mask(ii, rr, month);
	if (rr->byeaster.n)
		easter_mask(ii, rr, year);
	ii->lastyear = year;
	ii->lastmonth = month;
}

static int
in_yearday(const struct rrule *rr, const struct yinfo *ii, int i)
{
	if (i < ii->yearlen)
		return has(&rr->byyearday, i + 1) || has(&rr->byyearday, -ii->yearlen + i);
	return has(&rr->byyearday, i + 1 - ii->yearlen) ||
	       has(&rr->byyearday, -ii->nextyearlen + i - ii->yearlen);
}

/* Whether day i of the period is filtered out by the BY rules. */
static int
filtered_out(const struct rrule *rr, const struct yinfo *ii, int i)
{
	return (rr->has_bymonth && !(rr->bymonth & (1u << ii->mmask[i]))) ||
	       (ii->has_wno && !ii->wnomask[i]) ||
	       (rr->byweekday && !(rr->byweekday & (1u << ii->wdaymask[i]))) ||
	       (ii->has_nwday && !ii->nwdaymask[i]) || (rr->byeaster.n && !ii->eastermask[i]) ||
	       ((rr->bymonthday.n || rr->bynmonthday.n) && !has(&rr->bymonthday, ii->mdaymask[i]) &&
		!has(&rr->bynmonthday, ii->nmdaymask[i])) ||
	       (rr->byyearday.n && !in_yearday(rr, ii, i));
}

/* The period's days: ydayset, mdayset, wdayset or ddayset. */
static void
dayset(struct rrule_iter *it)
{
	const struct yinfo *ii = &it->ii;
	int i = (int)(civil_days(it->year, it->month, it->day) - ii->yearday0);

	switch (it->r->freq) {
	case RRULE_YEARLY:
		it->dstart = 0;
		it->dend = ii->yearlen;
		break;
	case RRULE_MONTHLY:
		it->dstart = ii->mrange[it->month - 1];
		it->dend = ii->mrange[it->month];
		break;
	case RRULE_WEEKLY:
		it->dstart = i;
		for (int j = 0; j < 7; j++) {
			i++;
			if (ii->wdaymask[i] == it->r->wkst)
				break;
		}
		it->dend = i;
		break;
	default:
		it->dstart = i;
		it->dend = i + 1;
	}
	it->filtered = 0;
	for (int d = it->dstart; d < it->dend; d++) {
		it->keep[d] = !filtered_out(it->r, ii, d);
		it->filtered |= !it->keep[d];
	}
}

static int64_t
wall_of(const struct rrule_iter *it, int i, int tod)
{
	return (it->ii.yearday0 + i) * CIVIL_DAY + tod;
}

/* Python's divmod. */
static void
pydivmod(int64_t a, int64_t b, int64_t *q, int64_t *r)
{
	*q = civil_floordiv(a, b);
	*r = a - *q * b;
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* BYSETPOS: the chosen (day, time) products, sorted, without repeats. */
static void
setpos(struct rrule_iter *it)
{
	int days[MASK], nd = 0;

	for (int d = it->dstart; d < it->dend; d++)
		if (it->keep[d])
			days[nd++] = d;
	it->npos = 0;
	for (size_t k = 0; k < it->r->bysetpos.n; k++) {
		int64_t pos = it->r->bysetpos.v[k], daypos, timepos, res;
		int dup = 0;
		pydivmod(pos < 0 ? pos : pos - 1, (int64_t)it->ntime, &daypos, &timepos);
		if (daypos < 0)
			daypos += nd;
		if (daypos < 0 || daypos >= nd)
			continue;
		res = wall_of(it, days[daypos], it->timeset[timepos]);
		for (size_t j = 0; j < it->npos; j++)
			dup |= it->pos[j] == res;
		if (!dup)
			it->pos[it->npos++] = res;
	}
	qsort(it->pos, it->npos, sizeof(it->pos[0]), by_value);
}

/* The next product of the period, in order: 1 found, 0 the period is done. */
static int
period_next(struct rrule_iter *it, int64_t *res)
{
	if (it->r->bysetpos.n && it->ntime) {
		if (it->cur >= it->npos)
			return 0;
		*res = it->pos[it->cur++];
		return 1;
	}
	while ((int)it->cur < it->dend) {
		if (it->keep[it->cur] && it->cur_t < it->ntime) {
			*res = wall_of(it, (int)it->cur, it->timeset[it->cur_t++]);
			return 1;
		}
		it->cur++;
		it->cur_t = 0;
	}
	return 0;
}

/* htimeset, mtimeset, stimeset: the times of an HOURLY, MINUTELY or SECONDLY period. */
static void
timeset(struct rrule_iter *it)
{
	const struct rrule *r = it->r;
	it->ntime = 0;
	for (int m = 0; m < 60; m++) {
		if (r->freq == RRULE_HOURLY ? !(r->byminute >> m & 1) : m != it->minute)
			continue;
		for (int s = 0; s < 60; s++)
			if (r->freq == RRULE_SECONDLY ? s == it->second : (r->bysecond >> s & 1))
				it->timeset[it->ntime++] = it->hour * 3600 + m * 60 + s;
	}
}

/* The first time set: the rule's own, or none when DTSTART's time is not in the BY sets. */
static void
first_timeset(struct rrule_iter *it)
{
	const struct rrule *r = it->r;
	if (r->freq < RRULE_HOURLY) {
		memcpy(it->timeset, it->fixed, it->nfixed * sizeof(int));
		it->ntime = it->nfixed;
	} else if ((r->byhour && !(r->byhour >> it->hour & 1)) ||
		   (r->freq >= RRULE_MINUTELY && r->byminute && !(r->byminute >> it->minute & 1)) ||
		   (r->freq >= RRULE_SECONDLY && r->bysecond && !(r->bysecond >> it->second & 1))) {
		it->ntime = 0;
	} else {
		timeset(it);
	}
}

static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* rrule.__mod_distance: steps of interval to the next value in set (base values). */
static int
mod_distance(const struct rrule_iter *it, int64_t *value, uint64_t set, int64_t base, int64_t *carry)
{
	int64_t acc = 0, div;
	for (int64_t k = 1; k <= base; k++) {
		pydivmod(*value + it->r->interval, base, &div, value);
		acc += div;
		if (set >> *value & 1) {
			*carry = acc;
			return 0;
		}
	}
	return -1;
}

static int
empty_rule(struct error *err, const char *what)
{
	return error_set(err, ERROR_INVALID,
			 "Invalid combination of interval%s resulting in empty rule", what);
}

static int
advance_hourly(struct rrule_iter *it, int64_t *day, struct error *err)
{
	const struct rrule *r = it->r;
	int64_t hour = it->hour, ndays;
	if (it->filtered)
		hour += ((23 - hour) / r->interval) * r->interval;
	if (r->byhour) {
		if (mod_distance(it, &hour, r->byhour, 24, &ndays) < 0)
			return empty_rule(err, " and byhour");
	} else {
		pydivmod(hour + r->interval, 24, &ndays, &hour);
	}
	*day += ndays;
	it->hour = (int)hour;
	timeset(it);
	return 0;
}

static int
advance_minutely(struct rrule_iter *it, int64_t *day, struct error *err)
{
	const struct rrule *r = it->r;
	int64_t minute = it->minute, hour = it->hour, nhours, div;
	if (it->filtered)
		minute += ((1439 - (hour * 60 + minute)) / r->interval) * r->interval;
	for (int64_t j = 0, reps = 1440 / gcd64(r->interval, 1440); j < reps; j++) {
		if (r->byminute) {
			if (mod_distance(it, &minute, r->byminute, 60, &nhours) < 0)
				return empty_rule(err, " and byhour");
		} else {
			pydivmod(minute + r->interval, 60, &nhours, &minute);
		}
		pydivmod(hour + nhours, 24, &div, &hour);
		*day += div;
		if (!r->byhour || (r->byhour >> hour & 1)) {
			it->hour = (int)hour;
			it->minute = (int)minute;
			timeset(it);
			return 0;
		}
	}
	return empty_rule(err, " and byhour");
}

static int
advance_secondly(struct rrule_iter *it, int64_t *day, struct error *err)
{
	const struct rrule *r = it->r;
	int64_t second = it->second, minute = it->minute, hour = it->hour, nminutes, div;
	if (it->filtered)
		second += ((86399 - (hour * 3600 + minute * 60 + second)) / r->interval) *
			  r->interval;
	for (int64_t j = 0, reps = 86400 / gcd64(r->interval, 86400); j < reps; j++) {
		if (r->bysecond) {
			if (mod_distance(it, &second, r->bysecond, 60, &nminutes) < 0)
				return empty_rule(err, ", byhour and byminute");
		} else {
			pydivmod(second + r->interval, 60, &nminutes, &second);
		}
		pydivmod(minute + nminutes, 60, &div, &minute);
		if (div) {
			hour += div;
			pydivmod(hour, 24, &div, &hour);
			*day += div;
		}
		if ((!r->byhour || (r->byhour >> hour & 1)) &&
		    (!r->byminute || (r->byminute >> minute & 1)) &&
		    (!r->bysecond || (r->bysecond >> second & 1))) {
			it->hour = (int)hour;
			it->minute = (int)minute;
			it->second = (int)second;
			timeset(it);
			return 0;
		}
	}
	return empty_rule(err, ", byhour and byminute");
}

/* Carry days past the end of the month into the next months (and years). */
static void
fix_day(struct rrule_iter *it, int64_t day)
{
	int dim = civil_month_days(it->year, it->month);
	if (day <= dim) {
		it->day = (int)day;
		return;
	}
	while (day > dim) {
		day -= dim;
		if (++it->month == 13) {
			it->month = 1;
			if (++it->year > MAXYEAR) {
				it->done = 1;
				return;
			}
		}
		dim = civil_month_days(it->year, it->month);
	}
	it->day = (int)day;
	rebuild(&it->ii, it->r, it->year, it->month);
}

/* "Handle frequency and interval": on to the next period. */
static int
advance(struct rrule_iter *it, struct error *err)
{
	const struct rrule *r = it->r;
	int64_t day = it->day;
	int rc = 0;

	switch (r->freq) {
	case RRULE_YEARLY:
		it->year += (int)r->interval;
		if (it->year > MAXYEAR)
			it->done = 1;
		else
			rebuild(&it->ii, r, it->year, it->month);
		return 0;
	case RRULE_MONTHLY: {
		int64_t month = it->month + r->interval, div, mod;
		if (month > 12) {
			pydivmod(month, 12, &div, &mod);
			month = mod;
			it->year += (int)div;
			if (month == 0) {
				month = 12;
				it->year--;
			}
		}
		it->month = (int)month;
		if (it->year > MAXYEAR)
			it->done = 1;
		else
			rebuild(&it->ii, r, it->year, it->month);
		return 0;
	}
	case RRULE_WEEKLY:
		if (r->wkst > it->weekday)
			day += -(it->weekday + 1 + (6 - r->wkst)) + r->interval * 7;
		else
			day += -(it->weekday - r->wkst) + r->interval * 7;
		it->weekday = r->wkst;
		break;
	case RRULE_DAILY:
		day += r->interval;
		break;
	case RRULE_HOURLY:
		rc = advance_hourly(it, &day, err);
		break;
	case RRULE_MINUTELY:
		rc = advance_minutely(it, &day, err);
		break;
	case RRULE_SECONDLY:
		rc = advance_secondly(it, &day, err);
		break;
	}
	if (rc == 0)
		fix_day(it, day);
	return rc;
}

static struct rrule_iter *
iter_new(const struct rrule *r)
{
	struct rrule_iter *it = xcalloc(1, sizeof(*it));
	struct civil c;

	it->r = r;
	civil_split(r->dtstart, &c);
	it->year = c.year;
	it->month = c.month;
	it->day = c.day;
	it->hour = c.hour;
	it->minute = c.minute;
	it->second = c.second;
	it->weekday = (civil_weekday(civil_floordiv(r->dtstart, CIVIL_DAY)) + 6) % 7;
	it->count = r->count;
	it->timeset = xcalloc(86400, sizeof(int));
	if (r->freq < RRULE_HOURLY) {
		it->fixed = xcalloc(86400, sizeof(int));
		for (int h = 0; h < 24; h++)
			for (int m = 0; m < 60; m++)
				for (int s = 0; s < 60; s++)
					if ((r->byhour >> h & 1) && (r->byminute >> m & 1) &&
					    (r->bysecond >> s & 1))
						it->fixed[it->nfixed++] = h * 3600 + m * 60 + s;
	}
	it->ii.lastyear = it->ii.lastmonth = -1;
	rebuild(&it->ii, r, it->year, it->month);
	first_timeset(it);
	return it;
}

static void
iter_free(struct rrule_iter *it)
{
	if (!it)
		return;
	free(it->timeset);
	free(it->fixed);
	free(it);
}

/* rrule._iter's next value: 1 found, 0 the rule is over, -1 it raised. */
static int
iter_next(struct rrule_iter *it, int64_t *wall, struct error *err)
{
	const struct rrule *r = it->r;
	int64_t res;

	while (!it->done) {
		if (!it->in_period) {
			dayset(it);
			if (r->bysetpos.n && it->ntime)
				setpos(it);
			it->cur = r->bysetpos.n && it->ntime ? 0 : (size_t)it->dstart;
			it->cur_t = 0;
			it->in_period = 1;
		}
		while (period_next(it, &res)) {
			if (r->has_until && res > r->until) {
				it->done = 1;
				return 0;
			}
			if (res < r->dtstart)
				continue;
			if (r->has_count && --it->count < 0) {
				it->done = 1;
				return 0;
			}
			*wall = res;
			it->idle = 0;
			return 1;
		}
		it->in_period = 0;
		if (++it->idle > IDLE_MAX)
			return error_set(
				err, ERROR_INVALID,
				"the rule finds no date in %d periods in a row: it never fires",
				IDLE_MAX);
		if (advance(it, err) < 0)
			return -1;
	}
	return 0;
}

/* One sorted stream of wall times: a rule, or a sorted list of dates. */
struct stream {
	struct rrule_iter *it; /* NULL: the list */
	const int64_t *list;
	size_t n, i;
	int live;
	int64_t head;
};

struct rrule_set_iter {
	struct stream *in, *ex;
	size_t nin, nex;
	int started, have_last;
	int64_t last;
	struct stream *pending;
};

static int
pull(struct stream *s, struct error *err)
{
	int rc;
	if (!s->it) {
		s->live = s->i < s->n;
		if (s->live)
			s->head = s->list[s->i++];
		return 0;
	}
	rc = iter_next(s->it, &s->head, err);
	s->live = rc == 1;
	return rc < 0 ? -1 : 0;
}

static struct stream *
streams(const struct rrule *rules, size_t nrules, const int64_t *dates, size_t ndates, size_t *n)
{
	struct stream *s = xcalloc(nrules + 1, sizeof(*s));
	s[0].list = dates;
	s[0].n = ndates;
	for (size_t i = 0; i < nrules; i++)
		s[i + 1].it = iter_new(&rules[i]);
	*n = nrules + 1;
	return s;
}

struct rrule_set_iter *
rrule_set_iter_new(const struct rrule_set *set)
{
	struct rrule_set_iter *it = xcalloc(1, sizeof(*it));
	it->in = streams(set->rules, set->nrules, set->rdates, set->nrdates, &it->nin);
	it->ex = streams(set->exrules, set->nexrules, set->exdates, set->nexdates, &it->nex);
	return it;
}

static int
pull_all(struct stream *s, size_t n, struct error *err)
{
	for (size_t i = 0; i < n; i++)
		if (pull(&s[i], err) < 0)
			return -1;
	return 0;
}

/* The live stream with the smallest head, or NULL. */
static struct stream *
smallest(struct stream *s, size_t n)
{
	struct stream *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i].live && (!best || s[i].head < best->head))
			best = &s[i];
	return best;
}

/* Whether wall is excluded: the exclusions are advanced past what is smaller. */
static int
excluded(struct rrule_set_iter *it, int64_t wall, struct error *err)
{
	struct stream *e;
	while ((e = smallest(it->ex, it->nex)) && e->head < wall)
		if (pull(e, err) < 0)
			return -1;
	return e && e->head == wall;
}

int
rrule_set_iter_next(struct rrule_set_iter *it, int64_t *wall, struct error *err)
{
	struct stream *s;

	if (!it->started) {
		it->started = 1;
		if (pull_all(it->in, it->nin, err) < 0 || pull_all(it->ex, it->nex, err) < 0)
			return -1;
	}
	/* As dateutil's generator: the stream yielded from moves on when asked for more. */
	if (it->pending && pull(it->pending, err) < 0)
		return -1;
	it->pending = NULL;
	while ((s = smallest(it->in, it->nin))) {
		int64_t w = s->head;
		int fresh = !it->have_last || w != it->last, ex = 0;
		if (fresh && (ex = excluded(it, w, err)) < 0)
			return -1;
		if (fresh) {
			it->have_last = 1;
			it->last = w;
			if (!ex) {
				it->pending = s;
				*wall = w;
				return 1;
			}
		}
		if (pull(s, err) < 0)
			return -1;
	}
	return 0;
}

void
rrule_set_iter_free(struct rrule_set_iter *it)
{
	if (!it)
		return;
	for (size_t i = 0; i < it->nin; i++)
		iter_free(it->in[i].it);
	for (size_t i = 0; i < it->nex; i++)
		iter_free(it->ex[i].it);
	free(it->in);
	free(it->ex);
	free(it);
}
