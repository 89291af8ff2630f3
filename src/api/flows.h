/*
 * Prefect flows: create, find by name/ID/prefix, list, delete.
 * Flows are returned as the server's JSON objects (new references the caller
 * releases with json_decref). A flow has no description field on the server;
 * mahavishnu keeps one in the flow's labels under FLOW_DESCRIPTION_LABEL.
 */
#ifndef API_FLOWS_H
#define API_FLOWS_H

#include <jansson.h>

#include "api/client.h"
#include "api/pages.h"
#include "api/refs.h"
#include "core/strlist.h"

#define FLOW_DESCRIPTION_LABEL "description"

/*
 * Create a flow. When a flow of that name already exists it is left
 * unchanged: *created is then 0 and *out is the existing flow. The name is
 * looked up first, so when the create's first answer was lost and its
 * retry finds the flow (the server answers 200, not 201), the flow is known
 * to be this call's own and *created is 1.
 */
int prefect_flow_create(struct api *api, const char *name, const struct strlist *tags,
			const char *description, json_t **out, int *created, struct error *err);

/*
 * Find one flow by full UUID, exact name, or unique ID prefix (at least 4
 * hex digits). Not found is ERROR_NOT_FOUND; an ambiguous prefix is
 * ERROR_AMBIGUOUS listing the candidates.
 */
int prefect_flow_find(struct api *api, const char *ref, json_t **out, struct error *err);

/*
 * Up to limit flows (0: all), newest first, a page at a time as they arrive
 * (api/pages.h); only flows with a deployment when deployed_only.
 */
int prefect_flow_stream(struct api *api, size_t limit, int deployed_only, api_page_fn on_page,
			void *userdata, struct error *err);
/* How many flows there are (with a deployment, when deployed_only). */
int prefect_flow_count(struct api *api, int deployed_only, long *out, struct error *err);

/* How many deployments and flow runs the flow has (deleting it deletes them). */
int prefect_flow_dependents(struct api *api, const char *id, long *deployments, long *runs,
			    struct error *err);

int prefect_flow_delete(struct api *api, const char *id, struct error *err);

#endif
