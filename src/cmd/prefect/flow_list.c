/* mahavishnu prefect flow list: flows with their deployments and last run. */
#include "api/flow_overview.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/flow_view.h"
#include "core/isotime.h"

static void
row(struct table *t, const json_t *flow, void *now)
{
	flow_view_row(t, flow, *(double *)now);
}

static json_t *
as_json(const json_t *flow, void *unused)
{
	(void)unused;
	return flow_view_json(flow);
}

static int
flow_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	long limit = 50;
	int deployed = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NUM('l', "limit", &limit, "N", "Maximum flows to show (default 50)", 1, 1000000),
		OPT_FLAG('d', "deployed", &deployed, "Show only flows that have a deployment"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *flows = NULL;
	double now = isotime_now();
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_flow_list(ctx->api, (size_t)limit, deployed, &flows, &err) < 0 ||
	    prefect_flow_overview(ctx->api, flows, NULL, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = cmd_print_list(ctx,
				    &(struct list_view){ .title = "Prefect Flows",
							 .columns = flow_view_columns,
							 .row = row,
							 .json = as_json,
							 .data = &now },
				    flows);
	json_decref(flows);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_list = {
	.path = "prefect flow list",
	.summary = "List flows with their deployments and last run",
	.help = "List flows, newest first, with the latest deployment's version, whether\n"
		"the flow is deployed, and the state of the run that started last.\n"
		"--limit may exceed the server's page size of 200; pages are fetched in turn.",
	.flags = CMD_API,
	.exec = flow_list_exec,
};
