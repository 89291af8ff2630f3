/* Prefect work-pool endpoints (see work_pools.h). */
#include "api/work_pools.h"
#include "api/pages.h"

#include <stdlib.h>

#include "core/xalloc.h"

int
prefect_work_pool_list(struct api *api, json_t **out, struct error *err)
{
	return api_list(api, "/work_pools/filter", NULL, 0, out, err);
}

int
prefect_work_pool_get(struct api *api, const char *name, json_t **out, struct error *err)
{
	char *escaped = http_escape(name);
	char *path = xasprintf("/work_pools/%s", escaped);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND)
		error_set(err, ERROR_NOT_FOUND, "no work pool named '%s'", name);
	free(path);
	free(escaped);
	return rc;
}

/*
 * The base job template Prefect's worker of type offers, from the server's
 * worker metadata (what `prefect work-pool create` uses when the worker is
 * not installed locally); NULL when the server has none, and the pool then
 * gets the server's empty default.
 */
static json_t *
default_template(struct api *api, const char *type)
{
	struct error ignored = ERROR_INIT;
	json_t *meta = NULL, *found = NULL;
	if (api_request(api, "GET", "/collections/views/aggregate-worker-metadata", NULL, 0, NULL,
			&meta, &ignored) < 0)
		return NULL;
	const char *collection;
	json_t *workers;
	json_object_foreach(meta, collection, workers) {
		json_t *t = json_object_get(json_object_get(workers, type),
					    "default_base_job_configuration");
		if (json_is_object(t) && !found)
			found = json_incref(t);
	}
	json_decref(meta);
	return found;
}

int
prefect_work_pool_create(struct api *api, const char *name, const char *type,
			 long concurrency_limit, json_t **out, struct error *err)
{
	json_t *body = json_pack("{s:s,s:s}", "name", name, "type", type), *template;
	if (concurrency_limit > 0)
		json_object_set_new(body, "concurrency_limit", json_integer(concurrency_limit));
	/* looked up first, so that a conflict after a lost answer can only be our own pool */
	int rc = prefect_work_pool_get(api, name, out, err);
	if (rc == 0) {
		json_decref(*out);
		*out = NULL;
		rc = error_set(err, ERROR_CONFLICT, "a work pool named '%s' already exists", name);
	} else if (err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		if ((template = default_template(api, type)))
			json_object_set_new(body, "base_job_template", template);
		/* safe to repeat: a second create of the same name is a conflict, resolved below */
		rc = api_request(api, "POST", "/work_pools/", body, API_RETRY_SAFE, NULL, out, err);
		if (rc < 0 && err->kind == ERROR_CONFLICT && api_answer_was_lost(api))
			rc = prefect_work_pool_get(api, name, out, err);
		else if (rc < 0 && err->kind == ERROR_CONFLICT)
			error_set(err, ERROR_CONFLICT, "a work pool named '%s' already exists",
				  name);
	}
	json_decref(body);
	return rc;
}

int
prefect_work_pool_limit(const json_t *pool, long *out)
{
	const json_t *limit = json_object_get(pool, "concurrency_limit");
	if (!json_is_integer(limit))
		return 0;
	*out = (long)json_integer_value(limit);
	return 1;
}

int
prefect_work_pool_workers(struct api *api, const char *pool, json_t **out, struct error *err)
{
	char *escaped = http_escape(pool);
	char *path = xasprintf("/work_pools/%s/workers/filter", escaped);
	int rc = api_list(api, path, NULL, 0, out, err);
	free(path);
	free(escaped);
	return rc;
}
