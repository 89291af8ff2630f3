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

void
progress_bar(struct buf *out, const char *label, size_t done, size_t total, size_t cells)
{
	size_t filled = total ? done * cells / total : cells;
	buf_addf(out, "%s ", label);
	for (size_t i = 0; i < cells; i++)
		buf_adds(out, i < filled ? "█" : "░");
	buf_addf(out, " %zu/%zu", done, total);
}
