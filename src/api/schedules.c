/* Prefect deployment schedules and bulk run creation (see schedules.h). */
#include "api/schedules.h"

#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/refs.h"
#include "core/json.h"
#include "core/xalloc.h"

/* Idempotency keys asked about per request. */
#define KEYS_PER_REQUEST 100

int
prefect_schedule_list(struct api *api, const char *deployment_id, json_t **out,
		      struct error *err)
{
	char *path = xasprintf("/deployments/%s/schedules", deployment_id);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	return rc;
}

int
prefect_schedule_create(struct api *api, const char *deployment_id, const json_t *create,
			json_t **out, struct error *err)
{
	char *path = xasprintf("/deployments/%s/schedules", deployment_id);
	json_t *body = json_pack("[O]", create), *created = NULL;
	int rc = api_request(api, "POST", path, body, 0, NULL, &created, err);
	if (rc == 0 && !json_is_object(json_array_get(created, 0)))
		rc = error_set(err, ERROR_API, "the server did not return the schedule it created");
	if (rc == 0)
		*out = json_incref(json_array_get(created, 0));
	json_decref(created);
	json_decref(body);
	free(path);
	return rc;
}

static char *
schedule_path(const json_t *schedule)
{
	return xasprintf("/deployments/%s/schedules/%s", json_str(schedule, "deployment_id"),
			 json_str(schedule, "id"));
}

int
prefect_schedule_set_active(struct api *api, const json_t *schedule, int active,
			    struct error *err)
{
	const json_t *params = json_object_get(schedule, "parameters");
	json_t *slug = json_object_get(schedule, "slug");
	json_t *max = json_object_get(schedule, "max_scheduled_runs");
	json_t *body = json_pack("{s:b,s:O,s:o}", "active", active, "schedule",
				 json_object_get(schedule, "schedule"), "parameters",
				 json_is_object(params) ? json_deep_copy(params) : json_object());
	if (!body)
		return error_set(err, ERROR_API, "the server's schedule has no 'schedule' field");
	if (json_is_string(slug))
		json_object_set(body, "slug", slug);
	if (json_is_integer(max))
		json_object_set(body, "max_scheduled_runs", max);
	char *path = schedule_path(schedule);
	int rc = api_request(api, "PATCH", path, body, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	json_decref(body);
	return rc;
}

int
prefect_schedule_delete(struct api *api, const json_t *schedule, struct error *err)
{
	char *path = schedule_path(schedule);
	int rc = api_request(api, "DELETE", path, NULL, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	return rc;
}

/* "flow/deployment: 0 0 * * *" for a list of candidates. */
static json_t *
candidate(json_t *schedule, json_t *deployment)
{
	const json_t *s = json_object_get(schedule, "schedule");
	const char *what = json_str(s, "cron") ? json_str(s, "cron") :
			   json_str(s, "rrule") ? json_str(s, "rrule") : "interval";
	char *label = xasprintf("%s/%s: %s", json_str(deployment, "flow_name") ?
				json_str(deployment, "flow_name") : "?", json_str(deployment, "name"),
				what);
	json_t *c = json_pack("{s:s,s:s?,s:s?,s:O,s:O}", "name", label, "id",
			      json_str(schedule, "id"), "slug", json_str(schedule, "slug"),
			      "schedule", schedule, "deployment", deployment);
	free(label);
	return c;
}

static json_t *
all_candidates(const json_t *deployments)
{
	json_t *all = json_array(), *d, *s;
	size_t i, j;
	json_array_foreach(deployments, i, d)
		json_array_foreach(json_object_get(d, "schedules"), j, s)
			json_array_append_new(all, candidate(s, d));
	return all;
}

static json_t *
matching(const json_t *all, const char *ref)
{
	json_t *found = prefect_is_id_prefix(ref) ? prefect_match_id_prefix(all, ref) : json_array();
	json_t *c;
	size_t i;
	if (!json_array_size(found))
		json_array_foreach(all, i, c)
			if (json_str(c, "slug") && !strcmp(json_str(c, "slug"), ref))
				json_array_append(found, c);
	return found;
}

int
prefect_schedule_find(struct api *api, const char *ref, json_t **schedule,
		      json_t **deployment, struct error *err)
{
	json_t *deployments = NULL, *all, *found;
	*schedule = *deployment = NULL;
	if (prefect_deployment_list(api, NULL, 0, &deployments, err) < 0)
		return -1;
	all = all_candidates(deployments);
	found = matching(all, ref);
	int rc = 0;
	if (json_array_size(found) == 1) {
		json_t *c = json_array_get(found, 0);
		*schedule = json_incref(json_object_get(c, "schedule"));
		*deployment = json_incref(json_object_get(c, "deployment"));
	} else if (!json_array_size(found)) {
		error_set(err, ERROR_NOT_FOUND, "no schedule with ID '%s'", ref);
		rc = error_hint(err, "'mahavishnu prefect schedule list' shows them");
	} else {
		rc = prefect_ambiguous(err, ref, "schedules", found);
	}
	json_decref(found);
	json_decref(all);
	json_decref(deployments);
	return rc;
}

int
prefect_schedule_pending_runs(struct api *api, const char *deployment_id, long *out,
			      struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]},s:{s:{s:[s]}},s:{s:[s]}}}", "flow_runs",
				 "deployment_id", "any_", deployment_id, "state", "type", "any_",
				 "SCHEDULED", "tags", "all_", "auto-scheduled");
	int rc = api_count(api, "/flow_runs/count", body, out, err);
	json_decref(body);
	return rc;
}

