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
#include "api/pages.h"
#include "api/schedules.h"
#include "core/strlist.h"

/*
 * What a deployment should be, as a command fills it from its options.
 * Fields left NULL or 0 are not sent, so an existing deployment keeps them.
 */
struct prefect_deployment_spec {
	const char *flow_id;
	const char *name;
	const char *work_pool;          /* NULL: keep the deployment's */
	const char *work_queue;         /* NULL: keep the deployment's when its pool is kept, else
					 * the pool's default queue (made when it is missing) */
	const char *entrypoint;         /* "file.py:function" in directory; NULL: keep */
	const char *directory;          /* with entrypoint: where runs start */
	const json_t *parameter_schema; /* with entrypoint: the flow's parameter schema */
	const json_t *parameters;       /* defaults, merged over the deployment's; may be NULL */
	const char *description;
	const char *version;
	const struct strlist *tags;              /* NULL: keep */
	int paused;                              /* 1: create it paused, or pause it */
	long concurrency_limit;                  /* runs at once; 0: keep (none for a new one) */
	const struct prefect_schedule *schedule; /* added unless one fires alike; may be NULL */
};

/* Up to limit deployments (0: all), by name; only flow_id's when it is not NULL. */
int prefect_deployment_list(struct api *api, const char *flow_id, size_t limit, json_t **out,
			    struct error *err);
/* The same a page at a time as the pages arrive (api/pages.h). */
int prefect_deployment_stream(struct api *api, const char *flow_id, size_t limit,
			      api_page_fn on_page, void *userdata, struct error *err);
/* How many deployments there are (of flow_id, when it is not NULL). */
int prefect_deployment_count(struct api *api, const char *flow_id, long *out, struct error *err);

/*
 * One deployment by full UUID, unique ID prefix, "FLOW/NAME", or NAME when
 * only one flow has a deployment of that name. Not found is ERROR_NOT_FOUND;
 * a NAME several flows use is ERROR_AMBIGUOUS listing them as FLOW/NAME.
 */
int prefect_deployment_find(struct api *api, const char *ref, json_t **out, struct error *err);

/*
 * Start a run of the deployment now with these parameters (merged by the
 * server over the deployment's), with tags (may be NULL) beside the
 * deployment's. idempotency_key makes a retry, or a repeat, return the same
 * run instead of a second one.
 */
int prefect_deployment_create_run(struct api *api, const char *id, const json_t *params,
				  const struct strlist *tags, const char *idempotency_key,
				  json_t **out, struct error *err);

/*
 * The deployment NAME of flow FLOW_NAME (with "flow_name"), or *out NULL
 * when there is none; 0, or -1 on any other error.
 */
int prefect_deployment_lookup(struct api *api, const char *flow_name, const char *name,
			      json_t **out, struct error *err);

/*
 * The deployment of flow (a server flow object) to use: ref (NAME, FLOW/NAME,
 * ID or prefix) when given, which must be one of the flow's, else the flow's
 * only deployment. 1 found (*out, with "flow_name"), 0 the flow has none,
 * -1 error: ERROR_AMBIGUOUS listing them when the flow has several,
 * ERROR_INVALID when ref is another flow's.
 */
int prefect_flow_deployment(struct api *api, const json_t *flow, const char *ref, json_t **out,
			    struct error *err);

/*
 * Make the deployment what spec says, keeping what it does not mention:
 * existing (as prefect_deployment_lookup read it) is updated in place with
 * a PATCH, its parameters merged and a new schedule added beside the ones it
 * has (Prefect's create endpoint is an upsert that wipes both); with no
 * existing one it is created. *out is the deployment as the server now has
 * it (with "flow_name").
 */
int prefect_deployment_upsert(struct api *api, const struct prefect_deployment_spec *spec,
			      const json_t *existing, json_t **out, struct error *err);
int prefect_deployment_delete(struct api *api, const char *id, struct error *err);

/* The deployment's parameter schema (borrowed; NULL when it has none). */
const json_t *prefect_deployment_schema(const json_t *deployment);
/* The deployment's default parameters (borrowed; NULL when it has none). */
const json_t *prefect_deployment_parameters(const json_t *deployment);
/* The deployment's work pool name (borrowed; NULL when it has none). */
const char *prefect_deployment_pool(const json_t *deployment);
/* The deployment's work queue, or NULL. */
const char *prefect_deployment_queue(const json_t *deployment);
/* The directory its runs start in, from its set_working_directory pull step or path. */
const char *prefect_deployment_directory(const json_t *deployment);
/*
 * Check params (with the deployment's defaults) against the deployment's
 * schema, as the server will when the deployment enforces it.
 */
int prefect_deployment_check_params(const json_t *deployment, const json_t *params,
				    struct error *err);

/* How many runs of the deployment are in state_type (e.g. "SCHEDULED"). */
int prefect_deployment_count_runs(struct api *api, const char *id, const char *state_type,
				  long *out, struct error *err);

#endif
