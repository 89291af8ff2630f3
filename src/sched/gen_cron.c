/*
 * Cron fire times as Prefect computes them: a port of
 * CronSchedule._get_dates_whenever (prefect/server/schemas/schedules.py,
 * Prefect 3.9), the same on every Python version.
 *
 * croniter runs on naive local wall times from just before start; each wall
 * time it yields is then placed in the zone with fold=0 ("compatible"):
 *  - a wall time skipped by a spring-forward change is read with the offset
 *    from before the change, so 02:30 on a New York spring-forward day runs
 *    at 03:30 EDT, and a run already due at that instant swallows it (so
 *    "0 * * * *" has no 02:00 run and a half-hourly cron loses two);
 *  - a wall time repeated by a fall-back change runs once, at its first
 *    occurrence, so an hourly cron pauses for two hours.
 * Starting inside a repeated hour's second pass skips the rest of that
 * hour; starting within a gap's length after a spring-forward change also
 * looks back for wall times that fell in the gap and merges them in, by
 * instant. Runs are told apart by instant. No more than 1002 candidates are
 * looked at.
 */
#include "sched/gen.h"

/* One croniter stream of wall times, placed in the zone. */
struct stream {
	const struct cron *c;
	const struct tz *tz;
	int64_t wall;  /* croniter's current time */
	int64_t limit; /* takewhile: the stream ends at a wall time >= limit */
	int live;      /* a head is ready in at and moved */
	int64_t at;
	int moved;
};

/* Advance: 1 a head is ready, 0 the stream ended, -1 croniter found nothing. */
static int
pull(struct stream *s)
{
	int64_t w;

	s->live = 0;
	if (!cron_next(s->c, s->wall, &w))
		return -1;
	s->wall = w;
	if (w >= s->limit)
		return 0;
	s->at = w - tz_wall_offset(s->tz, w, 0);
	s->moved = s->at + tz_offset(s->tz, s->at) != w;
	s->live = 1;
	return 1;
}

static int
never(const struct sched *s, struct error *err)
{
	return error_set(err, ERROR_INVALID,
			 "cron expression '%s' never fires: croniter finds no match within 50 years",
			 s->expr);
}

/*
 * Set up the stream that starts at start and, when start is just after a spring-forward
 * change, the look-back one; returns whether the look-back is in use.
 */
static int
streams(const struct sched *s, int64_t start, struct stream *ahead, struct stream *back)
{
	struct tz_change tr;
	int64_t naive = start + tz_offset(s->tz, start) - 1;
	int64_t since, gap;

	*ahead = (struct stream){ &s->cron, s->tz, naive, INT64_MAX, 0, 0, 0 };
	if (!tz_prev_change(s->tz, start + 1, &tr))
		return 0;
	since = start - tr.at;
	gap = (int64_t)tr.after - tr.before;
	if (since >= 0 && since < -gap)
		ahead->wall = tr.at + tr.after - gap - 1;
	if (!(since >= 0 && since < gap))
		return 0;
	*back = (struct stream){ &s->cron, s->tz, naive - gap, tr.at + tr.after, 0, 0, 0 };
	return 1;
}

int
gen_cron(const struct sched *s, int64_t start, int64_t end, struct gen *g, struct error *err)
{
	struct stream ahead, back = { 0 }, *last = NULL;
	int merging = streams(s, start, &ahead, &back);

	/* heapq.merge takes the first item of each stream before it yields. */
	if ((merging && pull(&back) < 0) || pull(&ahead) < 0)
		return never(s, err);
	for (int i = 0; i < GEN_MAX_ITERATIONS + 2; i++) {
		if (last && pull(last) < 0)
			return never(s, err);
		last = back.live && (!ahead.live || back.at <= ahead.at) ? &back : &ahead;
		if (end != SCHED_NO_END && last->at > end)
			break;
		if (last->at >= start &&
		    !gen_offer(g, last->at, last->at, last->moved ? SCHED_DST_MOVED : 0))
			break;
	}
	return 0;
}
