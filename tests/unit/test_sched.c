/*
 * Unit tests for the schedule engine (src/sched): cron parsing with its
 * exact messages, fire times around daylight-saving changes in several
 * zones for cron and interval schedules (the expected times are Prefect
 * 3.9's own answers), TZif reading, formatting, and the DST warnings.
 * tests/oracle checks the same engine against Prefect on thousands of cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sched/sched.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TIMES 6

#define MOVED SCHED_DST_MOVED
#define GAP SCHED_DST_AFTER_GAP
#define AMB SCHED_DST_AMBIGUOUS

static void
test_cron_accepts(void **state)
{
	/* clang-format off */
	static const char *const good[] = {
		"* * * * *", "0 0 * * *", "@hourly", "@DAILY", "@midnight", "@annually",
		"*/5 * * * *", "0 9-17/2 * * MON-FRI", "0 0 L * *", "0 0 15-L * *",
		"0 0 * * 5#3", "0 0 * * L5", "0 0 ? * *", "0 0 1,15 jan-JUN *", "59/5 * * * *",
		"0 0 * * 7", "0 0 * * sat-sun", "50-10/3 * * * *", "0 0 * * 1#2,0-6",
		"0\t0  * *\n*", "0005 0 * * *", "0 0 30 2 *",
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	struct cron c;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		if (cron_parse(&c, good[i], 1, &err) < 0)
			fail_msg("'%s' refused: %s", good[i], err.message);
	}
}

static void
test_cron_rejects(void **state)
{
	/* clang-format off */
	static const struct {
		const char *expr;
		const char *message;
	} cases[] = {
		{ "* * * *", "expected 5 fields, got 4" },
		{ "* * * * * *", "expected 5 fields, got 6" },
		{ "", "expected 5 fields, got 0" },
		{ "@hourly ", "expected 5 fields, got 1" },
		{ "@reboot", "unknown cron alias '@reboot'" },
		{ "61 * * * *", "minute '61' is out of range 0-59" },
		{ "0,61 * * * *", "minute '61' is out of range 0-59" },
		{ "* 24 * * *", "hour '24' is out of range 0-23" },
		{ "* * 0 * *", "day-of-month '0' is out of range 1-31" },
		{ "* * 0-5 * *", "day-of-month '0-5' is out of range 1-31" },
		{ "* * 1-32 * *", "day-of-month '1-32' is out of range 1-31" },
		{ "* * * 13 *", "month '13' is out of range 1-12" },
		{ "* * * 0 *", "month '0' is out of range 1-12" },
		{ "* * * FOO *", "month 'FOO' is not a month name or number" },
		{ "* * * * FOO", "day-of-week 'FOO' is not a day name or number" },
		{ "* * * * Monday", "day-of-week 'Monday' is not a day name or number" },
		{ "* * * * 8", "day-of-week '8' is out of range 0-7" },
		{ "a * * * *", "minute 'a' is not a number" },
		{ "* * x * *", "day-of-month 'x' is not a number or L" },
		{ "*/0 * * * *", "minute '*/0' has a step of 0" },
		{ "1-5/0 * * * *", "minute '1-5/0' has a step of 0" },
		{ "*/x * * * *", "minute '*/x' is not a valid step" },
		{ "1,,2 * * * *", "minute '1,,2' has an empty list item" },
		{ "-5 * * * *", "minute '-5' is negative" },
		{ "* * L-5 * *", "day-of-month 'L-5' cannot start a range with L" },
		{ "* * * * MON#6", "day-of-week 'MON#6' asks for week 6 of the month; it must be 1-5" },
		{ "* * * * 1#2,3",
		  "day-of-week '1#2,3' mixes plain days with nth (#) or last (L) weekdays" },
		{ "H * * * *", "minute 'H' uses hashed (H) or random (R) values, which are not supported" },
		{ "r/5 * * * *",
		  "minute 'r/5' uses hashed (H) or random (R) values, which are not supported" },
		{ "? * * * *", "minute '?' uses '?', which only day-of-month and day-of-week allow" },
		{ "* * 1? * *", "day-of-month '1?' mixes '?' with other values" },
	};
	/* clang-format on */
	struct cron c;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		if (cron_parse(&c, cases[i].expr, 1, &err) == 0)
			fail_msg("'%s' accepted", cases[i].expr);
		assert_int_equal(err.kind, ERROR_INVALID);
		assert_string_equal(err.message, cases[i].message);
	}
}

