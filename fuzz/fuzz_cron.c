/*
 * Fuzz target for the cron parser (src/sched/cron_parse.c) and what runs on
 * what it accepts. Feeds: the input as one cron expression (NUL bytes cut it
 * short, as they would on a command line), parsed with day_or on and off.
 * Checks: no sanitizer report; an accepted expression's next match from a
 * few wall times is a later whole minute; its schedule in UTC and in two
 * zones with daylight-saving changes gives fire times at or after the start,
 * strictly ascending, no more than asked; its daylight-saving effects can be
 * listed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "sched/sched.h"

#define RUNS 8

/* 2026-01-01T00:00:00Z, 1970-01-01 and 2099-12-31T23:59:30Z. */
static const int64_t starts[] = { 1767225600, 0, 4102444770 };
static const char *const zones[] = { "UTC", "America/New_York", "Australia/Lord_Howe" };

static void
check_next(const struct cron *c)
{
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		int64_t next;
		if (cron_next(c, starts[i], &next) && (next <= starts[i] || next % 60 != 0))
			abort();
	}
}

static void
check_schedule(const char *expr, int day_or, const char *zone)
{
	struct sched s;
	struct error err = ERROR_INIT;
	struct sched_time out[RUNS];
	size_t count = 0;

	if (sched_cron(&s, expr, day_or, zone, &err) < 0)
		return;
	if (sched_next(&s, starts[0], SCHED_NO_END, RUNS, out, &count, &err) == 0) {
		if (count > RUNS)
			abort();
		for (size_t i = 0; i < count; i++)
			if (out[i].at < starts[0] || (i && out[i].at <= out[i - 1].at))
				abort();
	}
	struct sched_dst_effect *effects = NULL;
	size_t n_effects = 0;
	if (sched_dst_effects(&s, starts[0], &effects, &n_effects, &err) == 0)
		free(effects);
	sched_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr = xstrndup((const char *)data, size);

	for (int day_or = 0; day_or < 2; day_or++) {
		struct cron c;
		struct error err = ERROR_INIT;
		if (cron_parse(&c, expr, day_or, &err) < 0)
			continue;
		check_next(&c);
		for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++)
			check_schedule(expr, day_or, zones[z]);
	}
	free(expr);
	return 0;
}
