/*
 * Rule texts read as dateutil's rrulestr reads them (sched/rrule.h): the
 * text is upper-cased and split at white space into lines; one line
 * without a property name (or starting RRULE:) is a rule; otherwise each
 * line is DTSTART, RRULE, EXRULE, RDATE or EXDATE, and anything more than
 * one RRULE makes a set. Each rule then gets the defaults dateutil's
 * rrule() gives it from DTSTART (2020-01-01 00:00 when there is none, as
 * Prefect passes).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "sched/civil.h"
#include "sched/rrule.h"
#include "sched/tz.h"

#define DEFAULT_DTSTART (civil_days(2020, 1, 1) * CIVIL_DAY)
#define MAX_INTERVAL 1000000

/* A date as a wall time, and whether it named a zone (Z or a known TZID). */
struct rdate {
	int64_t wall;
	int aware;
};

/* What one line of RRULE parts says, before dateutil's defaults. */
struct parts {
	int has_freq, has_byeaster, has_bymonthday, has_byweekday, has_byhour, has_byminute,
		has_bysecond, has_byyearday, has_byweekno;
	struct rrule_list byhour, byminute, bysecond, bymonthday, bymonth, byday_n;
	int until_aware;
};

struct parser {
	char *tzids; /* the text as given, for TZID names in their own case */
	struct error *err;
};

static const char *const freqs[] = { "YEARLY", "MONTHLY",  "WEEKLY",  "DAILY",
				     "HOURLY", "MINUTELY", "SECONDLY" };
