/*
 * Unit tests for how the schedule commands turn the server's schedule
 * objects into the engine's (src/cmd/prefect/schedule_view.c): an interval
 * too large for a 64-bit count of seconds is an error, not a conversion
 * out of range (found by fuzz/fuzz_decoders.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd/prefect/schedule_view.h"

/* 2026-03-08T06:00:00Z */
#define NOW 1772949600

static json_t *
interval_schedule(const char *interval)
{
	char text[256];
	snprintf(text, sizeof(text),
		 "{\"active\": true, \"schedule\": {\"interval\": %s, "
		 "\"anchor_date\": \"2020-01-01T00:00:00Z\", \"timezone\": \"UTC\"}}",
		 interval);
	json_t *schedule = json_loads(text, 0, NULL);
	assert_non_null(schedule);
	return schedule;
}

static void
test_interval_out_of_range(void **state)
{
	static const char *const intervals[] = { "3.60667e+62", "-3.60667e+62", "1e19" };
	(void)state;
	for (size_t i = 0; i < sizeof(intervals) / sizeof(intervals[0]); i++) {
		json_t *schedule = interval_schedule(intervals[i]);
		struct sched e;
		struct sched_time next;
		struct error err = ERROR_INIT;
		assert_int_equal(schedule_view_engine(&e, schedule, &err), -1);
		assert_int_equal(err.kind, ERROR_INVALID);
		assert_non_null(strstr(err.message, "out of range"));
		assert_int_equal(schedule_view_next(schedule, NULL, NOW, &next), 0);
		json_decref(schedule);
	}
}

static void
test_interval_in_range(void **state)
{
	json_t *schedule = interval_schedule("3600.0");
	struct sched_time next;
	(void)state;
	assert_int_equal(schedule_view_next(schedule, NULL, NOW, &next), 1);
	assert_int_equal(next.at, NOW + 3600);
	json_decref(schedule);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_out_of_range),
		cmocka_unit_test(test_interval_in_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
