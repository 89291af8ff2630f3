/*
 * The schedule engine's front (sched/sched.h): building schedules, running
 * the generators that reproduce Prefect's, and presenting their fire times
 * in the schedule's zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sched/gen.h"

/* Python's datetime range, which bounds what Prefect can compute. */
#define MIN_INSTANT (-62135596800 + CIVIL_DAY) /* 0001-01-02 */
#define MAX_INSTANT (253402300799 - CIVIL_DAY) /* 9999-12-30 23:59:59 */
#define MAX_INTERVAL 10000000000LL             /* about 317 years */

static int
in_range(int64_t t)
{
	return t >= MIN_INSTANT && t <= MAX_INSTANT;
}

int
sched_cron(struct sched *s, const char *expr, int day_or, const char *zone, struct error *err)
{
	memset(s, 0, sizeof(*s));
	s->type = SCHED_CRON;
	if (cron_parse(&s->cron, expr, day_or, err) < 0 ||
	    tz_load(&s->tz, zone ? zone : "UTC", err) < 0)
		return -1;
	s->expr = xstrdup(expr);
	return 0;
}

int
sched_interval(struct sched *s, int64_t seconds, int64_t anchor, const char *zone, struct error *err)
{
	memset(s, 0, sizeof(*s));
	s->type = SCHED_INTERVAL;
	if (seconds <= 0)
		return error_set(err, ERROR_INVALID,
				 "interval must be a positive number of seconds, got %lld",
				 (long long)seconds);
	if (seconds > MAX_INTERVAL)
		return error_set(err, ERROR_INVALID, "interval of %lld seconds is too long",
				 (long long)seconds);
	if (!in_range(anchor))
		return error_set(err, ERROR_INVALID, "anchor date is out of range");
	s->interval = seconds;
	s->anchor = anchor;
	return tz_load(&s->tz, zone ? zone : "UTC", err);
}

void
sched_release(struct sched *s)
{
	tz_free(s->tz);
	free(s->expr);
	if (s->rrule)
		rrule_set_release(s->rrule);
	free(s->rrule);
	memset(s, 0, sizeof(*s));
}

static int
by_instant(const void *a, const void *b)
{
	const struct sched_time *x = a, *y = b;
	return (x->at > y->at) - (x->at < y->at);
}

void
sched_time_at(struct sched_time *t, const struct tz *tz, int64_t at)
{
	struct tz_change c;
	int64_t wall;

	t->at = at;
	t->offset = tz_offset(tz, at);
	wall = at + t->offset;
	civil_split(wall, &t->local);
	t->dst = 0;
	if (tz_wall_offset(tz, wall, 0) != tz_wall_offset(tz, wall, 1))
		t->dst |= SCHED_DST_AMBIGUOUS;
	if (tz_prev_change(tz, at + 1, &c) && c.after > c.before && at < c.at + (c.after - c.before))
		t->dst |= SCHED_DST_AFTER_GAP;
}

int
gen_run(const struct sched *s, int64_t start, int64_t end, struct sched_time *out, size_t n,
	size_t *count, size_t *dropped, struct error *err)
{
	struct gen g = { out, n, 0, xcalloc(n, sizeof(int64_t)), 0 };
	int rc = 0;

	if (s->type == SCHED_CRON)
		rc = gen_cron(s, start, end, &g, err);
	else if (s->type == SCHED_RRULE)
		rc = gen_rrule(s, start, end, &g, err);
	else
		gen_interval(s, start, end, &g);
	free(g.keys);
	*count = g.count;
	*dropped = g.dropped;
	return rc;
}

int
sched_next(const struct sched *s, int64_t start, int64_t end, size_t n, struct sched_time *out,
	   size_t *count, struct error *err)
{
	size_t dropped;

	*count = 0;
	if (!in_range(start) || (end != SCHED_NO_END && !in_range(end)))
		return error_set(err, ERROR_INVALID, "time is out of range");
	if (n == 0)
		return 0;
	if (gen_run(s, start, end, out, n, count, &dropped, err) < 0)
		return -1;
	qsort(out, *count, sizeof(*out), by_instant);
	for (size_t i = 0; i < *count; i++) {
		unsigned moved = out[i].dst;
		sched_time_at(&out[i], s->tz, out[i].at);
		out[i].dst |= moved;
	}
	return 0;
}

void
sched_format(const struct sched_time *t, char local[SCHED_LOCAL_SIZE],
	     char offset[SCHED_OFFSET_SIZE])
{
	int32_t off = t->offset < 0 ? -t->offset : t->offset;
	char sign = t->offset < 0 ? '-' : '+';

	snprintf(local, SCHED_LOCAL_SIZE, "%04d-%02d-%02d %02d:%02d:%02d", t->local.year,
		 t->local.month, t->local.day, t->local.hour, t->local.minute, t->local.second);
	if (off % 60)
		snprintf(offset, SCHED_OFFSET_SIZE, "%c%02d:%02d:%02d", sign, (int)(off / 3600),
			 (int)(off / 60 % 60), (int)(off % 60));
	else
		snprintf(offset, SCHED_OFFSET_SIZE, "%c%02d:%02d", sign, (int)(off / 3600),
			 (int)(off / 60 % 60));
}
