/*
 * dateutil's tz.tzfile, ported (sched/tzdu.h): the transitions' wall times
 * are computed as tzfile._read_tzfile does, and a wall time's offset as
 * tzfile._find_ttinfo with _resolve_ambiguous_time does, quirks included
 * (the last transition's own type is never used: from it on the standard
 * type is).
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sched/tzdu.h"

struct ttinfo {
	int32_t offset;
	int isdst;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* _ttinfo_std, _ttinfo_before, as _read_tzfile chooses them. */
static void
pick_std(struct tz_du *du, const struct ttinfo *types, uint32_t ntypes, const int *isdst)
{
	int have_std = 0, have_dst = 0;
	int32_t dst = 0;

	du->std = types[0].offset;
	for (size_t i = du->n; i-- > 0;) {
		if (!have_std && !isdst[i]) {
			du->std = du->offset[i];
			have_std = 1;
		} else if (!have_dst && isdst[i]) {
			dst = du->offset[i];
			have_dst = 1;
		}
		if (have_std && have_dst)
			break;
	}
	if (du->n && !have_std && have_dst)
		du->std = dst;
	du->before = types[0].offset;
	for (uint32_t i = 0; i < ntypes; i++)
		if (!types[i].isdst) {
			du->before = types[i].offset;
			break;
		}
}

/* The transitions in wall time: the UTC instant plus the new type's "base" offset. */
static void
wall_times(struct tz_du *du, const int64_t *utc, const int *isdst)
{
	int have_last = 0, lastdst = 0;
	int32_t lastoffset = 0, lastdstoffset = 0, lastbase = 0;

	for (size_t i = 0; i < du->n; i++) {
		int32_t offset = du->offset[i], dstoffset = 0, base, adjustment;
		if (have_last && isdst[i]) {
			if (!lastdst)
				dstoffset = offset - lastoffset;
			if (!dstoffset && lastdstoffset)
				dstoffset = lastdstoffset;
			lastdstoffset = dstoffset;
		}
		base = offset - dstoffset;
		adjustment = base;
		if (have_last && base != lastbase && isdst[i] != lastdst)
			adjustment = lastbase;
		lastdst = isdst[i];
		lastoffset = offset;
		lastbase = base;
		have_last = 1;
		du->wall[i] = utc[i] + adjustment;
	}
}

void
tz_du_read(struct tz_du *du, const unsigned char *p, uint32_t times, uint32_t types)
{
	const unsigned char *idx = p + (size_t)times * 4, *tp = idx + times;
	struct ttinfo *tt = xcalloc(types, sizeof(*tt));
	int64_t *utc = xcalloc(times + 1, sizeof(*utc));
	int *isdst = xcalloc(times + 1, sizeof(*isdst));

	memset(du, 0, sizeof(*du));
	for (uint32_t i = 0; i < types; i++) {
		tt[i].offset = (int32_t)be32(tp + i * 6);
		tt[i].isdst = tp[i * 6 + 4] != 0;
	}
	du->wall = xcalloc(times + 1, sizeof(*du->wall));
	du->offset = xcalloc(times + 1, sizeof(*du->offset));
	for (uint32_t i = 0; i < times; i++) {
		unsigned k = idx[i] < types ? idx[i] : 0;
		utc[i] = (int32_t)be32(p + (size_t)i * 4);
		du->offset[i] = tt[k].offset;
		isdst[i] = tt[k].isdst;
	}
	du->n = times;
	pick_std(du, tt, types, isdst);
	wall_times(du, utc, isdst);
	free(tt);
	free(utc);
	free(isdst);
}

void
tz_du_release(struct tz_du *du)
{
	free(du->wall);
	free(du->offset);
	memset(du, 0, sizeof(*du));
}

/* _get_ttinfo(idx)'s offset. */
static int32_t
ttinfo(const struct tz_du *du, long idx)
{
	if (idx + 1 >= (long)du->n)
		return du->std;
	if (idx < 0)
		return du->before;
	return du->offset[idx];
}

int32_t
tz_du_offset(const struct tz_du *du, int64_t wall)
{
	size_t lo = 0, hi = du->n;
	long idx;

	if (du->n == 0)
		return du->std;
	while (lo < hi) { /* bisect_right */
		size_t mid = lo + (hi - lo) / 2;
		if (du->wall[mid] <= wall)
			lo = mid + 1;
		else
			hi = mid;
	}
	idx = (long)lo - 1;
	if (idx > 0) {
		int32_t od = ttinfo(du, idx - 1) - ttinfo(du, idx);
		if (wall < du->wall[idx] + od)
			idx--;
	}
	return ttinfo(du, idx);
}
