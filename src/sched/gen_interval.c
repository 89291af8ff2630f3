/*
 * Interval fire times as Prefect computes them: a port of
 * IntervalSchedule._get_dates_generator (prefect/server/schemas/schedules.py,
 * Prefect 3.9) on Python 3.11 and 3.12, where it runs on pendulum.
 * (On 3.13 and later Prefect takes another path, built on whenever, whose
 * answers differ at daylight-saving changes.)
 *
 * The interval is split into whole days and seconds. Days are added to the
 * local wall clock, seconds to the instant:
 *  - an interval under a day fires at fixed UTC spacing from the anchor;
 *  - a whole number of days keeps the local time of day; a time skipped by
 *    a spring-forward change moves forward by the gap, and keeps the new
 *    time from then on (a daily 02:30 anchor in New York becomes 03:30 for
 *    good after the first March it crosses); a repeated time is its second
 *    occurrence;
 *  - a mix (90000 s) jumps by elapsed time to the start, then adds days and
 *    seconds to the wall clock.
 * All the comparisons are pendulum's within one zone, which Python makes on
 * the wall clock alone, and runs are told apart by wall clock: so in a
 * fall-back overlap a run whose local time repeats an earlier run's is
 * dropped (an hourly interval has no 01:00 EST run in New York), and a start
 * in the second pass of the overlap can let through runs up to an hour
 * before it.
 */
#include <string.h>

#include "sched/gen.h"

/* A pendulum DateTime in the schedule's zone. */
struct pdt {
	int64_t wall;
	int64_t at;
	int moved; /* its wall time was moved out of a gap */
};

struct ivl {
	const struct tz *tz;
	struct pdt anchor;
	int64_t days, secs; /* the interval: days * 86400 + secs */
	int64_t offset;     /* Prefect's count of intervals from the anchor */
	int before_anchor_days;
};

static struct pdt
from_instant(const struct tz *tz, int64_t at)
{
	return (struct pdt){ at + tz_offset(tz, at), at, 0 };
}

/* pendulum's DateTime.create(..., fold=1) for a wall time. */
static struct pdt
create(const struct tz *tz, int64_t wall)
{
	int32_t before = tz_wall_offset(tz, wall, 0), after = tz_wall_offset(tz, wall, 1);
	struct pdt p = { wall, 0, 0 };

	if (after > before) {
		p.wall += after - before;
		p.moved = 1;
	}
	p.at = p.wall - tz_wall_offset(tz, p.wall, 1);
	return p;
}

/* pendulum's DateTime.add(days=, seconds=). */
static struct pdt
add(const struct tz *tz, struct pdt p, int64_t days, int64_t secs)
{
	if (days)
		return create(tz, p.wall + days * CIVIL_DAY + secs);
	return from_instant(tz, p.at + secs);
}

static struct pdt
jump(const struct ivl *v, int64_t k)
{
	if (v->days == 0 || v->secs == 0)
		return add(v->tz, v->anchor, v->days * k, v->secs * k);
	return add(v->tz, v->anchor, 0, (v->days * CIVIL_DAY + v->secs) * k);
}

static struct pdt
next_date(struct ivl *v, struct pdt p)
{
	if (v->before_anchor_days && v->offset < 0)
		return jump(v, ++v->offset);
	return add(v->tz, p, v->days, v->secs);
}

/*
 * _seek_calendar_interval: from the anchor to the first run at or after
 * start in strides that stop short of each offset change.
 */
static struct pdt
seek(const struct ivl *v, struct pdt start)
{
	struct pdt cur = v->anchor;
	struct tz_change c;

	while (cur.at < start.at) {
		int64_t boundary = start.wall, count;
		if (tz_next_change(v->tz, cur.at, &c) && c.at < start.at)
			boundary = c.at + c.after;
		count = civil_floordiv(civil_floordiv(boundary, CIVIL_DAY) -
					       civil_floordiv(cur.wall, CIVIL_DAY),
				       v->days) -
			1;
		cur = add(v->tz, cur, v->days * (count > 1 ? count : 1), 0);
	}
	return cur;
}

/* The first candidate: Prefect's estimate, corrected. */
static struct pdt
first(struct ivl *v, struct pdt start, int utc)
{
	int64_t total = v->days * CIVIL_DAY + v->secs;
	struct pdt next;

	if (start.wall >= v->anchor.wall && v->days && !v->secs && !utc)
		return seek(v, start);
	v->offset = (int64_t)((double)(start.at - v->anchor.at) / (double)total);
	next = jump(v, v->offset);
	while (next.wall > start.wall)
		next = jump(v, --v->offset);
	return next;
}

void
gen_interval(const struct sched *s, int64_t start, int64_t end, struct gen *g)
{
	struct ivl v = { s->tz,
			 from_instant(s->tz, s->anchor),
			 s->interval / CIVIL_DAY,
			 s->interval % CIVIL_DAY,
			 0,
			 0 };
	struct pdt st = from_instant(s->tz, start), next;
	int64_t end_wall = end == SCHED_NO_END ? 0 : from_instant(s->tz, end).wall;

	next = first(&v, st, strcmp(tz_name(s->tz), "UTC") == 0);
	v.before_anchor_days = st.wall < v.anchor.wall && v.days && !v.secs;
	while (next.wall < st.wall)
		next = next_date(&v, next);
	for (int counter = 0;; counter++) {
		if (end != SCHED_NO_END && next.wall > end_wall)
			return;
		if (!gen_offer(g, next.at, next.wall, next.moved ? SCHED_DST_MOVED : 0) ||
		    counter > GEN_MAX_ITERATIONS)
			return;
		next = next_date(&v, next);
	}
}
