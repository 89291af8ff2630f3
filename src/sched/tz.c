/*
 * TZif reading and offset lookup for sched/tz.h. The file's transitions are
 * used as long as they last; after the last one the footer's POSIX rule
 * (sched/tzrule.c) takes over, as in Python's zoneinfo and in whenever,
 * whose answers the schedule engine must reproduce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/xalloc.h"
#include "sched/civil.h"
#include "sched/tz.h"
#include "sched/tzdu.h"
#include "sched/tzrule.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_MAX_FILE (1 << 20)

struct tz {
	char *name;
	size_t n;        /* transitions */
	int64_t *at;     /* their instants, ascending */
	int32_t *after;  /* the offset from each one on */
	int32_t initial; /* the offset before the first one */
	int has_rule;
	struct tz_rule rule;
	struct tz_du du; /* the first (32-bit) block as dateutil's tzfile reads it */
};

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The 44-byte header at p; returns 0, or -1 when it is not one. */
static int
read_header(const unsigned char *p, size_t len, struct tzif_counts *c)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	if (c->type == 0 || c->type > 256 || c->time > 100000 || c->leap > 10000 ||
	    c->chars > 100000 || c->isut > 256 || c->isstd > 256)
		return -1;
	return 0;
}

static size_t
block_size(const struct tzif_counts *c, size_t time_size)
{
	return c->time * (time_size + 1) + c->type * 6 + c->chars + c->leap * (time_size + 4) +
	       c->isstd + c->isut;
}

/* Fill tz from the data block at p with time_size-byte times. */
static int
read_block(struct tz *tz, const unsigned char *p, const struct tzif_counts *c, size_t time_size)
{
	const unsigned char *idx = p + c->time * time_size;
	const unsigned char *types = idx + c->time;

	tz->n = c->time;
	tz->at = xcalloc(c->time + 1, sizeof(*tz->at));
	tz->after = xcalloc(c->time + 1, sizeof(*tz->after));
	for (size_t i = 0; i < c->time; i++) {
		tz->at[i] = time_size == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
		if (idx[i] >= c->type || (i > 0 && tz->at[i] <= tz->at[i - 1]))
			return -1;
		tz->after[i] = (int32_t)be32(types + idx[i] * 6);
	}
	tz->initial = (int32_t)be32(types);
	return 0;
}

static int
parse_tzif(struct tz *tz, const unsigned char *p, size_t len)
{
	struct tzif_counts c;

	if (read_header(p, len, &c) < 0 || len - 44 < block_size(&c, 4))
		return -1;
	tz_du_read(&tz->du, p + 44, c.time, c.type);
	if (p[4] == 0)
		return read_block(tz, p + 44, &c, 4);

	size_t off = 44 + block_size(&c, 4);
	if (read_header(p + off, len - off, &c) < 0 || len - off - 44 < block_size(&c, 8))
		return -1;
	off += 44;
	if (read_block(tz, p + off, &c, 8) < 0)
		return -1;
	off += block_size(&c, 8);

	/* The footer: "\n" TZ-string "\n"; an empty string means no rule. */
	if (off >= len || p[off] != '\n')
		return -1;
	const unsigned char *start = p + off + 1;
	const unsigned char *nl = memchr(start, '\n', len - off - 1);
	if (!nl)
		return -1;
	if (nl == start)
		return 0;
	if (tz_rule_parse(&tz->rule, (const char *)start, (size_t)(nl - start)) < 0)
		return -1;
	tz->has_rule = 1;
	if (tz->n == 0)
		tz->initial = tz->rule.std_off;
	return 0;
}

/* A name zoneinfo.available_timezones() could list. */
static int
valid_name(const char *name)
{
	const char *comp = name;

	if (!*name || strlen(name) > 255 || strcmp(name, "posixrules") == 0)
		return 0;
	if (strncmp(name, "posix/", 6) == 0 || strncmp(name, "right/", 6) == 0)
		return 0;
	for (const char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-/",
			    *p))
			return 0;
	for (;;) {
		size_t n = strcspn(comp, "/");
		if (n == 0 || (n == 1 && comp[0] == '.') || (n == 2 && strncmp(comp, "..", 2) == 0))
			return 0;
		if (!comp[n])
			return 1;
		comp += n + 1;
	}
}

/* Read the whole of a regular file into *data (the caller frees it). */
static int
read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	unsigned char *buf;

	if (!f)
		return -1;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > TZ_MAX_FILE) {
		fclose(f);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (*len != (size_t)st.st_size) {
		free(buf);
		return -1;
	}
	*data = buf;
	return 0;
}

