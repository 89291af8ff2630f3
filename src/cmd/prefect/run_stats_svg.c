/* The SVG bar chart of flow-run periods (see run_stats_svg.h). */
#include "cmd/prefect/run_stats_svg.h"

#include <stdlib.h>
#include <string.h>

#include "ui/text.h"

#define WIDTH 900.0
#define HEIGHT 440.0
#define LEFT 70.0
#define RIGHT 20.0
#define TOP 70.0
#define BOTTOM 100.0
#define PLOT_W (WIDTH - LEFT - RIGHT)
#define PLOT_H (HEIGHT - TOP - BOTTOM)
#define MAX_X_LABELS 24

static const char *const colours[RUN_GROUPS] = { "#2e9d4a", "#d64545", "#8c4a9e", "#e0a800" };
static const char *const group_names[RUN_GROUPS] = { "completed", "failed or crashed", "cancelled",
						     "other" };

/* text, sanitised, with XML's special characters escaped. */
static void
add_text(struct buf *out, const char *text)
{
	char *clean = text_sanitize_dup(text, 1);
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		default:
			buf_addc(out, *p);
		}
	}
	free(clean);
}

/* The smallest 1, 2 or 5 times a power of ten that is at least n (n >= 1). */
static long
nice_ceiling(long n)
{
	static const long steps[] = { 1, 2, 5 };
	for (long p = 1;; p *= 10)
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
			if (steps[i] * p >= n)
				return steps[i] * p;
}

static void
y_axis(struct buf *out, long ymax)
{
	long ticks = ymax < 5 ? ymax : 5;
	for (long i = 0; i <= ticks; i++) {
		double y = TOP + PLOT_H - PLOT_H * (double)i / (double)ticks;
		buf_addf(out,
			 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
			 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%ld</text>\n",
			 LEFT, y, LEFT + PLOT_W, y, LEFT - 6, y + 4, ymax * i / ticks);
	}
	buf_addf(out,
		 "<text transform=\"translate(18 %.1f) rotate(-90)\" "
		 "text-anchor=\"middle\">Runs</text>\n",
		 TOP + PLOT_H / 2);
}

static void
bar(struct buf *out, const struct run_stats *s, size_t i, double slot, long ymax)
{
	const struct run_stats_bucket *b = &s->buckets[i];
	long groups[RUN_GROUPS] = { 0 };
	struct buf label = BUF_INIT;
	double x = LEFT + slot * (double)i + slot * 0.1, y = TOP + PLOT_H;
	for (int st = 0; st < RUN_STATS_STATES; st++)
		groups[run_stats_group_of(st)] += b->counts[st];
	run_stats_period_label(&label, b->start, s->by);
	for (int g = 0; g < RUN_GROUPS; g++) {
		if (!groups[g])
			continue;
		double h = PLOT_H * (double)groups[g] / (double)ymax;
		y -= h;
		buf_addf(out,
			 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			 "fill=\"%s\"><title>%s: %ld %s</title></rect>\n",
			 x, y, slot * 0.8, h, colours[g], buf_str(&label), groups[g],
			 group_names[g]);
	}
	buf_release(&label);
}

static void
x_labels(struct buf *out, const struct run_stats *s, double slot)
{
	size_t every = (s->n_buckets + MAX_X_LABELS - 1) / MAX_X_LABELS;
	struct buf label = BUF_INIT;
	for (size_t i = 0; i < s->n_buckets; i += every ? every : 1) {
		double x = LEFT + slot * ((double)i + 0.5), y = TOP + PLOT_H + 14;
		buf_reset(&label);
		run_stats_period_label(&label, s->buckets[i].start, s->by);
		buf_addf(out,
			 "<text transform=\"translate(%.1f %.1f) rotate(-40)\" "
			 "text-anchor=\"end\">%s</text>\n",
			 x, y, buf_str(&label));
	}
	buf_release(&label);
	buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s (local time)</text>\n",
		 LEFT + PLOT_W / 2, HEIGHT - 8, s->by == RUN_PERIOD_HOUR ? "Hour" : "Day");
}

static void
legend(struct buf *out)
{
	double x = LEFT;
	for (int g = 0; g < RUN_GROUPS; g++) {
		buf_addf(out,
			 "<rect x=\"%.1f\" y=\"40\" width=\"12\" height=\"12\" fill=\"%s\"/>\n"
			 "<text x=\"%.1f\" y=\"50\">%s</text>\n",
			 x, colours[g], x + 16, group_names[g]);
		x += 40 + 8 * (double)strlen(group_names[g]);
	}
}

void
run_stats_svg(struct buf *out, const struct run_stats *s, const char *title)
{
	long ymax = nice_ceiling(run_stats_busiest(s));
	double slot = s->n_buckets ? PLOT_W / (double)s->n_buckets : PLOT_W;
	buf_addf(out,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		 "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
		 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		 "<text x=\"%.1f\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" "
		 "font-weight=\"bold\">",
		 WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH / 2);
	add_text(out, title);
	buf_adds(out, "</text>\n");
	legend(out);
	y_axis(out, ymax);
	for (size_t i = 0; i < s->n_buckets; i++)
		bar(out, s, i, slot, ymax);
	x_labels(out, s, slot);
	buf_addf(out,
		 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n"
		 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n"
		 "</svg>\n",
		 LEFT, TOP, LEFT, TOP + PLOT_H, LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H);
}
