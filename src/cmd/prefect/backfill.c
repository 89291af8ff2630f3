/*
 * mahavishnu prefect backfill: create the runs a deployment's schedules
 * would have made between two dates. The fire times come from the schedule
 * engine (src/plan/backfill.c plans them); each run is created Scheduled at
 * its logical time, tagged "backfill", with an idempotency key made of the
 * deployment, the schedule and the time, so that running the same backfill
 * again, or after an interruption, creates only what is missing. Which
 * runs existed is read from the server before and after, not taken from
 * the bulk endpoint (which says "CREATED" for both).
 */
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/schedules.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/list.h"
#include "cmd/prefect/backfill_runs.h"
#include "cmd/prefect/backfill_wait.h"
#include "cmd/prefect/schedule_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "plan/backfill.h"
#include "ui/panel.h"
#include "ui/state.h"
#include "ui/table.h"

_Static_assert(BACKFILL_RUNS_PER_REQUEST <= PREFECT_BULK_RUNS_MAX,
	       "the server takes 100 runs at most");
/* Runs of the -o json document written at a time. */
#define JSON_RUNS_PER_WRITE 200
/* Runs listed in the panel before "... and N more". */
#define RUNS_SHOWN 5
#define DEFAULT_CRON "0 0 * * *"
#define DEFAULT_SCHEDULE_ID "daily-utc"

struct backfill_args {
	const char *deployment;
	const char *start_text, *end_text;
	long max_runs;
	int dry_run;
	const char *date_param;
	int wait;
	long timeout;
};

struct backfill {
	struct when start, end;
	json_t *deployment;
	struct sched *engines; /* one per source */
	struct backfill_source *sources;
	const json_t **schedules; /* the server's schedule per source; NULL: the default */
	size_t nsources;
	struct backfill_plan plan;
	const struct backfill_args *a;
	struct backfill_runs runs; /* what the server has of each planned run */
	int created_any;           /* runs were created (and read back) */
	size_t created;
	struct backfill_wait wait;
};

static int
check_args(const struct backfill_args *a, struct backfill *b, struct error *err)
{
	if (when_parse(&b->start, a->start_text, err) < 0)
		return error_prefix(err, "option '--start'");
	if (when_parse(&b->end, a->end_text, err) < 0)
		return error_prefix(err, "option '--end'");
	if (when_after(&b->start, &b->end) == 1)
		return error_set(err, ERROR_USAGE, "--start %s is after --end %s", a->start_text,
				 a->end_text);
	if (a->date_param && !*a->date_param)
		return error_set(err, ERROR_USAGE, "option '--date-param' needs a parameter name");
	if (a->wait && a->dry_run)
		return error_set(err, ERROR_USAGE, "--wait cannot go with --dry-run");
	if (a->timeout && !a->wait)
		return error_set(err, ERROR_USAGE, "--timeout goes with --wait");
	return 0;
}

static void
add_source(struct backfill *b, const json_t *schedule, const char *id)
{
	b->schedules[b->nsources] = schedule;
	b->sources[b->nsources].sched = &b->engines[b->nsources];
	b->sources[b->nsources].schedule_id = id;
	b->nsources++;
}

/* The deployment's active schedules (cron, interval, RRULE); none: one run a day at 00:00 UTC. */
static int
find_sources(struct backfill *b, struct error *err)
{
	const json_t *all = json_object_get(b->deployment, "schedules"), *s;
	size_t i, n = json_array_size(all) + 1;
	b->engines = xcalloc(n, sizeof(*b->engines));
	b->sources = xcalloc(n, sizeof(*b->sources));
	b->schedules = xcalloc(n, sizeof(*b->schedules));
	json_array_foreach(all, i, s) {
		if (!prefect_schedule_is_active(s))
			continue;
		if (schedule_view_engine(&b->engines[b->nsources], s, err) < 0)
			return error_prefix(err, "schedule %s", json_str(s, "id"));
		add_source(b, s, json_str(s, "id"));
	}
	if (b->nsources)
		return 0;
	if (sched_cron(&b->engines[0], DEFAULT_CRON, 1, "UTC", err) < 0)
		return -1;
	add_source(b, NULL, DEFAULT_SCHEDULE_ID);
	return 0;
}