static void
test_cron_hints(void **state)
{
	struct error err = ERROR_INIT;
	struct cron c;

	(void)state;
	assert_int_equal(cron_parse(&c, "0 0 * * * 2030", 1, &err), -1);
	assert_string_equal(err.hint,
			    "Prefect's optional seconds and year fields are not supported");
}

struct expect {
	int64_t at;
	const char *local, *offset;
	unsigned dst;
};

struct fire_case {
	const char *what; /* cron expression, or NULL for an interval */
	int64_t interval, anchor;
	int day_or;
	const char *zone;
	int64_t start, end;
	size_t n;
	struct expect times[MAX_TIMES];
};

/* clang-format off */
static const struct fire_case fire_cases[] = {
	{ "0 0 * * *", 0, 0, 1, "UTC", 1767225600, SCHED_NO_END, 3, {
		{ 1767225600, "2026-01-01 00:00:00", "+00:00", 0 },
		{ 1767312000, "2026-01-02 00:00:00", "+00:00", 0 },
		{ 1767398400, "2026-01-03 00:00:00", "+00:00", 0 } } },
	/* The end bound is inclusive too. */
	{ "0 0 * * *", 0, 0, 1, "UTC", 1767225600, 1767398400, 10, {
		{ 1767225600, "2026-01-01 00:00:00", "+00:00", 0 },
		{ 1767312000, "2026-01-02 00:00:00", "+00:00", 0 },
		{ 1767398400, "2026-01-03 00:00:00", "+00:00", 0 } } },
	/* 02:30 does not exist on 2026-03-08 in New York: it runs at 03:30 EDT. */
	{ "30 2 * * *", 0, 0, 1, "America/New_York", 1772841600, SCHED_NO_END, 3, {
		{ 1772868600, "2026-03-07 02:30:00", "-05:00", 0 },
		{ 1772955000, "2026-03-08 03:30:00", "-04:00", MOVED | GAP },
		{ 1773037800, "2026-03-09 02:30:00", "-04:00", 0 } } },
	/* 01:30 happens twice on 2026-11-01: Prefect runs the first only. */
	{ "30 1 * * *", 0, 0, 1, "America/New_York", 1793448000, SCHED_NO_END, 3, {
		{ 1793511000, "2026-11-01 01:30:00", "-04:00", AMB },
		{ 1793601000, "2026-11-02 01:30:00", "-05:00", 0 },
		{ 1793687400, "2026-11-03 01:30:00", "-05:00", 0 } } },
	/* Hourly across fall-back: a two-hour pause. */
	{ "0 * * * *", 0, 0, 1, "America/New_York", 1793505600, SCHED_NO_END, 4, {
		{ 1793505600, "2026-11-01 00:00:00", "-04:00", 0 },
		{ 1793509200, "2026-11-01 01:00:00", "-04:00", AMB },
		{ 1793516400, "2026-11-01 02:00:00", "-05:00", 0 },
		{ 1793520000, "2026-11-01 03:00:00", "-05:00", 0 } } },
	/* Hourly across spring-forward: 02:00 moves onto 03:00 and is merged. */
	{ "0 * * * *", 0, 0, 1, "America/New_York", 1772946000, SCHED_NO_END, 4, {
		{ 1772946000, "2026-03-08 00:00:00", "-05:00", 0 },
		{ 1772949600, "2026-03-08 01:00:00", "-05:00", 0 },
		{ 1772953200, "2026-03-08 03:00:00", "-04:00", MOVED | GAP },
		{ 1772956800, "2026-03-08 04:00:00", "-04:00", 0 } } },
	{ "*/30 * * * *", 0, 0, 1, "America/New_York", 1772949600, SCHED_NO_END, 4, {
		{ 1772949600, "2026-03-08 01:00:00", "-05:00", 0 },
		{ 1772951400, "2026-03-08 01:30:00", "-05:00", 0 },
		{ 1772953200, "2026-03-08 03:00:00", "-04:00", MOVED | GAP },
		{ 1772955000, "2026-03-08 03:30:00", "-04:00", MOVED | GAP } } },
	/* Lord Howe moves its clocks by 30 minutes. */
	{ "15 2 * * *", 0, 0, 1, "Australia/Lord_Howe", 1790942400, SCHED_NO_END, 3, {
		{ 1790955900, "2026-10-03 02:15:00", "+10:30", 0 },
		{ 1791042300, "2026-10-04 02:45:00", "+11:00", MOVED | GAP },
		{ 1791126900, "2026-10-05 02:15:00", "+11:00", 0 } } },
	{ "45 1 * * *", 0, 0, 1, "Australia/Lord_Howe", 1775260800, SCHED_NO_END, 3, {
		{ 1775313900, "2026-04-05 01:45:00", "+11:00", AMB },
		{ 1775402100, "2026-04-06 01:45:00", "+10:30", 0 },
		{ 1775488500, "2026-04-07 01:45:00", "+10:30", 0 } } },
	{ "0 9 * * 1-5", 0, 0, 1, "Asia/Kolkata", 1767312000, SCHED_NO_END, 3, {
		{ 1767324600, "2026-01-02 09:00:00", "+05:30", 0 },
		{ 1767583800, "2026-01-05 09:00:00", "+05:30", 0 },
		{ 1767670200, "2026-01-06 09:00:00", "+05:30", 0 } } },
	{ "30 1 * * *", 0, 0, 1, "Europe/London", 1774699200, SCHED_NO_END, 3, {
		{ 1774747800, "2026-03-29 02:30:00", "+01:00", MOVED | GAP },
		{ 1774830600, "2026-03-30 01:30:00", "+01:00", 0 },
		{ 1774917000, "2026-03-31 01:30:00", "+01:00", 0 } } },
	{ "0 0 * * 5#3", 0, 0, 1, "UTC", 1767225600, SCHED_NO_END, 3, {
		{ 1768521600, "2026-01-16 00:00:00", "+00:00", 0 },
		{ 1771545600, "2026-02-20 00:00:00", "+00:00", 0 },
		{ 1773964800, "2026-03-20 00:00:00", "+00:00", 0 } } },
	{ "0 12 L * *", 0, 0, 1, "UTC", 1767225600, SCHED_NO_END, 3, {
		{ 1769860800, "2026-01-31 12:00:00", "+00:00", 0 },
		{ 1772280000, "2026-02-28 12:00:00", "+00:00", 0 },
		{ 1774958400, "2026-03-31 12:00:00", "+00:00", 0 } } },
	/* day_or false: Friday the 13th; true: Fridays and 13ths. */
	{ "0 0 13 * 5", 0, 0, 0, "UTC", 1767225600, SCHED_NO_END, 3, {
		{ 1770940800, "2026-02-13 00:00:00", "+00:00", 0 },
		{ 1773360000, "2026-03-13 00:00:00", "+00:00", 0 },
		{ 1794528000, "2026-11-13 00:00:00", "+00:00", 0 } } },
	{ "0 0 13 * 5", 0, 0, 1, "UTC", 1767225600, SCHED_NO_END, 3, {
		{ 1767312000, "2026-01-02 00:00:00", "+00:00", 0 },
		{ 1767916800, "2026-01-09 00:00:00", "+00:00", 0 },
		{ 1768262400, "2026-01-13 00:00:00", "+00:00", 0 } } },
	/* Hourly interval across fall-back: the 01:00 EST run is dropped,
	 * because its wall time repeats the 01:00 EDT one. */
	{ NULL, 3600, 1577854800, 1, "America/New_York", 1793505600, SCHED_NO_END, 4, {
		{ 1793505600, "2026-11-01 00:00:00", "-04:00", 0 },
		{ 1793509200, "2026-11-01 01:00:00", "-04:00", AMB },
		{ 1793516400, "2026-11-01 02:00:00", "-05:00", 0 },
		{ 1793520000, "2026-11-01 03:00:00", "-05:00", 0 } } },
	/* Daily from 2020-01-01 02:30 EST: moved to 03:30 by the first March
	 * gap and kept there. */
	{ NULL, 86400, 1577863800, 1, "America/New_York", 1772755200, SCHED_NO_END, 3, {
		{ 1772785800, "2026-03-06 03:30:00", "-05:00", 0 },
		{ 1772872200, "2026-03-07 03:30:00", "-05:00", 0 },
		{ 1772955000, "2026-03-08 03:30:00", "-04:00", GAP } } },
	/* The same from an anchor after the start: counted back from the anchor. */
	{ NULL, 86400, 1798788600, 1, "America/New_York", 1772755200, SCHED_NO_END, 4, {
		{ 1772782200, "2026-03-06 02:30:00", "-05:00", 0 },
		{ 1772868600, "2026-03-07 02:30:00", "-05:00", 0 },
		{ 1772955000, "2026-03-08 03:30:00", "-04:00", MOVED | GAP },
		{ 1773037800, "2026-03-09 02:30:00", "-04:00", 0 } } },
	/* An anchor in the repeated hour is its first occurrence. */
	{ NULL, 86400, 1793511000, 1, "America/New_York", 1793318400, SCHED_NO_END, 4, {
		{ 1793338200, "2026-10-30 01:30:00", "-04:00", 0 },
		{ 1793424600, "2026-10-31 01:30:00", "-04:00", 0 },
		{ 1793511000, "2026-11-01 01:30:00", "-04:00", AMB },
		{ 1793601000, "2026-11-02 01:30:00", "-05:00", 0 } } },
	{ NULL, 5400, 1577836800, 1, "Europe/London", 1774742400, SCHED_NO_END, 3, {
		{ 1774742400, "2026-03-29 00:00:00", "+00:00", 0 },
		{ 1774747800, "2026-03-29 02:30:00", "+01:00", GAP },
		{ 1774753200, "2026-03-29 04:00:00", "+01:00", 0 } } },
	/* Weekly keeps its local time across the change. */
	{ NULL, 604800, 1767603600, 1, "Europe/London", 1773964800, SCHED_NO_END, 3, {
		{ 1774256400, "2026-03-23 09:00:00", "+00:00", 0 },
		{ 1774857600, "2026-03-30 09:00:00", "+01:00", 0 },
		{ 1775462400, "2026-04-06 09:00:00", "+01:00", 0 } } },
};
/* clang-format on */