static const char *const days[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

static int
index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* Python's int(): optional sign, digits with single underscores between them. */
static int
parse_int(const char *s, int64_t *out)
{
	int neg = *s == '-';
	int64_t v = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; *s; s++) {
		if (*s == '_' && isdigit((unsigned char)s[1]) && s[-1] != '_')
			continue;
		if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int
parse_list(char *value, struct rrule_list *l)
{
	l->n = 0;
	for (char *p = value;; p++) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (l->n == RRULE_MAX_LIST || parse_int(p, &l->v[l->n++]) < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma;
	}
}

static int
digits(const char **s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		*out = *out * 10 + (**s - '0');
	}
	return 0;
}

/* One field of n digits, after an optional separator when extended forms are in use. */
static int
field(const char **s, int n, char sep, int extended, int *out)
{
	if (extended && sep && *(*s)++ != sep)
		return -1;
	return digits(s, n, out);
}

/* YYYYMMDD[THHMM[SS]][Z] or YYYY-MM-DD[THH:MM[:SS]][Z]. */
static int
parse_date(const char *s, struct rdate *d)
{
	struct civil c = { 0 };
	int ext = strlen(s) > 4 && s[4] == '-';

	if (field(&s, 4, 0, ext, &c.year) < 0 || field(&s, 2, '-', ext, &c.month) < 0 ||
	    field(&s, 2, '-', ext, &c.day) < 0)
		return -1;
	if (*s == 'T') {
		s++;
		if (field(&s, 2, 0, ext, &c.hour) < 0 || field(&s, 2, ':', ext, &c.minute) < 0)
			return -1;
		if (*s && *s != 'Z' && field(&s, 2, ':', ext, &c.second) < 0)
			return -1;
	}
	d->aware = *s == 'Z';
	if (d->aware)
		s++;
	if (*s || c.year < 1 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > civil_month_days(c.year, c.month) || c.hour > 23 || c.minute > 59 ||
	    c.second > 59)
		return -1;
	d->wall = civil_secs(&c);
	return 0;
}

/* The TZID name as the text spells it, when the text has "TZID=<key>:" (key upper-cased). */
static int
tzid_known(const struct parser *p, const char *key)
{
	size_t n = strlen(key);
	for (const char *s = p->tzids; (s = strstr(s, "TZID=")) != NULL; s++) {
		const char *name = s + 5, *colon = strchr(name, ':');
		if (!colon || (size_t)(colon - name) != n || strncasecmp(name, key, n) != 0)
			continue;
		char *zone = xstrndup(name, n);
		struct error e = ERROR_INIT;
		struct tz *tz;
		int ok = tz_load(&tz, zone, &e) == 0;
		if (ok)
			tz_free(tz);
		free(zone);
		return ok || !strcmp(key, "UTC") || !strcmp(key, "GMT");
	}
	return 0;
}

/* _parse_date_value: a DTSTART or EXDATE value with its parameters. */
static int
date_values(struct parser *p, char *parms, char *value, struct rdate **out, size_t *n)
{
	int tzid = 0, value_found = 0;

	for (char *parm = parms; parm && *parm;) {
		char *semi = strchr(parm, ';');
		if (semi)
			*semi = '\0';
		if (!strncmp(parm, "TZID=", 5)) {
			const char *key = strrchr(parm, '=') + 1;
			tzid = tzid || tzid_known(p, key);
		} else if (strcmp(parm, "VALUE=DATE-TIME") && strcmp(parm, "VALUE=DATE")) {
			return error_set(p->err, ERROR_INVALID, "unsupported parm: %s", parm);
		} else if (value_found++) {
			return error_set(p->err, ERROR_INVALID,
					 "Duplicate value parameter found in: %s", parm);
		}
		parm = semi ? semi + 1 : NULL;
	}
	for (char *s = value;; s++) {
		char *comma = strchr(s, ',');
		struct rdate d;
		if (comma)
			*comma = '\0';
		if (parse_date(s, &d) < 0)
			return error_set(p->err, ERROR_INVALID, "invalid date '%s'", s);
		if (tzid && d.aware)
			return error_set(p->err, ERROR_INVALID,
					 "DTSTART/EXDATE specifies multiple timezone");
		d.aware |= tzid;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = d;
		if (!comma)
			return 0;
		s = comma;
	}
}

/* BYDAY: MO, +1MO, -1FR or MO(+1); n 0 means none. */
static int
parse_weekday(char *s, int *wd, int64_t *n)
{
	char *paren = strchr(s, '(');
	size_t i = 0;

	*n = 0;
	if (paren) {
		size_t len = strlen(paren);
		if (len < 3 || paren[len - 1] != ')')
			return -1;
		paren[len - 1] = '\0';
		*paren = '\0';
		if (parse_int(paren + 1, n) < 0 || *n == 0)
			return -1;
	} else {
		while (s[i] && strchr("+-0123456789", s[i]))
			i++;
		if (i > 0) {
			char c = s[i];
			s[i] = '\0';
			int bad = parse_int(s, n) < 0 || *n == 0;
			s[i] = c;
			if (bad)
				return -1;
		}
	}
	*wd = index_of(days, 7, s + i);
	return *wd < 0 ? -1 : 0;
}

static int
parse_byday(char *value, struct rrule_list *l)
{
	l->n = 0;
	for (char *p = value;; p++) {
		char *comma = strchr(p, ',');
		int wd;
		int64_t n;
		if (comma)
			*comma = '\0';
		if (!*p || l->n == RRULE_MAX_LIST || parse_weekday(p, &wd, &n) < 0 || n > 1000 ||
		    n < -1000)
			return -1;
		l->v[l->n++] = n * 8 + (n < 0 ? -wd : wd);
		if (!comma)
			return 0;
		p = comma;
	}
}

/* The handler of one NAME=VALUE part; -1: invalid value, -2: unknown name. */
static int
rule_part(struct rrule *r, struct parts *pt, const char *name, char *value, struct rdate *until)
{
	int64_t v;

	if (!strcmp(name, "FREQ")) {
		pt->has_freq = 1;
		return (int)(r->freq = (enum rrule_freq)index_of(freqs, 7, value)) < 0 ? -1 : 0;
	}
	if (!strcmp(name, "INTERVAL") || !strcmp(name, "COUNT")) {
		if (parse_int(value, &v) < 0)
			return -1;
		if (name[0] == 'I')
			r->interval = v;
		else
			r->has_count = 1, r->count = v;
		return 0;
	}
	if (!strcmp(name, "UNTIL")) {
		r->has_until = 1;
		if (parse_date(value, until) < 0)
			return -1;
		r->until = until->wall;
		return 0;
	}
	if (!strcmp(name, "WKST"))
		return (r->wkst = index_of(days, 7, value)) < 0 ? -1 : 0;
	if (!strcmp(name, "BYDAY") || !strcmp(name, "BYWEEKDAY")) {
		pt->has_byweekday = 1;
		return parse_byday(value, &pt->byday_n);
	}
	struct {
		const char *name;
		struct rrule_list *list;
		int *has;
	} lists[] = {
		{ "BYSETPOS", &r->bysetpos, NULL },
		{ "BYMONTH", &pt->bymonth, NULL },
		{ "BYMONTHDAY", &pt->bymonthday, &pt->has_bymonthday },
		{ "BYYEARDAY", &r->byyearday, &pt->has_byyearday },
		{ "BYWEEKNO", &r->byweekno, &pt->has_byweekno },
		{ "BYHOUR", &pt->byhour, &pt->has_byhour },
		{ "BYMINUTE", &pt->byminute, &pt->has_byminute },
		{ "BYSECOND", &pt->bysecond, &pt->has_bysecond },
		{ "BYEASTER", &r->byeaster, &pt->has_byeaster },
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(name, lists[i].name)) {
			if (lists[i].has)
				*lists[i].has = 1;
			return parse_list(value, lists[i].list);
		}
	return -2;
}

static int
bad_range(const struct rrule_list *l, int64_t lo, int64_t hi)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] < lo || l->v[i] > hi)
			return 1;
	return 0;
}

