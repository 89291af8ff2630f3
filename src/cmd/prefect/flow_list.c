/*
 * mahavishnu prefect flow list: flows with their deployments and last run,
 * printed a page at a time as the pages arrive.
 */
#include "api/flow_overview.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/flow_view.h"
#include "core/isotime.h"

struct listing {
	struct api *api;
	size_t limit;
	int deployed;
	double now;
	struct list_out *out;
};

static void
row(struct table *t, const json_t *flow, void *userdata)
{
	const struct listing *l = userdata;
	flow_view_row(t, flow, l->now);
}

static json_t *
as_json(const json_t *flow, void *unused)
{
	(void)unused;
	return flow_view_json(flow);
}

static int
count(void *userdata, long *out, struct error *err)
{
	struct listing *l = userdata;
	return prefect_flow_count(l->api, l->deployed, out, err);
}

/* Each page with its flows' deployments and last runs, in a few batched requests. */
static int
print_page(json_t *flows, void *userdata, struct error *err)
{
	struct listing *l = userdata;
	if (prefect_flow_overview(l->api, flows, NULL, err) < 0)
		return -1;
	return list_add_page(l->out, flows, l->limit, count, l, err);
}

static int
list_flows(struct cmd_ctx *ctx, struct listing *l, struct error *err)
{
	const struct list_view view = { .title = "Prefect Flows",
					.noun = "flows",
					.columns = flow_view_columns,
					.row = row,
					.json = as_json,
					.data = l };
	l->out = list_start(ctx, &view);
	if (prefect_flow_stream(ctx->api, l->limit, l->deployed, print_page, l, err) < 0) {
		list_abort(l->out);
		return -1;
	}
	return list_finish(l->out);
}

static int
flow_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	long limit = LIST_DEFAULT_LIMIT;
	int all = 0, deployed = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		LIST_LIMIT_OPTIONS(&limit, &all, "flows"),
		OPT_FLAG('d', "deployed", &deployed, "Show only flows that have a deployment"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	struct listing l = { ctx->api, list_limit(limit, all), deployed, isotime_now(), NULL };
	return list_flows(ctx, &l, &err) < 0 ? cmd_fail(ctx, &err) : EXIT_OK;
}

const struct cmd_entry cmd_prefect_flow_list = {
	.path = "prefect flow list",
	.summary = "List flows with their deployments and last run",
	.help = "List flows, newest first, with the latest deployment's version, whether\n"
		"the flow is deployed, and the state of the run that started last.\n"
		"--limit may exceed the server's page size of 200 (pages are fetched a few at a\n"
		"time and printed as they come); --limit 0 or --all lists every flow. A list cut\n"
		"by --limit says so: \"50 of 57\" in the title and a hint on stderr.",
	.flags = CMD_API,
	.exec = flow_list_exec,
};
