/*
 * IANA time zones read straight from the TZif files (RFC 8536, versions 1
 * to 4) under $TZDIR or /usr/share/zoneinfo, including the POSIX TZ footer
 * that rules instants after the last transition. The process time zone is
 * never touched (no TZ, no tzset): each struct tz stands alone.
 *
 * Instants are UTC epoch seconds; a "wall" time is local time counted in
 * seconds as if it were UTC (see sched/civil.h). Offsets are seconds east
 * of UTC.
 */
#ifndef SCHED_TZ_H
#define SCHED_TZ_H

#include <stdint.h>

#include "core/error.h"

struct tz;

/* A change of UTC offset (transitions that change nothing are skipped). */
struct tz_change {
	int64_t at;     /* the instant of the change */
	int32_t before; /* offset in force until then */
	int32_t after;  /* offset from then on */
};

/*
 * Load the zone called name ("Europe/London", "UTC"): any TZif file under
 * the directory except posix/..., right/... and posixrules, as Python's
 * zoneinfo.available_timezones() (what Prefect accepts) has it. Anything
 * else is an ERROR_INVALID "unknown time zone 'Mars/Base'". *out is the
 * caller's, freed with tz_free.
 */
int tz_load(struct tz **out, const char *name, struct error *err);
void tz_free(struct tz *tz);
/* The name it was loaded by; borrowed from tz. */
const char *tz_name(const struct tz *tz);

/* The offset in force at instant t. */
int32_t tz_offset(const struct tz *tz, int64_t t);
/*
 * The offset Python's zoneinfo gives a wall time with the given fold: in an
 * overlap fold 0 is the first occurrence and 1 the second; in a gap fold 0
 * takes the offset from before the change (so the time lands after the gap)
 * and fold 1 the one after it.
 */
int32_t tz_wall_offset(const struct tz *tz, int64_t wall, int fold);

/*
 * The offset dateutil's tzfile (what Prefect's RRuleSchedule places its
 * wall times with) gives a naive wall time: see sched/tzdu.h.
 */
int32_t tz_dateutil_offset(const struct tz *tz, int64_t wall);

/* The first change strictly after t, or the last strictly before it: 1 found, 0 none. */
int tz_next_change(const struct tz *tz, int64_t t, struct tz_change *out);
int tz_prev_change(const struct tz *tz, int64_t t, struct tz_change *out);

#endif