static int
contains(const struct rrule_list *l, int64_t v)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return 1;
	return 0;
}

static int64_t
gcd(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* rrule.__construct_byset: the values the interval can reach from start. */
static uint64_t
reachable(const struct rrule *r, const struct rrule_list *l, int64_t start, int64_t base)
{
	int64_t g = gcd(r->interval, base);
	uint64_t set = 0;

	for (size_t i = 0; i < l->n; i++)
		if (g == 1 || civil_floordiv(l->v[i] - start, g) * g == l->v[i] - start)
			set |= (uint64_t)1 << l->v[i];
	return set;
}

/* BYHOUR, BYMINUTE, BYSECOND as rrule() sets them: one level, its default and its range. */
static int
time_set(struct rrule *r, const struct rrule_list *l, int given, int level, int64_t start,
	 int64_t max, uint64_t *out, struct error *err, const char *name)
{
	*out = 0;
	if (!given) {
		if ((int)r->freq < level)
			*out = (uint64_t)1 << start;
		return 0;
	}
	if (bad_range(l, 0, max))
		return error_set(err, ERROR_INVALID, "%s must be between 0 and %lld", name,
				 (long long)max);
	if ((int)r->freq == level) {
		*out = reachable(r, l, start, max + 1);
		if (!*out)
			return error_set(err, ERROR_INVALID,
					 "Invalid rrule byxxx generates an empty set.");
		return 0;
	}
	for (size_t i = 0; i < l->n; i++)
		*out |= (uint64_t)1 << l->v[i];
	return 0;
}

/* BYDAY into plain weekdays and (weekday, n) pairs, as rrule() splits them. */
static int
weekdays(struct rrule *r, const struct parts *pt, struct error *err)
{
	int bounded = r->freq == RRULE_MONTHLY || (r->freq == RRULE_YEARLY && r->has_bymonth);

	for (size_t i = 0; i < pt->byday_n.n; i++) {
		int64_t v = pt->byday_n.v[i], n = v / 8;
		int wd = (int)(v % 8 < 0 ? -(v % 8) : v % 8);
		if (!n || r->freq > RRULE_MONTHLY) {
			r->byweekday |= 1u << wd;
			continue;
		}
		/* as far as dateutil's masks reach without an IndexError */
		if (n > (bounded ? 7 : 55) || n < -55)
			return error_set(err, ERROR_INVALID,
					 "BYDAY %+lld%s: a %s has no such weekday", (long long)n,
					 days[wd], bounded ? "month" : "year");
		int dup = 0;
		for (int k = 0; k < r->nbynweekday; k++)
			dup |= r->bynweekday[k][0] == wd && r->bynweekday[k][1] == n;
		if (!dup) {
			r->bynweekday[r->nbynweekday][0] = wd;
			r->bynweekday[r->nbynweekday++][1] = (int)n;
		}
	}
	return 0;
}

static void
split_monthdays(struct rrule *r, const struct rrule_list *l)
{
	r->bymonthday.n = r->bynmonthday.n = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct rrule_list *to = l->v[i] > 0 ? &r->bymonthday : &r->bynmonthday;
		if (l->v[i] != 0)
			to->v[to->n++] = l->v[i];
	}
}

