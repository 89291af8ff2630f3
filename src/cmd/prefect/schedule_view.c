/* Shared presentation of deployment schedules (see schedule_view.h). */
#include "cmd/prefect/schedule_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"

const char *
schedule_view_type(const json_t *schedule)
{
	const json_t *s = json_object_get(schedule, "schedule");
	return json_str(s, "cron") ? "cron" : json_object_get(s, "interval") ? "interval" :
	       json_str(s, "rrule") ? "rrule" : "?";
}

void
schedule_view_expr(struct buf *out, const json_t *schedule)
{
	const json_t *s = json_object_get(schedule, "schedule");
	const json_t *interval = json_object_get(s, "interval");
	if (json_str(s, "cron"))
		buf_adds(out, json_str(s, "cron"));
	else if (json_is_number(interval))
		buf_addf(out, json_number_value(interval) == floor(json_number_value(interval)) ?
			 "%.0fs" : "%gs", json_number_value(interval));
	else if (json_str(s, "rrule"))
		buf_adds(out, json_str(s, "rrule"));
	else
		buf_adds(out, "?");
}

const char *
schedule_view_zone(const json_t *schedule)
{
	const char *tz = json_str(json_object_get(schedule, "schedule"), "timezone");
	return tz ? tz : "UTC";
}

static int
interval_engine(struct sched *e, const json_t *s, const char *zone, struct error *err)
{
	double seconds = json_number_value(json_object_get(s, "interval")), anchor;
	const char *anchor_date = json_str(s, "anchor_date");
	if (!json_is_number(json_object_get(s, "interval")) || seconds != floor(seconds))
		return error_set(err, ERROR_INVALID, "an interval that is not a whole number of "
				 "seconds cannot be computed here");
	if (!anchor_date || isotime_parse(anchor_date, &anchor) < 0)
		return error_set(err, ERROR_INVALID, "the interval schedule has no readable "
				 "anchor_date");
	return sched_interval(e, (int64_t)seconds, (int64_t)floor(anchor), zone, err);
}

int
schedule_view_engine(struct sched *e, const json_t *schedule, struct error *err)
{
	const json_t *s = json_object_get(schedule, "schedule");
	const char *zone = schedule_view_zone(schedule);
	const json_t *day_or = json_object_get(s, "day_or");
	if (json_str(s, "cron"))
		return sched_cron(e, json_str(s, "cron"), !json_is_false(day_or), zone, err);
	if (json_object_get(s, "interval"))
		return interval_engine(e, s, zone, err);
	return error_set(err, ERROR_INVALID, "%s schedules cannot be computed here (cron and "
			 "interval schedules can)", schedule_view_type(schedule));
}

int
schedule_view_next(const json_t *schedule, const json_t *deployment, int64_t now,
		   struct sched_time *next)
{
	struct error err = ERROR_INIT;
	struct sched e;
	size_t n = 0;
	if (json_is_false(json_object_get(schedule, "active")) ||
	    json_is_true(json_object_get(deployment, "paused")) ||
	    schedule_view_engine(&e, schedule, &err) < 0)
		return 0;
	/* The scheduler's "now" has microseconds: its first run is after this second. */
	if (sched_next(&e, now + 1, SCHED_NO_END, 1, next, &n, &err) < 0)
		n = 0;
	sched_release(&e);
	return n == 1;
}

void
schedule_view_time(struct buf *out, const struct sched_time *t, int seconds)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	sched_format(t, local, offset);
	if (!seconds)
		local[16] = '\0';
	buf_addf(out, "%s %s", local, offset);
}

void
schedule_view_utc(struct buf *out, int64_t at)
{
	char iso[32];
	isotime_format_utc((double)at, iso);
	buf_adds(out, iso);
}