static void
check_times(const struct fire_case *fc, const struct sched_time *got, size_t count)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	size_t want_count = 0;

	while (want_count < MAX_TIMES && fc->times[want_count].local)
		want_count++;
	assert_int_equal(count, want_count);
	for (size_t j = 0; j < count; j++) {
		const struct expect *want = &fc->times[j];
		sched_format(&got[j], local, offset);
		if (got[j].at != want->at || strcmp(local, want->local) != 0 ||
		    strcmp(offset, want->offset) != 0 || got[j].dst != want->dst)
			fail_msg("%s in %s, time %zu: got %lld %s%s flags %u, want %lld %s%s flags %u",
				 fc->what ? fc->what : "interval", fc->zone, j,
				 (long long)got[j].at, local, offset, got[j].dst,
				 (long long)want->at, want->local, want->offset, want->dst);
	}
}

static void
test_fire_times(void **state)
{
	struct sched_time got[16];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(fire_cases); i++) {
		const struct fire_case *fc = &fire_cases[i];
		struct error err = ERROR_INIT;
		struct sched s;
		size_t count;
		int rc = fc->what ? sched_cron(&s, fc->what, fc->day_or, fc->zone, &err) :
				    sched_interval(&s, fc->interval, fc->anchor, fc->zone, &err);
		assert_int_equal(rc, 0);
		rc = sched_next(&s, fc->start, fc->end, fc->n, got, &count, &err);
		assert_int_equal(rc, 0);
		check_times(fc, got, count);
		sched_release(&s);
	}
}

