/*
 * mahavishnu prefect flow-runs stats: counts per state, failure rate,
 * duration percentiles, the slowest runs and runs per day or hour, over the
 * runs started in a window, read a page at a time.
 */
#include <math.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cmd/prefect/run_filter_options.h"
#include "cmd/prefect/run_stats.h"
#include "cmd/prefect/run_stats_svg.h"
#include "cmd/prefect/run_stats_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "graph/graphviz.h"

static const char *const by_choices[] = { "day", "hour", NULL };

struct stats_args {
	const char *flow;
	const char *deployment;
	const char *since;
	const char *until;
	const char *by;
	const char *svg;
};

/* The window's ends as ISO UTC times; until is rounded up to the second. */
struct window {
	char since[32], until[32];
};

static int
check_window(const struct stats_args *a, struct window *w, struct error *err)
{
	double now = isotime_now(), since, until = now;
	if (run_filter_time("since", a->since, now, &since, err) < 0 ||
	    (a->until && run_filter_time("until", a->until, now, &until, err) < 0))
		return -1;
	if (until < since)
		return error_set(err, ERROR_USAGE, "option '--until': '%s' is before --since '%s'",
				 a->until ? a->until : "now", a->since);
	isotime_format_utc(since, w->since);
	isotime_format_utc(ceil(until), w->until);
	return 0;
}

/* One run of a page as it is counted. */
static void
count_run(struct run_stats *s, const json_t *run)
{
	const char *start = json_str(run, "start_time");
	const char *type = json_str(run, "state_type");
	struct run_stats_run r = {
		json_str(run, "id"), json_str(run, "name"), type, json_str(run, "state_name"), 0, -1
	};
	if (isotime_parse(start ? start : json_str(run, "expected_start_time"), &r.start) < 0)
		return;
	if (start && run_stats_state_index(type) >= 0 &&
	    run_stats_state_index(type) < RUN_STATS_FINAL)
		r.duration = json_num(run, "total_run_time", 0);
	run_stats_add(s, &r);
}

static int
count_page(json_t *runs, void *userdata, struct error *err)
{
	const json_t *run;
	size_t i;
	(void)err;
	json_array_foreach(runs, i, run)
		count_run(userdata, run);
	return 0;
}

static int
write_svg(const char *path, const struct run_stats *s, const struct run_stats_scope *scope,
	  struct error *err)
{
	struct buf title = BUF_INIT, svg = BUF_INIT;
	buf_addf(&title, "Flow runs per %s, ", s->by == RUN_PERIOD_HOUR ? "hour" : "day");
	run_stats_view_window(&title, scope);
	if (scope->flow)
		buf_addf(&title, ", flow %s", scope->flow);
	if (scope->deployment)
		buf_addf(&title, ", deployment %s", scope->deployment);
	run_stats_svg(&svg, s, buf_str(&title));
	int rc = graph_save(path, svg.data, svg.len, err);
	buf_release(&title);
	buf_release(&svg);
	return rc;
}

static int
show(struct cmd_ctx *ctx, const struct run_stats *s, const struct run_stats_scope *scope)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = run_stats_view_json(s, scope);
		int rc = cmd_print_json(ctx, doc);
		json_decref(doc);
		return rc;
	}
	struct buf out = BUF_INIT;
	run_stats_view_render(&out, s, scope, &ctx->term);
	int rc = cmd_print(ctx, &out);
	buf_release(&out);
	return rc;
}

/* Resolve names to IDs; the found objects are kept for the IDs' lifetime. */
static int
resolve(struct api *api, const struct stats_args *a, json_t **flow, json_t **deployment,
	struct run_stats_scope *scope, struct error *err)
{
	if (a->flow && prefect_flow_find(api, a->flow, flow, err) < 0)
		return -1;
	if (a->deployment && prefect_deployment_find(api, a->deployment, deployment, err) < 0)
		return -1;
	scope->flow = *flow ? json_str(*flow, "name") : NULL;
	scope->flow_id = *flow ? json_str(*flow, "id") : NULL;
	scope->deployment = *deployment ? json_str(*deployment, "name") : NULL;
	scope->deployment_id = *deployment ? json_str(*deployment, "id") : NULL;
	return 0;
}

static int
gather(struct cmd_ctx *ctx, const struct run_stats_scope *scope, struct run_stats *s,
       struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	f.flow_id = scope->flow_id;
	f.deployment_id = scope->deployment_id;
	f.since = scope->since;
	f.until = scope->until;
	int rc = prefect_flow_run_stream(ctx->api, &f, 0, count_page, s, err);
	flow_run_filter_release(&f);
	run_stats_finish(s);
	return rc;
}

static int
run(struct cmd_ctx *ctx, const struct stats_args *a, struct error *err)
{
	struct window w;
	struct run_stats s;
	json_t *flow = NULL, *deployment = NULL;
	struct run_stats_scope scope = { w.since, w.until, NULL, NULL, NULL, NULL };
	run_stats_init(&s, strcmp(a->by, "hour") ? RUN_PERIOD_DAY : RUN_PERIOD_HOUR);
	int rc = check_window(a, &w, err);
	if (rc == 0)
		rc = resolve(ctx->api, a, &flow, &deployment, &scope, err);
	if (rc == 0)
		rc = gather(ctx, &scope, &s, err);
	if (rc == 0 && a->svg)
		rc = write_svg(a->svg, &s, &scope, err);
	if (rc == 0)
		rc = show(ctx, &s, &scope);
	run_stats_release(&s);
	json_decref(flow);
	json_decref(deployment);
	return rc;
}

static int
flow_runs_stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct stats_args a = { .since = "7d", .by = "day" };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('f', "flow", &a.flow, "FLOW", "Only runs of this flow (name or ID)"),
		OPT_STR(0, "deployment", &a.deployment, "DEPLOYMENT",
			"Only runs of this deployment (NAME, FLOW/NAME or ID)"),
		OPT_STR(0, "since", &a.since, "WHEN",
			"Runs started since WHEN: a date, a date-time, or an age (default 7d)"),
		OPT_STR(0, "until", &a.until, "WHEN",
			"Runs started until WHEN (default now), as --since takes it"),
		OPT_ONE_OF(0, "by", &a.by, "PERIOD", "Bars per day (default) or hour", by_choices),
		OPT_STR(0, "svg", &a.svg, "FILE", "Also write the bar chart to FILE as SVG"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		rc = run(ctx, &a, &err);
		rc = rc < 0 ? cmd_fail(ctx, &err) : rc;
	}
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_flow_runs_stats = {
	.path = "prefect flow-runs stats",
	.summary = "Summarise flow runs: states, failure rate, durations, runs per day",
	.help = "Summarise the flow runs started (or, for scheduled runs, expected to start)\n"
		"between --since (default 7d ago) and --until (default now): runs per state,\n"
		"the failure rate (failed and crashed runs of those in a final state), the\n"
		"duration percentiles p50, p90 and p99 and the longest duration of finished\n"
		"runs, the five slowest runs, and a bar per local day or hour (--by).\n"
		"Durations are Prefect's total_run_time, the time runs spent Running;\n"
		"percentiles interpolate linearly between ranks, as numpy's default does.\n"
		"--svg FILE also writes the bars as an SVG chart.",
	.flags = CMD_API,
	.exec = flow_runs_stats_exec,
};
