/* Shared presentation of deployment schedules (see schedule_view.h). */
#include "cmd/prefect/schedule_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"

int
schedule_view_find(struct api *api, const char *ref, json_t **schedule, json_t **deployment,
		   struct error *err)
{
	int rc = prefect_schedule_find(api, ref, schedule, deployment, err);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND)
		error_hint(err, "'mahavishnu prefect schedule list' shows them");
	return rc;
}

/* clang-format off */
static const char *const type_names[] = {
	[PREFECT_SCHEDULE_CRON] = "cron",
	[PREFECT_SCHEDULE_INTERVAL] = "interval",
	[PREFECT_SCHEDULE_RRULE] = "rrule",
	[PREFECT_SCHEDULE_UNKNOWN] = "?",
};
/* clang-format on */

const char *
schedule_view_type(const json_t *schedule)
{
	struct prefect_schedule s;
	prefect_schedule_read(schedule, &s);
	return type_names[s.type];
}

void
schedule_view_expr(struct buf *out, const json_t *schedule)
{
	struct prefect_schedule s;
	prefect_schedule_read(schedule, &s);
	if (s.type == PREFECT_SCHEDULE_CRON)
		buf_adds(out, s.cron);
	else if (s.type == PREFECT_SCHEDULE_INTERVAL)
		buf_addf(out, s.interval == floor(s.interval) ? "%.0fs" : "%gs", s.interval);
	else if (s.type == PREFECT_SCHEDULE_RRULE)
		schedule_view_rrule_line(out, s.rrule);
	else
		buf_adds(out, "?");
}

void
schedule_view_rrule_line(struct buf *out, const char *rule)
{
	int space = 0;
	for (const char *c = rule; *c; c++) {
		if (strchr(" \t\r\n\f\v", *c)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_adds(out, " ");
		space = 0;
		buf_addf(out, "%c", *c);
	}
}

const char *
schedule_view_zone(const json_t *schedule)
{
	struct prefect_schedule s;
	prefect_schedule_read(schedule, &s);
	return s.timezone;
}

static int
interval_engine(struct sched *e, const struct prefect_schedule *s, struct error *err)
{
	if (s->interval != floor(s->interval))
		return error_set(err, ERROR_INVALID,
				 "an interval that is not a whole number of "
				 "seconds cannot be computed here");
	if (fabs(s->interval) > 0x1p62) /* too large to convert, so sched_interval cannot say */
		return error_set(err, ERROR_INVALID, "an interval of %g seconds is out of range",
				 s->interval);
	if (!s->has_anchor)
		return error_set(err, ERROR_INVALID,
				 "the interval schedule has no readable "
				 "anchor date");
	return sched_interval(e, (int64_t)s->interval, s->anchor, s->timezone, err);
}

int
schedule_view_engine(struct sched *e, const json_t *schedule, struct error *err)
{
	struct prefect_schedule s;
	prefect_schedule_read(schedule, &s);
	if (s.type == PREFECT_SCHEDULE_CRON)
		return sched_cron(e, s.cron, s.day_or, s.timezone, err);
	if (s.type == PREFECT_SCHEDULE_INTERVAL)
		return interval_engine(e, &s, err);
	if (s.type == PREFECT_SCHEDULE_RRULE)
		return sched_rrule(e, s.rrule, s.timezone, err);
	return error_set(err, ERROR_INVALID,
			 "%s schedules cannot be computed here (cron, interval and "
			 "RRULE schedules can)",
			 type_names[s.type]);
}

int
schedule_view_next(const json_t *schedule, const json_t *deployment, int64_t now,
		   struct sched_time *next)
{
	struct error err = ERROR_INIT;
	struct sched e;
	size_t n = 0;
	if (!prefect_schedule_is_active(schedule) ||
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
	json_object_set_new(doc, "flow_name",
			    json_string_or_null(json_str(deployment, "flow_name")));
	json_object_set_new(doc, "deployment_name",
			    json_string_or_null(json_str(deployment, "name")));
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
	if (!prefect_schedule_is_active(schedule))
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
	panel_field_whole(p, /* an expression: never broken between its words */
			  !strcmp(type, "cron")     ? "Cron" :
			  !strcmp(type, "interval") ? "Interval" :
						      "Rule",
			  buf_str(&v), STYLE_NONE);
	buf_reset(&v);
	panel_field(p, "Timezone", schedule_view_zone(schedule), STYLE_META);
	int active = prefect_schedule_is_active(schedule);
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
wall_clock(struct buf *out, int64_t wall)
{
	struct civil c;
	civil_split(wall, &c);
	buf_addf(out, "%02d:%02d", c.hour, c.minute);
}

static void
effect_counts(struct buf *out, const struct sched_dst_effect *e)
{
	const char *sep = "";
	if (e->moved_early) {
		buf_addf(out, "%d run%s at a skipped time will run before the gap", e->moved_early,
			 e->moved_early == 1 ? "" : "s");
		sep = "; ";
	}
	if (e->moved) {
		buf_addf(out, "%s%d run%s at a skipped time will run after the gap", sep, e->moved,
			 e->moved == 1 ? "" : "s");
		sep = "; ";
	}
	if (e->ambiguous) {
		buf_addf(out, "%s%d run%s at a time that occurs twice", sep, e->ambiguous,
			 e->ambiguous == 1 ? "" : "s");
		sep = "; ";
	}
	if (e->dropped)
		buf_addf(out,
			 "%s%d run%s will not be created (Prefect keeps one run per local "
			 "time)",
			 sep, e->dropped, e->dropped == 1 ? "" : "s");
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
		wall_clock(&text, e->at + e->before);
		buf_adds(&text, " to ");
		wall_clock(&text, e->at + e->after);
		buf_adds(&text, ": ");
		effect_counts(&text, e);
		cmd_warn(ctx, "%s", buf_str(&text));
		buf_release(&text);
	}
	free(effects);
}
