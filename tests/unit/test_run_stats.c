/*
 * Unit tests for flow-run statistics (src/cmd/prefect/run_stats.c):
 * percentiles by linear interpolation, local day and hour periods, counting
 * per state, the slowest runs, and the empty periods filled in between.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/prefect/run_stats.h"

#define HOUR 3600.0
#define DAY 86400.0
/* 2026-11-26T00:00:00Z */
#define MIDNIGHT 1795651200.0

static void
use_zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void
test_percentile_interpolates(void **state)
{
	(void)state;
	const double one[] = { 7 };
	const double four[] = { 1, 2, 3, 4 };
	const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	assert_true(run_stats_percentile(NULL, 0, 0.5) == 0);
	assert_true(run_stats_percentile(one, 1, 0.5) == 7);
	assert_true(run_stats_percentile(one, 1, 0.99) == 7);
	/* numpy.percentile([1, 2, 3, 4], [50, 90, 99, 100]) */
	assert_float_equal(run_stats_percentile(four, 4, 0.5), 2.5, 1e-12);
	assert_float_equal(run_stats_percentile(four, 4, 0.9), 3.7, 1e-12);
	assert_float_equal(run_stats_percentile(four, 4, 0.99), 3.97, 1e-12);
	assert_float_equal(run_stats_percentile(four, 4, 1.0), 4, 1e-12);
	assert_float_equal(run_stats_percentile(four, 4, 0.0), 1, 1e-12);
	assert_float_equal(run_stats_percentile(ten, 10, 0.9), 9.1, 1e-12);
	assert_float_equal(run_stats_percentile(ten, 10, 0.99), 9.91, 1e-12);
}

static void
test_periods_in_utc(void **state)
{
	(void)state;
	use_zone("UTC");
	double t = MIDNIGHT + 7 * HOUR + 6 * 60 + 56.5;
	assert_true(run_stats_period_start(t, RUN_PERIOD_DAY) == MIDNIGHT);
	assert_true(run_stats_period_start(t, RUN_PERIOD_HOUR) == MIDNIGHT + 7 * HOUR);
	assert_true(run_stats_period_start(MIDNIGHT, RUN_PERIOD_DAY) == MIDNIGHT);
	assert_true(run_stats_period_start(MIDNIGHT - 0.5, RUN_PERIOD_DAY) == MIDNIGHT - DAY);
	assert_true(run_stats_period_next(MIDNIGHT, RUN_PERIOD_DAY) == MIDNIGHT + DAY);
	assert_true(run_stats_period_next(MIDNIGHT, RUN_PERIOD_HOUR) == MIDNIGHT + HOUR);

	struct buf b = BUF_INIT;
	run_stats_period_label(&b, MIDNIGHT + 7 * HOUR, RUN_PERIOD_HOUR);
	assert_string_equal(buf_str(&b), "2026-11-26 07:00");
	buf_reset(&b);
	run_stats_period_label(&b, MIDNIGHT, RUN_PERIOD_DAY);
	assert_string_equal(buf_str(&b), "2026-11-26");
	buf_release(&b);
}

static void
test_periods_in_local_time(void **state)
{
	(void)state;
	/* India is UTC+05:30: its hours and days start at half past a UTC hour */
	use_zone("Asia/Kolkata");
	double t = MIDNIGHT + 2 * HOUR; /* 07:30 local */
	assert_true(run_stats_period_start(t, RUN_PERIOD_HOUR) == MIDNIGHT + 1.5 * HOUR);
	assert_true(run_stats_period_start(t, RUN_PERIOD_DAY) == MIDNIGHT - 5.5 * HOUR);
	/* Berlin's last Sunday of March has 23 hours */
	use_zone("Europe/Berlin");
	double march29 = 1774738800.0; /* 2026-03-29T00:00:00+01:00 */
	assert_true(run_stats_period_start(march29 + 12 * HOUR, RUN_PERIOD_DAY) == march29);
	assert_true(run_stats_period_next(march29, RUN_PERIOD_DAY) == march29 + 23 * HOUR);
	use_zone("UTC");
}

static void
add(struct run_stats *s, const char *id, const char *type, double start, double duration)
{
	struct run_stats_run r = { id, id, type, NULL, start, duration };
	run_stats_add(s, &r);
}

