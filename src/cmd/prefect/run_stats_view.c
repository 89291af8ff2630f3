/* The table and JSON output of flow-runs stats (see run_stats_view.h). */
#include "cmd/prefect/run_stats_view.h"

#include <ctype.h>
#include <math.h>

#include "core/isotime.h"
#include "core/json.h"
#include "ui/panel.h"
#include "ui/state.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/timefmt.h"

/* A chart cell per group: completed, failed or crashed, cancelled, other. */
static const char *const blocks[RUN_GROUPS] = { "█", "▓", "▒", "░" };
static const char *const group_names[RUN_GROUPS] = { "completed", "failed or crashed", "cancelled",
						     "other" };
#define MIN_BAR 10

void
run_stats_view_window(struct buf *out, const struct run_stats_scope *scope)
{
	timefmt_local_iso_minutes(out, scope->since);
	buf_adds(out, " to ");
	timefmt_local_iso_minutes(out, scope->until);
}

/* "Completed" for "COMPLETED". */
static void
type_word(struct buf *out, const char *type)
{
	for (const char *p = type; *p; p++)
		buf_addc(out, p == type ? *p : (char)tolower((unsigned char)*p));
}

static void
add_counts(struct panel *p, const struct run_stats *s, struct buf *label, struct buf *v)
{
	for (int i = 0; i < RUN_STATS_STATES; i++) {
		const char *type = run_stats_state_types[i];
		if (i >= RUN_STATS_FINAL && !s->counts[i])
			continue;
		buf_reset(label);
		buf_reset(v);
		type_word(label, type);
		buf_addf(v, "%s %ld", state_symbol(type), s->counts[i]);
		if (s->total)
			buf_addf(v, " (%.1f%%)", 100.0 * (double)s->counts[i] / (double)s->total);
		panel_field(p, buf_str(label), buf_str(v), state_style(type));
	}
}

static void
add_durations(struct panel *p, const struct run_stats *s, struct buf *v)
{
	static const struct {
		const char *label;
		double p;
	} rows[] = { { "Duration p50", 0.5 },
		     { "Duration p90", 0.9 },
		     { "Duration p99", 0.99 },
		     { "Duration Max", 1.0 } };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		buf_reset(v);
		if (s->n_durations)
			timefmt_duration(v, run_stats_percentile(s->durations, s->n_durations,
								 rows[i].p));
		panel_field(p, rows[i].label, buf_str(v), STYLE_NONE);
	}
}

static struct panel *
summary(const struct run_stats *s, const struct run_stats_scope *scope)
{
	struct panel *p = panel_new("Flow Run Stats", STYLE_INFO);
	struct buf v = BUF_INIT, label = BUF_INIT;
	double rate = run_stats_failure_rate(s);
	if (scope->flow)
		panel_field(p, "Flow", scope->flow, STYLE_NAME);
	if (scope->deployment)
		panel_field(p, "Deployment", scope->deployment, STYLE_NAME);
	run_stats_view_window(&v, scope);
	panel_field(p, "Window", buf_str(&v), STYLE_META);
	buf_reset(&v);
	buf_addf(&v, "%ld", s->total);
	panel_field(p, "Runs", buf_str(&v), STYLE_NONE);
	panel_blank(p);
	add_counts(p, s, &label, &v);
	panel_blank(p);
	buf_reset(&v);
	if (rate >= 0)
		buf_addf(&v, "%.1f%% (%ld failed or crashed of %ld finished)", 100.0 * rate,
			 s->counts[1] + s->counts[2], run_stats_finished(s));
	panel_field(p, "Failure Rate", buf_str(&v), rate > 0 ? STYLE_FAILURE : STYLE_NONE);
	add_durations(p, s, &v);
	buf_release(&v);
	buf_release(&label);
	return p;
}

