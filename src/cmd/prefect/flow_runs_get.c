/* mahavishnu prefect flow-runs get: one flow run in detail. */
#include <stdlib.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "cmd/prefect/run_view.h"

static int
flow_runs_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("RUN", &ref, "Run ID, unique ID prefix, or run name"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *run = NULL, *list = NULL;
	char *ui_url = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_flow_run_find(ctx->api, ref, &run, &err) < 0 ||
	    prefect_flow_run_add_names(ctx->api, (list = json_pack("[O]", run)), &err) < 0 ||
	    config_ui_url(&ctx->config, &ui_url, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = run_view_show(ctx, run, ui_url);
	free(ui_url);
	json_decref(list);
	json_decref(run);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_runs_get = {
	.path = "prefect flow-runs get",
	.summary = "Show one flow run in detail",
	.help = "Show a flow run: state and its message, start and end times, duration,\n"
		"deployment, work pool, tags, parameters and its page in the Prefect UI.\n"
		"RUN is a run ID, a unique ID prefix, or a run name.",
	.flags = CMD_API,
	.exec = flow_runs_get_exec,
};
