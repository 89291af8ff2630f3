/*
 * mahavishnu prefect flow-runs cancel: Prefect's cancelling protocol. A
 * running run goes to Cancelling and its worker stops it; a run that has
 * not started is cancelled at once; a finished run is an error.
 */
#include <string.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/panel.h"
#include "ui/state.h"

/* What the orchestration result means for the user. */
static int
outcome(const json_t *result, const json_t *run, const char **said, struct error *err)
{
	const char *status = json_str(result, "status");
	const char *type = json_str_path(result, "state.type");
	if (status && !strcmp(status, "ACCEPT")) {
		*said = "Cancelling: the worker running it will stop it";
		return 0;
	}
	if (status && !strcmp(status, "REJECT") && type && !strcmp(type, "CANCELLED")) {
		*said = "Cancelled (it had not started)";
		return 0;
	}
	const char *reason = json_str_path(result, "details.reason");
	return error_set(err, ERROR_INVALID, "cannot cancel flow run '%s' (%s): %s",
			 json_str(run, "name"),
			 json_str(run, "state_name") ? json_str(run, "state_name") : "?",
			 reason ? reason : "the server refused");
}

static int
show(struct cmd_ctx *ctx, const json_t *run, const json_t *result, const char *said)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:O?,s:O?,s:O?,s:s}", "id", json_object_get(run, "id"),
					"name", json_object_get(run, "name"), "state",
					json_object_get(result, "state"), "result", said);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Flow Run Cancel Requested", STYLE_SUCCESS);
	panel_field(p, "Run ID", json_str(run, "id"), STYLE_NAME);
	panel_field(p, "Name", json_str(run, "name"), STYLE_NAME);
	panel_field(p, "Result", said, STYLE_PROGRESS);
	cmd_print_panel(ctx, p);
	return EXIT_OK;
}

static int
flow_runs_cancel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL, *said = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("RUN", &ref, "Run ID, unique ID prefix, or run name"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *run = NULL, *result = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_flow_run_find(ctx->api, ref, &run, &err) < 0 ||
	    prefect_flow_run_set_state(ctx->api, json_str(run, "id"), "CANCELLING", 0, &result,
				       &err) < 0 ||
	    outcome(result, run, &said, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, run, result, said);
	json_decref(result);
	json_decref(run);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_runs_cancel = {
	.path = "prefect flow-runs cancel",
	.summary = "Cancel a flow run",
	.help = "Cancel a flow run the way Prefect does: a pending or running run moves to\n"
		"Cancelling and the worker executing it stops it; a scheduled run that has\n"
		"not started is cancelled at once. Cancelling a finished run is an error.",
	.flags = CMD_API,
	.exec = flow_runs_cancel_exec,
};
