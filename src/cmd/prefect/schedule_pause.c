/*
 * mahavishnu prefect schedule pause|resume: switch one schedule off or on.
 * Prefect's schedule PATCH writes "parameters" whether or not it is sent
 * (an omitted one becomes {}), so the schedule's parameters and expression
 * are sent back with the new "active".
 */
#include <string.h>

#include "api/schedules.h"
#include "cli/command.h"
#include "cmd/prefect/schedule_view.h"
#include "core/json.h"

/* The schedule as the server now has it, for the output. */
static int
reread(struct api *api, const json_t *deployment, json_t **schedule, struct error *err)
{
	json_t *all = NULL, *s;
	size_t i;
	const char *id = json_str(*schedule, "id");
	if (prefect_schedule_list(api, json_str(deployment, "id"), &all, err) < 0)
		return -1;
	json_array_foreach(all, i, s)
		if (json_str(s, "id") && !strcmp(json_str(s, "id"), id)) {
			json_decref(*schedule);
			*schedule = json_incref(s);
			break;
		}
	json_decref(all);
	return 0;
}

static int
is_active(const json_t *schedule)
{
	return !json_is_false(json_object_get(schedule, "active"));
}

static int
toggle(struct cmd_ctx *ctx, int argc, char **argv, int active)
{
	const char *ref = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("SCHEDULE_ID", &ref, "Schedule ID or unique ID prefix (see 'schedule list')"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *schedule = NULL, *deployment = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (schedule_view_find(ctx->api, ref, &schedule, &deployment, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else if (is_active(schedule) == active) {
		cmd_warn(ctx, "the schedule is already %s; nothing changed",
			 active ? "active" : "paused");
		rc = schedule_view_show(ctx, schedule, deployment,
					active ? "✓ Schedule Active" : "✓ Schedule Paused");
	} else if (prefect_schedule_set_active(ctx->api, schedule, active, &err) < 0 ||
		   reread(ctx->api, deployment, &schedule, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		rc = schedule_view_show(ctx, schedule, deployment,
					active ? "✓ Schedule Resumed" : "✓ Schedule Paused");
	}
	json_decref(schedule);
	json_decref(deployment);
	return rc;
}

static int
schedule_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return toggle(ctx, argc, argv, 0);
}

static int
schedule_resume_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return toggle(ctx, argc, argv, 1);
}

const struct cmd_entry cmd_prefect_schedule_pause = {
	.path = "prefect schedule pause",
	.summary = "Stop a schedule from creating runs, keeping it",
	.help = "Set a schedule inactive: the scheduler creates no more runs from it, and\n"
		"Prefect deletes the deployment's future auto-scheduled runs (it recreates those\n"
		"of the other active schedules). Its expression and parameters are kept; 'schedule\n"
		"resume' turns it back on.",
	.flags = CMD_API,
	.exec = schedule_pause_exec,
};

const struct cmd_entry cmd_prefect_schedule_resume = {
	.path = "prefect schedule resume",
	.summary = "Let a paused schedule create runs again",
	.help = "Set a schedule active again, with its expression and parameters as they were.\n"
		"The scheduler creates its next runs within seconds; the Next Run shown is the\n"
		"first of them (none while the deployment itself is paused).",
	.flags = CMD_API,
	.exec = schedule_resume_exec,
};