int
tz_load(struct tz **out, const char *name, struct error *err)
{
	const char *dir = getenv("TZDIR");
	unsigned char *data;
	size_t len;

	if (!valid_name(name))
		return error_set(err, ERROR_INVALID, "unknown time zone '%s'", name);
	if (!dir || !*dir)
		dir = TZ_DEFAULT_DIR;
	char *path = xasprintf("%s/%s", dir, name);
	int rc = read_file(path, &data, &len);
	free(path);
	if (rc < 0 || len < 4 || memcmp(data, "TZif", 4) != 0) {
		if (rc == 0)
			free(data);
		return error_set(err, ERROR_INVALID, "unknown time zone '%s'", name);
	}

	struct tz *tz = xcalloc(1, sizeof(*tz));
	tz->name = xstrdup(name);
	rc = parse_tzif(tz, data, len);
	free(data);
	if (rc < 0) {
		tz_free(tz);
		return error_set(err, ERROR_IO, "time zone file for '%s' is damaged", name);
	}
	*out = tz;
	return 0;
}

void
tz_free(struct tz *tz)
{
	if (!tz)
		return;
	free(tz->name);
	free(tz->at);
	free(tz->after);
	tz_du_release(&tz->du);
	free(tz);
}

const char *
tz_name(const struct tz *tz)
{
	return tz->name;
}

static int32_t
before_of(const struct tz *tz, size_t i)
{
	return i == 0 ? tz->initial : tz->after[i - 1];
}

static int
explicit_change(const struct tz *tz, size_t i, struct tz_change *out)
{
	if (before_of(tz, i) == tz->after[i])
		return 0;
	out->at = tz->at[i];
	out->before = before_of(tz, i);
	out->after = tz->after[i];
	return 1;
}

/* How many transitions are at or before t. */
static size_t
count_upto(const struct tz *tz, int64_t t)
{
	size_t lo = 0, hi = tz->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
utc_year(int64_t t)
{
	struct civil c;
	civil_split(t, &c);
	return c.year;
}

/*
 * The rule's changes in the years around t that lie strictly between lo and
 * hi, and of them the last (want_last) or the first.
 */
static int
rule_change(const struct tz *tz, int64_t t, int64_t lo, int64_t hi, int want_last,
	    struct tz_change *out)
{
	const struct tz_rule *r = &tz->rule;
	int found = 0, year = utc_year(t);

	if (!tz->has_rule || !r->has_dst || r->std_off == r->dst_off)
		return 0;
	for (int y = year - 1; y <= year + 2; y++) {
		int64_t at[2];
		tz_rule_year(r, y, &at[0], &at[1]);
		for (int k = 0; k < 2; k++) {
			if (at[k] <= lo || at[k] >= hi)
				continue;
			if (found && (want_last ? at[k] < out->at : at[k] > out->at))
				continue;
			out->at = at[k];
			out->before = k == 0 ? r->std_off : r->dst_off;
			out->after = k == 0 ? r->dst_off : r->std_off;
			found = 1;
		}
	}
	return found;
}

int
tz_next_change(const struct tz *tz, int64_t t, struct tz_change *out)
{
	for (size_t i = count_upto(tz, t); i < tz->n; i++)
		if (explicit_change(tz, i, out))
			return 1;

	int64_t floor = tz->n && tz->at[tz->n - 1] > t ? tz->at[tz->n - 1] : t;
	return rule_change(tz, floor, floor, INT64_MAX, 0, out);
}

int
tz_prev_change(const struct tz *tz, int64_t t, struct tz_change *out)
{
	int64_t last = tz->n ? tz->at[tz->n - 1] : INT64_MIN;

	if (t == INT64_MIN)
		return 0;
	if (t > last && rule_change(tz, t - 1, last, t, 1, out))
		return 1;
	for (size_t i = count_upto(tz, t - 1); i > 0; i--)
		if (explicit_change(tz, i - 1, out))
			return 1;
	return 0;
}

int32_t
tz_offset(const struct tz *tz, int64_t t)
{
	struct tz_change c;
	return tz_prev_change(tz, t + 1, &c) ? c.after : tz->initial;
}

int32_t
tz_wall_offset(const struct tz *tz, int64_t wall, int fold)
{
	struct tz_change c;
	int64_t t = wall + 2 * CIVIL_DAY;

	while (tz_prev_change(tz, t, &c)) {
		int32_t lo = c.before < c.after ? c.before : c.after;
		int32_t hi = c.before < c.after ? c.after : c.before;
		if (wall >= c.at + (fold ? lo : hi))
			return c.after;
		t = c.at;
	}
	return tz->initial;
}

int32_t
tz_dateutil_offset(const struct tz *tz, int64_t wall)
{
	return tz_du_offset(&tz->du, wall);
}
