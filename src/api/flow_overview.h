/*
 * What `flow list` shows beside each flow: its deployments and its last run,
 * gathered for a whole page of flows in a few batched requests rather than
 * one or more per flow.
 */
#ifndef API_FLOW_OVERVIEW_H
#define API_FLOW_OVERVIEW_H

#include <jansson.h>

#include "api/client.h"

/*
 * Add to every flow object in flows (changed in place):
 *   "deployment_count": number of deployments,
 *   "latest_deployment": {"id","name","version","updated"} of the most
 *                        recently updated deployment, or null,
 *   "last_run": {"id","name","state_type","state_name","start_time",
 *                "end_time"} of the run that started last, or null.
 * Requests: the deployments of all the flows (paged), then rounds of
 * "newest started runs of the flows still unresolved": each round settles
 * every flow that appears in it, and a round that is not full settles all.
 * *requests_out (may be NULL) receives the number of requests made.
 */
int prefect_flow_overview(struct api *api, json_t *flows, int *requests_out, struct error *err);

#endif