/* The --date-param's JSON-schema format ("date", "date-time"), if the deployment says. */
static const char *
date_format(const json_t *deployment, const char *name)
{
	const json_t *schema = prefect_deployment_schema(deployment);
	return json_str(json_object_get(json_object_get(schema, "properties"), name), "format");
}

static json_t *
run_parameters(const struct backfill_args *a, const struct backfill *b, const struct backfill_run *r)
{
	const json_t *schedule = b->schedules[r->source];
	const json_t *own = json_object_get(schedule, "parameters");
	json_t *params = json_is_object(own) ? json_deep_copy(own) : json_object();
	if (a->date_param) {
		struct buf v = BUF_INIT;
		backfill_run_date_value(&v, r, date_format(b->deployment, a->date_param));
		json_object_set_new(params, a->date_param, json_string(buf_str(&v)));
		buf_release(&v);
	}
	return params;
}

static json_t *
params_of(size_t i, void *userdata)
{
	const struct backfill *b = userdata;
	return run_parameters(b->a, b, &b->plan.runs[i]);
}

/* The planned runs' parameters, checked once, locally. */
static int
check_params(const struct backfill_args *a, struct backfill *b, struct error *err)
{
	if (!b->plan.count)
		return 0;
	json_t *params = run_parameters(a, b, &b->plan.runs[0]);
	int rc = prefect_deployment_check_params(b->deployment, params, err);
	json_decref(params);
	return rc;
}

static int
prepare(struct api *api, const struct backfill_args *a, struct backfill *b, struct error *err)
{
	if (prefect_deployment_find(api, a->deployment, &b->deployment, err) < 0 ||
	    find_sources(b, err) < 0 ||
	    backfill_plan_make(&b->plan, b->sources, b->nsources, &b->start, &b->end,
			       (size_t)a->max_runs, err) < 0 ||
	    check_params(a, b, err) < 0)
		return -1;
	backfill_runs_init(&b->runs, json_str(b->deployment, "id"), &b->plan, b->sources, params_of,
			   b);
	return backfill_runs_read(api, &b->runs, 1, err);
}

struct progress {
	struct cmd_ctx *ctx;
	const struct backfill_runs *runs;
	double started;
	unsigned tick;
};

/* The bar, between create requests; Ctrl-C stops sending more. */
static int
show_progress(size_t requests_done, void *userdata)
{
	struct progress *p = userdata;
	(void)requests_done;
	cmd_progress_count(p->ctx, "creating runs", atomic_load(&p->runs->made), p->runs->nmissing,
			   isotime_now() - p->started, p->tick++);
	return interrupt_requested();
}

static int
create_missing(struct cmd_ctx *ctx, struct api *api, struct backfill *b, struct error *err)
{
	struct progress p = { ctx, &b->runs, isotime_now(), 0 };
	int stopped = 0;
	interrupt_install();
	int rc = backfill_runs_create(api, &b->runs, show_progress, &p, &stopped, err);
	cmd_progress_clear(ctx);
	b->created_any = 1;
	size_t missing = b->runs.nmissing, made = atomic_load(&b->runs.made);
	if (rc < 0 && !interrupt_requested()) {
		/* a dead server, or one that refused a request: say how far it got */
		error_prefix(err, "stopped with at least %zu of the %zu missing runs created", made,
			     missing);
		return error_hint(err,
				  "run the same backfill again%s to create the rest; runs "
				  "that exist are never created twice",
				  error_is_network(err) ? " once the server answers" : "");
	}
	if (rc == 0 && !stopped)
		return 0;
	struct error read = ERROR_INIT;
	if (rc == 0 && backfill_runs_read(api, &b->runs, 0, &read) == 0)
		error_set(err, ERROR_INTERRUPTED,
			  "interrupted with %zu of the %zu missing runs created",
			  b->runs.present - b->runs.existed, missing);
	else /* the server is away: what it answered is what we know */
		error_set(err, ERROR_INTERRUPTED,
			  "interrupted with at least %zu of the %zu missing runs created", made,
			  missing);
	return error_hint(err, "run the same backfill again to create the rest; runs that "
			       "exist are never created twice");
}

