/* Shared presentation of flow runs (see run_view.h). */
#include "cmd/prefect/run_view.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/flow_runs.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"
#include "ui/state.h"
#include "ui/text.h"
#include "ui/timefmt.h"

static const char *const terminal_types[] = { "COMPLETED", "FAILED", "CANCELLED", "CRASHED" };

static int
is_terminal(const char *type)
{
	for (size_t i = 0; type && i < sizeof(terminal_types) / sizeof(terminal_types[0]); i++)
		if (!strcmp(type, terminal_types[i]))
			return 1;
	return 0;
}

/* When the run started, or is expected to start. */
static const char *
start_of(const json_t *run)
{
	const char *start = json_str(run, "start_time");
	return start ? start : json_str(run, "expected_start_time");
}

static void
duration(struct buf *out, const json_t *run)
{
	if (!is_terminal(json_str(run, "state_type")) || !json_str(run, "start_time"))
		buf_adds(out, "-");
	else
		timefmt_duration(out, json_num(run, "total_run_time", 0));
}

void
run_view_columns(struct table *t)
{
	table_add_column(t, "Run ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_SHRINK); /* generated: the first to go */
	table_column_fit(t, 4, 8);
	table_add_column(t, "Flow", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_add_column(t, "Start Time", ALIGN_LEFT, COLUMN_WHOLE);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Duration", ALIGN_RIGHT, 0);
	table_column_fit(t, 3, 0);
}

void
run_view_row(struct table *t, const json_t *run)
{
	struct buf v = BUF_INIT;
	const char *type = json_str(run, "state_type");
	table_add_row(t);
	table_cell(t, json_str(run, "id") ? json_str(run, "id") : "-", STYLE_NAME);
	table_cell(t, json_str(run, "name"), STYLE_NONE);
	table_cell(t, json_str(run, "flow_name") ? json_str(run, "flow_name") : "-", STYLE_NAME);
	buf_reset(&v);
	state_label(&v, type, json_str(run, "state_name"));
	table_cell(t, buf_str(&v), state_style(type));
	buf_reset(&v);
	timefmt_local_iso_minutes(&v, start_of(run));
	table_cell(t, buf_str(&v), STYLE_META);
	buf_reset(&v);
	duration(&v, run);
	table_cell(t, buf_str(&v), STYLE_NONE);
	buf_release(&v);
}

static void
field(struct panel *p, const char *label, struct buf *v, enum style style)
{
	panel_field(p, label, buf_str(v), style);
	buf_reset(v);
}

static void
add_times(struct panel *p, const json_t *run, struct buf *v)
{
	panel_blank(p);
	timefmt_local_iso(v, start_of(run));
	field(p, json_str(run, "start_time") ? "Start Time" : "Expected Start", v, STYLE_META);
	timefmt_local_iso(v, json_str(run, "end_time"));
	field(p, "End Time", v, STYLE_META);
	if (is_terminal(json_str(run, "state_type")) && json_str(run, "start_time"))
		buf_addf(v, "%.2f seconds", json_num(run, "total_run_time", 0));
	else
		buf_adds(v, "-");
	field(p, "Duration", v, STYLE_NONE);
}

static void
add_fields(struct panel *p, const json_t *run, const char *ui_url)
{
	struct buf v = BUF_INIT;
	const char *type = json_str(run, "state_type");
	panel_field(p, "Run ID", json_str(run, "id"), STYLE_NAME);
	panel_field(p, "Name", json_str(run, "name"), STYLE_NAME);
	panel_field(p, "Flow", json_str(run, "flow_name"), STYLE_NAME);
	state_label(&v, type, json_str(run, "state_name"));
	field(p, "Status", &v, state_style(type));
	add_times(p, run, &v);
	panel_blank(p);
	panel_field(p, "Deployment", json_str(run, "deployment_name"), STYLE_NAME);
	panel_field(p, "Work Pool", prefect_flow_run_pool(run), STYLE_META);
	fields_list(&v, json_object_get(run, "tags"));
	field(p, "Tags", &v, STYLE_META);
	panel_field(p, "Message", json_str_path(run, "state.message"), STYLE_NONE);
	if (ui_url) {
		buf_addf(&v, "%s/runs/flow-run/%s", ui_url, json_str(run, "id"));
		field(p, "URL", &v, STYLE_INFO);
	}
	fields_panel_parameters(p, json_object_get(run, "parameters"));
	buf_release(&v);
}

int
run_view_show(struct cmd_ctx *ctx, const json_t *run, const char *ui_url)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, run);
	struct panel *p = panel_new("Flow Run Details", STYLE_INFO);
	add_fields(p, run, ui_url);
	return cmd_print_panel(ctx, p);
}

static const struct {
	int level;
	const char *name;
	enum style style;
	/* clang-format off */
} levels[] = {
	{ 10, "DEBUG", STYLE_DIM }, { 20, "INFO", STYLE_INFO }, { 30, "WARNING", STYLE_PROGRESS },
	{ 40, "ERROR", STYLE_FAILURE }, { 50, "CRITICAL", STYLE_FAILURE },
};
/* clang-format on */

#define LEVEL_COUNT (sizeof(levels) / sizeof(levels[0]))

int
run_view_log_level(const char *word)
{
	char *end;
	long n = strtol(word, &end, 10);
	if (*word && !*end)
		return n >= 0 && n <= 50 ? (int)n : -1;
	for (size_t i = 0; i < LEVEL_COUNT; i++)
		if (!strcasecmp(word, levels[i].name))
			return levels[i].level;
	return -1;
}

static void
log_time(struct buf *out, const char *iso)
{
	double t;
	struct tm tm;
	char text[16];
	if (!iso || isotime_parse(iso, &t) < 0) {
		buf_adds(out, "--:--:--.---");
		return;
	}
	time_t secs = (time_t)t;
	localtime_r(&secs, &tm);
	strftime(text, sizeof(text), "%H:%M:%S", &tm);
	buf_addf(out, "%s.%03d", text, (int)((t - (double)secs) * 1000));
}

void
run_view_log_line(struct buf *out, const json_t *log, int color)
{
	int level = (int)json_num(log, "level", 0);
	size_t i = 0;
	char name[16];
	while (i + 1 < LEVEL_COUNT && levels[i + 1].level <= level)
		i++;
	snprintf(name, sizeof(name), "%-8s", level >= levels[0].level ? levels[i].name : "NOTSET");
	log_time(out, json_str(log, "timestamp"));
	buf_addc(out, ' ');
	style_add(out, name, levels[i].style, color);
	buf_addc(out, ' ');
	text_sanitize(out, json_str(log, "name") ? json_str(log, "name") : "-", 1);
	buf_adds(out, " - ");
	text_sanitize(out, json_str(log, "message") ? json_str(log, "message") : "", 0);
	buf_addc(out, '\n');
}
