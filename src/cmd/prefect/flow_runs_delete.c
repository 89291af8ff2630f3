/*
 * mahavishnu prefect flow-runs delete: delete a flow run (its task runs and
 * logs go with it), or many by filter or from standard input (run_bulk.h)
 * with POST /flow_runs/bulk_delete, 50 runs a request. A run that is
 * already gone counts as deleted, so a second try does only the rest.
 */
#include <stdio.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "cmd/prefect/run_bulk.h"
#include "core/json.h"
#include "ui/panel.h"

/* ---- many runs ---- */

static int
delete_batch(struct api *api, json_t *const *runs, size_t n, struct run_bulk_result *results,
	     void *unused, struct error *err)
{
	json_t *ids = json_array(), *deleted = NULL, *gone = json_object(), *id;
	size_t i;
	(void)unused;
	for (i = 0; i < n; i++)
		json_array_append(ids, json_object_get(runs[i], "id"));
	int rc = prefect_flow_runs_delete(api, ids, &deleted, err);
	json_array_foreach(deleted, i, id)
		if (json_is_string(id))
			json_object_set_new(gone, json_string_value(id), json_true());
	for (i = 0; rc == 0 && i < n; i++)
		results[i].outcome =
			json_object_get(gone, json_str(runs[i], "id")) ? "deleted" : "already gone";
	json_decref(gone);
	json_decref(deleted);
	json_decref(ids);
	return rc;
}

static const struct run_bulk_action delete_action = {
	.verb = "delete",
	.doing = "deleting",
	.done = "deleted",
	.batch = PREFECT_FLOW_RUN_BULK_MAX,
	.absent_done = 1,
	.act = delete_batch,
};

/* ---- one run ---- */

static int
show(struct cmd_ctx *ctx, const json_t *run)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:O?,s:O?,s:O?,s:b}", "id", json_object_get(run, "id"),
					"name", json_object_get(run, "name"), "flow_id",
					json_object_get(run, "flow_id"), "deleted", 1);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Flow Run Deleted", STYLE_SUCCESS);
	panel_field(p, "Run ID", json_str(run, "id"), STYLE_NAME);
	panel_field(p, "Name", json_str(run, "name"), STYLE_NAME);
	cmd_print_panel(ctx, p);
	return EXIT_OK;
}

static int
confirm(struct cmd_ctx *ctx, const json_t *run, int yes, struct error *err)
{
	char question[512], what[300];
	snprintf(question, sizeof(question), "Delete flow run '%s' (%s) with its logs?",
		 json_str(run, "name"), json_str(run, "id"));
	snprintf(what, sizeof(what), "flow run '%s'", json_str(run, "name"));
	return cmd_confirm_delete(ctx, what, question, yes, err);
}

static int
delete_one(struct cmd_ctx *ctx, const char *ref, int yes)
{
	struct error err = ERROR_INIT;
	json_t *run = NULL;
	int rc;
	if (prefect_flow_run_find(ctx->api, ref, &run, &err) < 0 ||
	    confirm(ctx, run, yes, &err) < 0 ||
	    prefect_flow_run_delete(ctx->api, json_str(run, "id"), &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, run);
	json_decref(run);
	return rc;
}

static int
flow_runs_delete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return run_bulk_command(ctx, argc, argv, &delete_action, delete_one);
}

const struct cmd_entry cmd_prefect_flow_runs_delete = {
	.path = "prefect flow-runs delete",
	.summary = "Delete a flow run, or many by filter",
	.help = "Delete a flow run with its task runs and logs. Asks first on a terminal;\n"
		"--yes skips the question and is required when standard input is not a\n"
		"terminal. Filters (--flow, --deployment, --state, --tag, --since, --until,\n"
		"--older-than) or '-' (run IDs on standard input, one a line) delete many\n"
		"runs: --dry-run lists them, and a summary counts what was done and lists\n"
		"what failed (exit 1). A run already gone counts as deleted, so the same\n"
		"command run again after an interruption does the rest.",
	.flags = CMD_API,
	.exec = flow_runs_delete_exec,
};