/* The rest of rrule.__init__: checks and the defaults taken from DTSTART. */
static int
rule_defaults(struct rrule *r, struct parts *pt, int dtstart_aware, struct error *err)
{
	struct civil c;

	civil_split(r->dtstart, &c);
	if (!pt->has_freq)
		return error_set(err, ERROR_INVALID, "the rule has no FREQ");
	if (r->interval < 1 || r->interval > MAX_INTERVAL)
		return error_set(err, ERROR_INVALID, "INTERVAL must be between 1 and %d",
				 MAX_INTERVAL);
	if (r->has_until && dtstart_aware != pt->until_aware)
		return error_set(err, ERROR_INVALID,
				 "RRULE UNTIL values must be specified in UTC when DTSTART is "
				 "timezone-aware");
	if (bad_range(&r->bysetpos, -366, 366) || contains(&r->bysetpos, 0))
		return error_set(err, ERROR_INVALID,
				 "bysetpos must be between 1 and 366, or between -366 and -1");
	if (bad_range(&r->byeaster, -80, 250))
		return error_set(err, ERROR_INVALID, "BYEASTER must be between -80 and 250");
	if (bad_range(&pt->bymonth, 1, 12))
		return error_set(err, ERROR_INVALID, "BYMONTH must be between 1 and 12");
	r->has_bymonth = pt->bymonth.n > 0;
	for (size_t i = 0; i < pt->bymonth.n; i++)
		r->bymonth |= 1u << pt->bymonth.v[i];
	if (!pt->has_byweekno && !pt->has_byyearday && !pt->has_bymonthday && !pt->has_byweekday &&
	    !pt->has_byeaster) {
		if (r->freq == RRULE_YEARLY && !r->has_bymonth) {
			r->has_bymonth = 1;
			r->bymonth = 1u << c.month;
		}
		if (r->freq == RRULE_YEARLY || r->freq == RRULE_MONTHLY) {
			pt->bymonthday.n = 1;
			pt->bymonthday.v[0] = c.day;
		}
		if (r->freq == RRULE_WEEKLY)
			r->byweekday = 1u << (civil_weekday(civil_floordiv(r->dtstart, CIVIL_DAY)) +
					      6) % 7;
	}
	split_monthdays(r, &pt->bymonthday);
	if (weekdays(r, pt, err) < 0)
		return -1;
	uint64_t hours;
	if (time_set(r, &pt->byhour, pt->has_byhour, RRULE_HOURLY, c.hour, 23, &hours, err,
		     "BYHOUR") < 0 ||
	    time_set(r, &pt->byminute, pt->has_byminute, RRULE_MINUTELY, c.minute, 59, &r->byminute,
		     err, "BYMINUTE") < 0 ||
	    time_set(r, &pt->bysecond, pt->has_bysecond, RRULE_SECONDLY, c.second, 59, &r->bysecond,
		     err, "BYSECOND") < 0)
		return -1;
	r->byhour = (uint32_t)hours;
	return 0;
}

