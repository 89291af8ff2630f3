/*
 * Statistics of flow runs, gathered one run at a time (flow-runs stats):
 * counts per state type, the durations of finished runs for percentiles,
 * the slowest runs, and counts per period (a local day or hour). Memory is
 * one double per finished run, a few slowest runs and one bucket per period
 * between the earliest and the latest run; the runs themselves are not kept.
 */
#ifndef CMD_PREFECT_RUN_STATS_H
#define CMD_PREFECT_RUN_STATS_H

#include <stddef.h>

#include "core/buf.h"

/* The state types, final ones first: COMPLETED, FAILED, CRASHED, CANCELLED, then the rest. */
#define RUN_STATS_STATES 9
#define RUN_STATS_FINAL 4
extern const char *const run_stats_state_types[RUN_STATS_STATES];
/* The index of a state type in run_stats_state_types, or -1. */
int run_stats_state_index(const char *state_type);

/* How the chart groups states: completed, failed or crashed, cancelled, other. */
enum run_stats_group {
	RUN_GROUP_COMPLETED,
	RUN_GROUP_FAILED,
	RUN_GROUP_CANCELLED,
	RUN_GROUP_OTHER,
	RUN_GROUPS
};
enum run_stats_group run_stats_group_of(int state);
/* A state type that stands for the group (for its colour). */
const char *run_stats_group_type(enum run_stats_group g);

enum run_stats_period { RUN_PERIOD_DAY, RUN_PERIOD_HOUR };

/* The start of the local day or hour holding t (epoch seconds). */
double run_stats_period_start(double t, enum run_stats_period by);
/* The start of the period after the one starting at start. */
double run_stats_period_next(double start, enum run_stats_period by);
/* "2026-11-26" or "2026-11-26 07:00", local time. */
void run_stats_period_label(struct buf *out, double start, enum run_stats_period by);

/*
 * The p-quantile (0 <= p <= 1) of n sorted values by linear interpolation
 * between closest ranks (numpy's default, R's type 7): the value at rank
 * p * (n - 1), counted from 0. 0 when n is 0.
 */
double run_stats_percentile(const double *sorted, size_t n, double p);

/* One run as it is counted; strings are borrowed for the call. */
struct run_stats_run {
	const char *id, *name, *state_type, *state_name;
	double start;    /* epoch seconds: started, or expected to */
	double duration; /* seconds, for a finished run; < 0 otherwise */
};

#define RUN_STATS_SLOWEST 5

struct run_stats_slow {
	char *id, *name, *state_type, *state_name;
	double duration;
};

struct run_stats_bucket {
	double start;
	long counts[RUN_STATS_STATES];
};

struct run_stats {
	enum run_stats_period by;
	long total;
	long counts[RUN_STATS_STATES];
	double *durations; /* of finished runs; sorted by run_stats_finish */
	size_t n_durations, cap_durations;
	struct run_stats_slow slowest[RUN_STATS_SLOWEST]; /* longest first */
	size_t n_slowest;
	struct run_stats_bucket *buckets; /* by start, ascending */
	size_t n_buckets, cap_buckets;
};

void run_stats_init(struct run_stats *s, enum run_stats_period by);
/* Count one run; a run of no known state type is not counted. */
void run_stats_add(struct run_stats *s, const struct run_stats_run *r);
/* Sort the durations and add the empty periods between the first and the last. */
void run_stats_finish(struct run_stats *s);
/* Runs in a final state, and the share of them that failed or crashed (-1: none finished). */
long run_stats_finished(const struct run_stats *s);
double run_stats_failure_rate(const struct run_stats *s);
/* The runs of a bucket. */
long run_stats_bucket_total(const struct run_stats_bucket *b);
/* The most runs in one period (at least 1, so that it can scale a chart). */
long run_stats_busiest(const struct run_stats *s);
void run_stats_release(struct run_stats *s);

#endif