/* Read the runs back: every planned run must exist now; those that did not before are ours. */
static int
verify(struct api *api, struct backfill *b, struct error *err)
{
	if (backfill_runs_read(api, &b->runs, 0, err) < 0) {
		error_prefix(err, "the runs were created but could not be read back");
		return error_hint(err, "run the same backfill again to check: runs that exist are "
				       "never created twice");
	}
	if (b->runs.present != b->plan.count)
		return error_set(err, ERROR_API,
				 "the server has %zu of the %zu planned runs after "
				 "creating them",
				 b->runs.present, b->plan.count);
	b->created = b->runs.present - b->runs.existed;
	return 0;
}

/* What the server has of planned run i (its id is "" when none, in a dry run). */
static const struct backfill_seen *
run_of(const struct backfill *b, size_t i)
{
	return &b->runs.seen[i];
}

static const char *
run_status(const struct backfill *b, size_t i)
{
	if (b->runs.seen[i].existed)
		return "existed";
	return b->created_any ? "created" : "planned";
}

static int
is_default(const struct backfill *b)
{
	return b->nsources == 1 && !b->schedules[0];
}

/* The schedules, one a line and each whole: "0 2 * * 1-5 (America/New_York),". */
static void
add_schedules(struct panel *p, const struct backfill *b)
{
	struct buf v = BUF_INIT;
	if (is_default(b)) {
		panel_field(p, "Schedule", "none active: one run a day at 00:00 UTC", STYLE_NONE);
		return;
	}
	for (size_t i = 0; i < b->nsources; i++) {
		buf_reset(&v);
		schedule_view_expr(&v, b->schedules[i]);
		buf_addf(&v, " (%s)%s", schedule_view_zone(b->schedules[i]),
			 i + 1 < b->nsources ? "," : "");
		panel_field_whole(p,
				  i               ? NULL :
				  b->nsources > 1 ? "Schedules" :
						    "Schedule",
				  buf_str(&v), STYLE_NONE);
	}
	buf_release(&v);
}

static void
left_out_text(struct buf *out, const struct backfill_args *a, const struct backfill *b)
{
	buf_addf(out, "%s%zu run%s beyond --max-runs %ld", b->plan.total_capped ? "over " : "",
		 b->plan.total - b->plan.count, b->plan.total - b->plan.count == 1 ? "" : "s",
		 a->max_runs);
}

/* "2024-01-01 00:00 +01:00": each time with its offset, since schedules may be in several zones. */
static void
start_time(struct buf *out, const struct sched_time *when)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	sched_format(when, local, offset);
	local[16] = '\0';
	buf_addf(out, "%s %s", local, offset);
}

/* One row of the runs table: the run (or "-"), its flow, its state (or "planned") and time. */
static void
run_row(struct table *t, const struct backfill *b, size_t i)
{
	const struct backfill_seen *run = run_of(b, i);
	struct buf v = BUF_INIT;
	table_add_row(t);
	table_cell(t, run->id[0] ? run->id : "-", STYLE_NAME);
	table_cell(t, json_str(b->deployment, "flow_name"), STYLE_NAME);
	if (run->id[0])
		state_label(&v, run->state_type, run->state_name);
	else
		buf_adds(&v, "planned");
	table_cell(t, buf_str(&v), run->id[0] ? state_style(run->state_type) : STYLE_DIM);
	buf_reset(&v);
	start_time(&v, &b->plan.runs[i].when);
	table_cell(t, buf_str(&v), STYLE_META);
	buf_release(&v);
}