static void
test_bad_schedules(void **state)
{
	/* clang-format off */
	static const struct {
		const char *expr;       /* NULL: an interval */
		int64_t seconds;
		const char *zone, *message;
	} cases[] = {
		{ NULL, 0, "UTC", "interval must be a positive number of seconds, got 0" },
		{ NULL, -60, "UTC", "interval must be a positive number of seconds, got -60" },
		{ NULL, 3600, "Mars/Base", "unknown time zone 'Mars/Base'" },
		{ "0 0 * * *", 0, "Mars/Base", "unknown time zone 'Mars/Base'" },
		{ "0 0 * * *", 0, "", "unknown time zone ''" },
		{ "0 0 * * *", 0, "../../etc/passwd", "unknown time zone '../../etc/passwd'" },
		{ "0 0 * * *", 0, "posix/UTC", "unknown time zone 'posix/UTC'" },
		{ "0 0 * * *", 0, "america/new_york", "unknown time zone 'america/new_york'" },
		{ "0 0 * * *", 0, "America", "unknown time zone 'America'" },
		{ "61 0 * * *", 0, "UTC", "minute '61' is out of range 0-59" },
	};
	/* clang-format on */
	struct sched s;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		int rc = cases[i].expr ?
				 sched_cron(&s, cases[i].expr, 1, cases[i].zone, &err) :
				 sched_interval(&s, cases[i].seconds, 0, cases[i].zone, &err);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_INVALID);
		assert_string_equal(err.message, cases[i].message);
		sched_release(&s);
	}
}

