/* Prefect flow endpoints (see flows.h). */
#include "api/flows.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"

int
prefect_flow_create(struct api *api, const char *name, const struct strlist *tags,
		    const char *description, json_t **out, int *created, struct error *err)
{
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
		*created = status == 201;
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
	json_t *all = NULL;
	int rc = api_list(api, "/flows/filter", NULL, 0, &all, err);
	json_t *matches = prefect_match_id_prefix(all, prefix);
	if (rc == 0 && json_array_size(matches) == 1)
		*out = json_incref(json_array_get(matches, 0));
	else if (rc == 0 && json_array_size(matches) > 1)
		rc = prefect_ambiguous(err, prefix, "flows", matches);
	else if (rc == 0)
		rc = error_set(err, ERROR_NOT_FOUND, "no flow named or with ID '%s'", prefix);
	json_decref(matches);
	json_decref(all);
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

int
prefect_flow_list(struct api *api, size_t limit, int deployed_only, json_t **out, struct error *err)
{
	json_t *filter = json_pack("{s:s}", "sort", "CREATED_DESC");
	if (deployed_only)
		json_object_set_new(filter, "flows",
				    json_pack("{s:{s:b}}", "deployment", "is_null_", 0));
	int rc = api_list(api, "/flows/filter", filter, limit, out, err);
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
