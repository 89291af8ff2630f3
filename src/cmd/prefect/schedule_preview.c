/*
 * mahavishnu prefect schedule preview: the next fire times of a schedule on
 * the server, or of a --cron, --interval or --rrule given here (then no request is
 * made and libcurl is never loaded), in the schedule's zone and in UTC,
 * with the runs that a daylight-saving change moves or makes ambiguous
 * marked.
 */
#include <stdlib.h>
#include <time.h>

#include "api/schedules.h"
#include "cli/command.h"
#include "cmd/prefect/schedule_view.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "plan/when.h"
#include "ui/table.h"

struct preview_args {
	const char *id;
	const char *cron;
	const char *rrule;
	long interval;
	const char *anchor;
	const char *timezone;
	const char *start;
	long count;
};

struct preview {
	struct sched engine;
	int have_engine;
	json_t *schedule; /* with an ID */
	json_t *deployment;
	int64_t start;
	struct sched_time *runs;
	size_t n;
};

static int
check_options(const struct preview_args *a, struct error *err)
{
	int sources = !!a->id + !!a->cron + !!a->interval + !!a->rrule;
	if (sources != 1)
		return error_set(err, ERROR_USAGE,
				 "give one of SCHEDULE_ID, --cron, --interval or --rrule");
	if (a->id && (a->timezone || a->anchor))
		return error_set(err, ERROR_USAGE, "a schedule on the server has its own %s",
				 a->timezone ? "--timezone" : "--anchor");
	if ((a->cron || a->rrule) && a->anchor)
		return error_set(err, ERROR_USAGE, "--anchor goes with --interval, not %s",
				 a->cron ? "--cron" : "--rrule");
	struct when w;
	/* --start is read again in the schedule's zone later; check its form before any request */
	if (a->start && when_parse(&w, a->start, err) < 0)
		return cmd_option_error(err, "start");
	return 0;
}

/* An instant from --start or --anchor text, read in zone. */
static int
instant(const char *option, const char *text, const struct tz *tz, int64_t *out, struct error *err)
{
	struct when w;
	if (when_parse(&w, text, err) < 0)
		return error_prefix(err, "option '--%s'", option);
	*out = when_first(&w, tz);
	return 0;
}

/* The schedule of --cron, --interval or --rrule, with no request. */
static int
local_engine(const struct preview_args *a, struct preview *p, struct error *err)
{
	const char *zone = a->timezone ? a->timezone : "UTC";
	struct tz *tz = NULL;
	int64_t anchor = (int64_t)time(NULL);
	int rc;
	if (tz_load(&tz, zone, err) < 0)
		return cmd_option_error(err, "timezone");
	rc = a->anchor ? instant("anchor", a->anchor, tz, &anchor, err) : 0;
	tz_free(tz);
	if (rc < 0)
		return -1;
	if (a->cron)
		rc = sched_cron(&p->engine, a->cron, 1, zone, err);
	else if (a->rrule)
		rc = sched_rrule(&p->engine, a->rrule, zone, err);
	else
		rc = sched_interval(&p->engine, a->interval, anchor, zone, err);
	if (rc < 0)
		return cmd_option_error(err, a->cron ? "cron" : a->rrule ? "rrule" : "interval");
	p->have_engine = 1;
	return 0;
}

static int
server_engine(struct cmd_ctx *ctx, const char *id, struct preview *p, struct error *err)
{
	if (schedule_view_find(ctx->api, id, &p->schedule, &p->deployment, err) < 0 ||
	    schedule_view_engine(&p->engine, p->schedule, err) < 0)
		return -1;
	p->have_engine = 1;
	return 0;
}

static int
compute(const struct preview_args *a, struct preview *p, struct error *err)
{
	p->start = (int64_t)time(NULL);
	if (a->start && instant("start", a->start, p->engine.tz, &p->start, err) < 0)
		return -1;
	p->runs = xcalloc((size_t)a->count, sizeof(*p->runs));
	return sched_next(&p->engine, p->start, SCHED_NO_END, (size_t)a->count, p->runs, &p->n, err);
}

/* "moved out of a DST gap", "repeated time (2nd)"...; "" for an ordinary run. */
static void
note(struct buf *out, const struct sched_time *t, const struct tz *tz)
{
	if (t->dst & SCHED_DST_MOVED)
		buf_adds(out, "moved past a DST gap");
	else if (t->dst & SCHED_DST_MOVED_EARLY)
		buf_adds(out, "moved before a DST gap");
	else if (t->dst & SCHED_DST_AFTER_GAP)
		buf_adds(out, "just after a DST gap");
	if (t->dst & SCHED_DST_AMBIGUOUS) {
		int first = t->offset == tz_wall_offset(tz, t->at + t->offset, 0);
		buf_addf(out, "%srepeated time (%s)", out->len ? "; " : "", first ? "1st" : "2nd");
	}
}

static void
describe(struct buf *out, const struct preview_args *a, const struct preview *p)
{
	if (p->schedule)
		schedule_view_expr(out, p->schedule);
	else if (a->cron)
		buf_adds(out, a->cron);
	else if (a->rrule)
		schedule_view_rrule_line(out, a->rrule);
	else
		buf_addf(out, "%lds", a->interval);
}

static void
add_row(struct table *t, size_t i, const struct sched_time *run, const struct tz *tz)
{
	struct buf v = BUF_INIT;
	struct civil utc;
	table_add_row(t);
	buf_addf(&v, "%zu", i + 1);
	table_cell(t, buf_str(&v), STYLE_DIM);
	buf_reset(&v);
	schedule_view_time(&v, run, 1);
	table_cell(t, buf_str(&v), STYLE_INFO);
	buf_reset(&v);
	civil_split(run->at, &utc);
	buf_addf(&v, "%04d-%02d-%02d %02d:%02d:%02d", utc.year, utc.month, utc.day, utc.hour,
		 utc.minute, utc.second);
	table_cell(t, buf_str(&v), STYLE_META);
	buf_reset(&v);
	note(&v, run, tz);
	table_cell(t, buf_str(&v), STYLE_PROGRESS);
	buf_release(&v);
}