/* _parse_rfc_rrule: "[RRULE:]FREQ=...;..." into r, from dtstart. */
static int
rule_line(struct parser *p, char *line, const struct rdate *dtstart, struct rrule *r)
{
	struct parts pt;
	struct rdate until = { 0, 0 };
	char *value = line, *colon = strchr(line, ':');

	memset(r, 0, sizeof(*r));
	memset(&pt, 0, sizeof(pt));
	r->interval = 1;
	r->dtstart = dtstart->wall;
	if (colon) {
		*colon = '\0';
		if (strchr(colon + 1, ':') || strcmp(line, "RRULE"))
			return error_set(p->err, ERROR_INVALID, "unknown parameter name");
		value = colon + 1;
	}
	for (char *pair = value;;) {
		char *semi = strchr(pair, ';'), *eq;
		int rc;
		if (semi)
			*semi = '\0';
		eq = strchr(pair, '=');
		if (!eq || strchr(eq + 1, '='))
			return error_set(p->err, ERROR_INVALID, "invalid rule part '%s'", pair);
		*eq = '\0';
		char *value_text = xstrdup(eq + 1); /* rule_part splits the value in place */
		rc = rule_part(r, &pt, pair, eq + 1, &until);
		if (rc == -2)
			error_set(p->err, ERROR_INVALID, "unknown parameter '%s'", pair);
		else if (rc < 0)
			error_set(p->err, ERROR_INVALID, "invalid '%s': %s", pair, value_text);
		free(value_text);
		if (rc < 0)
			return -1;
		if (!semi)
			break;
		pair = semi + 1;
	}
	pt.until_aware = until.aware;
	return rule_defaults(r, &pt, dtstart->aware, p->err);
}

/* The lines of a set, sorted by what they are, before any rule is built. */
struct lines {
	char **rules, **exrules;
	size_t nrules, nexrules;
	struct rdate *rdates, *exdates;
	size_t nrdates, nexdates;
	struct rdate dtstart;
};

static void
push(char ***list, size_t *n, char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = s;
}

static int
no_parms(struct parser *p, const char *parms, const char *name)
{
	if (!parms)
		return 0;
	char *semi = strchr(parms, ';');
	if (semi)
		*semi = '\0';
	return error_set(p->err, ERROR_INVALID, "unsupported %s parm: %s", name, parms);
}

static int
rdate_line(struct parser *p, char *parms, char *value, struct lines *ls)
{
	for (char *parm = parms; parm;) {
		char *semi = strchr(parm, ';');
		if (semi)
			*semi = '\0';
		if (strcmp(parm, "VALUE=DATE-TIME"))
			return error_set(p->err, ERROR_INVALID, "unsupported RDATE parm: %s", parm);
		parm = semi ? semi + 1 : NULL;
	}
	return date_values(p, NULL, value, &ls->rdates, &ls->nrdates);
}

static int
one_line(struct parser *p, char *line, struct lines *ls)
{
	char *colon = strchr(line, ':'), *name = line, *value = line, *parms;

	if (!colon) {
		push(&ls->rules, &ls->nrules, line);
		return 0;
	}
	*colon = '\0';
	value = colon + 1;
	parms = strchr(name, ';');
	if (parms)
		*parms++ = '\0';
	if (!strcmp(name, "RRULE") || !strcmp(name, "EXRULE")) {
		if (no_parms(p, parms, name) < 0)
			return -1;
		if (name[0] == 'R')
			push(&ls->rules, &ls->nrules, value);
		else
			push(&ls->exrules, &ls->nexrules, value);
		return 0;
	}
	if (!strcmp(name, "RDATE"))
		return rdate_line(p, parms, value, ls);
	if (!strcmp(name, "EXDATE"))
		return date_values(p, parms, value, &ls->exdates, &ls->nexdates);
	if (!strcmp(name, "DTSTART")) {
		struct rdate *d = NULL;
		size_t n = 0;
		int rc = date_values(p, parms, value, &d, &n);
		if (rc == 0 && n != 1)
			rc = error_set(p->err, ERROR_INVALID,
				       "Multiple DTSTART values specified:%s", value);
		if (rc == 0)
			ls->dtstart = d[0];
		free(d);
		return rc;
	}
	return error_set(p->err, ERROR_INVALID, "unsupported property: %s", name);
}

