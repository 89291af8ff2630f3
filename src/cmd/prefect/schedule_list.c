/*
 * mahavishnu prefect schedule list: every schedule of every deployment
 * (of one flow, or one deployment), with its next run as Prefect's
 * scheduler will create it, computed here by the schedule engine.
 */
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/schedule_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "ui/fields.h"
#include "ui/table.h"

struct entry {
	const json_t *schedule;
	const json_t *deployment;
};

static int
text_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int
by_names(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = text_cmp(json_str(a->deployment, "flow_name"), json_str(b->deployment, "flow_name"));
	if (!c)
		c = text_cmp(json_str(a->deployment, "name"), json_str(b->deployment, "name"));
	if (!c)
		c = text_cmp(json_str(a->schedule, "created"), json_str(b->schedule, "created"));
	return c;
}

/* Every schedule of the deployments, by flow, deployment and age; *n says how many. */
static struct entry *
flatten(const json_t *deployments, size_t *n)
{
	struct entry *all = NULL;
	json_t *d, *s;
	size_t i, j;
	*n = 0;
	json_array_foreach(deployments, i, d)
		json_array_foreach(json_object_get(d, "schedules"), j, s) {
			all = xrealloc(all, (*n + 1) * sizeof(*all));
			all[(*n)++] = (struct entry){ s, d };
		}
	if (*n)
		qsort(all, *n, sizeof(*all), by_names);
	return all;
}

static void
columns(struct table *t)
{
	table_add_column(t, "ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Flow", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Type", ALIGN_LEFT, 0);
	table_column_fit(t, 4, 0);
	table_add_column(t, "Schedule", ALIGN_LEFT, COLUMN_WHOLE); /* two schedules must differ */
	table_add_column(t, "Zone", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 1, 0);
	table_add_column(t, "Active", ALIGN_CENTER, 0);
	table_column_fit(t, 5, 0);
	table_add_column(t, "Next Run", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 3, 0);
}

/* Whether another listed schedule belongs to another deployment of the same flow. */
static int
flow_has_several(const struct entry *all, size_t n, const struct entry *e)
{
	for (size_t i = 0; i < n; i++)
		if (!text_cmp(json_str(all[i].deployment, "flow_name"),
			      json_str(e->deployment, "flow_name")) &&
		    text_cmp(json_str(all[i].deployment, "id"), json_str(e->deployment, "id")))
			return 1;
	return 0;
}

/* What rows need beside their own schedule: the time, and all the others. */
struct listing {
	int64_t now;
	const struct entry *all;
	size_t n;
};

static void
row(struct table *t, const json_t *item, void *data)
{
	const struct listing *l = data;
	const struct entry one = { json_object_get(item, "schedule"),
				   json_object_get(item, "deployment") },
			   *e = &one;
	int several = flow_has_several(l->all, l->n, e);
	int64_t now = l->now;
	struct buf v = BUF_INIT;
	struct sched_time next;
	int active = !json_is_false(json_object_get(e->schedule, "active"));
	table_add_row(t);
	table_cell(t, json_str(e->schedule, "id") ? json_str(e->schedule, "id") : "-", STYLE_NAME);
	buf_adds(&v,
		 json_str(e->deployment, "flow_name") ? json_str(e->deployment, "flow_name") : "-");
	if (several)
		buf_addf(&v, "/%s", json_str(e->deployment, "name"));
	table_cell(t, buf_str(&v), STYLE_NAME);
	buf_reset(&v);
	table_cell(t, schedule_view_type(e->schedule), STYLE_NONE);
	schedule_view_expr(&v, e->schedule);
	table_cell(t, buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	table_cell(t, schedule_view_zone(e->schedule), STYLE_META);
	table_cell(t, active ? "Yes" : "No", active ? STYLE_SUCCESS : STYLE_FAILURE);
	if (schedule_view_next(e->schedule, e->deployment, now, &next)) {
		char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
		sched_format(&next, local, offset);
		local[16] = '\0';
		buf_adds(&v, local);
	} else {
		buf_adds(&v,
			 json_is_true(json_object_get(e->deployment, "paused")) ? "paused" : "-");
	}
	table_cell(t, buf_str(&v), STYLE_INFO);
	buf_release(&v);
}

static json_t *
as_json(const json_t *item, void *data)
{
	const struct listing *l = data;
	return schedule_view_json(json_object_get(item, "schedule"),
				  json_object_get(item, "deployment"), l->now);
}

static int
render(struct cmd_ctx *ctx, const json_t *deployments)
{
	struct listing l = { .now = (int64_t)isotime_now() };
	struct entry *all = flatten(deployments, &l.n);
	json_t *items = json_array();
	l.all = all;
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, json_pack("{s:O,s:O}", "schedule", all[i].schedule,
						       "deployment", all[i].deployment));
	int rc = cmd_print_list(ctx,
				&(struct list_view){ .title = "Schedules",
						     .noun = "schedules",
						     .columns = columns,
						     .row = row,
						     .json = as_json,
						     .data = &l },
				items);
	json_decref(items);
	free(all);
	return rc;
}

static int
fetch(struct api *api, const char *flow_ref, const char *deployment_ref, json_t **out,
      struct error *err)
{
	json_t *flow = NULL, *one = NULL;
	int rc = 0;
	if (flow_ref)
		rc = prefect_flow_find(api, flow_ref, &flow, err);
	if (rc == 0 && deployment_ref)
		rc = prefect_deployment_find(api, deployment_ref, &one, err);
	if (rc == 0 && one && flow && strcmp(json_str(one, "flow_id"), json_str(flow, "id")))
		rc = error_set(err, ERROR_INVALID, "deployment '%s' belongs to flow '%s', not '%s'",
			       deployment_ref, json_str(one, "flow_name"), json_str(flow, "name"));
	if (rc == 0 && one)
		*out = json_pack("[O]", one);
	else if (rc == 0)
		rc = prefect_deployment_list(api, flow ? json_str(flow, "id") : NULL, 0, out, err);
	json_decref(one);
	json_decref(flow);
	return rc;
}

static int
schedule_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *flow = NULL, *deployment = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('f', "flow", &flow, "FLOW", "Only schedules of this flow's deployments"),
		OPT_STR(0, "deployment", &deployment, "DEPLOYMENT",
			"Only this deployment's schedules (NAME, FLOW/NAME or ID)"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *deployments = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	if (fetch(ctx->api, flow, deployment, &deployments, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = render(ctx, deployments);
	json_decref(deployments);
	return rc;
}

const struct cmd_entry cmd_prefect_schedule_list = {
	.path = "prefect schedule list",
	.summary = "List the schedules of deployments",
	.help = "List every schedule of every deployment (or of --flow's deployments, or of\n"
		"--deployment), by flow and deployment: its short ID (for delete, preview, pause\n"
		"and resume), flow (FLOW/DEPLOYMENT when the flow has several deployments with\n"
		"schedules), type, expression (intervals in seconds), time zone, whether it is\n"
		"active, and its next run in its zone as Prefect's scheduler will create it\n"
		"(\"paused\" when the deployment is paused, \"-\" when the schedule is).",
	.flags = CMD_API,
	.exec = schedule_list_exec,
};
