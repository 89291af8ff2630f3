/* How alerts are shown (see alert_view.h). */
#include "cmd/prefect/alert_view.h"

#include <stdlib.h>

#include "api/alerts.h"
#include "api/deployments.h"
#include "core/json.h"
#include "ui/panel.h"

static const struct {
	unsigned bit;
	const char *name;
} on_names[] = {
	{ PREFECT_ALERT_FAILED, "failed" },
	{ PREFECT_ALERT_CRASHED, "crashed" },
	{ PREFECT_ALERT_LATE, "late" },
};

static json_t *
on_list(unsigned on)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(on_names) / sizeof(on_names[0]); i++)
		if (on & on_names[i].bit)
			json_array_append_new(list, json_string(on_names[i].name));
	return list;
}

/* "FLOW/NAME" of the deployment, or its ID when it is gone. */
static json_t *
deployment_label(struct api *api, const char *id, struct error *err)
{
	json_t *d = NULL, *label;
	if (!id)
		return json_null();
	if (prefect_deployment_find(api, id, &d, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return NULL;
		error_clear(err);
		return json_sprintf("%s (deleted)", id);
	}
	label = json_sprintf("%s/%s", json_str(d, "flow_name") ? json_str(d, "flow_name") : "?",
			     json_str(d, "name"));
	json_decref(d);
	return label;
}

int
alert_view_describe(struct api *api, const json_t *alert, json_t **out, struct error *err)
{
	char *webhook = NULL;
	json_t *deployment = deployment_label(api, prefect_alert_deployment(alert), err);
	*out = NULL;
	if (!deployment || prefect_alert_webhook(api, alert, &webhook, err) < 0) {
		json_decref(deployment);
		return -1;
	}
	*out = json_pack("{s:s?,s:s?,s:b,s:o,s:o,s:o,s:s}", "id", json_str(alert, "id"), "name",
			 json_str(alert, "name"), "enabled", prefect_alert_enabled(alert), "on",
			 on_list(prefect_alert_on(alert)), "flow",
			 json_string_or_null(prefect_alert_flow(alert)), "deployment", deployment,
			 "webhook", webhook);
	free(webhook);
	return 0;
}

void
alert_view_on(const json_t *view, struct buf *out)
{
	size_t i;
	const json_t *name;
	json_array_foreach(json_object_get(view, "on"), i, name)
		buf_addf(out, "%s%s", i ? ", " : "", json_string_value(name));
}

void
alert_view_scope(const json_t *view, struct buf *out)
{
	const char *flow = json_str(view, "flow"), *deployment = json_str(view, "deployment");
	if (flow)
		buf_addf(out, "flow %s", flow);
	if (deployment)
		buf_addf(out, "%sdeployment %s", flow ? ", " : "", deployment);
	if (!flow && !deployment)
		buf_adds(out, "any flow");
}

int
alert_view_show(struct cmd_ctx *ctx, const json_t *view, const char *title, enum style style,
		const char *hint)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, view);
	struct panel *p = panel_new(title, style);
	struct buf on = BUF_INIT, scope = BUF_INIT;
	alert_view_on(view, &on);
	alert_view_scope(view, &scope);
	panel_field(p, "Name", json_str(view, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(view, "id"), STYLE_NAME);
	panel_field(p, "On", buf_str(&on), STYLE_FAILURE);
	panel_field(p, "Runs of", buf_str(&scope), STYLE_NONE);
	panel_field(p, "Webhook", json_str(view, "webhook"), STYLE_META);
	panel_field(p, "Enabled", json_is_true(json_object_get(view, "enabled")) ? "Yes" : "No",
		    STYLE_NONE);
	if (hint) {
		panel_blank(p);
		panel_text(p, hint, STYLE_INFO);
	}
	buf_release(&on);
	buf_release(&scope);
	return cmd_print_panel(ctx, p);
}

void
alert_view_columns(struct table *t)
{
	/* what it is for stays; Enabled, the webhook, then the name give way (the name wraps first) */
	table_add_column(t, "ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Name", ALIGN_LEFT, 0);
	table_column_fit(t, 1, 16);
	table_add_column(t, "On", ALIGN_LEFT, 0);
	table_add_column(t, "Runs of", ALIGN_LEFT, 0);
	table_add_column(t, "Webhook", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Enabled", ALIGN_CENTER, 0);
	table_column_fit(t, 3, 0);
}

void
alert_view_row(struct table *t, const json_t *view, void *unused)
{
	struct buf on = BUF_INIT, scope = BUF_INIT;
	(void)unused;
	alert_view_on(view, &on);
	alert_view_scope(view, &scope);
	table_add_row(t);
	table_cell(t, json_str(view, "id"), STYLE_NAME);
	table_cell(t, json_str(view, "name"), STYLE_NAME);
	table_cell(t, buf_str(&on), STYLE_FAILURE);
	table_cell(t, buf_str(&scope), STYLE_NONE);
	table_cell(t, json_str(view, "webhook"), STYLE_META);
	table_cell(t, json_is_true(json_object_get(view, "enabled")) ? "Yes" : "No", STYLE_NONE);
	buf_release(&on);
	buf_release(&scope);
}
