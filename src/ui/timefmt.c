/* Relative and local time formatting (see timefmt.h). */
#include "ui/timefmt.h"

#include <time.h>

#include "core/isotime.h"

void
timefmt_relative(struct buf *out, double then, double now)
{
	static const struct {
		double seconds;
		const char *unit;
		/* clang-format off */
	} units[] = {
		{ 365.25 * 86400, "y" }, { 30.44 * 86400, "mo" }, { 7 * 86400, "w" },
		{ 86400, "d" }, { 3600, "h" }, { 60, "m" }, { 1, "s" },
	};
	/* clang-format on */
	double delta = now - then;
	int future = delta < 0;
	double abs = future ? -delta : delta;
	if (abs < 1) {
		buf_adds(out, "just now");
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (abs >= units[i].seconds) {
			long n = (long)(abs / units[i].seconds);
			buf_addf(out, future ? "in %ld%s" : "%ld%s ago", n, units[i].unit);
			return;
		}
	}
}

void
timefmt_relative_iso(struct buf *out, const char *iso, double now)
{
	double t;
	if (!iso)
		buf_adds(out, "Never");
	else if (isotime_parse(iso, &t) < 0)
		buf_adds(out, iso);
	else
		timefmt_relative(out, t, now);
}

static void
local_iso(struct buf *out, const char *iso, const char *format)
{
	double t;
	struct tm tm;
	char text[32];
	if (!iso) {
		buf_adds(out, "-");
		return;
	}
	if (isotime_parse(iso, &t) < 0) {
		buf_adds(out, iso);
		return;
	}
	time_t secs = (time_t)t;
	localtime_r(&secs, &tm);
	strftime(text, sizeof(text), format, &tm);
	buf_adds(out, text);
}

void
timefmt_local_iso(struct buf *out, const char *iso)
{
	local_iso(out, iso, "%Y-%m-%d %H:%M:%S");
}

void
timefmt_local_iso_minutes(struct buf *out, const char *iso)
{
	local_iso(out, iso, "%Y-%m-%d %H:%M");
}

void
timefmt_duration(struct buf *out, double seconds)
{
	long s = seconds < 60 ? 60 : (long)seconds; /* 59.95 and up shows as a minute */
	if (seconds < 59.95)
		buf_addf(out, "%.1fs", seconds);
	else if (s < 3600)
		buf_addf(out, "%ldm %02lds", s / 60, s % 60);
	else if (s < 86400)
		buf_addf(out, "%ldh %02ldm", s / 3600, (s % 3600) / 60);
	else
		buf_addf(out, "%ldd %02ldh", s / 86400, (s % 86400) / 3600);
}
