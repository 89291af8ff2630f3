/*
 * The schedule engine: cron, interval and RRULE schedules in an IANA time
 * zone, and their next fire times computed exactly as a Prefect 3 server
 * computes them (prefect/server/schemas/schedules.py, CronSchedule,
 * IntervalSchedule and RRuleSchedule, called as the scheduler service calls
 * them), including
 * what Prefect does at daylight-saving changes. No terminal, no HTTP, no
 * process state: the zones are read by sched/tz.c.
 *
 * Instants are UTC epoch seconds (int64_t). Fire times come back sorted,
 * with their local wall clock and offset, and flags saying whether they sit
 * at a daylight-saving change. Prefect's rules, surprising ones included,
 * are described at the top of sched/gen_cron.c, sched/gen_interval.c and
 * sched/gen_rrule.c.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sched/civil.h"
#include "sched/cron.h"
#include "sched/rrule.h"
#include "sched/tz.h"

#define SCHED_NO_END INT64_MAX
/* Prefect never returns more than this many times from one call (MAX_ITERATIONS + 2). */
#define SCHED_MAX_RUNS 1002
#define SCHED_LOCAL_SIZE 32  /* "YYYY-MM-DD HH:MM:SS" */
#define SCHED_OFFSET_SIZE 16 /* "+01:00" */

enum sched_type {
	SCHED_CRON,
	SCHED_INTERVAL,
	SCHED_RRULE,
};

struct sched {
	enum sched_type type;
	struct tz *tz;           /* owned */
	char *expr;              /* SCHED_CRON: the expression as given; owned */
	struct cron cron;        /* SCHED_CRON */
	int64_t interval;        /* SCHED_INTERVAL: seconds, > 0 */
	int64_t anchor;          /* SCHED_INTERVAL: the instant the intervals count from */
	struct rrule_set *rrule; /* SCHED_RRULE: owned */
};

/* Flags of a fire time (struct sched_time.dst). */
enum {
	/* Its nominal local time was skipped by a spring-forward change, so
	 * Prefect runs it at the end of the gap instead. */
	SCHED_DST_MOVED = 1,
	/* Within the length of a gap after a spring-forward change: in or next
	 * to the skipped local times. */
	SCHED_DST_AFTER_GAP = 2,
	/* Its local time occurs twice (a fall-back overlap); the offset tells
	 * which occurrence it is. */
	SCHED_DST_AMBIGUOUS = 4,
	/* Its nominal local time was skipped by a spring-forward change, and
	 * Prefect runs it that much earlier, before the gap (RRULE schedules). */
	SCHED_DST_MOVED_EARLY = 8,
};

struct sched_time {
	int64_t at;         /* UTC epoch seconds */
	int32_t offset;     /* UTC offset at that instant, seconds east */
	struct civil local; /* wall clock in the schedule's zone */
	unsigned dst;       /* SCHED_DST_* */
};

/* What one daylight-saving change does to a schedule's runs. */
struct sched_dst_effect {
	int64_t at;            /* the change */
	int32_t before, after; /* the offsets either side */
	int moved;             /* runs whose local time does not exist, moved past the gap */
	int moved_early;       /* the same, moved before the gap (RRULE schedules) */
	int dropped;           /* runs Prefect never creates, because their time collides
				   with another run's */
	int ambiguous;         /* runs at a local time that occurs twice */
};

/*
 * A cron schedule: expr as in sched/cron.h, day_or as Prefect's (default
 * true), zone an IANA name (NULL: "UTC", as Prefect). On error s holds
 * nothing to release. Release with sched_release.
 */
int sched_cron(struct sched *s, const char *expr, int day_or, const char *zone, struct error *err);
/*
 * An interval schedule of seconds (> 0) counted from anchor. Prefect's own
 * default anchor is the instant the schedule was created (not 2020-01-01),
 * so a caller without one passes the current time.
 */
int sched_interval(struct sched *s, int64_t seconds, int64_t anchor, const char *zone,
		   struct error *err);
/*
 * An RRULE schedule: text as Prefect's RRuleSchedule.rrule (sched/rrule.h),
 * zone its timezone (NULL: "UTC"), which every date of the rule is read
 * in. Errors name what is wrong in the rule, in one line.
 */
int sched_rrule(struct sched *s, const char *text, const char *zone, struct error *err);
/*
 * The rule text Prefect's client sends for text (normalize_rrule_string):
 * text itself when it has a DTSTART, else text behind a DTSTART line:
 * for a MINUTELY or SECONDLY rule without COUNT the last whole number of
 * intervals from 2020-01-01 00:00 that is not after now's wall clock in
 * zone, for any other rule 2020-01-01 00:00. *out is the caller's to free.
 */
int sched_rrule_normalize(const char *text, const char *zone, int64_t now, char **out,
			  struct error *err);
void sched_release(struct sched *s);

/*
 * Up to n fire times at or after start and not after end (SCHED_NO_END for
 * none), into out (n entries, the caller's), sorted; *count says how many.
 * These are the runs Prefect's scheduler creates from that start: it looks
 * at no more than SCHED_MAX_RUNS candidates. A cron expression that never
 * fires (such as "0 0 30 2 *") is an error, as it is in Prefect.
 */
int sched_next(const struct sched *s, int64_t start, int64_t end, size_t n, struct sched_time *out,
	       size_t *count, struct error *err);

/* Break instant at down in zone tz, with its SCHED_DST_AFTER_GAP and _AMBIGUOUS flags. */
void sched_time_at(struct sched_time *t, const struct tz *tz, int64_t at);
/* "2026-03-08 03:30:00" and "-04:00" ("+05:30"; seconds only when not whole minutes). */
void sched_format(const struct sched_time *t, char local[SCHED_LOCAL_SIZE],
		  char offset[SCHED_OFFSET_SIZE]);

/*
 * The daylight-saving changes in [from, from + 366 days) that move, drop or
 * double up the schedule's runs, into *out (the caller frees it; NULL when
 * *count is 0). For a warning such as "runs at 02:30 will run at 03:30 on
 * 2026-03-08".
 */
int sched_dst_effects(const struct sched *s, int64_t from, struct sched_dst_effect **out,
		      size_t *count, struct error *err);

#endif
