/*
 * Unit tests for RRULE schedules (sched/rrule.h, sched_rrule): what the
 * parser refuses and the one-line messages it gives, fire times of rules
 * with every kind of part, rule sets, daylight-saving changes and dates
 * after 2037 (the expected instants are Prefect 3.9's own answers, from
 * RRuleSchedule._get_dates_generator), the DTSTART Prefect's client adds,
 * and the DST warnings. tests/oracle/rrule_oracle.py checks thousands more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sched/civil.h"
#include "sched/sched.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TIMES 8
#define JAN_2026 1767225600 /* 2026-01-01T00:00:00Z */

static void
test_rrule_rejects(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "FREQ=DAILYX", "invalid 'FREQ': DAILYX" },
		{ "FREQ=DAILY;", "invalid rule part ''" },
		{ "FREQ=DAILY;FOO=1", "unknown parameter 'FOO'" },
		{ "BYHOUR=9", "the rule has no FREQ" },
		{ "FREQ=DAILY;INTERVAL=0", "INTERVAL must be between 1 and 1000000" },
		{ "FREQ=DAILY;COUNT=x", "invalid 'COUNT': X" },
		{ "FREQ=DAILY;BYHOUR=24", "BYHOUR must be between 0 and 23" },
		{ "FREQ=MONTHLY;BYMONTH=13", "BYMONTH must be between 1 and 12" },
		{ "FREQ=WEEKLY;BYDAY=0MO", "invalid 'BYDAY': 0MO" },
		{ "FREQ=WEEKLY;BYDAY=XX", "invalid 'BYDAY': XX" },
		{ "FREQ=MONTHLY;BYDAY=8MO", "BYDAY +8MO: a month has no such weekday" },
		{ "FREQ=DAILY;BYSETPOS=0", "bysetpos must be between 1 and 366" },
		{ "FREQ=HOURLY;INTERVAL=2;BYHOUR=3", "Invalid rrule byxxx generates an empty set." },
		{ "FREQ=DAILY;UNTIL=20250101T000000Z", "RRULE UNTIL values must be specified in UTC" },
		{ "DTSTART:20240101T000000Z\nRRULE:FREQ=DAILY;UNTIL=20250101",
		  "RRULE UNTIL values must be specified in UTC" },
		{ "DTSTART;TZID=Europe/London:20240101T090000Z\nRRULE:FREQ=DAILY",
		  "DTSTART/EXDATE specifies multiple timezone" },
		{ "DTSTART:20240101T090000", "the text has no RRULE" },
		{ "DTSTART:20240101T090000\nVEVENT:X", "unsupported property: VEVENT" },
		{ "RRULE;X=Y:FREQ=DAILY", "unsupported RRULE parm: X=Y" },
		{ "RDATE;TZID=UTC:20240101T000000", "unsupported RDATE parm: TZID=UTC" },
		{ "DTSTART:2024-13-01\nRRULE:FREQ=DAILY", "invalid date '2024-13-01'" },
		{ "DTSTART:20240101T090000,20240102T090000\nRRULE:FREQ=DAILY",
		  "Multiple DTSTART values specified" },
		{ "RRULE:FREQ=DAILY:X", "unknown parameter name" },
		{ "", "empty string" },
		{ " \n ", "empty string" },
		{ "FREQ=YEARLY;BYEASTER=300", "BYEASTER must be between -80 and 250" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct sched s;
		if (sched_rrule(&s, cases[i].text, "UTC", &err) == 0) {
			sched_release(&s);
			fail_msg("'%s' accepted", cases[i].text);
		}
		if (!strstr(err.message, cases[i].message))
			fail_msg("'%s': got '%s', want '%s'", cases[i].text, err.message,
				 cases[i].message);
		assert_null(strchr(err.message, '\n'));
	}
}

static void
test_rrule_too_long(void **state)
{
	char *text = malloc(RRULE_MAX_TEXT + 2);
	struct error err = ERROR_INIT;
	struct sched s;

	(void)state;
	memset(text, 'X', RRULE_MAX_TEXT + 1);
	text[RRULE_MAX_TEXT + 1] = '\0';
	assert_int_equal(sched_rrule(&s, text, "UTC", &err), -1);
	assert_non_null(strstr(err.message, "6501 characters long; Prefect allows 6500"));
	free(text);
}

