/* mahavishnu prefect flow get: one flow, by name, ID or ID prefix. */
#include "api/flow_overview.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cmd/prefect/flow_view.h"

static int
flow_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("FLOW", &ref, "Flow name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *flow = NULL, *list = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_flow_find(ctx->api, ref, &flow, &err) < 0 ||
	    prefect_flow_overview(ctx->api, (list = json_pack("[O]", flow)), NULL, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = flow_view_show(ctx, flow, "Flow Details");
	json_decref(list);
	json_decref(flow);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_get = {
	.path = "prefect flow get",
	.summary = "Show one flow",
	.help = "Show a flow: its ID, description, tags, latest deployment version,\n"
		"deployments and last run. FLOW is a name, a full ID or a unique ID prefix.",
	.flags = CMD_API,
	.exec = flow_get_exec,
};
