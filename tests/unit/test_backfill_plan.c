/*
 * Unit tests for backfill planning (src/plan): strict dates and date-times
 * with the messages users see, where a date's day begins and ends in a
 * zone, the plan's fire times merged over several schedules and capped,
 * the count of runs left out, and the names, keys and logical dates given
 * to the runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "plan/backfill.h"
#include "plan/when.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define JAN_1_2024 1704067200 /* 2024-01-01T00:00:00Z */
#define DAY 86400

static void
test_when_accepts(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		int year, month, day, hour, minute, second;
		int has_time, has_offset, offset;
	} cases[] = {
		{ "2024-01-05", 2024, 1, 5, 0, 0, 0, 0, 0, 0 },
		{ "2024-02-29", 2024, 2, 29, 0, 0, 0, 0, 0, 0 },
		{ "2024-01-05T06:30", 2024, 1, 5, 6, 30, 0, 1, 0, 0 },
		{ "2024-01-05 06:30:15", 2024, 1, 5, 6, 30, 15, 1, 0, 0 },
		{ "2024-01-05t23:59:59Z", 2024, 1, 5, 23, 59, 59, 1, 1, 0 },
		{ "2024-01-05T06:30+05:30", 2024, 1, 5, 6, 30, 0, 1, 1, 19800 },
		{ "2024-01-05T06:30:00-04:00", 2024, 1, 5, 6, 30, 0, 1, 1, -14400 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct when w;
		if (when_parse(&w, cases[i].text, &err) < 0)
			fail_msg("'%s' refused: %s", cases[i].text, err.message);
		assert_int_equal(w.wall.year, cases[i].year);
		assert_int_equal(w.wall.month, cases[i].month);
		assert_int_equal(w.wall.day, cases[i].day);
		assert_int_equal(w.wall.hour, cases[i].hour);
		assert_int_equal(w.wall.minute, cases[i].minute);
		assert_int_equal(w.wall.second, cases[i].second);
		assert_int_equal(w.has_time, cases[i].has_time);
		assert_int_equal(w.has_offset, cases[i].has_offset);
		assert_int_equal(w.offset, cases[i].offset);
	}
}

static void
test_when_rejects(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "2024-02-30", "'2024-02-30' is not a valid date: February 2024 has 29 days" },
		{ "2023-02-29", "'2023-02-29' is not a valid date: February 2023 has 28 days" },
		{ "2024-04-31", "'2024-04-31' is not a valid date: April 2024 has 30 days" },
		{ "2024-13-01", "'2024-13-01' is not a valid date: no month 13" },
		{ "2024-00-10", "'2024-00-10' is not a valid date: no month 0" },
		{ "2024-01-00", "'2024-01-00' is not a valid date: January 2024 has 31 days" },
		{ "2024-01-01T24:00", "'2024-01-01T24:00' is not a valid time of day" },
		{ "2024-01-01T10:60", "'2024-01-01T10:60' is not a valid time of day" },
		{ "2024-01-01T10:00+19:00", "'2024-01-01T10:00+19:00' has an impossible UTC offset" },
		{ "2024-1-01", NULL },
		{ "yesterday", NULL },
		{ "", NULL },
		{ "2024-01-01T", NULL },
		{ "2024-01-01T10", NULL },
		{ "2024-01-01T10:00:00.5Z", NULL },
		{ "2024-01-01T10:00Zjunk", NULL },
		{ "2024-01-01x", NULL },
		{ "2024-01-01T10:00+0500", NULL },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct when w;
		if (when_parse(&w, cases[i].text, &err) == 0)
			fail_msg("'%s' accepted", cases[i].text);
		assert_int_equal(err.kind, ERROR_USAGE);
		if (cases[i].message)
			assert_string_equal(err.message, cases[i].message);
		else
			assert_non_null(strstr(err.message, "is not a date (YYYY-MM-DD)"));
	}
}

static struct tz *
zone(const char *name)
{
	struct error err = ERROR_INIT;
	struct tz *tz = NULL;
	if (tz_load(&tz, name, &err) < 0)
		fail_msg("%s: %s", name, err.message);
	return tz;
}

