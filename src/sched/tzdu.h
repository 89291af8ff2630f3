/*
 * A time zone as python-dateutil's tz.tzfile (dateutil 2.9) models it,
 * which is how Prefect's RRuleSchedule turns its wall times into instants:
 * only the file's first, 32-bit block is read (so no transitions after
 * 2037 and no POSIX footer rule: after the last listed transition the
 * zone's last standard offset holds), and a wall time is placed with
 * fold 0, which in a fall-back overlap is the first occurrence and in a
 * spring-forward gap is the offset from after the change (so 02:30 on a
 * New York spring-forward day is 01:30 EST, before the gap).
 */
#ifndef SCHED_TZDU_H
#define SCHED_TZDU_H

#include <stddef.h>
#include <stdint.h>

struct tz_du {
	size_t n;        /* transitions */
	int64_t *wall;   /* dateutil's _trans_list: each transition as a wall time */
	int32_t *offset; /* the offset of the type each one switches to */
	int32_t std;     /* _ttinfo_std's offset */
	int32_t before;  /* _ttinfo_before's offset */
};

/* Read the 32-bit data block at p (times, then type indices, then types; bounds checked by the
 * caller). */
void tz_du_read(struct tz_du *du, const unsigned char *p, uint32_t times, uint32_t types);
void tz_du_release(struct tz_du *du);
/* tzfile.utcoffset() of a naive wall time (seconds as if UTC) with fold 0. */
int32_t tz_du_offset(const struct tz_du *du, int64_t wall);

#endif
