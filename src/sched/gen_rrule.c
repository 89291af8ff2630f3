/*
 * RRULE fire times as Prefect computes them: RRuleSchedule.to_rrule and
 * _get_dates_generator (prefect/server/schemas/schedules.py, Prefect 3.9)
 * over dateutil's expansion (sched/rrule.h).
 *
 * Every date of the rule (DTSTART, UNTIL, RDATE, EXDATE) keeps its wall
 * clock and is relabelled with the schedule's zone, whatever TZID or Z it
 * had; the rule is expanded on those wall clocks from DTSTART, whatever the
 * start. Each wall time is then placed in the zone by dateutil's tzfile
 * (sched/tzdu.h):
 *  - a wall time skipped by a spring-forward change takes the offset from
 *    after it, so it runs before the gap (a daily 02:30 in New York runs at
 *    01:30 EST on the spring-forward day), and a run already at that
 *    instant swallows it;
 *  - a wall time repeated by a fall-back change runs once, at its first
 *    occurrence;
 *  - dateutil reads only a zone file's 32-bit data, so after 2037 a zone
 *    keeps its standard offset all year.
 * Runs at or after start count, up to the end, told apart by their wall
 * clock in the zone; no more than 1002 of them are looked at.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sched/gen.h"

int
sched_rrule(struct sched *s, const char *text, const char *zone, struct error *err)
{
	memset(s, 0, sizeof(*s));
	s->type = SCHED_RRULE;
	s->rrule = xcalloc(1, sizeof(*s->rrule));
	if (rrule_parse(s->rrule, text, err) < 0 || tz_load(&s->tz, zone ? zone : "UTC", err) < 0) {
		rrule_set_release(s->rrule);
		free(s->rrule);
		s->rrule = NULL;
		tz_free(s->tz);
		s->tz = NULL;
		return -1;
	}
	s->expr = xstrdup(text);
	return 0;
}

int
gen_rrule(const struct sched *s, int64_t start, int64_t end, struct gen *g, struct error *err)
{
	struct rrule_set_iter *it = rrule_set_iter_new(s->rrule);
	int64_t wall;
	int rc, counter = 0;

	while ((rc = rrule_set_iter_next(it, &wall, err)) == 1) {
		int64_t at = wall - tz_dateutil_offset(s->tz, wall);
		int64_t local = at + tz_offset(s->tz, at);
		if (at < start)
			continue;
		if (end != SCHED_NO_END && at > end)
			break;
		if (!gen_offer(g, at, local, local < wall ? SCHED_DST_MOVED_EARLY : 0) ||
		    counter > GEN_MAX_ITERATIONS)
			break;
		counter++;
	}
	rrule_set_iter_free(it);
	return rc < 0 ? -1 : 0;
}

int
sched_rrule_normalize(const char *text, const char *zone, int64_t now, char **out, struct error *err)
{
	struct sched s;
	const struct rrule *r;
	int64_t anchor = civil_days(2020, 1, 1) * CIVIL_DAY;
	struct civil c;

	if (rrule_text_has_dtstart(text)) {
		*out = xstrdup(text);
		return 0;
	}
	if (sched_rrule(&s, text, zone, err) < 0)
		return -1;
	r = &s.rrule->rules[0];
	if (s.rrule->nrules == 1 && !s.rrule->nexrules && !s.rrule->nrdates && !s.rrule->nexdates &&
	    !r->has_count && r->freq >= RRULE_MINUTELY) {
		int64_t period = r->interval * (r->freq == RRULE_SECONDLY ? 1 : 60);
		int64_t wall = now + tz_offset(s.tz, now);
		if (wall > anchor)
			anchor += (wall - anchor) / period * period;
	}
	sched_release(&s);
	civil_split(anchor, &c);
	*out = xasprintf("DTSTART:%04d%02d%02dT%02d%02d%02d\n%s", c.year, c.month, c.day, c.hour,
			 c.minute, c.second, text);
	return 0;
}
