/*
 * mahavishnu prefect flow-runs cancel: Prefect's cancelling protocol. A
 * running run goes to Cancelling and its worker stops it; a run that has
 * not started is cancelled at once; a finished run is an error. Many runs
 * at once by filter or from standard input (run_bulk.h): POST
 * /flow_runs/bulk_set_state, 50 runs a request; there a run already
 * cancelled or cancelling is done, and one that ended otherwise is left.
 */
#include <string.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "cmd/prefect/run_bulk.h"
#include "cmd/prefect/run_cancel.h"
#include "cmd/prefect/run_follow.h"
#include "core/json.h"
#include "ui/panel.h"
#include "ui/state.h"

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

/* ---- many runs ---- */

static int
check_one(const json_t *run, struct run_bulk_result *r, void *unused)
{
	const char *type = json_str(run, "state_type");
	(void)unused;
	if (type && !strcmp(type, "CANCELLED"))
		r->outcome = "already cancelled";
	else if (type && !strcmp(type, "CANCELLING"))
		r->outcome = "already cancelling";
	else if (type && run_state_is_final(type))
		r->outcome = "already ended";
	return r->outcome == NULL;
}

static void
take_result(const json_t *result, struct run_bulk_result *r)
{
	const char *status = json_str(result, "status");
	const char *type = json_str_path(result, "state.type");
	const char *reason = json_str_path(result, "details.reason");
	if (!result)
		run_bulk_fail(r, "the run is no longer there");
	else if (status && !strcmp(status, "ACCEPT"))
		r->outcome = "cancelling";
	else if (type && !strcmp(type, "CANCELLED"))
		r->outcome = "cancelled";
	else
		run_bulk_fail(r, "%s", reason ? reason : "the server refused");
}

static int
cancel_batch(struct api *api, json_t *const *runs, size_t n, struct run_bulk_result *results,
	     void *unused, struct error *err)
{
	const struct flow_run_state cancelling = { .type = "CANCELLING" };
	json_t *ids = json_array(), *answers = NULL;
	(void)unused;
	for (size_t i = 0; i < n; i++)
		json_array_append(ids, json_object_get(runs[i], "id"));
	int rc = prefect_flow_runs_propose(api, ids, &cancelling, &answers, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		take_result(json_object_get(answers, json_str(runs[i], "id")), &results[i]);
	json_decref(answers);
	json_decref(ids);
	return rc;
}

static const struct run_bulk_action cancel_action = {
	.verb = "cancel",
	.doing = "cancelling",
	.done = "cancelled",
	.batch = PREFECT_FLOW_RUN_BULK_MAX,
	.check = check_one,
	.act = cancel_batch,
};

static int
cancel_one(struct cmd_ctx *ctx, const char *ref, int yes)
{
	(void)yes; /* cancelling one run asks nothing, as before the bulk form */
	const char *said = NULL;
	struct error err = ERROR_INIT;
	json_t *run = NULL, *result = NULL;
	int rc;
	if (prefect_flow_run_find(ctx->api, ref, &run, &err) < 0 ||
	    run_cancel(ctx->api, run, &result, &said, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, run, result, said);
	json_decref(result);
	json_decref(run);
	return rc;
}

static int
flow_runs_cancel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_bulk_command(ctx, argc, argv, &cancel_action, cancel_one);
}

const struct cmd_entry cmd_prefect_flow_runs_cancel = {
	.path = "prefect flow-runs cancel",
	.summary = "Cancel a flow run, or many by filter",
	.help = "Cancel a flow run the way Prefect does: a pending or running run moves to\n"
		"Cancelling and the worker executing it stops it; a scheduled run that has\n"
		"not started is cancelled at once. Cancelling a finished run is an error.\n"
		"Filters (--flow, --deployment, --state, --tag, --since, --until, --older-than)\n"
		"or '-' (run IDs on standard input, one a line) cancel many runs: --dry-run\n"
		"lists them, a terminal asks first (--yes does not ask, and is needed when\n"
		"standard input is not a terminal), and a summary counts what was done and\n"
		"lists what failed (exit 1). Runs already cancelled or cancelling count as\n"
		"done and runs that ended otherwise are left as they are, so the same command\n"
		"run again after an interruption does the rest.",
	.flags = CMD_API,
	.exec = flow_runs_cancel_exec,
};
