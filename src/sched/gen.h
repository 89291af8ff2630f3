/*
 * The fire-time generators behind sched_next, private to src/sched: one
 * port of Prefect's CronSchedule._get_dates_whenever (sched/gen_cron.c) and
 * one of IntervalSchedule._get_dates_generator as it runs on Python 3.11
 * and 3.12, with pendulum (sched/gen_interval.c), one of
 * RRuleSchedule._get_dates_generator (sched/gen_rrule.c). They hand their runs, in
 * the order Prefect yields them, to the struct gen below.
 */
#ifndef SCHED_GEN_H
#define SCHED_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sched/sched.h"

/* Prefect's MAX_ITERATIONS. */
#define GEN_MAX_ITERATIONS 1000

struct gen {
	struct sched_time *out; /* n entries, the caller's; only at and dst are set */
	size_t n, count;
	int64_t *keys;  /* what Prefect tells the runs so far apart by; n entries */
	size_t dropped; /* candidates after start that Prefect took for a run it had */
};

/*
 * Offer a run with its SCHED_DST_MOVED* flags: kept unless one with the
 * same key was; 1 when there is room for more (gen.c).
 */
int gen_offer(struct gen *g, int64_t at, int64_t key, unsigned flags);
/*
 * Run s's generator (sched.c) from start to end (SCHED_NO_END: none) for up to n runs
 * (n > 0) into out, in the order Prefect yields them; only at and the
 * SCHED_DST_MOVED* flags are set. *dropped counts the candidates it merged.
 */
int gen_run(const struct sched *s, int64_t start, int64_t end, struct sched_time *out, size_t n,
	    size_t *count, size_t *dropped, struct error *err);

int gen_cron(const struct sched *s, int64_t start, int64_t end, struct gen *g, struct error *err);
void gen_interval(const struct sched *s, int64_t start, int64_t end, struct gen *g);
int gen_rrule(const struct sched *s, int64_t start, int64_t end, struct gen *g, struct error *err);

#endif
