/* Shared presentation of deployments (see deployment_view.h). */
#include "cmd/prefect/deployment_view.h"

#include <string.h>

#include "api/deployments.h"
#include "api/schedules.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"
#include "ui/timefmt.h"

static void
one_schedule(struct buf *out, const json_t *s)
{
	struct prefect_schedule sched;
	prefect_schedule_read(s, &sched);
	if (sched.type == PREFECT_SCHEDULE_CRON)
		buf_addf(out, "%s (%s)", sched.cron, sched.timezone);
	else if (sched.type == PREFECT_SCHEDULE_INTERVAL)
		buf_addf(out, "every %.0fs", sched.interval);
	else if (sched.type == PREFECT_SCHEDULE_RRULE)
		buf_addf(out, "rrule %s", sched.rrule);
	else
		buf_adds(out, "?");
	if (!prefect_schedule_is_active(s))
		buf_adds(out, " [inactive]");
}

/* "0 2 * * * (UTC)", "every 3600s", "0 2 * * * (+1 more)", or "-" for none. */
static void
deployment_view_schedule(struct buf *out, const json_t *deployment)
{
	const json_t *schedules = json_object_get(deployment, "schedules");
	size_t n = json_array_size(schedules);
	if (!n) {
		buf_adds(out, "-");
		return;
	}
	one_schedule(out, json_array_get(schedules, 0));
	if (n > 1)
		buf_addf(out, " (+%zu more)", n - 1);
}

/* "ready", "not ready" or "paused". */
static const char *
deployment_view_status(const json_t *deployment)
{
	const char *status = json_str(deployment, "status");
	if (json_is_true(json_object_get(deployment, "paused")))
		return "paused";
	return status && !strcmp(status, "READY") ? "ready" : "not ready";
}

static enum style
status_style(const char *status)
{
	return !strcmp(status, "ready")  ? STYLE_SUCCESS :
	       !strcmp(status, "paused") ? STYLE_PROGRESS :
					   STYLE_META;
}

void
deployment_view_columns(struct table *t)
{
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Flow", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Work Pool", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_column_fit(t, 1, 0); /* at 40 columns, the names rather than the status */
	table_add_column(t, "Schedule", ALIGN_LEFT, COLUMN_WHOLE); /* a cron expression, whole */
	table_column_fit(t, 3, 0);
	table_add_column(t, "Created", ALIGN_LEFT, 0);
	table_column_fit(t, 4, 0);
}

void
deployment_view_row(struct table *t, const json_t *d, double now)
{
	struct buf v = BUF_INIT;
	const char *status = deployment_view_status(d);
	table_add_row(t);
	table_cell(t, json_str(d, "name"), STYLE_NAME);
	table_cell(t, json_str(d, "flow_name") ? json_str(d, "flow_name") : "-", STYLE_NAME);
	table_cell(t, prefect_deployment_pool(d) ? prefect_deployment_pool(d) : "-", STYLE_META);
	table_cell(t, status, status_style(status));
	deployment_view_schedule(&v, d);
	table_cell(t, buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	timefmt_relative_iso(&v, json_str(d, "created"), now);
	table_cell(t, buf_str(&v), STYLE_META);
	buf_release(&v);
}

static void
add_fields(struct panel *p, const json_t *d)
{
	struct buf v = BUF_INIT;
	const char *status = deployment_view_status(d);
	panel_field(p, "Deployment", json_str(d, "name"), STYLE_NAME);
	panel_field(p, "Flow", json_str(d, "flow_name"), STYLE_NAME);
	panel_field(p, "ID", json_str(d, "id"), STYLE_NAME);
	panel_field(p, "Status", status, status_style(status));
	panel_field(p, "Work Pool", prefect_deployment_pool(d), STYLE_META);
	panel_field(p, "Work Queue", prefect_deployment_queue(d), STYLE_META);
	deployment_view_schedule(&v, d);
	panel_field_whole(p, "Schedule", buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	panel_field(p, "Entrypoint", json_str(d, "entrypoint"), STYLE_META);
	panel_field(p, "Version", json_str(d, "version"), STYLE_META);
	panel_field(p, "Description", json_str(d, "description"), STYLE_NONE);
	fields_list(&v, json_object_get(d, "tags"));
	panel_field(p, "Tags", buf_str(&v), STYLE_META);
	buf_reset(&v);
	timefmt_local_iso(&v, json_str(d, "created"));
	panel_field(p, "Created", buf_str(&v), STYLE_META);
	fields_panel_parameters(p, json_object_get(d, "parameters"));
	buf_release(&v);
}

int
deployment_view_show(struct cmd_ctx *ctx, const json_t *d, const char *title)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, d);
	struct panel *p = panel_new(title, STYLE_SUCCESS);
	add_fields(p, d);
	return cmd_print_panel(ctx, p);
}
