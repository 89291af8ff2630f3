/*
 * Planning a backfill: the fire times of a deployment's schedules between
 * two dates, each range read in its schedule's zone, merged in time order
 * and capped; and what each planned run is called on the server (name,
 * idempotency key, logical date). Pure: no HTTP, no terminal.
 */
#ifndef PLAN_BACKFILL_H
#define PLAN_BACKFILL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "plan/when.h"
#include "sched/sched.h"

/* Counting the runs left out by the cap stops here. */
#define BACKFILL_COUNT_LIMIT 1000000

struct backfill_source {
	const struct sched *sched;
	const char *schedule_id; /* goes into the idempotency key */
};

struct backfill_run {
	struct sched_time when; /* in its schedule's zone */
	size_t source;          /* index of its backfill_source */
};

struct backfill_plan {
	struct backfill_run *runs; /* the earliest max_runs, by time then source; owned */
	size_t count;
	size_t total;     /* fire times in the range (up to BACKFILL_COUNT_LIMIT) */
	int total_capped; /* there are more than BACKFILL_COUNT_LIMIT */
};

/*
 * Plan the runs of the sources from start to end inclusive (a date's whole
 * day counts), capped at max_runs (> 0). A range that ends before it starts
 * in a source's zone is ERROR_USAGE. Release with backfill_plan_release.
 */
int backfill_plan_make(struct backfill_plan *p, const struct backfill_source *src, size_t nsrc,
		       const struct when *start, const struct when *end, size_t max_runs,
		       struct error *err);
void backfill_plan_release(struct backfill_plan *p);

/* "backfill-2024-01-05" for a run at local midnight, else "backfill-2024-01-05T06:30". */
void backfill_run_name(struct buf *out, const struct backfill_run *r);
/* "backfill <deployment_id> <schedule_id> 2024-01-05T00:00:00Z": the same run, the same key. */
void backfill_run_key(struct buf *out, const char *deployment_id, const char *schedule_id,
		      int64_t at);
/* "2024-01-05T06:30:00-05:00": the run's logical time in its zone. */
void backfill_run_local_iso(struct buf *out, const struct backfill_run *r);
/*
 * The run's logical date for a --date-param: "2024-01-05" when format is
 * "date", or when it is not "date-time" and the run is at local midnight;
 * else the local ISO date-time.
 */
void backfill_run_date_value(struct buf *out, const struct backfill_run *r, const char *format);

#endif