static void
test_counts_and_failure_rate(void **state)
{
	(void)state;
	struct run_stats s;
	use_zone("UTC");
	run_stats_init(&s, RUN_PERIOD_DAY);
	assert_true(run_stats_failure_rate(&s) < 0);
	add(&s, "a", "COMPLETED", MIDNIGHT, 1);
	add(&s, "b", "COMPLETED", MIDNIGHT, 2);
	add(&s, "c", "FAILED", MIDNIGHT, 3);
	add(&s, "d", "CRASHED", MIDNIGHT, 4);
	add(&s, "e", "RUNNING", MIDNIGHT, -1);
	add(&s, "f", "BOGUS", MIDNIGHT, 5); /* not a state type: not counted */
	add(&s, "g", NULL, MIDNIGHT, 5);
	run_stats_finish(&s);
	assert_int_equal(s.total, 5);
	assert_int_equal(s.counts[run_stats_state_index("COMPLETED")], 2);
	assert_int_equal(s.counts[run_stats_state_index("RUNNING")], 1);
	assert_int_equal(run_stats_finished(&s), 4);
	assert_float_equal(run_stats_failure_rate(&s), 0.5, 1e-12);
	assert_int_equal(s.n_durations, 4);
	run_stats_release(&s);
}

static void
test_slowest_are_kept_longest_first(void **state)
{
	(void)state;
	struct run_stats s;
	char id[8];
	const double durations[] = { 3, 9, 1, 7, 9, 2, 8, 5 };
	run_stats_init(&s, RUN_PERIOD_DAY);
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		snprintf(id, sizeof(id), "r%zu", i);
		add(&s, id, "COMPLETED", MIDNIGHT, durations[i]);
	}
	add(&s, "pending", "PENDING", MIDNIGHT, 100); /* not finished: no duration */
	run_stats_finish(&s);
	assert_int_equal(s.n_slowest, RUN_STATS_SLOWEST);
	const char *ids[] = { "r1", "r4", "r6", "r3", "r7" }; /* ties: the first seen first */
	for (size_t i = 0; i < RUN_STATS_SLOWEST; i++)
		assert_string_equal(s.slowest[i].id, ids[i]);
	assert_true(s.durations[0] == 1 && s.durations[7] == 9);
	run_stats_release(&s);
}

static void
test_empty_periods_are_filled(void **state)
{
	(void)state;
	struct run_stats s;
	use_zone("UTC");
	run_stats_init(&s, RUN_PERIOD_HOUR);
	/* newest first, as the runs come */
	add(&s, "a", "FAILED", MIDNIGHT + 3 * HOUR + 10, 1);
	add(&s, "b", "COMPLETED", MIDNIGHT + 3 * HOUR + 5, 1);
	add(&s, "c", "COMPLETED", MIDNIGHT + 59, 1);
	run_stats_finish(&s);
	assert_int_equal(s.n_buckets, 4);
	for (size_t i = 0; i < 4; i++)
		assert_true(s.buckets[i].start == MIDNIGHT + (double)i * HOUR);
	assert_int_equal(run_stats_bucket_total(&s.buckets[0]), 1);
	assert_int_equal(run_stats_bucket_total(&s.buckets[1]), 0);
	assert_int_equal(run_stats_bucket_total(&s.buckets[3]), 2);
	assert_int_equal(s.buckets[3].counts[run_stats_state_index("FAILED")], 1);
	run_stats_release(&s);
}

static void
test_groups(void **state)
{
	(void)state;
	assert_int_equal(run_stats_group_of(run_stats_state_index("COMPLETED")),
			 RUN_GROUP_COMPLETED);
	assert_int_equal(run_stats_group_of(run_stats_state_index("CRASHED")), RUN_GROUP_FAILED);
	assert_int_equal(run_stats_group_of(run_stats_state_index("CANCELLED")),
			 RUN_GROUP_CANCELLED);
	assert_int_equal(run_stats_group_of(run_stats_state_index("SCHEDULED")), RUN_GROUP_OTHER);
	assert_int_equal(run_stats_state_index("nope"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_interpolates),
		cmocka_unit_test(test_periods_in_utc),
		cmocka_unit_test(test_periods_in_local_time),
		cmocka_unit_test(test_counts_and_failure_rate),
		cmocka_unit_test(test_slowest_are_kept_longest_first),
		cmocka_unit_test(test_empty_periods_are_filled),
		cmocka_unit_test(test_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