static struct when
parsed(const char *text)
{
	struct error err = ERROR_INIT;
	struct when w;
	if (when_parse(&w, text, &err) < 0)
		fail_msg("'%s': %s", text, err.message);
	return w;
}

static void
test_when_instants(void **state)
{
	/* clang-format off */
	static const struct {
		const char *zone, *text;
		int64_t first, last;
	} cases[] = {
		{ "UTC", "2024-01-01", JAN_1_2024, JAN_1_2024 + DAY - 1 },
		{ "America/New_York", "2024-01-01", JAN_1_2024 + 5 * 3600,
		  JAN_1_2024 + DAY + 5 * 3600 - 1 },
		/* the day of the spring-forward change is 23 hours long */
		{ "America/New_York", "2024-03-10", 1710046800, 1710046800 + 23 * 3600 - 1 },
		{ "Asia/Kolkata", "2024-01-01T06:30", JAN_1_2024 + 3600, JAN_1_2024 + 3600 },
		/* an offset makes it an instant whatever the zone */
		{ "Asia/Kolkata", "2024-01-01T06:30Z", JAN_1_2024 + 23400, JAN_1_2024 + 23400 },
		{ "UTC", "2024-01-01T00:00-05:00", JAN_1_2024 + 5 * 3600, JAN_1_2024 + 5 * 3600 },
		/* a wall time skipped by DST lands after the gap, as Prefect's */
		{ "America/New_York", "2024-03-10T02:30", 1710055800, 1710055800 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct tz *tz = zone(cases[i].zone);
		struct when w = parsed(cases[i].text);
		assert_int_equal(when_first(&w, tz), cases[i].first);
		assert_int_equal(when_last(&w, tz), cases[i].last);
		tz_free(tz);
	}
}

static void
test_when_after(void **state)
{
	/* clang-format off */
	static const struct {
		const char *start, *end;
		int after;
	} cases[] = {
		{ "2024-01-01", "2024-01-31", 0 },
		{ "2024-01-31", "2024-01-31", 0 },
		{ "2024-02-01", "2024-01-31", 1 },
		{ "2024-01-31T23:00", "2024-01-31", 0 },
		{ "2024-01-31", "2024-01-30T23:59", 1 },
		{ "2024-01-01T10:00+05:00", "2024-01-01T04:00Z", 1 },
		{ "2024-01-01T10:00+05:00", "2024-01-01T05:00Z", 0 },
		{ "2024-01-01T10:00", "2024-01-01T04:00Z", -1 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct when a = parsed(cases[i].start), b = parsed(cases[i].end);
		assert_int_equal(when_after(&a, &b), cases[i].after);
	}
}

static void
cron(struct sched *s, const char *expr, const char *zone_name)
{
	struct error err = ERROR_INIT;
	if (sched_cron(s, expr, 1, zone_name, &err) < 0)
		fail_msg("%s: %s", expr, err.message);
}

static void
make(struct backfill_plan *p, const struct backfill_source *src, size_t n, const char *start,
     const char *end, size_t max_runs)
{
	struct error err = ERROR_INIT;
	struct when a = parsed(start), b = parsed(end);
	if (backfill_plan_make(p, src, n, &a, &b, max_runs, &err) < 0)
		fail_msg("plan %s..%s: %s", start, end, err.message);
}

static void
test_plan_january(void **state)
{
	struct sched s;
	struct backfill_source src = { &s, "sid" };
	struct backfill_plan p;
	(void)state;
	cron(&s, "0 0 * * *", "UTC");
	make(&p, &src, 1, "2024-01-01", "2024-01-31", 100);
	assert_int_equal(p.count, 31);
	assert_int_equal(p.total, 31);
	assert_false(p.total_capped);
	for (size_t i = 0; i < p.count; i++) {
		assert_int_equal(p.runs[i].when.at, JAN_1_2024 + (int64_t)i * DAY);
		assert_int_equal(p.runs[i].source, 0);
	}
	backfill_plan_release(&p);

	/* capped: the earliest are kept, the rest counted */
	make(&p, &src, 1, "2024-01-01", "2024-01-31", 10);
	assert_int_equal(p.count, 10);
	assert_int_equal(p.total, 31);
	assert_int_equal(p.runs[9].when.at, JAN_1_2024 + 9 * DAY);
	backfill_plan_release(&p);

	/* a date-time range: its bounds are included */
	make(&p, &src, 1, "2024-01-02T00:00", "2024-01-04T00:00", 100);
	assert_int_equal(p.count, 3);
	backfill_plan_release(&p);
	make(&p, &src, 1, "2024-01-02T00:00:01", "2024-01-03T23:59:59", 100);
	assert_int_equal(p.count, 1);
	backfill_plan_release(&p);
	sched_release(&s);
}

static void
test_plan_sources_merge(void **state)
{
	struct sched utc, london;
	struct backfill_source src[] = { { &utc, "a" }, { &london, "b" } };
	struct backfill_plan p;
	(void)state;
	cron(&utc, "0 12 * * *", "UTC");
	cron(&london, "0 6,18 * * *", "Europe/London");
	make(&p, src, 2, "2024-01-01", "2024-01-02", 100);
	assert_int_equal(p.count, 6);
	/* clang-format off */
	static const struct {
		int64_t at;
		size_t source;
	} want[] = {
		{ JAN_1_2024 + 6 * 3600, 1 }, { JAN_1_2024 + 12 * 3600, 0 },
		{ JAN_1_2024 + 18 * 3600, 1 }, { JAN_1_2024 + DAY + 6 * 3600, 1 },
		{ JAN_1_2024 + DAY + 12 * 3600, 0 }, { JAN_1_2024 + DAY + 18 * 3600, 1 },
	};
	/* clang-format on */
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(p.runs[i].when.at, want[i].at);
		assert_int_equal(p.runs[i].source, want[i].source);
	}
	backfill_plan_release(&p);

	/* the cap applies to the merged runs */
	make(&p, src, 2, "2024-01-01", "2024-01-02", 4);
	assert_int_equal(p.count, 4);
	assert_int_equal(p.total, 6);
	assert_int_equal(p.runs[3].when.at, JAN_1_2024 + DAY + 6 * 3600);
	backfill_plan_release(&p);
	sched_release(&utc);
	sched_release(&london);
}

static void
test_plan_in_zone(void **state)
{
	struct sched s;
	struct backfill_source src = { &s, "ny" };
	struct backfill_plan p;
	(void)state;
	/* the dates are New York's; 02:30 does not exist on 2024-03-10 */
	cron(&s, "30 2 * * *", "America/New_York");
	make(&p, &src, 1, "2024-03-09", "2024-03-11", 100);
	assert_int_equal(p.count, 3);
	assert_int_equal(p.runs[0].when.local.day, 9);
	assert_int_equal(p.runs[0].when.local.hour, 2);
	assert_int_equal(p.runs[1].when.local.day, 10);
	assert_int_equal(p.runs[1].when.local.hour, 3);
	assert_true(p.runs[1].when.dst & SCHED_DST_MOVED);
	assert_int_equal(p.runs[2].when.local.hour, 2);
	assert_int_equal(p.runs[2].when.offset, -4 * 3600);
	backfill_plan_release(&p);
	sched_release(&s);
}

static void
test_plan_errors_and_limits(void **state)
{
	struct error err = ERROR_INIT;
	struct sched s;
	struct backfill_source src = { &s, "x" };
	struct backfill_plan p;
	(void)state;
	cron(&s, "0 0 * * *", "UTC");
	struct when a = parsed("2024-01-02T00:00"), b = parsed("2024-01-01T23:00");
	assert_int_equal(backfill_plan_make(&p, &src, 1, &a, &b, 10, &err), -1);
	assert_int_equal(err.kind, ERROR_USAGE);
	assert_string_equal(err.message, "the range ends before it starts (in time zone UTC)");
	assert_null(p.runs);
	sched_release(&s);

	/* an empty range plans nothing */
	cron(&s, "0 0 1 1 *", "UTC");
	make(&p, &src, 1, "2024-02-01", "2024-12-31", 10);
	assert_int_equal(p.count, 0);
	assert_int_equal(p.total, 0);
	backfill_plan_release(&p);
	sched_release(&s);

	/* counting what is left out stops at BACKFILL_COUNT_LIMIT */
	cron(&s, "* * * * *", "UTC");
	make(&p, &src, 1, "2024-01-01", "2026-12-31", 5);
	assert_int_equal(p.count, 5);
	assert_int_equal(p.total, BACKFILL_COUNT_LIMIT);
	assert_true(p.total_capped);
	backfill_plan_release(&p);
	sched_release(&s);
}

static struct backfill_run
run_at(const char *zone_name, int64_t at)
{
	struct backfill_run r = { .source = 0 };
	struct tz *tz = zone(zone_name);
	sched_time_at(&r.when, tz, at);
	tz_free(tz);
	return r;
}

static void
test_run_names_keys_dates(void **state)
{
	/* clang-format off */
	static const struct {
		const char *zone;
		int64_t at;
		const char *name, *key, *local, *plain, *date, *date_time;
	} cases[] = {
		{ "UTC", JAN_1_2024 + 4 * DAY, "backfill-2024-01-05",
		  "backfill D S 2024-01-05T00:00:00Z", "2024-01-05T00:00:00+00:00", "2024-01-05",
		  "2024-01-05", "2024-01-05T00:00:00+00:00" },
		{ "America/New_York", JAN_1_2024 + 4 * DAY + 11 * 3600 + 1800,
		  "backfill-2024-01-05T06:30", "backfill D S 2024-01-05T11:30:00Z",
		  "2024-01-05T06:30:00-05:00", "2024-01-05T06:30:00-05:00", "2024-01-05",
		  "2024-01-05T06:30:00-05:00" },
		{ "Asia/Kolkata", JAN_1_2024 + 15, "backfill-2024-01-01T05:30:15",
		  "backfill D S 2024-01-01T00:00:15Z", "2024-01-01T05:30:15+05:30",
		  "2024-01-01T05:30:15+05:30", "2024-01-01", "2024-01-01T05:30:15+05:30" },
		/* local midnight is the previous UTC day */
		{ "Asia/Kolkata", JAN_1_2024 - 19800, "backfill-2024-01-01",
		  "backfill D S 2023-12-31T18:30:00Z", "2024-01-01T00:00:00+05:30", "2024-01-01",
		  "2024-01-01", "2024-01-01T00:00:00+05:30" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct backfill_run r = run_at(cases[i].zone, cases[i].at);
		struct buf b = BUF_INIT;
		backfill_run_name(&b, &r);
		assert_string_equal(buf_str(&b), cases[i].name);
		buf_reset(&b);
		backfill_run_key(&b, "D", "S", r.when.at);
		assert_string_equal(buf_str(&b), cases[i].key);
		buf_reset(&b);
		backfill_run_local_iso(&b, &r);
		assert_string_equal(buf_str(&b), cases[i].local);
		buf_reset(&b);
		backfill_run_date_value(&b, &r, NULL);
		assert_string_equal(buf_str(&b), cases[i].plain);
		buf_reset(&b);
		backfill_run_date_value(&b, &r, "date");
		assert_string_equal(buf_str(&b), cases[i].date);
		buf_reset(&b);
		backfill_run_date_value(&b, &r, "date-time");
		assert_string_equal(buf_str(&b), cases[i].date_time);
		buf_release(&b);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_accepts),
		cmocka_unit_test(test_when_rejects),
		cmocka_unit_test(test_when_instants),
		cmocka_unit_test(test_when_after),
		cmocka_unit_test(test_plan_january),
		cmocka_unit_test(test_plan_sources_merge),
		cmocka_unit_test(test_plan_in_zone),
		cmocka_unit_test(test_plan_errors_and_limits),
		cmocka_unit_test(test_run_names_keys_dates),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