/* Feb 30 never comes: croniter gives up, and so does Prefect. */
static void
test_never_fires(void **state)
{
	static const char *const never[] = { "0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30 2 1" };
	struct sched_time t[2];
	struct sched s;
	size_t count;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(never); i++) {
		struct error err = ERROR_INIT;
		assert_int_equal(sched_cron(&s, never[i], 1, NULL, &err), 0);
		assert_int_equal(sched_next(&s, 1767225600, SCHED_NO_END, 2, t, &count, &err), -1);
		assert_non_null(strstr(err.message, "never fires"));
		sched_release(&s);
	}
}

static void
test_tz_offsets(void **state)
{
	/* clang-format off */
	static const struct {
		const char *zone;
		int64_t at;
		int32_t offset;
	} cases[] = {
		{ "UTC", 1767225600, 0 },
		{ "America/New_York", 1767225600, -18000 },
		{ "America/New_York", 1783000000, -14400 },
		{ "America/New_York", 1772953199, -18000 },
		{ "America/New_York", 1772953200, -14400 },
		{ "America/New_York", 4118083200, -14400 },   /* 2100: the footer's rule */
		{ "America/New_York", -2745446400, -17762 },  /* 1883: local mean time */
		{ "Europe/London", 1767225600, 0 },
		{ "Europe/London", 1783000000, 3600 },
		{ "Europe/London", -615513600, 3600 },        /* 1950 */
		{ "Australia/Lord_Howe", 1767225600, 39600 },
		{ "Australia/Lord_Howe", 1783000000, 37800 },
		{ "Asia/Kolkata", 1767225600, 19800 },
		{ "Asia/Kolkata", -2208988800, 19270 },       /* 1900 */
	};
	/* clang-format on */

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct tz *tz;
		assert_int_equal(tz_load(&tz, cases[i].zone, &err), 0);
		assert_string_equal(tz_name(tz), cases[i].zone);
		if (tz_offset(tz, cases[i].at) != cases[i].offset)
			fail_msg("%s at %lld: got %d, want %d", cases[i].zone,
				 (long long)cases[i].at, tz_offset(tz, cases[i].at),
				 cases[i].offset);
		tz_free(tz);
	}
}

static void
test_tz_changes(void **state)
{
	/* clang-format off */
	static const struct {
		const char *zone;
		int64_t from;
		int64_t at;
		int32_t before, after;
	} cases[] = {
		{ "America/New_York", 1767225600, 1772953200, -18000, -14400 },
		{ "America/New_York", 1772953200, 1793512800, -14400, -18000 },
		{ "America/New_York", 4102444800, 4108690800, -18000, -14400 },
		{ "Europe/London", 1767225600, 1774746000, 0, 3600 },
		{ "Australia/Lord_Howe", 1767225600, 1775314800, 39600, 37800 },
		{ "Australia/Lord_Howe", 1775314800, 1791041400, 37800, 39600 },
	};
	/* clang-format on */
	struct tz_change c, p;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct tz *tz;
		assert_int_equal(tz_load(&tz, cases[i].zone, &err), 0);
		assert_int_equal(tz_next_change(tz, cases[i].from, &c), 1);
		assert_int_equal(c.at, cases[i].at);
		assert_int_equal(c.before, cases[i].before);
		assert_int_equal(c.after, cases[i].after);
		assert_int_equal(tz_prev_change(tz, c.at + 1, &p), 1);
		assert_int_equal(p.at, c.at);
		assert_int_equal(tz_prev_change(tz, c.at, &p), 1);
		assert_true(p.at < c.at);
		tz_free(tz);
	}
}

