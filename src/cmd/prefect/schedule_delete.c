/*
 * mahavishnu prefect schedule delete: remove one schedule from its
 * deployment, found by ID or unique prefix among all deployments'
 * schedules. Prefect also deletes the deployment's auto-scheduled runs
 * that have not started (of all its schedules; the scheduler recreates
 * those of the others), so the question says how many.
 */
#include <stdio.h>

#include "api/schedules.h"
#include "cli/command.h"
#include "cmd/prefect/schedule_view.h"
#include "core/json.h"
#include "ui/panel.h"

struct target {
	json_t *schedule;
	json_t *deployment;
	long pending;
	char label[256]; /* "flow/deployment: 0 0 * * * (UTC)" */
};

static void
describe(struct target *t)
{
	struct buf expr = BUF_INIT;
	schedule_view_expr(&expr, t->schedule);
	snprintf(t->label, sizeof(t->label), "%s/%s: %s (%s)", json_str(t->deployment, "flow_name"),
		 json_str(t->deployment, "name"), buf_str(&expr), schedule_view_zone(t->schedule));
	buf_release(&expr);
}

static int
confirm(struct cmd_ctx *ctx, const struct target *t, int yes, struct error *err)
{
	char question[640], what[300];
	if (yes && t->pending)
		cmd_warn(ctx,
			 "Prefect also deletes the %ld scheduled run%s of the deployment that "
			 "have not started",
			 t->pending, t->pending == 1 ? "" : "s");
	snprintf(question, sizeof(question),
		 "Delete schedule %s? Prefect also deletes the "
		 "deployment's %ld scheduled run%s that have not started.",
		 t->label, t->pending, t->pending == 1 ? "" : "s");
	snprintf(what, sizeof(what), "schedule %s", t->label);
	return cmd_confirm_delete(ctx, what, question, yes, err);
}

static int
show(struct cmd_ctx *ctx, const struct target *t)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:O?,s:O?,s:O?,s:O?,s:b,s:I}", "id",
					json_object_get(t->schedule, "id"), "deployment_id",
					json_object_get(t->deployment, "id"), "flow",
					json_object_get(t->deployment, "flow_name"), "deployment",
					json_object_get(t->deployment, "name"), "deleted", 1,
					"scheduled_runs_deleted", (json_int_t)t->pending);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Schedule Deleted", STYLE_SUCCESS);
	struct buf v = BUF_INIT;
	panel_field(p, "Flow", json_str(t->deployment, "flow_name"), STYLE_NAME);
	panel_field(p, "Deployment", json_str(t->deployment, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(t->schedule, "id"), STYLE_NAME);
	panel_field(p, "Type", schedule_view_type(t->schedule), STYLE_NONE);
	schedule_view_expr(&v, t->schedule);
	panel_field(p, "Schedule", buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	panel_field(p, "Timezone", schedule_view_zone(t->schedule), STYLE_META);
	buf_addf(&v, "%ld deleted by Prefect", t->pending);
	panel_field(p, "Scheduled Runs", buf_str(&v), STYLE_META);
	panel_text(p,
		   "The scheduler recreates the runs of the deployment's other active schedules.",
		   STYLE_NONE);
	buf_release(&v);
	return cmd_print_panel(ctx, p);
}

static int
schedule_delete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	int yes = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('y', "yes", &yes, "Delete without asking"),
		OPT_POS("SCHEDULE_ID", &ref, "Schedule ID or unique ID prefix (see 'schedule list')"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct target t = { 0 };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (schedule_view_find(ctx->api, ref, &t.schedule, &t.deployment, &err) < 0 ||
	    prefect_schedule_pending_runs(ctx->api, json_str(t.deployment, "id"), &t.pending,
					  &err) < 0) {
		rc = cmd_fail(ctx, &err);
		goto out;
	}
	describe(&t);
	if (confirm(ctx, &t, yes, &err) < 0 ||
	    prefect_schedule_delete(ctx->api, t.schedule, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, &t);
out:
	json_decref(t.schedule);
	json_decref(t.deployment);
	return rc;
}

const struct cmd_entry cmd_prefect_schedule_delete = {
	.path = "prefect schedule delete",
	.summary = "Delete a schedule",
	.help = "Delete one schedule of a deployment; its other schedules stay. Prefect also\n"
		"deletes the deployment's auto-scheduled runs that have not started, of all its\n"
		"schedules (the scheduler recreates those of the others within seconds); runs\n"
		"made by backfill or by hand stay. Asks first on a terminal; --yes skips the\n"
		"question and is required when standard input is not a terminal.",
	.flags = CMD_API,
	.exec = schedule_delete_exec,
};
