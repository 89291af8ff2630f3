/* ISO-8601 timestamps as the Prefect API writes them, to and from epoch seconds. */
#ifndef CORE_ISOTIME_H
#define CORE_ISOTIME_H

/*
 * Parse "2026-11-26T07:06:56.351324Z", "...+00:00", or without fraction or
 * zone (taken as UTC) into seconds since the epoch. Returns 0 or -1.
 */
int isotime_parse(const char *s, double *epoch);
/*
 * A --since value: an ISO date-time, a date (local midnight), or an age
 * such as "90s", "30m", "6h", "2d", "1w" before now. Returns 0 or -1.
 */
int isotime_parse_since(const char *s, double now, double *epoch);
/* The instants Prefect (Python's datetime) can hold: 0001-01-01 to 9999-12-31 UTC. */
#define ISOTIME_MIN (-62135596800.0)
#define ISOTIME_MAX (253402300799.0)
/* Format epoch seconds as an ISO UTC timestamp "2026-11-26T07:06:56Z". */
void isotime_format_utc(double epoch, char out[32]);
/* Current wall-clock time in seconds since the epoch. */
double isotime_now(void);

#endif
