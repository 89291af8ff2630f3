/* Prefect deployment endpoints (see deployments.h). */
#include "api/deployments.h"

#include <stdlib.h>
#include <string.h>

#include "api/refs.h"
#include "core/json.h"
#include "core/xalloc.h"

int
prefect_deployment_add_flow_names(struct api *api, json_t *deployments, struct error *err)
{
	json_t *ids = json_array(), *d, *flows = NULL, *f;
	json_t *names = json_object();
	size_t i;
	json_array_foreach(deployments, i, d)
		if (json_str(d, "flow_id"))
			json_array_append_new(ids, json_string(json_str(d, "flow_id")));
	json_t *body = json_pack("{s:{s:{s:O}}}", "flows", "id", "any_", ids);
	int rc = json_array_size(ids) ? api_list(api, "/flows/filter", body, 0, &flows, err) : 0;
	json_array_foreach(flows, i, f)
		json_object_set_new(names, json_str(f, "id"), json_string(json_str(f, "name")));
	json_array_foreach(deployments, i, d) {
		const char *fid = json_str(d, "flow_id");
		json_t *n = fid ? json_object_get(names, fid) : NULL;
		json_object_set(d, "flow_name", n ? n : json_null());
	}
	json_decref(flows);
	json_decref(body);
	json_decref(names);
	json_decref(ids);
	return rc;
}

static int
list_filtered(struct api *api, json_t *body, size_t limit, json_t **out, struct error *err)
{
	int rc = api_list(api, "/deployments/filter", body, limit, out, err);
	if (rc == 0)
		rc = prefect_deployment_add_flow_names(api, *out, err);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
prefect_deployment_list(struct api *api, const char *flow_id, size_t limit, json_t **out,
			struct error *err)
{
	json_t *body = json_pack("{s:s}", "sort", "NAME_ASC");
	if (flow_id)
		json_object_set_new(body, "flows", json_pack("{s:{s:[s]}}", "id", "any_", flow_id));
	int rc = list_filtered(api, body, limit, out, err);
	json_decref(body);
	return rc;
}

static int
by_flow_and_name(struct api *api, const char *flow, const char *name, json_t **out,
		 struct error *err)
{
	char *f = http_escape(flow), *n = http_escape(name);
	char *path = xasprintf("/deployments/name/%s/%s", f, n);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	if (rc == 0) {
		json_t *one = json_pack("[O]", *out);
		rc = prefect_deployment_add_flow_names(api, one, err);
		json_decref(one);
	} else if (err->kind == ERROR_NOT_FOUND) {
		error_set(err, ERROR_NOT_FOUND, "no deployment '%s' of flow '%s'", name, flow);
	}
	free(path);
	free(n);
	free(f);
	return rc;
}

/* A deployment from a list of candidates: exactly one, else an error. */
static int
pick(const char *ref, json_t *matches, json_t **out, struct error *err)
{
	size_t i, n = json_array_size(matches);
	json_t *d;
	if (n == 1) {
		*out = json_incref(json_array_get(matches, 0));
		return 0;
	}
	if (n == 0)
		return error_set(err, ERROR_NOT_FOUND, "no deployment named or with ID '%s'", ref);
	json_t *labelled = json_array();
	json_array_foreach(matches, i, d) {
		char *label = xasprintf("%s/%s", json_str(d, "flow_name") ? json_str(d, "flow_name") : "?",
					json_str(d, "name"));
		json_array_append_new(labelled, json_pack("{s:s,s:s}", "name", label, "id",
							  json_str(d, "id")));
		free(label);
	}
	prefect_ambiguous(err, ref, "deployments", labelled);
	error_hint(err, "name it as FLOW/DEPLOYMENT or by ID");
	json_decref(labelled);
	return -1;
}

static int
by_id(struct api *api, const char *id, json_t **out, struct error *err)
{
	char *path = xasprintf("/deployments/%s", id);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	if (rc == 0) {
		json_t *one = json_pack("[O]", *out);
		rc = prefect_deployment_add_flow_names(api, one, err);
		json_decref(one);
	}
	return rc;
}

int
prefect_deployment_find(struct api *api, const char *ref, json_t **out, struct error *err)
{
	const char *slash = strchr(ref, '/');
	json_t *matches = NULL;
	*out = NULL;
	if (slash) {
		char *flow = xstrndup(ref, (size_t)(slash - ref));
		int rc = by_flow_and_name(api, flow, slash + 1, out, err);
		free(flow);
		return rc;
	}
	if (prefect_is_uuid(ref)) {
		int rc = by_id(api, ref, out, err);
		if (rc == 0 || err->kind != ERROR_NOT_FOUND)
			return rc;
		json_decref(*out);
		*out = NULL;
	}
	json_t *body = json_pack("{s:{s:{s:[s]}}}", "deployments", "name", "any_", ref);
	int rc = list_filtered(api, body, 0, &matches, err);
	json_decref(body);
	if (rc == 0 && !json_array_size(matches) && prefect_is_id_prefix(ref)) {
		json_t *all = NULL;
		rc = prefect_deployment_list(api, NULL, 0, &all, err);
		json_decref(matches);
		matches = prefect_match_id_prefix(all, ref);
		json_decref(all);
	}
	if (rc == 0)
		rc = pick(ref, matches, out, err);
	json_decref(matches);
	return rc;
}

int
prefect_deployment_delete(struct api *api, const char *id, struct error *err)
{
	char *path = xasprintf("/deployments/%s", id);
	int rc = api_request(api, "DELETE", path, NULL, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	return rc;
}

int
prefect_deployment_count_runs(struct api *api, const char *id, const char *state_type,
			      long *out, struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]},s:{s:{s:[s]}}}}", "flow_runs", "deployment_id",
				 "any_", id, "state", "type", "any_", state_type);
	int rc = api_count(api, "/flow_runs/count", body, out, err);
	json_decref(body);
	return rc;
}

int
prefect_deployment_create_run(struct api *api, const char *id, const json_t *params,
			      const char *idempotency_key, json_t **out, struct error *err)
{
	char *path = xasprintf("/deployments/%s/create_flow_run", id);
	json_t *body = json_pack("{s:O,s:s}", "parameters", params, "idempotency_key",
				 idempotency_key);
	int rc = api_request(api, "POST", path, body, API_RETRY_SAFE, NULL, out, err);
	json_decref(body);
	free(path);
	return rc;
}

int
prefect_deployment_create(struct api *api, const json_t *body, json_t **out, struct error *err)
{
	/* an upsert on (flow, name): repeating it after a lost answer is harmless */
	return api_request(api, "POST", "/deployments/", body, API_RETRY_SAFE, NULL, out, err);
}

int
prefect_deployment_update(struct api *api, const char *id, const json_t *changes,
			  struct error *err)
{
	char *path = xasprintf("/deployments/%s", id);
	int rc = api_request(api, "PATCH", path, changes, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	return rc;
}
