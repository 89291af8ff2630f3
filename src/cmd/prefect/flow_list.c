/* mahavishnu prefect flow list: flows with their deployments and last run. */
#include "api/flow_overview.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cmd/prefect/flow_view.h"
#include "core/isotime.h"
#include "ui/table.h"

static int
render_table(struct cmd_ctx *ctx, const json_t *flows)
{
	struct table *t = table_new_counted("Prefect Flows", json_array_size(flows));
	double now = isotime_now();
	size_t i;
	json_t *flow;
	flow_view_columns(t);
	json_array_foreach(flows, i, flow)
		flow_view_row(t, flow, now);
	cmd_print_table(ctx, t);
	return EXIT_OK;
}

static int
render_json(struct cmd_ctx *ctx, const json_t *flows)
{
	json_t *doc = json_array(), *flow;
	size_t i;
	json_array_foreach(flows, i, flow)
		json_array_append_new(doc, flow_view_json(flow));
	cmd_print_json(ctx, doc);
	json_decref(doc);
	return EXIT_OK;
}

static int
flow_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	long limit = 50;
	int deployed = 0;
	const struct opt_spec options[] = {
		OPT_NUM('l', "limit", &limit, "N", "Maximum flows to show (default 50)", 1, 1000000),
		OPT_FLAG('d', "deployed", &deployed, "Show only flows that have a deployment"),
		OPT_TABLE_END,
	};
	struct error err = ERROR_INIT;
	json_t *flows = NULL;
	struct api *api;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (!(api = cmd_api(ctx, &err)) ||
	    prefect_flow_list(api, (size_t)limit, deployed, &flows, &err) < 0 ||
	    prefect_flow_overview(api, flows, NULL, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else if (ctx->term.format == OUTPUT_JSON)
		rc = render_json(ctx, flows);
	else
		rc = render_table(ctx, flows);
	json_decref(flows);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_list = {
	.path = "prefect flow list",
	.summary = "List flows with their deployments and last run",
	.help = "List flows, newest first, with the latest deployment's version, whether\n"
		"the flow is deployed, and the state of the run that started last.\n"
		"--limit may exceed the server's page size of 200; pages are fetched in turn.",
	.exec = flow_list_exec,
};
