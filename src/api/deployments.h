/*
 * Prefect deployments: list and find. Deployments are the server's JSON
 * objects (new references the caller releases with json_decref); the
 * server's deployment objects carry no flow name, so the functions here add
 * "flow_name" to each.
 */
#ifndef API_DEPLOYMENTS_H
#define API_DEPLOYMENTS_H

#include <jansson.h>

#include "api/client.h"

/* Up to limit deployments (0: all), by name; only flow_id's when it is not NULL. */
int prefect_deployment_list(struct api *api, const char *flow_id, size_t limit, json_t **out,
			    struct error *err);

/*
 * One deployment by full UUID, unique ID prefix, "FLOW/NAME", or NAME when
 * only one flow has a deployment of that name. Not found is ERROR_NOT_FOUND;
 * a NAME several flows use is ERROR_INVALID listing them as FLOW/NAME.
 */
int prefect_deployment_find(struct api *api, const char *ref, json_t **out, struct error *err);

/* Add "flow_name" to every deployment in deployments (one batched request). */
int prefect_deployment_add_flow_names(struct api *api, json_t *deployments, struct error *err);

/*
 * Start a run of the deployment now with these parameters (merged by the
 * server over the deployment's). idempotency_key makes a retry return the
 * same run instead of a second one.
 */
int prefect_deployment_create_run(struct api *api, const char *id, const json_t *params,
				  const char *idempotency_key, json_t **out, struct error *err);

/*
 * Create a deployment (POST /deployments/, body as the server takes it).
 * Beware: that endpoint is an upsert that replaces an existing deployment's
 * schedules and parameters; use prefect_deployment_update for existing ones.
 */
int prefect_deployment_create(struct api *api, const json_t *body, json_t **out,
			      struct error *err);
/* PATCH the fields in changes (only those are written). */
int prefect_deployment_update(struct api *api, const char *id, const json_t *changes,
			      struct error *err);
int prefect_deployment_delete(struct api *api, const char *id, struct error *err);

/* How many runs of the deployment are in state_type (e.g. "SCHEDULED"). */
int prefect_deployment_count_runs(struct api *api, const char *id, const char *state_type,
				  long *out, struct error *err);

#endif
