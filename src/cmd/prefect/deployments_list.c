/* mahavishnu prefect deployments list: deployments with flow, pool, schedule. */
#include "api/deployments.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/deployment_view.h"
#include "core/isotime.h"
#include "core/json.h"

static void
row(struct table *t, const json_t *deployment, void *now)
{
	deployment_view_row(t, deployment, *(double *)now);
}

static int
deployments_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *flow_ref = NULL;
	long limit = 50;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('f', "flow", &flow_ref, "FLOW", "Only deployments of this flow (name or ID)"),
		OPT_NUM('l', "limit", &limit, "N", "Maximum deployments to show (default 50)", 1,
			1000000),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *flow = NULL, *deployments = NULL;
	double now = isotime_now();
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if ((flow_ref && prefect_flow_find(ctx->api, flow_ref, &flow, &err) < 0) ||
	    prefect_deployment_list(ctx->api, flow ? json_str(flow, "id") : NULL, (size_t)limit,
				    &deployments, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = cmd_print_list(ctx,
				    &(struct list_view){ .title = "Deployments",
							 .columns = deployment_view_columns,
							 .row = row,
							 .data = &now },
				    deployments);
	json_decref(deployments);
	json_decref(flow);
	return rc;
}

const struct cmd_entry cmd_prefect_deployments_list = {
	.path = "prefect deployments list",
	.summary = "List deployments",
	.help = "List deployments by name with their flow, work pool, status (ready when a\n"
		"worker polls its pool, paused, or not ready), schedules and age.",
	.flags = CMD_API,
	.exec = deployments_list_exec,
};
