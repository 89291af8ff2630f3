/* Flow-run statistics: counting, percentiles and periods (see run_stats.h). */
#include "cmd/prefect/run_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"

const char *const run_stats_state_types[RUN_STATS_STATES] = {
	"COMPLETED", "FAILED",  "CRASHED", "CANCELLED", "CANCELLING",
	"RUNNING",   "PENDING", "PAUSED",  "SCHEDULED",
};

int
run_stats_state_index(const char *state_type)
{
	for (int i = 0; state_type && i < RUN_STATS_STATES; i++)
		if (!strcmp(state_type, run_stats_state_types[i]))
			return i;
	return -1;
}

enum run_stats_group
run_stats_group_of(int state)
{
	switch (state) {
	case 0:
		return RUN_GROUP_COMPLETED;
	case 1:
	case 2:
		return RUN_GROUP_FAILED;
	case 3:
		return RUN_GROUP_CANCELLED;
	default:
		return RUN_GROUP_OTHER;
	}
}

const char *
run_stats_group_type(enum run_stats_group g)
{
	static const char *const types[RUN_GROUPS] = { "COMPLETED", "FAILED", "CANCELLED",
						       "RUNNING" };
	return types[g];
}

double
run_stats_period_start(double t, enum run_stats_period by)
{
	time_t secs = (time_t)floor(t);
	struct tm tm;
	localtime_r(&secs, &tm);
	if (by == RUN_PERIOD_HOUR) /* local hours start at a whole hour of local time */
		return (double)(secs - tm.tm_min * 60 - tm.tm_sec);
	tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

double
run_stats_period_next(double start, enum run_stats_period by)
{
	if (by == RUN_PERIOD_HOUR)
		return start + 3600;
	time_t secs = (time_t)start;
	struct tm tm;
	localtime_r(&secs, &tm);
	tm.tm_mday++;
	tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

void
run_stats_period_label(struct buf *out, double start, enum run_stats_period by)
{
	time_t secs = (time_t)start;
	struct tm tm;
	char text[32];
	localtime_r(&secs, &tm);
	strftime(text, sizeof(text), by == RUN_PERIOD_HOUR ? "%Y-%m-%d %H:00" : "%Y-%m-%d", &tm);
	buf_adds(out, text);
}

double
run_stats_percentile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	double rank = p * (double)(n - 1);
	size_t lo = (size_t)floor(rank);
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (rank - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

void
run_stats_init(struct run_stats *s, enum run_stats_period by)
{
	memset(s, 0, sizeof(*s));
	s->by = by;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
slow_free(struct run_stats_slow *r)
{
	free(r->id);
	free(r->name);
	free(r->state_type);
	free(r->state_name);
}

/* Keep r among the slowest runs when it is slower than one of them (ties: the first seen). */
static void
add_slow(struct run_stats *s, const struct run_stats_run *r)
{
	size_t at = s->n_slowest;
	while (at > 0 && s->slowest[at - 1].duration < r->duration)
		at--;
	if (at >= RUN_STATS_SLOWEST)
		return;
	if (s->n_slowest == RUN_STATS_SLOWEST)
		slow_free(&s->slowest[--s->n_slowest]);
	memmove(&s->slowest[at + 1], &s->slowest[at], (s->n_slowest - at) * sizeof(s->slowest[0]));
	s->slowest[at] = (struct run_stats_slow){ dup_or_null(r->id), dup_or_null(r->name),
						  dup_or_null(r->state_type),
						  dup_or_null(r->state_name), r->duration };
	s->n_slowest++;
}

static void
add_duration(struct run_stats *s, double d)
{
	if (s->n_durations == s->cap_durations) {
		s->cap_durations = s->cap_durations ? s->cap_durations * 2 : 256;
		s->durations = xrealloc(s->durations, s->cap_durations * sizeof(double));
	}
	s->durations[s->n_durations++] = d;
}

/* The bucket of the period starting at start, inserted in order when it is new. */
static struct run_stats_bucket *
bucket_at(struct run_stats *s, double start)
{
	size_t lo = 0, hi = s->n_buckets;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->buckets[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_buckets && s->buckets[lo].start == start)
		return &s->buckets[lo];
	if (s->n_buckets == s->cap_buckets) {
		s->cap_buckets = s->cap_buckets ? s->cap_buckets * 2 : 16;
		s->buckets = xrealloc(s->buckets, s->cap_buckets * sizeof(s->buckets[0]));
	}
	memmove(&s->buckets[lo + 1], &s->buckets[lo], (s->n_buckets - lo) * sizeof(s->buckets[0]));
	s->n_buckets++;
	memset(&s->buckets[lo], 0, sizeof(s->buckets[lo]));
	s->buckets[lo].start = start;
	return &s->buckets[lo];
}

void
run_stats_add(struct run_stats *s, const struct run_stats_run *r)
{
	int state = run_stats_state_index(r->state_type);
	if (state < 0)
		return;
	s->total++;
	s->counts[state]++;
	bucket_at(s, run_stats_period_start(r->start, s->by))->counts[state]++;
	if (state < RUN_STATS_FINAL && r->duration >= 0) {
		add_duration(s, r->duration);
		add_slow(s, r);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void
run_stats_finish(struct run_stats *s)
{
	if (s->n_durations)
		qsort(s->durations, s->n_durations, sizeof(double), cmp_double);
	if (!s->n_buckets)
		return;
	double last = s->buckets[s->n_buckets - 1].start;
	for (double t = s->buckets[0].start; t < last; t = run_stats_period_next(t, s->by))
		bucket_at(s, t);
}

long
run_stats_finished(const struct run_stats *s)
{
	long n = 0;
	for (int i = 0; i < RUN_STATS_FINAL; i++)
		n += s->counts[i];
	return n;
}

double
run_stats_failure_rate(const struct run_stats *s)
{
	long finished = run_stats_finished(s);
	if (!finished)
		return -1;
	return (double)(s->counts[1] + s->counts[2]) / (double)finished;
}

long
run_stats_bucket_total(const struct run_stats_bucket *b)
{
	long n = 0;
	for (int i = 0; i < RUN_STATS_STATES; i++)
		n += b->counts[i];
	return n;
}

void
run_stats_release(struct run_stats *s)
{
	for (size_t i = 0; i < s->n_slowest; i++)
		slow_free(&s->slowest[i]);
	free(s->durations);
	free(s->buckets);
	memset(s, 0, sizeof(*s));
}

long
run_stats_busiest(const struct run_stats *s)
{
	long m = 1;
	for (size_t i = 0; i < s->n_buckets; i++) {
		long n = run_stats_bucket_total(&s->buckets[i]);
		m = n > m ? n : m;
	}
	return m;
}