/* Wall times in a gap and an overlap, read with either fold (as zoneinfo). */
static void
test_tz_wall_offsets(void **state)
{
	/* 2026-03-08 02:30 and 2026-11-01 01:30, New York wall times. */
	const int64_t gap = 1772937000, overlap = 1793496600;
	struct error err = ERROR_INIT;
	struct tz *tz;

	(void)state;
	assert_int_equal(tz_load(&tz, "America/New_York", &err), 0);
	assert_int_equal(tz_wall_offset(tz, gap, 0), -18000);
	assert_int_equal(tz_wall_offset(tz, gap, 1), -14400);
	assert_int_equal(tz_wall_offset(tz, overlap, 0), -14400);
	assert_int_equal(tz_wall_offset(tz, overlap, 1), -18000);
	assert_int_equal(tz_wall_offset(tz, gap - 3600, 1), -18000);
	assert_int_equal(tz_wall_offset(tz, overlap + 3600, 0), -18000);
	tz_free(tz);
	assert_int_equal(tz_load(&tz, "UTC", &err), 0);
	assert_int_equal(tz_wall_offset(tz, gap, 0), 0);
	assert_int_equal(tz_next_change(tz, gap, &(struct tz_change){ 0 }), 0);
	tz_free(tz);
}

static void
test_tzdir(void **state)
{
	struct error err = ERROR_INIT;
	struct tz *tz;

	(void)state;
	setenv("TZDIR", "/nonexistent", 1);
	assert_int_equal(tz_load(&tz, "UTC", &err), -1);
	assert_string_equal(err.message, "unknown time zone 'UTC'");
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(tz_load(&tz, "UTC", &err), 0);
	tz_free(tz);
	unsetenv("TZDIR");
}

static void
test_format(void **state)
{
	/* clang-format off */
	static const struct {
		int32_t offset;
		const char *text;
	} cases[] = {
		{ 0, "+00:00" }, { 3600, "+01:00" }, { -14400, "-04:00" }, { 19800, "+05:30" },
		{ 37800, "+10:30" }, { -17762, "-04:56:02" },
	};
	/* clang-format on */
	struct sched_time t = { 0 };
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	struct error err = ERROR_INIT;
	struct tz *tz;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		t.offset = cases[i].offset;
		sched_format(&t, local, offset);
		assert_string_equal(offset, cases[i].text);
	}
	assert_int_equal(tz_load(&tz, "Asia/Kolkata", &err), 0);
	sched_time_at(&t, tz, 1767324600);
	sched_format(&t, local, offset);
	assert_string_equal(local, "2026-01-02 09:00:00");
	assert_string_equal(offset, "+05:30");
	tz_free(tz);
}

static void
test_dst_effects(void **state)
{
	/* clang-format off */
	static const struct {
		const char *expr;       /* NULL: an hourly interval */
		const char *zone;
		size_t count;
		int64_t at;             /* the first change that affects runs */
		int moved, dropped, ambiguous;
	} cases[] = {
		{ "30 2 * * *", "America/New_York", 1, 1772953200, 1, 0, 0 },
		{ "30 1 * * *", "America/New_York", 1, 1793512800, 0, 0, 1 },
		{ "*/30 * * * *", "America/New_York", 2, 1772953200, 2, 2, 0 },
		{ "0 9 * * *", "America/New_York", 0, 0, 0, 0, 0 },
		{ "15 2 * * *", "Australia/Lord_Howe", 1, 1791041400, 1, 0, 0 },
		{ "0 * * * *", "UTC", 0, 0, 0, 0, 0 },
		{ NULL, "America/New_York", 1, 1793512800, 0, 1, 1 },
	};
	/* clang-format on */
	struct sched_dst_effect *effects;
	size_t count;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct sched s;
		int rc = cases[i].expr ? sched_cron(&s, cases[i].expr, 1, cases[i].zone, &err) :
					 sched_interval(&s, 3600, 1577854800, cases[i].zone, &err);
		assert_int_equal(rc, 0);
		assert_int_equal(sched_dst_effects(&s, 1767225600, &effects, &count, &err), 0);
		assert_int_equal(count, cases[i].count);
		if (count) {
			assert_int_equal(effects[0].at, cases[i].at);
			assert_int_equal(effects[0].moved, cases[i].moved);
			assert_int_equal(effects[0].dropped, cases[i].dropped);
			assert_int_equal(effects[0].ambiguous, cases[i].ambiguous);
		}
		free(effects);
		sched_release(&s);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cron_accepts),
		cmocka_unit_test(test_cron_rejects),
		cmocka_unit_test(test_cron_hints),
		cmocka_unit_test(test_fire_times),
		cmocka_unit_test(test_bad_schedules),
		cmocka_unit_test(test_never_fires),
		cmocka_unit_test(test_tz_offsets),
		cmocka_unit_test(test_tz_changes),
		cmocka_unit_test(test_tz_wall_offsets),
		cmocka_unit_test(test_tzdir),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_dst_effects),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
