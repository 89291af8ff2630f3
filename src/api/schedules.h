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

#include "api/client.h"

/* Most runs the server creates in one bulk request. */
#define PREFECT_BULK_RUNS_MAX 100

/* The deployment's schedules. */
int prefect_schedule_list(struct api *api, const char *deployment_id, json_t **out,
			  struct error *err);

/*
 * Add one schedule ({"schedule", "active", "parameters"}) to a deployment,
 * keeping the ones it has; *out is the schedule the server created.
 */
int prefect_schedule_create(struct api *api, const char *deployment_id, const json_t *create,
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
 * "flow_name"). Not found is ERROR_NOT_FOUND; ambiguity is ERROR_INVALID
 * listing the candidates.
 */
int prefect_schedule_find(struct api *api, const char *ref, json_t **schedule,
			  json_t **deployment, struct error *err);

/* How many auto-scheduled runs of the deployment wait to start (what a schedule delete drops). */
int prefect_schedule_pending_runs(struct api *api, const char *deployment_id, long *out,
				  struct error *err);

/* The deployment's runs whose idempotency key is one of keys (an array of strings). */
int prefect_runs_by_keys(struct api *api, const char *deployment_id, const json_t *keys,
			 json_t **out, struct error *err);

/*
 * Create runs of a deployment from up to PREFECT_BULK_RUNS_MAX
 * DeploymentFlowRunCreate bodies, each with an idempotency key (so a retry
 * or a repeat returns the run that exists). With *bulk set, one request to
 * /create_flow_run/bulk, then the runs it reports as not created one by
 * one; a server without that route clears *bulk, and it and later calls
 * create every run one request at a time. A run the server refuses is an
 * error naming it; the runs before it stay created. The bulk endpoint says
 * "CREATED" for a run that already existed too, so callers that need to
 * know read the runs back (prefect_runs_by_keys).
 */
int prefect_deployment_create_runs(struct api *api, const char *deployment_id,
				   const json_t *runs, int *bulk, struct error *err);

#endif
