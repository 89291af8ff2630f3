/* Times for people: "2h ago", "in 5m", "Never", and local date-times. */
#ifndef UI_TIMEFMT_H
#define UI_TIMEFMT_H

#include "core/buf.h"

/* Append then relative to now: "just now", "45s ago", "5m ago", "2h ago",
 * "3d ago", "2w ago", "4mo ago", "1y ago", or "in 5m" for the future. */
void timefmt_relative(struct buf *out, double then, double now);
/* Append an ISO timestamp relative to now; "Never" when iso is NULL,
 * and the raw text when it does not parse. */
void timefmt_relative_iso(struct buf *out, const char *iso, double now);
/* Append a duration: "45.2s", "3m 12s", "1h 02m", "2d 03h". */
void timefmt_duration(struct buf *out, double seconds);
/* Append an ISO timestamp as local "YYYY-MM-DD HH:MM" ("-" when NULL). */
void timefmt_local_iso_minutes(struct buf *out, const char *iso);
/* Append an ISO timestamp as local "YYYY-MM-DD HH:MM:SS" ("-" when NULL). */
void timefmt_local_iso(struct buf *out, const char *iso);

#endif
