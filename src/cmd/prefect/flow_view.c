/* Shared presentation of flows for the flow commands (see flow_view.h). */
#include "cmd/prefect/flow_view.h"

#include "api/flows.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"
#include "ui/state.h"
#include "ui/timefmt.h"

static const char *
flow_description(const json_t *flow)
{
	return json_str(json_object_get(flow, "labels"), FLOW_DESCRIPTION_LABEL);
}

static const char *
flow_version(const json_t *flow)
{
	return json_str(json_object_get(flow, "latest_deployment"), "version");
}

static json_int_t
deployment_count(const json_t *flow)
{
	return json_integer_value(json_object_get(flow, "deployment_count"));
}

json_t *
flow_view_json(const json_t *flow)
{
	json_t *doc = json_deep_copy(flow);
	const json_t *last = json_object_get(flow, "last_run");
	const json_t *latest = json_object_get(flow, "latest_deployment");
	json_object_set_new(doc, "description", json_string_or_null(flow_description(flow)));
	json_object_set_new(doc, "version", json_string_or_null(flow_version(flow)));
	json_object_set_new(doc, "deployed", json_boolean(deployment_count(flow) > 0));
	json_object_set_new(doc, "deployment_count", json_integer(deployment_count(flow)));
	json_object_set_new(doc, "latest_deployment", latest ? json_deep_copy(latest) : json_null());
	json_object_set_new(doc, "last_run", last ? json_deep_copy(last) : json_null());
	return doc;
}

static void
field_text(struct panel *p, const char *label, struct buf *value, enum style style)
{
	panel_field(p, label, buf_str(value), style);
	buf_reset(value);
}

static void
add_last_run(struct panel *p, const json_t *run, struct buf *v, double now)
{
	if (!json_is_object(run)) {
		panel_field(p, "Last Run", "Never", STYLE_NONE);
		return;
	}
	timefmt_relative_iso(v, json_str(run, "start_time"), now);
	buf_addf(v, " (%s)", json_str(run, "name") ? json_str(run, "name") : "-");
	field_text(p, "Last Run", v, STYLE_NONE);
	const char *type = json_str(run, "state_type");
	state_label(v, type, json_str(run, "state_name"));
	field_text(p, "Status", v, state_style(type));
}

static void
add_fields(struct panel *p, const json_t *flow)
{
	struct buf v = BUF_INIT;
	json_int_t deps = deployment_count(flow);
	panel_field(p, "Name", json_str(flow, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(flow, "id"), STYLE_NAME);
	panel_field(p, "Description", flow_description(flow), STYLE_NONE);
	fields_list(&v, json_object_get(flow, "tags"));
	field_text(p, "Tags", &v, STYLE_META);
	panel_field(p, "Version", flow_version(flow), STYLE_META);
	if (deps)
		buf_addf(&v, "Yes (%lld deployment%s)", (long long)deps, deps == 1 ? "" : "s");
	else
		buf_adds(&v, "No");
	field_text(p, "Deployed", &v, deps ? STYLE_SUCCESS : STYLE_NONE);
	add_last_run(p, json_object_get(flow, "last_run"), &v, isotime_now());
	timefmt_local_iso(&v, json_str(flow, "created"));
	field_text(p, "Created", &v, STYLE_META);
	buf_release(&v);
}

int
flow_view_show(struct cmd_ctx *ctx, const json_t *flow, const char *title)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = flow_view_json(flow);
		int rc = cmd_print_json(ctx, doc);
		json_decref(doc);
		return rc;
	}
	struct panel *p = panel_new(title, STYLE_SUCCESS);
	add_fields(p, flow);
	return cmd_print_panel(ctx, p);
}

void
flow_view_columns(struct table *t)
{
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "ID", ALIGN_LEFT, COLUMN_ID);
	table_column_fit(t, 1, 0); /* the name is what flow list is read for */
	table_add_column(t, "Version", ALIGN_LEFT, COLUMN_SHRINK);
	table_column_fit(t, 3, 8);
	table_add_column(t, "Deployed", ALIGN_CENTER, 0);
	table_column_fit(t, 4, 0);
	table_add_column(t, "Last Run", ALIGN_LEFT, 0);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_column_fit(t, 1, 0);
}

void
flow_view_row(struct table *t, const json_t *flow, double now)
{
	struct buf v = BUF_INIT;
	const json_t *run = json_object_get(flow, "last_run");
	const char *type = json_str(run, "state_type");
	table_add_row(t);
	table_cell(t, json_str(flow, "name"), STYLE_NAME);
	table_cell(t, json_str(flow, "id") ? json_str(flow, "id") : "-", STYLE_NAME);
	table_cell(t, flow_version(flow) ? flow_version(flow) : "-", STYLE_META);
	table_cell(t, deployment_count(flow) ? "Yes" : "No",
		   deployment_count(flow) ? STYLE_SUCCESS : STYLE_NONE);
	buf_reset(&v);
	timefmt_relative_iso(&v, json_is_object(run) ? json_str(run, "start_time") : NULL, now);
	table_cell(t, buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	state_label(&v, type, json_str(run, "state_name"));
	table_cell(t, buf_str(&v), state_style(type));
	buf_release(&v);
}