static void
test_rrule_bad_zone(void **state)
{
	struct error err = ERROR_INIT;
	struct sched s;

	(void)state;
	assert_int_equal(sched_rrule(&s, "FREQ=DAILY", "Mars/Base", &err), -1);
	assert_string_equal(err.message, "unknown time zone 'Mars/Base'");
}

struct expect {
	const char *text;
	const char *zone;
	size_t n;
	int64_t start;
	size_t count;
	int64_t at[MAX_TIMES];
};

static void
check(const struct expect *e)
{
	struct sched_time t[MAX_TIMES];
	struct error err = ERROR_INIT;
	struct sched s;
	size_t count;

	if (sched_rrule(&s, e->text, e->zone, &err) < 0)
		fail_msg("'%s' refused: %s", e->text, err.message);
	if (sched_next(&s, e->start, SCHED_NO_END, e->n, t, &count, &err) < 0)
		fail_msg("'%s': %s", e->text, err.message);
	sched_release(&s);
	if (count != e->count)
		fail_msg("'%s' in %s: %zu runs, want %zu", e->text, e->zone, count, e->count);
	for (size_t i = 0; i < count; i++)
		if (t[i].at != e->at[i])
			fail_msg("'%s' in %s: run %zu at %lld, want %lld", e->text, e->zone, i,
				 (long long)t[i].at, (long long)e->at[i]);
}