static json_t *
local_iso(const struct sched_time *t)
{
	char local[SCHED_LOCAL_SIZE], offset[SCHED_OFFSET_SIZE];
	sched_format(t, local, offset);
	local[10] = 'T';
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s%s", local, offset);
	json_t *v = json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

json_t *
schedule_view_json(const json_t *schedule, const json_t *deployment, int64_t now)
{
	json_t *doc = json_copy((json_t *)schedule);
	struct sched_time next;
	json_object_set_new(doc, "flow_name", json_string_or_null(json_str(deployment, "flow_name")));
	json_object_set_new(doc, "deployment_name", json_string_or_null(json_str(deployment, "name")));
	json_object_set_new(doc, "deployment_paused",
			    json_boolean(json_is_true(json_object_get(deployment, "paused"))));
	if (schedule_view_next(schedule, deployment, now, &next)) {
		struct buf utc = BUF_INIT;
		schedule_view_utc(&utc, next.at);
		json_object_set_new(doc, "next_run", json_string(buf_str(&utc)));
		json_object_set_new(doc, "next_run_local", local_iso(&next));
		buf_release(&utc);
	} else {
		json_object_set_new(doc, "next_run", json_null());
		json_object_set_new(doc, "next_run_local", json_null());
	}
	return doc;
}

/* Why a schedule has no next run, for people. */
static const char *
no_next_reason(const json_t *schedule, const json_t *deployment)
{
	if (json_is_false(json_object_get(schedule, "active")))
		return "- (schedule paused)";
	if (json_is_true(json_object_get(deployment, "paused")))
		return "- (deployment paused)";
	return "-";
}

static void
add_fields(struct panel *p, const json_t *schedule, const json_t *deployment, int64_t now)
{
	const char *type = schedule_view_type(schedule);
	struct buf v = BUF_INIT;
	struct sched_time next;
	panel_field(p, "Flow", json_str(deployment, "flow_name"), STYLE_NAME);
	panel_field(p, "Deployment", json_str(deployment, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(schedule, "id"), STYLE_NAME);
	panel_field(p, "Type", type, STYLE_NONE);
	schedule_view_expr(&v, schedule);
	panel_field(p, !strcmp(type, "cron") ? "Cron" : !strcmp(type, "interval") ? "Interval" :
		    "Rule", buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	panel_field(p, "Timezone", schedule_view_zone(schedule), STYLE_META);
	int active = !json_is_false(json_object_get(schedule, "active"));
	panel_field(p, "Active", active ? "Yes" : "No", active ? STYLE_SUCCESS : STYLE_FAILURE);
	if (schedule_view_next(schedule, deployment, now, &next))
		schedule_view_time(&v, &next, 1);
	else
		buf_adds(&v, no_next_reason(schedule, deployment));
	panel_field(p, "Next Run", buf_str(&v), STYLE_INFO);
	fields_panel_parameters(p, json_object_get(schedule, "parameters"));
	buf_release(&v);
}

int
schedule_view_show(struct cmd_ctx *ctx, const json_t *schedule, const json_t *deployment,
		   const char *title)
{
	int64_t now = (int64_t)isotime_now();
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = schedule_view_json(schedule, deployment, now);
		int rc = cmd_print_json(ctx, doc);
		json_decref(doc);
		return rc;
	}
	struct panel *p = panel_new(title, STYLE_SUCCESS);
	add_fields(p, schedule, deployment, now);
	return cmd_print_panel(ctx, p);
}

static void
clock(struct buf *out, int64_t wall)
{
	struct civil c;
	civil_split(wall, &c);
	buf_addf(out, "%02d:%02d", c.hour, c.minute);
}

static void
effect_counts(struct buf *out, const struct sched_dst_effect *e)
{
	const char *sep = "";
	if (e->moved) {
		buf_addf(out, "%d run%s at a skipped time will run after the gap", e->moved,
			 e->moved == 1 ? "" : "s");
		sep = "; ";
	}
	if (e->ambiguous) {
		buf_addf(out, "%s%d run%s at a time that occurs twice", sep, e->ambiguous,
			 e->ambiguous == 1 ? "" : "s");
		sep = "; ";
	}
	if (e->dropped)
		buf_addf(out, "%s%d run%s will not be created (Prefect keeps one run per local "
			 "time)", sep, e->dropped, e->dropped == 1 ? "" : "s");
}

void
schedule_view_warn_dst(struct cmd_ctx *ctx, const struct sched *s, int64_t now)
{
	struct sched_dst_effect *effects = NULL;
	struct error err = ERROR_INIT;
	size_t n = 0;
	if (sched_dst_effects(s, now, &effects, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct sched_dst_effect *e = &effects[i];
		struct buf text = BUF_INIT;
		struct civil day;
		civil_split(e->at + e->before, &day);
		buf_addf(&text, "on %04d-%02d-%02d clocks in %s go %s from ", day.year, day.month,
			 day.day, tz_name(s->tz), e->after > e->before ? "forward" : "back");
		clock(&text, e->at + e->before);
		buf_adds(&text, " to ");
		clock(&text, e->at + e->after);
		buf_adds(&text, ": ");
		effect_counts(&text, e);
		cmd_warn(ctx, "%s", buf_str(&text));
		buf_release(&text);
	}
	free(effects);
}
