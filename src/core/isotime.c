/* ISO-8601 timestamp parsing (see isotime.h). */
#include "core/isotime.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
valid_date_time(int y, int mo, int d, int h, int mi, int sec)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return 0;
	return d >= 1 && d <= days[mo - 1] + (mo == 2 && leap);
}

/* "Z", "+HH:MM", "-HHMM" or nothing; *offset in seconds east of UTC. */
static int
parse_zone(const char *s, int *offset)
{
	int hh, mm;
	*offset = 0;
	if (!*s || !strcmp(s, "Z") || !strcmp(s, "z"))
		return 0;
	if ((*s != '+' && *s != '-') || digits(s + 1, 2, &hh) < 0)
		return -1;
	const char *m = s[3] == ':' ? s + 4 : s + 3;
	if (digits(m, 2, &mm) < 0 || m[2])
		return -1;
	*offset = (hh * 3600 + mm * 60) * (*s == '-' ? -1 : 1);
	return 0;
}

int
isotime_parse(const char *s, double *epoch)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, offset;
	memset(&tm, 0, sizeof(tm));
	if (!s || strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	if (!valid_date_time(y, mo, d, h, mi, sec))
		return -1;
	const char *p = s + 19;
	double frac = 0, scale = 0.1;
	if (*p == '.' && !isdigit((unsigned char)p[1]))
		return -1;
	for (p += *p == '.'; isdigit((unsigned char)*p); p++, scale /= 10)
		frac += (*p - '0') * scale;
	if (parse_zone(p, &offset) < 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*epoch = (double)timegm(&tm) - offset + frac;
	return 0;
}

double
isotime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
parse_age(const char *s, double *seconds)
{
	static const struct {
		char unit;
		double seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	const char *end = s;
	double n = 0, scale = 0.1;
	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*end) && n < 1e9)
		n = n * 10 + (*end++ - '0');
	if (*end == '.' && isdigit((unsigned char)end[1]))
		for (end++; isdigit((unsigned char)*end); end++, scale /= 10)
			n += (*end - '0') * scale;
	if (end == s || !end[0] || end[1])
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*end == units[i].unit) {
			*seconds = n * units[i].seconds;
			return 0;
		}
	}
	return -1;
}

static int
parse_local_date(const char *s, double *epoch)
{
	int y, mo, d;
	struct tm tm;
	if (strlen(s) != 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || !valid_date_time(y, mo, d, 0, 0, 0))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	*epoch = (double)mktime(&tm);
	return 0;
}

int
isotime_parse_since(const char *s, double now, double *epoch)
{
	double age;
	if (parse_age(s, &age) == 0) {
		*epoch = now - age;
		return 0;
	}
	if (parse_local_date(s, epoch) == 0)
		return 0;
	return isotime_parse(s, epoch);
}

void
isotime_format_utc(double epoch, char out[32])
{
	struct tm tm;
	time_t t = (time_t)floor(epoch);
	gmtime_r(&t, &tm);
	/* four digits for any year (strftime's %Y writes year 1 as "1", which Prefect refuses) */
	int n = snprintf(out, 12, "%04d", tm.tm_year + 1900);
	strftime(out + n, (size_t)(32 - n), "-%m-%dT%H:%M:%SZ", &tm);
}
