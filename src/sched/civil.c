/*
 * Calendar arithmetic for the schedule engine (after Howard Hinnant's
 * days_from_civil and civil_from_days).
 */
#include "sched/civil.h"

int64_t
civil_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t
civil_mod(int64_t a, int64_t b)
{
	return a - civil_floordiv(a, b) * b;
}

int64_t
civil_days(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = civil_floordiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = civil_floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

int64_t
civil_secs(const struct civil *c)
{
	return civil_days(c->year, c->month, c->day) * CIVIL_DAY + c->hour * 3600 + c->minute * 60 +
	       c->second;
}

void
civil_split(int64_t secs, struct civil *c)
{
	int64_t days = civil_floordiv(secs, CIVIL_DAY);
	int64_t rest = secs - days * CIVIL_DAY;

	civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(rest / 3600);
	c->minute = (int)(rest / 60 % 60);
	c->second = (int)(rest % 60);
}

int
civil_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	return (int)civil_mod(days + 4, 7);
}

int
civil_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
civil_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return days[month - 1] + (month == 2 && civil_leap(year));
}
