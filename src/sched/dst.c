/*
 * What daylight-saving changes do to a schedule (sched_dst_effects in
 * sched/sched.h): the engine is run over the stretch of time around each
 * change in which local times are skipped or repeated, and its runs there
 * are counted by what happened to them.
 */
#include <stdlib.h>

#include "core/xalloc.h"
#include "sched/gen.h"

#define YEAR_AHEAD (366 * (int64_t)CIVIL_DAY)

/* The runs of s from |shift| before the change to |shift| after it. */
static int
effect(const struct sched *s, const struct tz_change *c, struct sched_dst_effect *e,
       struct sched_time *runs, struct error *err)
{
	int64_t span = c->after > c->before ? c->after - c->before : c->before - c->after;
	size_t count, dropped;

	*e = (struct sched_dst_effect){ c->at, c->before, c->after, 0, 0, 0, 0 };
	if (gen_run(s, c->at - span, c->at + span - 1, runs, SCHED_MAX_RUNS, &count, &dropped,
		    err) < 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		e->moved += (runs[i].dst & SCHED_DST_MOVED) != 0;
		e->moved_early += (runs[i].dst & SCHED_DST_MOVED_EARLY) != 0;
		sched_time_at(&runs[i], s->tz, runs[i].at);
		e->ambiguous += (runs[i].dst & SCHED_DST_AMBIGUOUS) != 0;
	}
	e->dropped = (int)dropped;
	return 0;
}

int
sched_dst_effects(const struct sched *s, int64_t from, struct sched_dst_effect **out, size_t *count,
		  struct error *err)
{
	struct sched_time *runs = xcalloc(SCHED_MAX_RUNS, sizeof(*runs));
	struct sched_dst_effect *list = NULL, e;
	struct tz_change c;
	size_t n = 0;
	int64_t t = from;

	while (tz_next_change(s->tz, t, &c) && c.at < from + YEAR_AHEAD) {
		if (effect(s, &c, &e, runs, err) < 0) {
			free(runs);
			free(list);
			return -1;
		}
		if (e.moved || e.moved_early || e.dropped || e.ambiguous) {
			list = xrealloc(list, (n + 1) * sizeof(*list));
			list[n++] = e;
		}
		t = c.at;
	}
	free(runs);
	*out = list;
	*count = n;
	return 0;
}
