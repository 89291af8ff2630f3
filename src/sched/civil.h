/*
 * Proleptic Gregorian calendar arithmetic on day and second counts from
 * 1970-01-01. A "wall" time is a local date and time counted in seconds as
 * if it were UTC; the schedule engine does its cron and calendar arithmetic
 * on wall times and converts through sched/tz.h.
 */
#ifndef SCHED_CIVIL_H
#define SCHED_CIVIL_H

#include <stdint.h>

#define CIVIL_DAY 86400

struct civil {
	int year, month, day; /* month 1-12, day 1-31 */
	int hour, minute, second;
};

/* Days from 1970-01-01 to the given date (negative before it). */
int64_t civil_days(int year, int month, int day);
int64_t civil_secs(const struct civil *c);
void civil_split(int64_t secs, struct civil *c);
/* 0 = Sunday ... 6 = Saturday. */
int civil_weekday(int64_t days);
int civil_leap(int year);
int civil_month_days(int year, int month);
/* Floor division and its remainder (b > 0), as Python's // and %. */
int64_t civil_floordiv(int64_t a, int64_t b);

#endif
