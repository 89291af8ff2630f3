/*
 * mahavishnu prefect flow delete: delete a flow. Prefect deletes the flow's
 * deployments and flow runs with it, so the confirmation says how many.
 */
#include <stdio.h>

#include "api/flows.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/panel.h"

struct doomed {
	const char *name;
	const char *id;
	long deployments;
	long runs;
};

static int
confirm(struct cmd_ctx *ctx, const struct doomed *d, int yes, struct error *err)
{
	char question[512], what[300];
	snprintf(question, sizeof(question),
		 "Delete flow '%s' (%s)? Prefect also deletes its %ld deployment%s and %ld "
		 "flow run%s.",
		 d->name, d->id, d->deployments, d->deployments == 1 ? "" : "s", d->runs,
		 d->runs == 1 ? "" : "s");
	snprintf(what, sizeof(what), "flow '%s'", d->name);
	return cmd_confirm_delete(ctx, what, question, yes, err);
}

static int
show(struct cmd_ctx *ctx, const struct doomed *d)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s,s:s,s:b,s:I,s:I}", "id", d->id, "name", d->name,
					"deleted", 1, "deployments_deleted",
					(json_int_t)d->deployments, "flow_runs_deleted",
					(json_int_t)d->runs);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Flow Deleted", STYLE_SUCCESS);
	struct buf n = BUF_INIT;
	panel_field(p, "Name", d->name, STYLE_NAME);
	panel_field(p, "ID", d->id, STYLE_NAME);
	buf_addf(&n, "%ld", d->deployments);
	panel_field(p, "Deployments", buf_str(&n), STYLE_META);
	buf_reset(&n);
	buf_addf(&n, "%ld", d->runs);
	panel_field(p, "Flow Runs", buf_str(&n), STYLE_META);
	panel_text(p, "Deleted with the flow.", STYLE_NONE);
	cmd_print_panel(ctx, p);
	buf_release(&n);
	return EXIT_OK;
}

static int
flow_delete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	int yes = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('y', "yes", &yes, "Delete without asking"),
		OPT_POS("FLOW", &ref, "Flow name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *flow = NULL;
	struct doomed d = { 0 };
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_flow_find(ctx->api, ref, &flow, &err) < 0)
		return json_decref(flow), cmd_fail(ctx, &err);
	d.name = json_str(flow, "name");
	d.id = json_str(flow, "id");
	if (prefect_flow_dependents(ctx->api, d.id, &d.deployments, &d.runs, &err) < 0 ||
	    confirm(ctx, &d, yes, &err) < 0 || prefect_flow_delete(ctx->api, d.id, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, &d);
	json_decref(flow);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_delete = {
	.path = "prefect flow delete",
	.summary = "Delete a flow with its deployments and runs",
	.help = "Delete a flow. Prefect deletes the flow's deployments and flow runs with it\n"
		"(its logs stay). Asks first on a terminal; --yes skips the question, and\n"
		"is required when standard input is not a terminal.",
	.flags = CMD_API,
	.exec = flow_delete_exec,
};
