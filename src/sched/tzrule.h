/*
 * The POSIX TZ string at the end of a TZif file (RFC 8536 section 3.3), which
 * gives the rule for instants after the file's last transition, such as
 * "EST5EDT,M3.2.0,M11.1.0" or "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0".
 * Private to sched/tz.c.
 */
#ifndef SCHED_TZRULE_H
#define SCHED_TZRULE_H

#include <stddef.h>
#include <stdint.h>

struct tz_rule_date {
	char kind; /* 'J': day 1-365 without Feb 29; 'D': day 0-365; 'M': month.week.day */
	int n, m, w, d;
	int32_t time; /* local time of day of the change, seconds (may be < 0 or > 24 h) */
};

struct tz_rule {
	int32_t std_off; /* seconds east of UTC */
	int32_t dst_off;
	int has_dst;
	struct tz_rule_date start, end; /* std -> dst, dst -> std */
};

/* Parse the len bytes at s. Returns 0, or -1 when the string is malformed. */
int tz_rule_parse(struct tz_rule *r, const char *s, size_t len);
/* The year's changes as UTC epoch seconds: into DST and out of it. */
void tz_rule_year(const struct tz_rule *r, int year, int64_t *start, int64_t *end);

#endif
