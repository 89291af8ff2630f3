/* mahavishnu prefect deployments get: one deployment in detail. */
#include "api/deployments.h"
#include "cli/command.h"
#include "cmd/prefect/deployment_view.h"

static int
deployments_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("DEPLOYMENT", &ref, "NAME, FLOW/NAME, ID or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *d = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_deployment_find(ctx->api, ref, &d, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = deployment_view_show(ctx, d, "Deployment Details");
	json_decref(d);
	return rc;
}

const struct cmd_entry cmd_prefect_deployments_get = {
	.path = "prefect deployments get",
	.summary = "Show one deployment",
	.help = "Show a deployment: flow, ID, status, work pool, schedules, entrypoint,\n"
		"version, tags and default parameters. DEPLOYMENT is a name (FLOW/NAME when\n"
		"several flows have one of that name), an ID or a unique ID prefix.",
	.flags = CMD_API,
	.exec = deployments_get_exec,
};