static struct table *
slowest(const struct run_stats *s)
{
	struct table *t = table_new("Slowest Runs");
	struct buf v = BUF_INIT;
	table_add_column(t, "Run ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_SHRINK);
	table_column_fit(t, 1, 8);
	table_add_column(t, "Duration", ALIGN_RIGHT, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	for (size_t i = 0; i < s->n_slowest; i++) {
		const struct run_stats_slow *r = &s->slowest[i];
		table_add_row(t);
		table_cell(t, r->id ? r->id : "-", STYLE_NAME);
		table_cell(t, r->name ? r->name : "-", STYLE_NONE);
		buf_reset(&v);
		timefmt_duration(&v, r->duration);
		table_cell(t, buf_str(&v), STYLE_NONE);
		buf_reset(&v);
		state_label(&v, r->state_type, r->state_name);
		table_cell(t, buf_str(&v), state_style(r->state_type));
	}
	buf_release(&v);
	return t;
}

/* "Runs per Day  █ completed  ▓ failed ...", onto a new line where an item would pass width. */
static void
legend(struct buf *out, const struct run_stats *s, int color, size_t width)
{
	const char *title = s->by == RUN_PERIOD_HOUR ? "Runs per Hour" : "Runs per Day";
	size_t used = text_width(title);
	style_add(out, title, STYLE_BOLD, color);
	for (int g = 0; g < RUN_GROUPS; g++) {
		size_t item = 2 + text_width(blocks[g]) + 1 + text_width(group_names[g]);
		if (used + item > width) {
			buf_addc(out, '\n');
			used = item - 2;
		} else {
			buf_adds(out, "  ");
			used += item;
		}
		style_add(out, blocks[g], state_style(run_stats_group_type(g)), color);
		buf_addf(out, " %s", group_names[g]);
	}
	buf_addc(out, '\n');
}

/* The cells of a bar that n of max runs take. */
static size_t
cells(long n, long max, size_t bar)
{
	return (size_t)lround((double)n * (double)bar / (double)max);
}

/* One period: its label, its bar in segments per group, its count. */
static void
bar_line(struct buf *out, const struct run_stats *s, const struct run_stats_bucket *b, size_t bar,
	 int count_w, int color)
{
	long groups[RUN_GROUPS] = { 0 }, max = run_stats_busiest(s), done = 0;
	size_t drawn = 0;
	struct buf seg = BUF_INIT;
	for (int st = 0; st < RUN_STATS_STATES; st++)
		groups[run_stats_group_of(st)] += b->counts[st];
	run_stats_period_label(out, b->start, s->by);
	buf_adds(out, "  ");
	for (int g = 0; g < RUN_GROUPS; g++) {
		size_t end = cells(done += groups[g], max, bar);
		buf_reset(&seg);
		buf_repeat(&seg, blocks[g], end - drawn);
		style_add(out, buf_str(&seg), state_style(run_stats_group_type(g)), color);
		drawn = end;
	}
	text_pad(out, bar - drawn);
	buf_addf(out, " %*ld\n", count_w, run_stats_bucket_total(b));
	buf_release(&seg);
}

static void
chart(struct buf *out, const struct run_stats *s, const struct term *term)
{
	int count_w = snprintf(NULL, 0, "%ld", run_stats_busiest(s));
	int label_w = s->by == RUN_PERIOD_HOUR ? 16 : 10;
	long room = (long)term->width - label_w - 2 - 1 - count_w;
	size_t bar = room < MIN_BAR ? MIN_BAR : (size_t)room;
	legend(out, s, term->color, (size_t)term->width);
	for (size_t i = 0; i < s->n_buckets; i++)
		bar_line(out, s, &s->buckets[i], bar, count_w, term->color);
}

void
run_stats_view_render(struct buf *out, const struct run_stats *s,
		      const struct run_stats_scope *scope, const struct term *term)
{
	struct panel *p = summary(s, scope);
	panel_render(p, term, out);
	panel_free(p);
	if (s->n_slowest) {
		struct table *t = slowest(s);
		buf_addc(out, '\n');
		table_render(t, term, out);
		table_free(t);
	}
	if (s->n_buckets) {
		buf_addc(out, '\n');
		chart(out, s, term);
	}
}

static json_t *
state_counts(const long counts[RUN_STATS_STATES])
{
	json_t *o = json_object();
	for (int i = 0; i < RUN_STATS_STATES; i++)
		json_object_set_new(o, run_stats_state_types[i], json_integer(counts[i]));
	return o;
}

static json_t *
number_or_null(int known, double v)
{
	return known ? json_real(v) : json_null();
}

static json_t *
durations_json(const struct run_stats *s)
{
	size_t n = s->n_durations;
	return json_pack("{s:I,s:o,s:o,s:o,s:o}", "count", (json_int_t)n, "p50",
			 number_or_null(n, run_stats_percentile(s->durations, n, 0.5)), "p90",
			 number_or_null(n, run_stats_percentile(s->durations, n, 0.9)), "p99",
			 number_or_null(n, run_stats_percentile(s->durations, n, 0.99)), "max",
			 number_or_null(n, run_stats_percentile(s->durations, n, 1.0)));
}

static json_t *
slowest_json(const struct run_stats *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_slowest; i++) {
		const struct run_stats_slow *r = &s->slowest[i];
		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:f}", "id",
						   json_string_or_null(r->id), "name",
						   json_string_or_null(r->name), "state_type",
						   json_string_or_null(r->state_type), "state_name",
						   json_string_or_null(r->state_name),
						   "duration_seconds", r->duration));
	}
	return a;
}

static json_t *
periods_json(const struct run_stats *s)
{
	json_t *a = json_array();
	struct buf label = BUF_INIT;
	char start[32], end[32];
	for (size_t i = 0; i < s->n_buckets; i++) {
		const struct run_stats_bucket *b = &s->buckets[i];
		buf_reset(&label);
		run_stats_period_label(&label, b->start, s->by);
		isotime_format_utc(b->start, start);
		isotime_format_utc(run_stats_period_next(b->start, s->by), end);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:I,s:o}", "label",
						   buf_str(&label), "start", start, "end", end,
						   "runs", (json_int_t)run_stats_bucket_total(b),
						   "states", state_counts(b->counts)));
	}
	buf_release(&label);
	return a;
}

json_t *
run_stats_view_json(const struct run_stats *s, const struct run_stats_scope *scope)
{
	double rate = run_stats_failure_rate(s);
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:I,s:o,s:s,s:o,s:o,s:o}", "since",
			 scope->since, "until", scope->until, "by",
			 s->by == RUN_PERIOD_HOUR ? "hour" : "day", "flow",
			 json_string_or_null(scope->flow), "flow_id",
			 json_string_or_null(scope->flow_id), "deployment",
			 json_string_or_null(scope->deployment), "deployment_id",
			 json_string_or_null(scope->deployment_id), "runs", (json_int_t)s->total,
			 "states", state_counts(s->counts), "finished",
			 (json_int_t)run_stats_finished(s), "failure_rate",
			 number_or_null(rate >= 0, rate), "duration_field", "total_run_time",
			 "duration_seconds", durations_json(s), "slowest", slowest_json(s),
			 "periods", periods_json(s));
}
