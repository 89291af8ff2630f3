/*
 * Dates and date-times typed on the command line (--start, --end), read
 * strictly: "2024-01-05", "2024-01-05T06:30", "2024-01-05 06:30:15",
 * optionally ending in "Z" or "+05:30". A date or a date-time without an
 * offset is a wall time, placed in a schedule's zone only once that zone is
 * known; one with an offset is an instant. Impossible dates ("2024-02-30")
 * and dates outside WHEN_FIRST..WHEN_LAST are errors that say why.
 */
#ifndef PLAN_WHEN_H
#define PLAN_WHEN_H

#include <stdint.h>

#include "core/error.h"
#include "sched/civil.h"
#include "sched/tz.h"

/* The dates accepted: every instant of them, in any zone, is one the schedule engine computes. */
#define WHEN_FIRST "0001-01-03"
#define WHEN_LAST "9999-12-29"

struct when {
	struct civil wall; /* as written; 00:00:00 for a date */
	int has_time;
	int has_offset;
	int32_t offset; /* seconds east of UTC, when has_offset */
};

/* Parse text; an ERROR_USAGE error without the option's name in front. */
int when_parse(struct when *w, const char *text, struct error *err);

/* The first instant w names in tz: a date's midnight, or the date-time itself. */
int64_t when_first(const struct when *w, const struct tz *tz);
/* The last instant w names in tz: a date's 23:59:59 (the whole day counts), or the date-time. */
int64_t when_last(const struct when *w, const struct tz *tz);

/*
 * Whether start is after end, when that can be told without a zone (both
 * wall times, or both instants): 1 after, 0 not, -1 not known yet.
 */
int when_after(const struct when *start, const struct when *end);

#endif