/* The first RUNS_SHOWN runs, a table under the panel: "Backfill Runs (5 of 31)". */
static struct table *
runs_table(const struct backfill *b)
{
	size_t shown = b->plan.count < RUNS_SHOWN ? b->plan.count : RUNS_SHOWN;
	char *title = shown < b->plan.count ?
			      xasprintf("Backfill Runs (%zu of %zu)", shown, b->plan.count) :
			      xasprintf("Backfill Runs (%zu)", shown);
	struct table *t = table_new(title);
	free(title);
	table_add_column(t, "Run ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Flow", ALIGN_LEFT, COLUMN_WHOLE); /* the deployment's: known above */
	table_column_fit(t, 1, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_add_column(t, "Start Time", ALIGN_LEFT, 0); /* wraps between date, time, offset */
	for (size_t i = 0; i < shown; i++)
		run_row(t, b, i);
	return t;
}

static void
add_counts(struct panel *p, const struct backfill_args *a, const struct backfill *b)
{
	struct buf v = BUF_INIT;
	size_t existed = b->runs.existed;
	buf_addf(&v, "%zu", a->dry_run ? b->plan.count : b->created);
	panel_field(p, a->dry_run ? "Runs Planned" : "Runs Created", buf_str(&v), STYLE_SUCCESS);
	buf_reset(&v);
	buf_addf(&v, "%zu", existed);
	panel_field(p, "Already Existed", buf_str(&v), STYLE_META);
	if (a->dry_run) {
		buf_reset(&v);
		buf_addf(&v, "%zu", b->plan.count - existed);
		panel_field(p, "Would Create", buf_str(&v), STYLE_INFO);
	}
	if (b->plan.total > b->plan.count) {
		buf_reset(&v);
		left_out_text(&v, a, b);
		panel_field(p, "Left Out", buf_str(&v), STYLE_PROGRESS);
	}
	if (a->wait) {
		buf_reset(&v);
		backfill_wait_summary(&v, &b->wait);
		panel_field(p, "Finished", buf_str(&v), STYLE_INFO);
	}
	buf_release(&v);
}

static int
show_panel(struct cmd_ctx *ctx, const struct backfill_args *a, const struct backfill *b)
{
	struct panel *p = panel_new(a->dry_run ? "Backfill Plan (dry run, nothing created)" :
						 "✓ Backfill Created",
				    a->dry_run ? STYLE_INFO : STYLE_SUCCESS);
	struct buf v = BUF_INIT;
	buf_addf(&v, "%s/%s", json_str(b->deployment, "flow_name"), json_str(b->deployment, "name"));
	panel_field(p, "Deployment", buf_str(&v), STYLE_NAME);
	add_counts(p, a, b);
	buf_reset(&v);
	buf_addf(&v, "%s to %s", a->start_text, a->end_text);
	panel_field(p, "Date Range", buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	add_schedules(p, b);
	if (!a->dry_run) {
		buf_reset(&v);
		buf_addf(&v, "%zu created, %zu already existed.", b->created, b->runs.existed);
		panel_blank(p);
		panel_text(p, buf_str(&v), STYLE_NONE);
	}
	buf_release(&v);
	if (!b->plan.count)
		return cmd_print_panel(ctx, p);
	struct buf out = BUF_INIT;
	struct table *t = runs_table(b);
	panel_render(p, &ctx->term, &out);
	table_render(t, &ctx->term, &out);
	cmd_print(ctx, &out);
	buf_release(&out);
	table_free(t);
	panel_free(p);
	return EXIT_OK;
}

/* The server's text, or NULL for none. */
static const char *
or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static json_t *
run_json(size_t i, void *userdata)
{
	const struct backfill *b = userdata;
	const struct backfill_run *r = &b->plan.runs[i];
	const struct backfill_seen *run = run_of(b, i);
	struct buf local = BUF_INIT;
	backfill_run_local_iso(&local, r);
	json_t *doc = json_pack("{s:s?}", "id", or_null(run->id));
	json_t *prefect = backfill_runs_summary(&b->runs, i);
	json_t *ours = json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "local_time", buf_str(&local),
				 "schedule_id", b->sources[r->source].schedule_id, "status",
				 run_status(b, i), "state_type", or_null(run->state_type),
				 "state_name", or_null(run->state_name));
	json_object_update(doc, prefect);
	json_object_update(doc, ours);
	json_decref(prefect);
	json_decref(ours);
	buf_release(&local);
	return doc;
}

static json_t *
schedules_json(const struct backfill *b)
{
	json_t *list = json_array();
	for (size_t i = 0; i < b->nsources && !is_default(b); i++) {
		struct buf expr = BUF_INIT;
		schedule_view_expr(&expr, b->schedules[i]);
		json_array_append_new(list, json_pack("{s:s?,s:s,s:s,s:s}", "id",
						      json_str(b->schedules[i], "id"), "type",
						      schedule_view_type(b->schedules[i]),
						      "expression", buf_str(&expr), "timezone",
						      schedule_view_zone(b->schedules[i])));
		buf_release(&expr);
	}
	return list;
}

static int
show_json(struct cmd_ctx *ctx, const struct backfill_args *a, const struct backfill *b)
{
	json_t *doc = json_pack("{s:{s:O,s:O,s:O},s:b,s:s,s:s,s:b,s:o,s:I,s:I,s:I,s:I,s:b}",
				"deployment", "id", json_object_get(b->deployment, "id"), "name",
				json_object_get(b->deployment, "name"), "flow_name",
				json_object_get(b->deployment, "flow_name"), "dry_run", a->dry_run,
				"start", a->start_text, "end", a->end_text, "default_schedule",
				is_default(b), "schedules", schedules_json(b), "planned",
				(json_int_t)b->plan.count, "created", (json_int_t)b->created,
				"existed", (json_int_t)b->runs.existed, "left_out",
				(json_int_t)(b->plan.total - b->plan.count), "left_out_at_least",
				b->plan.total_capped);
	if (a->wait)
		json_object_set_new(doc, "wait", backfill_wait_json(&b->wait));
	int rc = cmd_print_json_with_list(ctx, doc, "runs", b->plan.count, JSON_RUNS_PER_WRITE,
					  run_json, (void *)b);
	json_decref(doc);
	return rc;
}

static int
run_backfill(struct cmd_ctx *ctx, const struct backfill_args *a, struct backfill *b,
	     struct error *err)
{
	if (check_args(a, b, err) < 0 || prepare(ctx->api, a, b, err) < 0)
		return -1;
	if (a->dry_run)
		return 0;
	if (create_missing(ctx, ctx->api, b, err) < 0 || verify(ctx->api, b, err) < 0)
		return -1;
	b->wait.timeout = (double)a->timeout;
	return a->wait ? backfill_wait_runs(ctx, ctx->api, &b->runs, &b->wait, err) : 0;
}

static void
backfill_release(struct backfill *b)
{
	for (size_t i = 0; i < b->nsources; i++)
		sched_release(&b->engines[i]);
	free(b->engines);
	free(b->sources);
	free(b->schedules);
	backfill_plan_release(&b->plan);
	json_decref(b->deployment);
	backfill_runs_release(&b->runs);
}

static int
backfill_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct backfill_args a = { .max_runs = 100 };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR_REQ('s', "start", &a.start_text, "DATE",
			    "First day (YYYY-MM-DD, or an ISO date-time) in the schedule's zone"),
		OPT_STR_REQ('e', "end", &a.end_text, "DATE", "Last day, included (or an ISO date-time)"),
		OPT_NUM('m', "max-runs", &a.max_runs, "N", "Most runs to create (default 100)", 1,
			100000),
		OPT_FLAG(0, "dry-run", &a.dry_run, "Show the plan and what exists; create nothing"),
		OPT_STR(0, "date-param", &a.date_param, "NAME",
			"Pass each run's logical date as parameter NAME"),
		OPT_FLAG(0, "wait", &a.wait, "Wait until every run of the backfill has finished"),
		OPT_NUM(0, "timeout", &a.timeout, "SECONDS", "With --wait: give up after this long", 1,
			1000000),
		OPT_POS("DEPLOYMENT", &a.deployment, "NAME, FLOW/NAME, ID or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct backfill b = { .a = &a };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (run_backfill(ctx, &a, &b, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		rc = ctx->term.format == OUTPUT_JSON ? show_json(ctx, &a, &b) :
						       show_panel(ctx, &a, &b);
		if (a.wait)
			rc = backfill_wait_exit_code(&b.wait);
	}
	backfill_release(&b);
	return rc;
}

const struct cmd_entry cmd_prefect_backfill = {
	.path = "prefect backfill",
	.summary = "Create the runs a deployment's schedules would have made in a date range",
	.help = "Create one run for every fire time of the deployment's active schedules from\n"
		"--start to --end, both included, read in each schedule's zone (a deployment\n"
		"without an active schedule gets one run a day at 00:00 UTC, and the output says\n"
		"so). Each run is Scheduled at its logical time, tagged 'backfill', named\n"
		"backfill-DATE, and has an idempotency key made of the deployment, the schedule\n"
		"and the time: running the same backfill again, or after an interruption, creates\n"
		"only the runs that are missing and says how many already existed. --max-runs\n"
		"caps the runs (the earliest are kept; the output says how many were left out).\n"
		"--date-param NAME passes each run's logical date (YYYY-MM-DD; a date-time when\n"
		"the run is not at midnight or the parameter is a datetime). --wait follows the\n"
		"runs to the end: exit 0 when all completed, else 1 failed, 3 crashed,\n"
		"4 cancelled, 5 --timeout passed. Workers start past-dated runs at once.",
	.flags = CMD_API,
	.exec = backfill_exec,
};
