/* mahavishnu prefect flow-runs list: flow runs, newest first, with filters. */
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/run_filter_options.h"
#include "cmd/prefect/run_view.h"
#include "core/json.h"
#include "core/xalloc.h"

struct list_args {
	long limit;
	int all;
	const char *flow;
	const char *deployment;
	const char *since;
	struct strlist states;
};

/* Resolve names to IDs; the found objects are kept for the IDs' lifetime. */
static int
resolve(struct api *api, const struct list_args *a, struct flow_run_filter *f, json_t **flow,
	json_t **deployment, struct error *err)
{
	if (a->flow && prefect_flow_find(api, a->flow, flow, err) < 0)
		return -1;
	if (a->deployment && prefect_deployment_find(api, a->deployment, deployment, err) < 0)
		return -1;
	f->flow_id = *flow ? json_str(*flow, "id") : NULL;
	f->deployment_id = *deployment ? json_str(*deployment, "id") : NULL;
	return 0;
}

static void
row(struct table *t, const json_t *run, void *unused)
{
	(void)unused;
	run_view_row(t, run);
}

static const struct list_view view = {
	.title = "Flow Runs", .noun = "flow runs", .columns = run_view_columns, .row = row
};

/* A list being printed as its pages come. */
struct listing {
	struct api *api;
	const struct flow_run_filter *f;
	size_t limit;
	struct list_out *out;
};

static int
count(void *userdata, long *out, struct error *err)
{
	struct listing *l = userdata;
	return prefect_flow_run_count(l->api, l->f, out, err);
}

static int
print_page(json_t *runs, void *userdata, struct error *err)
{
	struct listing *l = userdata;
	return list_add_page(l->out, runs, l->limit, count, l, err);
}

static int
list_runs(struct cmd_ctx *ctx, const struct list_args *a, const struct flow_run_filter *f,
	  struct error *err)
{
	struct listing l = { ctx->api, f, list_limit(a->limit, a->all), list_start(ctx, &view) };
	if (prefect_flow_run_stream(ctx->api, f, l.limit, print_page, &l, err) < 0) {
		list_abort(l.out);
		return -1;
	}
	return list_finish(l.out);
}

static int
fetch_and_print(struct cmd_ctx *ctx, struct list_args *a, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *flow = NULL, *deployment = NULL;
	char since[32];
	int rc = run_filter_add_states(&f, &a->states, err);
	if (rc == 0 && a->since && (rc = run_filter_time_iso("since", a->since, since, err)) == 0)
		f.since = since;
	if (rc == 0)
		rc = resolve(ctx->api, a, &f, &flow, &deployment, err);
	if (rc == 0)
		rc = list_runs(ctx, a, &f, err);
	json_decref(flow);
	json_decref(deployment);
	flow_run_filter_release(&f);
	return rc;
}

static int
flow_runs_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct list_args a = { .limit = LIST_DEFAULT_LIMIT, .states = STRLIST_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		LIST_LIMIT_OPTIONS(&a.limit, &a.all, "runs"),
		OPT_STR('f', "flow", &a.flow, "FLOW", "Only runs of this flow (name or ID)"),
		OPT_MULTI('s', "state", &a.states, "STATE",
			  "Only runs in these states, e.g. failed,late (repeatable)"),
		OPT_STR(0, "deployment", &a.deployment, "DEPLOYMENT",
			"Only runs of this deployment (NAME, FLOW/NAME or ID)"),
		OPT_STR(0, "since", &a.since, "WHEN",
			"Only runs started since WHEN: a date, a date-time, or an age (6h, 2d)"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		rc = fetch_and_print(ctx, &a, &err);
		rc = rc < 0 ? cmd_fail(ctx, &err) : rc;
	}
	strlist_release(&a.states);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_flow_runs_list = {
	.path = "prefect flow-runs list",
	.summary = "List flow runs, latest start first",
	.help = "List flow runs by start time (scheduled runs by their expected start), latest\n"
		"first, with their state, start time and duration.\n"
		"--state takes state types (completed, failed, crashed, cancelled, cancelling,\n"
		"running, pending, scheduled, paused) and state names (late, awaitingretry,\n"
		"retrying, timedout, ...), case-insensitive; several values match any of them.\n"
		"--limit may exceed the server's page size of 200 (pages are fetched a few at a\n"
		"time and printed as they come); --limit 0 or --all lists every run. A list cut\n"
		"by --limit says so: \"50 of 57\" in the title and a hint on stderr.",
	.flags = CMD_API,
	.exec = flow_runs_list_exec,
};
