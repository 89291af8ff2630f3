/*
 * Five-field cron expressions, parsed and matched the way croniter does it
 * (the copy vendored in Prefect as prefect._vendor.croniter), quirks
 * included: Prefect's CronSchedule validates with croniter.is_valid and
 * computes fire times by running croniter over naive local wall times.
 *
 * Accepted: numbers, names (JAN-DEC, SUN-SAT, any case), "*", ranges a-b
 * (a > b wraps around; a-a means the whole field), steps a-b/n and a/n and
 * "*" followed by /n, lists, "?" for either day field, L and a-L in
 * day-of-month, d#n and Ld in day-of-week, 7 for Sunday, and the aliases
 * @yearly @annually @monthly @weekly @daily @midnight @hourly. Croniter's seconds and year fields
 * (6 and 7 fields) and its random R and hashed H values are refused.
 */
#ifndef SCHED_CRON_H
#define SCHED_CRON_H

#include <stdint.h>

#include "core/error.h"

enum cron_field { CRON_MINUTE, CRON_HOUR, CRON_DOM, CRON_MONTH, CRON_DOW, CRON_FIELDS };

#define CRON_DOM_LAST 32 /* bit of set[CRON_DOM]: L, the month's last day */
#define CRON_NTH_LAST 5  /* bit of nth[]: "Ld", the month's last such weekday */

struct cron {
	uint64_t set[CRON_FIELDS]; /* bit v: value v is listed */
	unsigned star;             /* bit f: field f is unrestricted */
	uint8_t nth[7]; /* weekday d (0 = Sunday): bit n-1 for "d#n", CRON_NTH_LAST for "Ld" */
	int has_nth;
	int day_or; /* Prefect's day_or: the day fields match if either does */
};

/*
 * Parse expr. Errors name the field and what it allows:
 * "minute '61' is out of range 0-59", "expected 5 fields, got 4".
 */
int cron_parse(struct cron *c, const char *expr, int day_or, struct error *err);
/*
 * croniter's get_next on a naive wall time: the first matching minute after
 * the minute that holds wall. Returns 1, or 0 when croniter finds no match
 * within its 50-year search (it then raises CroniterBadDateError).
 */
int cron_next(const struct cron *c, int64_t wall, int64_t *next);

#endif