static int
runs_by_some_keys(struct api *api, const char *deployment_id, json_t *keys, json_t *into,
		  struct error *err)
{
	json_t *page = NULL;
	json_t *body = json_pack("{s:{s:{s:[s]},s:{s:O}},s:s}", "flow_runs", "deployment_id",
				 "any_", deployment_id, "idempotency_key", "any_", keys, "sort",
				 "EXPECTED_START_TIME_ASC");
	int rc = api_list(api, "/flow_runs/filter", body, 0, &page, err);
	if (rc == 0)
		json_array_extend(into, page);
	json_decref(page);
	json_decref(body);
	return rc;
}

int
prefect_runs_by_keys(struct api *api, const char *deployment_id, const json_t *keys,
		     json_t **out, struct error *err)
{
	size_t n = json_array_size(keys);
	*out = json_array();
	for (size_t at = 0; at < n; at += KEYS_PER_REQUEST) {
		json_t *some = json_array();
		for (size_t i = at; i < n && i < at + KEYS_PER_REQUEST; i++)
			json_array_append(some, json_array_get(keys, i));
		int rc = runs_by_some_keys(api, deployment_id, some, *out, err);
		json_decref(some);
		if (rc < 0) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

static int
create_each(struct api *api, const char *deployment_id, const json_t *runs, struct error *err)
{
	char *path = xasprintf("/deployments/%s/create_flow_run", deployment_id);
	json_t *run;
	size_t i;
	int rc = 0;
	json_array_foreach(runs, i, run) {
		if ((rc = api_request(api, "POST", path, run, API_RETRY_SAFE, NULL, NULL, err)) < 0) {
			error_prefix(err, "run '%s'", json_str(run, "name") ? json_str(run, "name") : "?");
			break;
		}
	}
	free(path);
	return rc;
}

/*
 * One bulk request. The server reports each run's failure in the results
 * instead of the status, transient ones included (SQLite's "database is
 * locked" while the scheduler writes), so the runs it did not create are
 * sent again one by one: the single endpoint answers with a status that is
 * retried when transient, and with the server's reason when not.
 */
static int
create_bulk(struct api *api, const char *deployment_id, const json_t *runs, struct error *err)
{
	char *path = xasprintf("/deployments/%s/create_flow_run/bulk", deployment_id);
	json_t *answer = NULL, *again = json_array();
	int rc = api_request(api, "POST", path, runs, API_RETRY_SAFE, NULL, &answer, err);
	free(path);
	json_t *results = json_object_get(answer, "results");
	if (rc == 0 && json_array_size(results) != json_array_size(runs))
		rc = error_set(err, ERROR_API, "the server answered a bulk create of %zu runs with "
			       "%zu results", json_array_size(runs), json_array_size(results));
	for (size_t i = 0; rc == 0 && i < json_array_size(results); i++) {
		const char *status = json_str(json_array_get(results, i), "status");
		if (!status || strcmp(status, "CREATED"))
			json_array_append(again, json_array_get(runs, i));
	}
	if (rc == 0 && json_array_size(again))
		rc = create_each(api, deployment_id, again, err);
	json_decref(again);
	json_decref(answer);
	return rc;
}

/* A server from before Prefect 3.6.16 has no bulk route: its router answers 404 or 405. */
static int
no_bulk_route(const struct error *err)
{
	return err->http_status == 404 || err->http_status == 405;
}

int
prefect_deployment_create_runs(struct api *api, const char *deployment_id,
			       const json_t *runs, int *bulk, struct error *err)
{
	if (*bulk) {
		if (create_bulk(api, deployment_id, runs, err) == 0)
			return 0;
		if (!no_bulk_route(err))
			return -1;
		error_clear(err);
		*bulk = 0;
	}
	return create_each(api, deployment_id, runs, err);
}
