/* Prefect deployment endpoints (see deployments.h). */
#include "api/deployments.h"
#include "api/pages.h"

#include <stdlib.h>
#include <string.h>

#include "api/parameters.h"
#include "api/refs.h"
#include "core/json.h"
#include "core/xalloc.h"

/* The pull step that makes a process worker's run start in a directory. */
#define SET_WORKING_DIRECTORY "prefect.deployments.steps.set_working_directory"

static int
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

/* Every deployment, or only flow_id's; sorted by name when sort is set. */
static json_t *
deployments_filter(const char *flow_id, int sort)
{
	json_t *body = sort ? json_pack("{s:s}", "sort", "NAME_ASC") : json_object();
	if (flow_id)
		json_object_set_new(body, "flows", json_pack("{s:{s:[s]}}", "id", "any_", flow_id));
	return body;
}

int
prefect_deployment_list(struct api *api, const char *flow_id, size_t limit, json_t **out,
			struct error *err)
{
	json_t *body = deployments_filter(flow_id, 1);
	int rc = list_filtered(api, body, limit, out, err);
	json_decref(body);
	return rc;
}

struct named_pages {
	struct api *api;
	api_page_fn on_page;
	void *userdata;
};

static int
named_page(json_t *rows, void *userdata, struct error *err)
{
	struct named_pages *np = userdata;
	if (prefect_deployment_add_flow_names(np->api, rows, err) < 0)
		return -1;
	return np->on_page(rows, np->userdata, err);
}

int
prefect_deployment_stream(struct api *api, const char *flow_id, size_t limit, api_page_fn on_page,
			  void *userdata, struct error *err)
{
	json_t *body = deployments_filter(flow_id, 1);
	struct named_pages np = { api, on_page, userdata };
	struct api_pages p = { .path = "/deployments/filter",
			       .filter = body,
			       .rows_wanted = limit,
			       .unique_key = "id",
			       .on_page = named_page,
			       .userdata = &np };
	int rc = api_list_pages(api, &p, err);
	json_decref(body);
	return rc;
}

int
prefect_deployment_count(struct api *api, const char *flow_id, long *out, struct error *err)
{
	json_t *body = deployments_filter(flow_id, 0);
	int rc = api_count(api, "/deployments/count", body, out, err);
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
		char *label = xasprintf("%s/%s",
					json_str(d, "flow_name") ? json_str(d, "flow_name") : "?",
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
		json_t *sorted = json_pack("{s:s}", "sort", "NAME_ASC");
		json_decref(matches);
		rc = api_find_prefix(api, "/deployments/filter", sorted, ref, &matches, err);
		if (rc == 0)
			rc = prefect_deployment_add_flow_names(api, matches, err);
		json_decref(sorted);
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
prefect_deployment_count_runs(struct api *api, const char *id, const char *state_type, long *out,
			      struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]},s:{s:{s:[s]}}}}", "flow_runs", "deployment_id",
				 "any_", id, "state", "type", "any_", state_type);
	int rc = api_count(api, "/flow_runs/count", body, out, err);
	json_decref(body);
	return rc;
}

int
prefect_deployment_create_run(struct api *api, const char *id, const json_t *params,
			      const struct strlist *tags, const char *idempotency_key, json_t **out,
			      struct error *err)
{
	char *path = xasprintf("/deployments/%s/create_flow_run", id);
	json_t *body = json_pack("{s:O,s:s}", "parameters", params, "idempotency_key",
				 idempotency_key);
	if (tags && tags->len)
		json_object_set_new(body, "tags", json_string_array(tags->items, tags->len));
	int rc = api_request(api, "POST", path, body, API_RETRY_SAFE, NULL, out, err);
	json_decref(body);
	free(path);
	return rc;
}

int
prefect_deployment_lookup(struct api *api, const char *flow_name, const char *name, json_t **out,
			  struct error *err)
{
	int rc = by_flow_and_name(api, flow_name, name, out, err);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		json_decref(*out);
		*out = NULL;
		rc = 0;
	}
	return rc;
}

static int
named_one_of(struct api *api, const json_t *flow, const char *ref, json_t **out, struct error *err)
{
	if (prefect_deployment_find(api, ref, out, err) < 0)
		return -1;
	if (strcmp(json_str(*out, "flow_id"), json_str(flow, "id")))
		return error_set(err, ERROR_INVALID,
				 "deployment '%s' belongs to flow '%s', not '%s'", ref,
				 json_str(*out, "flow_name"), json_str(flow, "name"));
	return 1;
}

int
prefect_flow_deployment(struct api *api, const json_t *flow, const char *ref, json_t **out,
			struct error *err)
{
	json_t *all = NULL;
	*out = NULL;
	if (ref)
		return named_one_of(api, flow, ref, out, err);
	if (prefect_deployment_list(api, json_str(flow, "id"), 0, &all, err) < 0)
		return -1;
	size_t n = json_array_size(all);
	if (n == 1)
		*out = json_incref(json_array_get(all, 0));
	if (n > 1) {
		prefect_ambiguous(err, json_str(flow, "name"), "deployments of this flow", all);
	}
	json_decref(all);
	return n > 1 ? -1 : (int)n;
}

/* Where the code is: entrypoint, the pull step that starts runs in its directory, schema. */
static void
add_code(json_t *body, const struct prefect_deployment_spec *spec)
{
	json_object_set_new(body, "entrypoint", json_string(spec->entrypoint));
	json_object_set_new(body, "pull_steps",
			    json_pack("[{s:{s:s}}]", SET_WORKING_DIRECTORY, "directory",
				      spec->directory));
	if (spec->parameter_schema)
		json_object_set(body, "parameter_openapi_schema", (json_t *)spec->parameter_schema);
}

