/* The progress line (see progress.h). */
#include "ui/progress.h"

#include "ui/text.h"

static const char *const frames[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };

void
progress_frame(struct buf *out, const char *text, double elapsed, unsigned tick)
{
	progress_clear(out);
	buf_addf(out, "%s ", frames[tick % (sizeof(frames) / sizeof(frames[0]))]);
	text_sanitize(out, text, 1);
	buf_addf(out, " %.0fs", elapsed);
}

void
progress_clear(struct buf *out)
{
	buf_adds(out, "\r\033[K");
}

#define BAR_CELLS 20

/* "45s", "3m10s", "1h02m" */
static void
add_duration(struct buf *out, double seconds)
{
	long s = (long)(seconds + 0.5);
	if (s < 60)
		buf_addf(out, "%lds", s);
	else if (s < 3600)
		buf_addf(out, "%ldm%02lds", s / 60, s % 60);
	else
		buf_addf(out, "%ldh%02ldm", s / 3600, s % 3600 / 60);
}

void
progress_counts(struct buf *out, const char *label, size_t done, size_t total, double elapsed,
		int bar)
{
	text_sanitize(out, label, 1);
	if (bar) {
		size_t filled = total ? (done > total ? total : done) * BAR_CELLS / total :
					BAR_CELLS;
		buf_addc(out, ' ');
		for (size_t i = 0; i < BAR_CELLS; i++)
			buf_adds(out, i < filled ? "█" : "░");
	} else {
		buf_addc(out, ':');
	}
	buf_addf(out, " %zu/%zu", done, total);
	if (elapsed < 1 || done == 0)
		return;
	double rate = (double)done / elapsed;
	buf_addf(out, rate >= 10 ? " · %.0f/s" : " · %.1f/s", rate);
	if (done < total) {
		buf_adds(out, " · ETA ");
		add_duration(out, (double)(total - done) / rate);
	}
}
