/*
 * How the schedule commands (create, list, delete, preview, pause, resume)
 * and backfill show a deployment schedule, and how they turn the server's
 * schedule object into one the engine (sched/sched.h) computes, so that
 * they agree. Deployments carry "flow_name".
 */
#ifndef CMD_PREFECT_SCHEDULE_VIEW_H
#define CMD_PREFECT_SCHEDULE_VIEW_H

#include <jansson.h>

#include "api/schedules.h"
#include "cli/command.h"
#include "sched/sched.h"

/*
 * One schedule of any deployment by ID, unique ID prefix or slug, with its
 * deployment (prefect_schedule_find), hinting at 'schedule list' when there
 * is none.
 */
int schedule_view_find(struct api *api, const char *ref, json_t **schedule, json_t **deployment,
		       struct error *err);
/* "cron", "interval", "rrule" or "?". */
const char *schedule_view_type(const json_t *schedule);
/* The cron expression, "3600s", or the rrule text. */
void schedule_view_expr(struct buf *out, const json_t *schedule);
/* The schedule's time zone; "UTC" when it has none. */
/* An RRULE text on one line: its lines (and any white space) joined by one space. */
void schedule_view_rrule_line(struct buf *out, const char *rule);
const char *schedule_view_zone(const json_t *schedule);

/* The engine's form of the server's schedule object (not rrule schedules). */
int schedule_view_engine(struct sched *s, const json_t *schedule, struct error *err);
/*
 * The first fire time after now (whole seconds) as Prefect's scheduler will create it:
 * 1 found, 0 none (inactive, deployment paused, rrule, or never again).
 */
int schedule_view_next(const json_t *schedule, const json_t *deployment, int64_t now,
		       struct sched_time *next);

/* "2024-01-02 00:00:00 +00:00" (seconds 0: without them). */
void schedule_view_time(struct buf *out, const struct sched_time *t, int seconds);
/* "2024-01-02T00:00:00Z" */
void schedule_view_utc(struct buf *out, int64_t at);

/* The server's schedule with flow_name, deployment_name and next_run added; new reference. */
json_t *schedule_view_json(const json_t *schedule, const json_t *deployment, int64_t now);
/* Print one schedule as a panel titled title, or as JSON; returns EXIT_OK. */
int schedule_view_show(struct cmd_ctx *ctx, const json_t *schedule, const json_t *deployment,
		       const char *title);

/* Warn on stderr about the next year's daylight-saving changes that move, drop or repeat runs. */
void schedule_view_warn_dst(struct cmd_ctx *ctx, const struct sched *s, int64_t now);

#endif
