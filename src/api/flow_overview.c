/* Deployments and last runs for a list of flows (see flow_overview.h). */
#include "api/flow_overview.h"
#include "api/pages.h"

#include <string.h>

#include "core/json.h"

static json_t *
flow_ids(const json_t *flows, int only_unresolved)
{
	json_t *ids = json_array(), *f;
	size_t i;
	json_array_foreach(flows, i, f) {
		if (only_unresolved && json_object_get(f, "last_run"))
			continue;
		json_array_append_new(ids, json_string(json_str(f, "id")));
	}
	return ids;
}

static json_t *
index_by_id(const json_t *flows)
{
	json_t *index = json_object(), *f;
	size_t i;
	json_array_foreach(flows, i, f)
		json_object_set(index, json_str(f, "id"), f);
	return index;
}

/* The flow object a deployment or run belongs to, or NULL. */
static json_t *
owner(json_t *index, const json_t *item)
{
	const char *flow_id = json_str(item, "flow_id");
	return flow_id ? json_object_get(index, flow_id) : NULL;
}

static json_t *
deployment_summary(const json_t *d)
{
	return json_pack("{s:O?,s:O?,s:O?,s:O?}", "id", json_object_get(d, "id"), "name",
			 json_object_get(d, "name"), "version", json_object_get(d, "version"),
			 "updated", json_object_get(d, "updated"));
}

static int
add_deployments(struct api *api, json_t *index, json_t *ids, int *requests, struct error *err)
{
	json_t *filter = json_pack("{s:{s:{s:O}},s:s}", "flows", "id", "any_", ids, "sort",
				   "UPDATED_DESC");
	json_t *deps = NULL, *d;
	size_t i;
	int rc = api_list(api, "/deployments/filter", filter, 0, &deps, err);
	json_decref(filter);
	(*requests) += 1 + (int)(json_array_size(deps) / API_PAGE_MAX);
	json_array_foreach(deps, i, d) {
		json_t *flow = owner(index, d);
		if (!flow)
			continue;
		json_int_t n = json_integer_value(json_object_get(flow, "deployment_count"));
		json_object_set_new(flow, "deployment_count", json_integer(n + 1));
		if (!json_object_get(flow, "latest_deployment"))
			json_object_set_new(flow, "latest_deployment", deployment_summary(d));
	}
	json_decref(deps);
	return rc;
}

static json_t *
run_summary(const json_t *r)
{
	return json_pack("{s:O?,s:O?,s:O?,s:O?,s:O?,s:O?}", "id", json_object_get(r, "id"), "name",
			 json_object_get(r, "name"), "state_type", json_object_get(r, "state_type"),
			 "state_name", json_object_get(r, "state_name"), "start_time",
			 json_object_get(r, "start_time"), "end_time",
			 json_object_get(r, "end_time"));
}

/* One round: the newest started runs of the unresolved flows. Returns the
 * number of rows, or -1. */
static int
last_runs_round(struct api *api, json_t *index, json_t *ids, struct error *err)
{
	json_t *filter = json_pack("{s:{s:{s:O}},s:{s:{s:b}},s:s,s:i}", "flows", "id", "any_", ids,
				   "flow_runs", "start_time", "is_null_", 0, "sort",
				   "START_TIME_DESC", "limit", API_PAGE_MAX);
	json_t *runs = NULL, *r;
	size_t i;
	int rc = api_request(api, "POST", "/flow_runs/filter", filter, API_RETRY_SAFE, NULL, &runs,
			     err);
	json_decref(filter);
	if (rc < 0)
		return -1;
	json_array_foreach(runs, i, r) {
		json_t *flow = owner(index, r);
		if (flow && !json_object_get(flow, "last_run"))
			json_object_set_new(flow, "last_run", run_summary(r));
	}
	int n = (int)json_array_size(runs);
	json_decref(runs);
	return n;
}

static int
add_last_runs(struct api *api, json_t *flows, json_t *index, int *requests, struct error *err)
{
	for (;;) {
		json_t *ids = flow_ids(flows, 1);
		int n = json_array_size(ids) ? last_runs_round(api, index, ids, err) : 0;
		if (json_array_size(ids))
			(*requests)++;
		json_decref(ids);
		if (n < API_PAGE_MAX)
			return n < 0 ? -1 : 0;
	}
}

static void
fill_defaults(json_t *flows)
{
	json_t *f;
	size_t i;
	json_array_foreach(flows, i, f) {
		if (!json_object_get(f, "deployment_count"))
			json_object_set_new(f, "deployment_count", json_integer(0));
		if (!json_object_get(f, "latest_deployment"))
			json_object_set_new(f, "latest_deployment", json_null());
		if (!json_object_get(f, "last_run"))
			json_object_set_new(f, "last_run", json_null());
	}
}

int
prefect_flow_overview(struct api *api, json_t *flows, int *requests_out, struct error *err)
{
	int requests = 0, rc = 0;
	if (json_array_size(flows)) {
		json_t *index = index_by_id(flows);
		json_t *ids = flow_ids(flows, 0);
		rc = add_deployments(api, index, ids, &requests, err);
		if (rc == 0)
			rc = add_last_runs(api, flows, index, &requests, err);
		json_decref(ids);
		json_decref(index);
	}
	fill_defaults(flows);
	if (requests_out)
		*requests_out = requests;
	return rc;
}