static void
test_rrule_fire_times(void **state)
{
	/* clang-format off */
	static const struct expect cases[] = {
		/* 02:30 does not exist on 2026-03-08 in New York: dateutil runs it at 01:30 EST */
		{ "DTSTART:20260306T023000\nRRULE:FREQ=DAILY", "America/New_York", 4, JAN_2026 + 64 * 86400,
		  4, { 1772782200, 1772868600, 1772951400, 1773037800 } },
		/* 01:30 occurs twice on 2026-11-01: once, at its first occurrence */
		{ "DTSTART:20261031T233000\nRRULE:FREQ=HOURLY", "America/New_York", 6, 1793505600 - 14400,
		  6, { 1793503800, 1793507400, 1793511000, 1793518200, 1793521800, 1793525400 } },
		{ "DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "UTC", 5, JAN_2026,
		  3, { 1769763600, 1772182800, 1774602000 } },
		{ "DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
		  "Europe/London", 3, JAN_2026, 3, { 1769763600, 1772182800, 1774944000 } },
		{ "DTSTART:20260105T090000\nRRULE:FREQ=DAILY;COUNT=5\n"
		  "EXDATE:20260106T090000,20260108T090000\nRDATE:20260105T120000", "UTC", 10, JAN_2026,
		  4, { 1767603600, 1767614400, 1767776400, 1767949200 } },
		/* TZID and Z only decide what is accepted: the wall clock is read in the zone */
		{ "DTSTART;TZID=America/New_York:20260101T090000\n"
		  "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260120T000000Z", "Europe/London", 10, JAN_2026,
		  3, { 1767603600, 1768208400, 1768813200 } },
		{ "DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "UTC", 3, JAN_2026,
		  3, { 1799020800, 1830470400, 1861920000 } },
		/* dateutil reads no transition after 2037: EST in July */
		{ "DTSTART:20380701T090000\nRRULE:FREQ=DAILY;COUNT=1", "America/New_York", 1,
		  2145916800, 1, { 2161605600 } },
		/* no DTSTART: 2020-01-01 00:00, as Prefect passes */
		{ "FREQ=YEARLY;BYEASTER=-2", "UTC", 2, JAN_2026, 2, { 1775174400, 1806019200 } },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		check(&cases[i]);
}

static void
test_rrule_moved_flag(void **state)
{
	struct sched_time t[3];
	struct error err = ERROR_INIT;
	struct sched s;
	size_t count;

	(void)state;
	assert_int_equal(sched_rrule(&s, "DTSTART:20260307T023000\nRRULE:FREQ=DAILY",
				     "America/New_York", &err),
			 0);
	assert_int_equal(sched_next(&s, JAN_2026, SCHED_NO_END, 3, t, &count, &err), 0);
	assert_int_equal(count, 3);
	assert_int_equal(t[0].dst, 0);
	assert_int_equal(t[1].dst & SCHED_DST_MOVED_EARLY, SCHED_DST_MOVED_EARLY);
	assert_int_equal(t[1].local.hour, 1);
	assert_int_equal(t[2].dst, 0);
	sched_release(&s);
}

static void
test_rrule_dst_effects(void **state)
{
	struct sched_dst_effect *e = NULL;
	struct error err = ERROR_INIT;
	struct sched s;
	size_t n;

	(void)state;
	assert_int_equal(sched_rrule(&s, "DTSTART:20260101T023000\nRRULE:FREQ=DAILY",
				     "America/New_York", &err),
			 0);
	assert_int_equal(sched_dst_effects(&s, JAN_2026, &e, &n, &err), 0);
	assert_int_equal(n, 1); /* November's repeated hour is 01:00-02:00: no 02:30 run in it */
	assert_int_equal(e[0].moved_early, 1);
	assert_int_equal(e[0].moved, 0);
	free(e);
	sched_release(&s);
}

static void
test_rrule_end_and_never(void **state)
{
	struct sched_time t[4];
	struct error err = ERROR_INIT;
	struct sched s;
	size_t count;

	(void)state;
	assert_int_equal(sched_rrule(&s, "DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "UTC", &err),
			 0);
	assert_int_equal(sched_next(&s, JAN_2026, JAN_2026 + 2 * 86400, 4, t, &count, &err), 0);
	assert_int_equal(count, 2);
	sched_release(&s);
	/* never fires: dateutil would search to year 9999 */
	assert_int_equal(sched_rrule(&s, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "UTC", &err), 0);
	assert_int_equal(sched_next(&s, JAN_2026, SCHED_NO_END, 4, t, &count, &err), 0);
	assert_int_equal(count, 0);
	sched_release(&s);
	assert_int_equal(sched_rrule(&s, "DTSTART:20260101T000000\nRRULE:FREQ=MINUTELY;BYSETPOS=2",
				     "UTC", &err),
			 0);
	assert_int_equal(sched_next(&s, JAN_2026, SCHED_NO_END, 4, t, &count, &err), -1);
	assert_non_null(strstr(err.message, "it never fires"));
	sched_release(&s);
}

static void
test_rrule_normalize(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text, *zone, *want;
	} cases[] = {
		{ "FREQ=MINUTELY;INTERVAL=7", "America/New_York",
		  "DTSTART:20261203T085400\nFREQ=MINUTELY;INTERVAL=7" },
		{ "FREQ=SECONDLY;INTERVAL=45", "UTC", "DTSTART:20261203T135700\nFREQ=SECONDLY;INTERVAL=45" },
		{ "FREQ=MINUTELY;COUNT=3", "UTC", "DTSTART:20200101T000000\nFREQ=MINUTELY;COUNT=3" },
		{ "FREQ=DAILY", "UTC", "DTSTART:20200101T000000\nFREQ=DAILY" },
		{ "dtstart:20240101T000000\nRRULE:FREQ=DAILY", "UTC",
		  "dtstart:20240101T000000\nRRULE:FREQ=DAILY" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		char *out = NULL;
		/* Prefect's normalize_rrule_string at 2026-12-03T13:57:17Z */
		assert_int_equal(sched_rrule_normalize(cases[i].text, cases[i].zone, 1796306237,
						       &out, &err),
				 0);
		assert_string_equal(out, cases[i].want);
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrule_rejects),
		cmocka_unit_test(test_rrule_too_long),
		cmocka_unit_test(test_rrule_bad_zone),
		cmocka_unit_test(test_rrule_fire_times),
		cmocka_unit_test(test_rrule_moved_flag),
		cmocka_unit_test(test_rrule_dst_effects),
		cmocka_unit_test(test_rrule_end_and_never),
		cmocka_unit_test(test_rrule_normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