static int
by_wall(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t *
walls(const struct rdate *d, size_t n)
{
	int64_t *w = xcalloc(n + 1, sizeof(*w));
	for (size_t i = 0; i < n; i++)
		w[i] = d[i].wall;
	qsort(w, n, sizeof(*w), by_wall);
	return w;
}

static int
build(struct parser *p, struct lines *ls, struct rrule_set *set)
{
	if (ls->nrules == 0 && !ls->nrdates && !ls->nexrules && !ls->nexdates)
		return error_set(p->err, ERROR_INVALID, "the text has no RRULE");
	set->rules = xcalloc(ls->nrules + 1, sizeof(*set->rules));
	set->exrules = xcalloc(ls->nexrules + 1, sizeof(*set->exrules));
	for (; set->nrules < ls->nrules; set->nrules++)
		if (rule_line(p, ls->rules[set->nrules], &ls->dtstart, &set->rules[set->nrules]) < 0)
			return -1;
	for (; set->nexrules < ls->nexrules; set->nexrules++)
		if (rule_line(p, ls->exrules[set->nexrules], &ls->dtstart,
			      &set->exrules[set->nexrules]) < 0)
			return -1;
	set->rdates = walls(ls->rdates, ls->nrdates);
	set->nrdates = ls->nrdates;
	set->exdates = walls(ls->exdates, ls->nexdates);
	set->nexdates = ls->nexdates;
	return 0;
}

/* str.split(): the text's white-space separated words, in place. */
static size_t
split_words(char *s, char ***out)
{
	size_t n = 0;
	*out = NULL;
	for (char *w = strtok_r(s, " \t\n\r\f\v\034\035\036\037", &s); w;
	     w = strtok_r(NULL, " \t\n\r\f\v\034\035\036\037", &s))
		push(out, &n, w);
	return n;
}

static int
parse_lines(struct parser *p, char *s, struct rrule_set *set)
{
	struct lines ls;
	char **words;
	size_t n = split_words(s, &words);
	int rc = 0;

	memset(&ls, 0, sizeof(ls));
	ls.dtstart.wall = DEFAULT_DTSTART;
	if (n == 0)
		rc = error_set(p->err, ERROR_INVALID, "empty string");
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = one_line(p, words[i], &ls);
	if (rc == 0)
		rc = build(p, &ls, set);
	free(words);
	free(ls.rules);
	free(ls.exrules);
	free(ls.rdates);
	free(ls.exdates);
	return rc;
}

int
rrule_parse(struct rrule_set *set, const char *text, struct error *err)
{
	struct parser p = { xstrdup(text), err };
	char *s = xstrdup(text);
	size_t len = strlen(text);
	int rc;

	memset(set, 0, sizeof(*set));
	for (char *c = s; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (len > RRULE_MAX_TEXT)
		rc = error_set(err, ERROR_INVALID,
			       "the rule is %zu characters long; Prefect allows %d", len,
			       RRULE_MAX_TEXT);
	else
		rc = parse_lines(&p, s, set);
	free(s);
	free(p.tzids);
	return rc;
}

void
rrule_set_release(struct rrule_set *set)
{
	free(set->rules);
	free(set->exrules);
	free(set->rdates);
	free(set->exdates);
	memset(set, 0, sizeof(*set));
}

int
rrule_text_has_dtstart(const char *text)
{
	for (const char *s = text; *s; s++)
		if (!strncasecmp(s, "DTSTART", 7))
			return 1;
	return 0;
}
