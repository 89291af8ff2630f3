/* Backfill planning (see backfill.h). */
#include "plan/backfill.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Fire times asked of the engine at a time. */
#define CHUNK 500

struct collect {
	struct backfill_run *runs;
	size_t count, cap;
	size_t max_runs;
	size_t total;
	int total_capped;
};

static void
keep(struct collect *c, const struct sched_time *t, size_t source)
{
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->runs = xrealloc(c->runs, c->cap * sizeof(*c->runs));
	}
	c->runs[c->count].when = *t;
	c->runs[c->count].source = source;
	c->count++;
}

/* One source's fire times from first to last: the earliest max_runs kept, all counted. */
static int
walk(struct collect *c, const struct backfill_source *s, size_t index, int64_t first, int64_t last,
     struct error *err)
{
	struct sched_time *buf = xcalloc(CHUNK, sizeof(*buf));
	size_t kept = 0, n;
	int rc = 0;
	for (int64_t t = first; t <= last && !c->total_capped;) {
		if ((rc = sched_next(s->sched, t, last, CHUNK, buf, &n, err)) < 0 || n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			if (kept < c->max_runs) {
				keep(c, &buf[i], index);
				kept++;
			}
			if (++c->total > BACKFILL_COUNT_LIMIT) {
				c->total = BACKFILL_COUNT_LIMIT;
				c->total_capped = 1;
				break;
			}
		}
		t = buf[n - 1].at + 1;
	}
	free(buf);
	return rc;
}

static int
by_time(const void *a, const void *b)
{
	const struct backfill_run *x = a, *y = b;
	if (x->when.at != y->when.at)
		return x->when.at < y->when.at ? -1 : 1;
	return (x->source > y->source) - (x->source < y->source);
}

int
backfill_plan_make(struct backfill_plan *p, const struct backfill_source *src, size_t nsrc,
		   const struct when *start, const struct when *end, size_t max_runs,
		   struct error *err)
{
	struct collect c = { .max_runs = max_runs };
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < nsrc; i++) {
		const struct tz *tz = src[i].sched->tz;
		int64_t first = when_first(start, tz), last = when_last(end, tz);
		if (first > last) {
			free(c.runs);
			return error_set(err, ERROR_USAGE,
					 "the range ends before it starts (in time "
					 "zone %s)",
					 tz_name(tz));
		}
		if (walk(&c, &src[i], i, first, last, err) < 0) {
			free(c.runs);
			return -1;
		}
	}
	if (c.count)
		qsort(c.runs, c.count, sizeof(*c.runs), by_time);
	p->runs = c.runs;
	p->count = c.count < max_runs ? c.count : max_runs;
	p->total = c.total;
	p->total_capped = c.total_capped;
	return 0;
}

void
backfill_plan_release(struct backfill_plan *p)
{
	free(p->runs);
	memset(p, 0, sizeof(*p));
}

static int
at_midnight(const struct backfill_run *r)
{
	return !r->when.local.hour && !r->when.local.minute && !r->when.local.second;
}

static void
local_date(struct buf *out, const struct backfill_run *r)
{
	buf_addf(out, "%04d-%02d-%02d", r->when.local.year, r->when.local.month, r->when.local.day);
}

void
backfill_run_name(struct buf *out, const struct backfill_run *r)
{
	buf_adds(out, "backfill-");
	local_date(out, r);
	if (at_midnight(r))
		return;
	buf_addf(out, "T%02d:%02d", r->when.local.hour, r->when.local.minute);
	if (r->when.local.second)
		buf_addf(out, ":%02d", r->when.local.second);
}

void
backfill_run_key(struct buf *out, const char *deployment_id, const char *schedule_id, int64_t at)
{
	struct civil c;
	civil_split(at, &c);
	buf_addf(out, "backfill %s %s %04d-%02d-%02dT%02d:%02d:%02dZ", deployment_id, schedule_id,
		 c.year, c.month, c.day, c.hour, c.minute, c.second);
}

void
backfill_run_local_iso(struct buf *out, const struct backfill_run *r)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	sched_format(&r->when, local, offset);
	local[10] = 'T';
	buf_addf(out, "%s%s", local, offset);
}

void
backfill_run_date_value(struct buf *out, const struct backfill_run *r, const char *format)
{
	int is_date = format && !strcmp(format, "date");
	int is_date_time = format && !strcmp(format, "date-time");
	if (is_date || (!is_date_time && at_midnight(r)))
		local_date(out, r);
	else
		backfill_run_local_iso(out, r);
}