/* The fields spec sets, as both create and update send them. */
static json_t *
spec_fields(const struct prefect_deployment_spec *spec)
{
	json_t *body = json_object();
	if (spec->work_pool)
		json_object_set_new(body, "work_pool_name", json_string(spec->work_pool));
	if (spec->work_queue)
		json_object_set_new(body, "work_queue_name", json_string(spec->work_queue));
	if (spec->entrypoint)
		add_code(body, spec);
	if (spec->description)
		json_object_set_new(body, "description", json_string(spec->description));
	if (spec->version)
		json_object_set_new(body, "version", json_string(spec->version));
	if (spec->tags)
		json_object_set_new(body, "tags",
				    json_string_array(spec->tags->items, spec->tags->len));
	if (spec->paused)
		json_object_set_new(body, "paused", json_true());
	if (spec->concurrency_limit)
		json_object_set_new(body, "concurrency_limit",
				    json_integer(spec->concurrency_limit));
	return body;
}

/*
 * Prefect moves a deployment to its pool's default queue when an update names
 * the pool alone, and ignores a queue named without its pool: the pool kept
 * keeps its queue, and a queue goes with its pool.
 */
static void
keep_queue(json_t *changes, const struct prefect_deployment_spec *spec, const json_t *existing)
{
	const char *pool = prefect_deployment_pool(existing);
	const char *queue = prefect_deployment_queue(existing);
	if (spec->work_pool && !spec->work_queue && pool && queue && !strcmp(pool, spec->work_pool))
		json_object_set_new(changes, "work_queue_name", json_string(queue));
	if (!spec->work_pool && spec->work_queue && pool)
		json_object_set_new(changes, "work_pool_name", json_string(pool));
}

/* A PATCH leaves schedules alone: a new one goes through the sub-resource, so IDs survive. */
static int
update(struct api *api, const struct prefect_deployment_spec *spec, const json_t *existing,
       struct error *err)
{
	const char *id = json_str(existing, "id");
	json_t *changes = spec_fields(spec);
	keep_queue(changes, spec, existing);
	json_t *params = json_deep_copy(json_object_get(existing, "parameters"));
	if (!json_is_object(params)) {
		json_decref(params);
		params = json_object();
	}
	if (spec->parameters)
		json_object_update(params, (json_t *)spec->parameters);
	json_object_set_new(changes, "parameters", params);
	char *path = xasprintf("/deployments/%s", id);
	int rc = api_request(api, "PATCH", path, changes, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	json_decref(changes);
	if (rc == 0 && spec->schedule && !prefect_schedule_like(existing, spec->schedule, NULL))
		rc = prefect_schedule_create(api, id, spec->schedule, 1, NULL, NULL, err);
	return rc;
}

static int
create(struct api *api, const struct prefect_deployment_spec *spec, char **id, struct error *err)
{
	json_t *body = spec_fields(spec), *created = NULL;
	json_object_set_new(body, "name", json_string(spec->name));
	json_object_set_new(body, "flow_id", json_string(spec->flow_id));
	json_object_set_new(body, "parameters",
			    spec->parameters ? json_deep_copy(spec->parameters) : json_object());
	json_object_set_new(body, "schedules", prefect_schedules_body(spec->schedule));
	/* an upsert on (flow, name): repeating it after a lost answer is harmless */
	int rc = api_request(api, "POST", "/deployments/", body, API_RETRY_SAFE, NULL, &created,
			     err);
	if (rc == 0 && !json_str(created, "id"))
		rc = error_set(err, ERROR_API,
			       "the server did not return the deployment it created");
	if (rc == 0)
		*id = xstrdup(json_str(created, "id"));
	json_decref(created);
	json_decref(body);
	return rc;
}

int
prefect_deployment_upsert(struct api *api, const struct prefect_deployment_spec *spec,
			  const json_t *existing, json_t **out, struct error *err)
{
	char *id = existing ? xstrdup(json_str(existing, "id")) : NULL;
	*out = NULL;
	int rc = existing ? update(api, spec, existing, err) : create(api, spec, &id, err);
	if (rc == 0)
		rc = by_id(api, id, out, err);
	free(id);
	return rc;
}

const json_t *
prefect_deployment_schema(const json_t *deployment)
{
	return json_object_get(deployment, "parameter_openapi_schema");
}

const json_t *
prefect_deployment_parameters(const json_t *deployment)
{
	return json_object_get(deployment, "parameters");
}

const char *
prefect_deployment_pool(const json_t *deployment)
{
	return json_str(deployment, "work_pool_name");
}

const char *
prefect_deployment_queue(const json_t *deployment)
{
	return json_str(deployment, "work_queue_name");
}

const char *
prefect_deployment_directory(const json_t *deployment)
{
	size_t i;
	const json_t *step;
	json_array_foreach(json_object_get(deployment, "pull_steps"), i, step) {
		const char *dir = json_str(json_object_get(step, SET_WORKING_DIRECTORY),
					   "directory");
		if (dir)
			return dir;
	}
	return json_str(deployment, "path");
}

int
prefect_deployment_check_params(const json_t *deployment, const json_t *params, struct error *err)
{
	if (json_is_false(json_object_get(deployment, "enforce_parameter_schema")))
		return 0;
	return prefect_params_check(prefect_deployment_schema(deployment), params,
				    prefect_deployment_parameters(deployment), err);
}
