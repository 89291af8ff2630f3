/*
 * RFC 5545 recurrence rules as python-dateutil 2.9 reads and expands them
 * (dateutil.rrule.rrulestr, rrule and rruleset), which is what Prefect's
 * RRuleSchedule runs on. Parsing (sched/rrule_parse.c) follows rrulestr
 * line by line; expansion (sched/rrule_iter.c) is a port of rrule._iter
 * and rruleset._iter over naive wall times, seconds as if UTC (see
 * sched/civil.h): Prefect relabels every date of a rule with the
 * schedule's time zone, keeping its wall clock, so DTSTART's TZID and the
 * Z of UTC times only decide whether the text is accepted.
 *
 * Accepted: FREQ (YEARLY ... SECONDLY), INTERVAL, COUNT, UNTIL, WKST,
 * BYSETPOS, BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYDAY (with
 * ordinals, +1MO or MO(+1)), BYHOUR, BYMINUTE, BYSECOND; lines DTSTART
 * (TZID=, VALUE=), RRULE, EXRULE, RDATE, EXDATE, separated by any white
 * space; dates as YYYYMMDD[THHMM[SS]][Z] or YYYY-MM-DD[THH:MM[:SS]][Z].
 * dateutil's BYEASTER (days from Western Easter) too. Refused where dateutil
 * would accept them but Prefect could not compute (or dateutil's own date
 * parser would be needed): BYEASTER beyond -80..250, INTERVAL below 1, BYHOUR/BYMINUTE/BYSECOND/BYMONTH out of range, BYDAY
 * ordinals beyond what a month or year has, other date forms.
 */
#ifndef SCHED_RRULE_H
#define SCHED_RRULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum rrule_freq {
	RRULE_YEARLY,
	RRULE_MONTHLY,
	RRULE_WEEKLY,
	RRULE_DAILY,
	RRULE_HOURLY,
	RRULE_MINUTELY,
	RRULE_SECONDLY,
};

#define RRULE_MAX_LIST 400 /* entries of one BY list */

struct rrule_list {
	size_t n;
	int64_t v[RRULE_MAX_LIST];
};

/* One RRULE or EXRULE line, with the defaults dateutil's rrule() fills in. */
struct rrule {
	enum rrule_freq freq;
	int64_t interval;
	int has_count;
	int64_t count;
	int has_until;
	int64_t until;   /* wall */
	int64_t dtstart; /* wall */
	int wkst;        /* 0 = Monday */
	struct rrule_list bysetpos;
	unsigned bymonth; /* bit m (1-12); has_bymonth when given */
	int has_bymonth;
	struct rrule_list byweekno;
	struct rrule_list byeaster;
	struct rrule_list byyearday;
	struct rrule_list bymonthday;  /* > 0 */
	struct rrule_list bynmonthday; /* < 0 */
	unsigned byweekday;            /* bit d (0 = Monday) */
	int nbynweekday;
	int bynweekday[RRULE_MAX_LIST][2]; /* weekday, n */
	uint32_t byhour;                   /* bit h; 0: none */
	uint64_t byminute, bysecond;       /* bit m; 0: none */
};

/* A whole rule text: one rrule, or a set of rrules, dates, exclusions. */
struct rrule_set {
	size_t nrules, nexrules, nrdates, nexdates;
	struct rrule *rules, *exrules; /* owned */
	int64_t *rdates, *exdates;     /* walls, sorted; owned */
};

/* Prefect's limit on the text (validate_rrule_string). */
#define RRULE_MAX_TEXT 6500

/*
 * Parse text as Prefect reads it (rrulestr with dtstart 2020-01-01 when the
 * text has no DTSTART). Errors say what is wrong in one line:
 * "invalid 'FREQ': WEEKLYY", "unsupported property: VEVENT". Release with
 * rrule_set_release (also after an error).
 */
int rrule_parse(struct rrule_set *set, const char *text, struct error *err);
void rrule_set_release(struct rrule_set *set);
/* Whether text has a DTSTART (as Prefect's normalize_rrule_string asks). */
int rrule_text_has_dtstart(const char *text);

/*
 * An iterator over a set's wall times in increasing order (rrule_iter.c):
 * rules and dates merged, exclusions taken out, repeats dropped.
 */
struct rrule_set_iter;

struct rrule_set_iter *rrule_set_iter_new(const struct rrule_set *set);
/* 1 and the next wall time in *wall; 0 at the end; -1 when dateutil raises (err says why). */
int rrule_set_iter_next(struct rrule_set_iter *it, int64_t *wall, struct error *err);
void rrule_set_iter_free(struct rrule_set_iter *it);

#endif
