/*
 * mahavishnu prefect undeploy: delete a deployment. Prefect deletes its
 * scheduled runs that have not started with it; other runs stay.
 */
#include <stdio.h>

#include "api/deployments.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/panel.h"

static int
confirm(struct cmd_ctx *ctx, const json_t *d, long scheduled, int yes, struct error *err)
{
	char question[512], what[300];
	snprintf(question, sizeof(question),
		 "Delete deployment '%s/%s'? Prefect also deletes its "
		 "%ld scheduled run%s that have not started.",
		 json_str(d, "flow_name"), json_str(d, "name"), scheduled,
		 scheduled == 1 ? "" : "s");
	snprintf(what, sizeof(what), "deployment '%s'", json_str(d, "name"));
	return cmd_confirm_delete(ctx, what, question, yes, err);
}

static int
show(struct cmd_ctx *ctx, const json_t *d, long scheduled)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:O?,s:O?,s:O?,s:b,s:I}", "id", json_object_get(d, "id"),
					"name", json_object_get(d, "name"), "flow",
					json_object_get(d, "flow_name"), "deleted", 1,
					"scheduled_runs_deleted", (json_int_t)scheduled);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Deployment Deleted", STYLE_SUCCESS);
	struct buf v = BUF_INIT;
	panel_field(p, "Deployment", json_str(d, "name"), STYLE_NAME);
	panel_field(p, "Flow", json_str(d, "flow_name"), STYLE_NAME);
	panel_field(p, "ID", json_str(d, "id"), STYLE_NAME);
	buf_addf(&v, "%ld deleted by Prefect", scheduled);
	panel_field(p, "Scheduled Runs", buf_str(&v), STYLE_META);
	panel_text(p, "Runs that had started or finished are kept.", STYLE_NONE);
	cmd_print_panel(ctx, p);
	buf_release(&v);
	return EXIT_OK;
}

static int
undeploy_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	int yes = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('y', "yes", &yes, "Delete without asking"),
		OPT_POS("DEPLOYMENT", &ref, "NAME, FLOW/NAME, ID or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *d = NULL;
	long scheduled = 0;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_deployment_find(ctx->api, ref, &d, &err) < 0 ||
	    prefect_deployment_count_runs(ctx->api, json_str(d, "id"), "SCHEDULED", &scheduled,
					  &err) < 0 ||
	    confirm(ctx, d, scheduled, yes, &err) < 0 ||
	    prefect_deployment_delete(ctx->api, json_str(d, "id"), &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, d, scheduled);
	json_decref(d);
	return rc;
}

const struct cmd_entry cmd_prefect_undeploy = {
	.path = "prefect undeploy",
	.summary = "Delete a deployment",
	.help = "Delete a deployment. Prefect deletes its scheduled runs that have not\n"
		"started with it; runs that started or finished are kept. Asks first on a\n"
		"terminal; --yes skips the question and is required when standard input is\n"
		"not a terminal.",
	.flags = CMD_API,
	.exec = undeploy_exec,
};
