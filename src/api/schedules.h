/*
 * Prefect deployment schedules (the /deployments/{id}/schedules
 * sub-resource), and the creation of many runs of a deployment at once, as
 * a backfill needs. Adding or deleting one schedule leaves the others alone,
 * unlike a deployment PATCH with "schedules"; but a schedule PATCH without
 * "parameters" wipes them, so updates here always resend them. Schedules
 * and runs are the server's JSON objects (new references the caller
 * releases with json_decref).
 */
#ifndef API_SCHEDULES_H
#define API_SCHEDULES_H

#include <jansson.h>
#include <stdint.h>

#include "api/client.h"

/* Most runs the server creates in one bulk request. */
#define PREFECT_BULK_RUNS_MAX 100

enum prefect_schedule_type {
	PREFECT_SCHEDULE_CRON,
	PREFECT_SCHEDULE_INTERVAL,
	PREFECT_SCHEDULE_RRULE,
	PREFECT_SCHEDULE_UNKNOWN,
};

/*
 * What a schedule fires by: the "schedule" object of a deployment schedule,
 * typed. Strings are borrowed from the caller or from the server's object.
 */
struct prefect_schedule {
	enum prefect_schedule_type type;
	const char *cron;     /* cron: the expression */
	int day_or;           /* cron: a day fires when day-of-month OR day-of-week matches */
	double interval;      /* interval: seconds */
	int64_t anchor;       /* interval: the UTC second the intervals count from */
	int has_anchor;       /* interval: anchor was given (or could be read) */
	const char *rrule;    /* rrule: the rule text */
	const char *timezone; /* an IANA name; "UTC" when the server has none */
};

/* A cron schedule as Prefect makes one by default (day_or true). */
void prefect_schedule_cron(struct prefect_schedule *s, const char *cron, const char *timezone);
/* An interval schedule counting from anchor. */
void prefect_schedule_interval(struct prefect_schedule *s, int64_t seconds, int64_t anchor,
			       const char *timezone);
/* An RRULE schedule: the rule text as Prefect's client sends it (with a DTSTART). */
void prefect_schedule_rrule(struct prefect_schedule *s, const char *rrule, const char *timezone);
/* Read a deployment schedule as the server returns it ({"schedule": {...}, ...}). */
void prefect_schedule_read(const json_t *deployment_schedule, struct prefect_schedule *out);
/*
 * The deployment's schedule (borrowed) that fires like s, with exactly these
 * parameters (NULL: whatever its parameters); NULL when it has none.
 */
const json_t *prefect_schedule_like(const json_t *deployment, const struct prefect_schedule *s,
				    const json_t *params);
/* The "schedules" list of a new deployment: s, active, or none when s is NULL (new reference). */
json_t *prefect_schedules_body(const struct prefect_schedule *s);
/* Whether a deployment schedule is active (the server's default is yes). */
int prefect_schedule_is_active(const json_t *deployment_schedule);

/* The deployment's schedules. */
int prefect_schedule_list(struct api *api, const char *deployment_id, json_t **out,
			  struct error *err);

/*
 * Add one schedule to a deployment, keeping the ones it has, with these
 * parameters for its runs (NULL: none of its own); *out (may be NULL) is the
 * schedule the server created. The caller checks first that the deployment
 * has no such schedule (prefect_schedule_like): a create is not repeated,
 * and when its answer is lost the schedules are read again, and one like
 * it found there is this call's own.
 */
int prefect_schedule_create(struct api *api, const char *deployment_id,
			    const struct prefect_schedule *s, int active, const json_t *params,
			    json_t **out, struct error *err);

/* Switch a schedule (as the server returned it) on or off, keeping the rest of it. */
int prefect_schedule_set_active(struct api *api, const json_t *schedule, int active,
				struct error *err);

/*
 * Delete a schedule. Prefect also deletes every auto-scheduled run of its
 * deployment that has not started, whichever schedule made it.
 */
int prefect_schedule_delete(struct api *api, const json_t *schedule, struct error *err);

/*
 * One schedule of any deployment by full UUID, unique ID prefix (at least 4
 * hex digits) or slug; *deployment receives its deployment (with
 * "flow_name"). Not found is ERROR_NOT_FOUND; ambiguity is ERROR_AMBIGUOUS
 * listing the candidates.
 */
int prefect_schedule_find(struct api *api, const char *ref, json_t **schedule, json_t **deployment,
			  struct error *err);

/* How many auto-scheduled runs of the deployment wait to start (what a schedule delete drops). */
int prefect_schedule_pending_runs(struct api *api, const char *deployment_id, long *out,
				  struct error *err);

/*
 * The deployment's runs whose idempotency key is one of keys (an array of
 * strings), as an object from key to run (new reference).
 */
int prefect_runs_by_keys(struct api *api, const char *deployment_id, const json_t *keys,
			 json_t **out, struct error *err);

/* A run of a deployment to create Scheduled at a time of its own, as a backfill does. */
struct prefect_scheduled_run {
	const char *name;
	int64_t scheduled_time;      /* UTC second */
	const char *tag;             /* one tag, or NULL */
	const char *idempotency_key; /* a repeat returns the run that exists */
	const json_t *parameters;    /* over the deployment's; may be NULL */
};

/* The request body that creates r (new reference), for prefect_deployment_create_runs. */
json_t *prefect_scheduled_run_body(const struct prefect_scheduled_run *r);
/*
 * r in Prefect's own field names, for output: {"name", "scheduled_time",
 * "idempotency_key"} (new reference).
 */
json_t *prefect_scheduled_run_summary(const struct prefect_scheduled_run *r);

/*
 * Create runs of a deployment from up to PREFECT_BULK_RUNS_MAX bodies made
 * by prefect_scheduled_run_body, each with an idempotency key (so a retry
 * or a repeat returns the run that exists). With *bulk set, one request to
 * /create_flow_run/bulk, then the runs it reports as not created one by
 * one; a server without that route clears *bulk, and it and later calls
 * create every run one request at a time. A run the server refuses is an
 * error naming it; the runs before it stay created. The bulk endpoint says
 * "CREATED" for a run that already existed too, so callers that need to
 * know read the runs back (prefect_runs_by_keys).
 */
int prefect_deployment_create_runs(struct api *api, const char *deployment_id, const json_t *runs,
				   int *bulk, struct error *err);

#endif
