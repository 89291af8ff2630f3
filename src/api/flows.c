/* Prefect flow endpoints (see flows.h). */
#include "api/flows.h"
#include "api/pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"

static int flow_get(struct api *api, const char *path_fmt, const char *arg, json_t **out,
		    struct error *err);

int
prefect_flow_create(struct api *api, const char *name, const struct strlist *tags,
		    const char *description, json_t **out, int *created, struct error *err)
{
	*created = 0;
	/* looked up first, so that a 200 after a lost answer can only be our own flow */
	if (flow_get(api, "/flows/name/%s", name, out, err) == 0)
		return 0;
	if (err->kind != ERROR_NOT_FOUND)
		return -1;
	error_clear(err);
	json_t *body = json_object();
	json_object_set_new(body, "name", json_string(name));
	json_object_set_new(body, "tags", json_string_array(tags->items, tags->len));
	json_t *labels = json_object();
	if (description && *description)
		json_object_set_new(labels, FLOW_DESCRIPTION_LABEL, json_string(description));
	json_object_set_new(body, "labels", labels);
	long status = 0;
	/* The server creates by name at most once, so a retry is harmless. */
	int rc = api_request(api, "POST", "/flows/", body, API_RETRY_SAFE, &status, out, err);
	json_decref(body);
	if (rc == 0)
		*created = status == 201 || api_answer_was_lost(api);
	return rc;
}

static int
flow_get(struct api *api, const char *path_fmt, const char *arg, json_t **out, struct error *err)
{
	char *escaped = http_escape(arg);
	char *path = xasprintf(path_fmt, escaped);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	free(escaped);
	return rc;
}

/* Scan every flow for IDs that start with prefix. */
static int
find_by_prefix(struct api *api, const char *prefix, json_t **out, struct error *err)
{
	json_t *matches = NULL;
	int rc = api_find_prefix(api, "/flows/filter", NULL, prefix, &matches, err);
	if (rc == 0 && json_array_size(matches) == 1)
		*out = json_incref(json_array_get(matches, 0));
	else if (rc == 0 && json_array_size(matches) > 1)
		rc = prefect_ambiguous(err, prefix, "flows", matches);
	else if (rc == 0)
		rc = error_set(err, ERROR_NOT_FOUND, "no flow named or with ID '%s'", prefix);
	json_decref(matches);
	return rc;
}

int
prefect_flow_find(struct api *api, const char *ref, json_t **out, struct error *err)
{
	*out = NULL;
	if (prefect_is_uuid(ref)) {
		if (flow_get(api, "/flows/%s", ref, out, err) == 0)
			return 0;
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
	}
	if (prefect_name_is_valid(ref)) {
		if (flow_get(api, "/flows/name/%s", ref, out, err) == 0)
			return 0;
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
	}
	if (prefect_is_id_prefix(ref) && !prefect_is_uuid(ref))
		return find_by_prefix(api, ref, out, err);
	return error_set(err, ERROR_NOT_FOUND, "no flow named or with ID '%s'", ref);
}

/* Every flow, or only those with a deployment; sorted when sort is set. */
static json_t *
flows_filter(int deployed_only, int sort)
{
	json_t *filter = sort ? json_pack("{s:s}", "sort", "CREATED_DESC") : json_object();
	if (deployed_only)
		json_object_set_new(filter, "flows",
				    json_pack("{s:{s:b}}", "deployment", "is_null_", 0));
	return filter;
}

int
prefect_flow_stream(struct api *api, size_t limit, int deployed_only, api_page_fn on_page,
		    void *userdata, struct error *err)
{
	json_t *filter = flows_filter(deployed_only, 1);
	struct api_pages p = { .path = "/flows/filter",
			       .filter = filter,
			       .rows_wanted = limit,
			       .unique_key = "id",
			       .on_page = on_page,
			       .userdata = userdata };
	int rc = api_list_pages(api, &p, err);
	json_decref(filter);
	return rc;
}

int
prefect_flow_count(struct api *api, int deployed_only, long *out, struct error *err)
{
	json_t *filter = flows_filter(deployed_only, 0);
	int rc = api_count(api, "/flows/count", filter, out, err);
	json_decref(filter);
	return rc;
}

int
prefect_flow_delete(struct api *api, const char *id, struct error *err)
{
	char *path = xasprintf("/flows/%s", id);
	int rc = api_request(api, "DELETE", path, NULL, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	return rc;
}

static int
count(struct api *api, const char *path, const char *flow_id, long *out, struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]}}}", "flows", "id", "any_", flow_id);
	int rc = api_count(api, path, body, out, err);
	json_decref(body);
	return rc;
}

int
prefect_flow_dependents(struct api *api, const char *id, long *deployments, long *runs,
			struct error *err)
{
	if (count(api, "/deployments/count", id, deployments, err) < 0)
		return -1;
	return count(api, "/flow_runs/count", id, runs, err);
}