static int
render_table(struct cmd_ctx *ctx, const struct preview_args *a, const struct preview *p)
{
	struct buf title = BUF_INIT;
	buf_addf(&title, "Next %zu run%s of ", p->n, p->n == 1 ? "" : "s");
	describe(&title, a, p);
	buf_addf(&title, " (%s)", tz_name(p->engine.tz));
	struct table *t = table_new(buf_str(&title));
	table_add_column(t, "#", ALIGN_RIGHT, 0);
	table_add_column(t, "Local Time", ALIGN_LEFT, 0);
	table_add_column(t, "UTC", ALIGN_LEFT, 0);
	table_add_column(t, "Note", ALIGN_LEFT, COLUMN_SHRINK);
	for (size_t i = 0; i < p->n; i++)
		add_row(t, i, &p->runs[i], p->engine.tz);
	buf_release(&title);
	return cmd_print_table(ctx, t);
}

static json_t *
run_json(const struct sched_time *t, const struct tz *tz)
{
	struct buf utc = BUF_INIT, local = BUF_INIT, why = BUF_INIT;
	char wall[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	schedule_view_utc(&utc, t->at);
	sched_format(t, wall, offset);
	wall[10] = 'T';
	buf_addf(&local, "%s%s", wall, offset);
	note(&why, t, tz);
	json_t *doc = json_pack("{s:s,s:s,s:b,s:b,s:b,s:s?}", "utc", buf_str(&utc), "local",
				buf_str(&local), "dst_moved",
				(t->dst & (SCHED_DST_MOVED | SCHED_DST_MOVED_EARLY)) != 0,
				"dst_after_gap", (t->dst & SCHED_DST_AFTER_GAP) != 0,
				"dst_ambiguous", (t->dst & SCHED_DST_AMBIGUOUS) != 0, "note",
				why.len ? buf_str(&why) : NULL);
	buf_release(&utc);
	buf_release(&local);
	buf_release(&why);
	return doc;
}

static int
render_json(struct cmd_ctx *ctx, const struct preview_args *a, const struct preview *p)
{
	struct buf expr = BUF_INIT, start = BUF_INIT;
	describe(&expr, a, p);
	schedule_view_utc(&start, p->start);
	json_t *runs = json_array();
	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(runs, run_json(&p->runs[i], p->engine.tz));
	json_t *doc = json_pack("{s:s?,s:s,s:s,s:s,s:s,s:o}", "id", json_str(p->schedule, "id"),
				"type",
				p->engine.type == SCHED_CRON  ? "cron" :
				p->engine.type == SCHED_RRULE ? "rrule" :
								"interval",
				"expression", buf_str(&expr), "timezone", tz_name(p->engine.tz),
				"start", buf_str(&start), "runs", runs);
	cmd_print_json(ctx, doc);
	json_decref(doc);
	buf_release(&expr);
	buf_release(&start);
	return EXIT_OK;
}

static int
schedule_preview_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct preview_args a = { .count = 10 };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('c', "cron", &a.cron, "CRON", "Preview this cron expression (no request)"),
		OPT_STR('r', "rrule", &a.rrule, "TEXT", "Preview this RFC 5545 rule (no request)"),
		OPT_NUM('i', "interval", &a.interval, "SECONDS",
			"Preview an interval of this many seconds (no request)", 1, 100L * 365 * 86400),
		OPT_STR(0, "anchor", &a.anchor, "DATETIME",
			"With --interval: when the intervals count from (default: now)"),
		OPT_STR(0, "timezone", &a.timezone, "TZ",
			"With --cron, --interval or --rrule: IANA time zone (default UTC)"),
		OPT_NUM('n', "count", &a.count, "N", "How many runs to show (default 10)", 1, 1000),
		OPT_STR(0, "start", &a.start, "WHEN",
			"From this date or date-time in the zone (default: now)"),
		OPT_POS_OPTIONAL("SCHEDULE_ID", &a.id, "A schedule on the server (ID or unique prefix)"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct preview p = { 0 };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (check_options(&a, &err) < 0 ||
	    (a.id ? server_engine(ctx, a.id, &p, &err) : local_engine(&a, &p, &err)) < 0 ||
	    compute(&a, &p, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = ctx->term.format == OUTPUT_JSON ? render_json(ctx, &a, &p) :
						       render_table(ctx, &a, &p);
	if (p.have_engine)
		sched_release(&p.engine);
	free(p.runs);
	json_decref(p.schedule);
	json_decref(p.deployment);
	return rc;
}

const struct cmd_entry cmd_prefect_schedule_preview = {
	.path = "prefect schedule preview",
	.summary = "Show a schedule's next run times, across daylight-saving changes",
	.help = "Show the next N fire times of a schedule on the server (by ID), or of --cron,\n"
		"--interval or --rrule given here (nothing is asked of the server then), in the\n"
		"schedule's time zone and in UTC, exactly as Prefect's scheduler computes them.\n"
		"Runs whose local time a daylight-saving change skipped (Prefect moves cron and\n"
		"interval runs past the gap, RRULE runs before it), runs just after a gap, and\n"
		"runs at a local time that occurs twice are marked.\n"
		"--start previews from another date, e.g. the week of a change.",
	.flags = CMD_API,
	.exec = schedule_preview_exec,
};
