/* Prefect deployment schedules and bulk run creation (see schedules.h). */
#include "api/schedules.h"
#include "api/pages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/refs.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"

/* Idempotency keys asked about per request. */
#define KEYS_PER_REQUEST 100

void
prefect_schedule_cron(struct prefect_schedule *s, const char *cron, const char *timezone)
{
	memset(s, 0, sizeof(*s));
	s->type = PREFECT_SCHEDULE_CRON;
	s->cron = cron;
	s->day_or = 1;
	s->timezone = timezone;
}

void
prefect_schedule_interval(struct prefect_schedule *s, int64_t seconds, int64_t anchor,
			  const char *timezone)
{
	memset(s, 0, sizeof(*s));
	s->type = PREFECT_SCHEDULE_INTERVAL;
	s->interval = (double)seconds;
	s->anchor = anchor;
	s->has_anchor = 1;
	s->timezone = timezone;
}

void
prefect_schedule_rrule(struct prefect_schedule *s, const char *rrule, const char *timezone)
{
	memset(s, 0, sizeof(*s));
	s->type = PREFECT_SCHEDULE_RRULE;
	s->rrule = rrule;
	s->timezone = timezone;
}

static void
read_interval(const json_t *s, struct prefect_schedule *out)
{
	double anchor;
	const char *text = json_str(s, "anchor_date");
	out->type = PREFECT_SCHEDULE_INTERVAL;
	out->interval = json_number_value(json_object_get(s, "interval"));
	out->has_anchor = text && isotime_parse(text, &anchor) == 0;
	out->anchor = out->has_anchor ? (int64_t)floor(anchor) : 0;
}

void
prefect_schedule_read(const json_t *deployment_schedule, struct prefect_schedule *out)
{
	const json_t *s = json_object_get(deployment_schedule, "schedule");
	memset(out, 0, sizeof(*out));
	out->timezone = json_str(s, "timezone") ? json_str(s, "timezone") : "UTC";
	if ((out->cron = json_str(s, "cron"))) {
		out->type = PREFECT_SCHEDULE_CRON;
		out->day_or = !json_is_false(json_object_get(s, "day_or"));
	} else if (json_is_number(json_object_get(s, "interval"))) {
		read_interval(s, out);
	} else if ((out->rrule = json_str(s, "rrule"))) {
		out->type = PREFECT_SCHEDULE_RRULE;
	} else {
		out->type = PREFECT_SCHEDULE_UNKNOWN;
	}
}

/* Whether two schedules fire alike: same zone, and same cron and day_or, or same interval. */
static int
prefect_schedule_same(const struct prefect_schedule *x, const struct prefect_schedule *y)
{
	const char *zx = x->timezone ? x->timezone : "UTC", *zy = y->timezone ? y->timezone : "UTC";
	if (x->type != y->type || strcmp(zx, zy))
		return 0;
	switch (x->type) {
	case PREFECT_SCHEDULE_CRON:
		return !strcmp(x->cron, y->cron) && !x->day_or == !y->day_or;
	case PREFECT_SCHEDULE_INTERVAL:
		return x->interval == y->interval;
	case PREFECT_SCHEDULE_RRULE:
		return !strcmp(x->rrule, y->rrule);
	default:
		return 0;
	}
}

const json_t *
prefect_schedule_like(const json_t *deployment, const struct prefect_schedule *s,
		      const json_t *params)
{
	const json_t *one;
	size_t i;
	json_array_foreach(json_object_get(deployment, "schedules"), i, one) {
		struct prefect_schedule have;
		const json_t *own = json_object_get(one, "parameters");
		prefect_schedule_read(one, &have);
		if (!prefect_schedule_same(&have, s))
			continue;
		if (!params || (own ? json_equal(own, params) : !json_object_size(params)))
			return one;
	}
	return NULL;
}

int
prefect_schedule_is_active(const json_t *deployment_schedule)
{
	return !json_is_false(json_object_get(deployment_schedule, "active"));
}

/* The "schedule" object Prefect takes for s. */
static json_t *
schedule_body(const struct prefect_schedule *s)
{
	const char *zone = s->timezone ? s->timezone : "UTC";
	char anchor[32];
	if (s->type == PREFECT_SCHEDULE_CRON)
		return json_pack("{s:s,s:s,s:b}", "cron", s->cron, "timezone", zone, "day_or",
				 s->day_or);
	if (s->type == PREFECT_SCHEDULE_RRULE)
		return json_pack("{s:s,s:s}", "rrule", s->rrule, "timezone", zone);
	json_t *body = json_pack("{s:I,s:s}", "interval", (json_int_t)s->interval, "timezone", zone);
	if (s->has_anchor) {
		isotime_format_utc((double)s->anchor, anchor);
		json_object_set_new(body, "anchor_date", json_string(anchor));
	}
	return body;
}

json_t *
prefect_schedules_body(const struct prefect_schedule *s)
{
	return s ? json_pack("[{s:o,s:b}]", "schedule", schedule_body(s), "active", 1) :
		   json_array();
}

int
prefect_schedule_list(struct api *api, const char *deployment_id, json_t **out, struct error *err)
{
	char *path = xasprintf("/deployments/%s/schedules", deployment_id);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	return rc;
}

/*
 * After a create whose answer was lost: the schedule, if the server made it
 * (the caller checked that the deployment had no such schedule before), as
 * the one-element list a create answers.
 */
static int
find_own_schedule(struct api *api, const char *deployment_id, const struct prefect_schedule *s,
		  const json_t *params, json_t **created, struct error *err)
{
	struct error lost = *err;
	json_t *list = NULL;
	if (prefect_schedule_list(api, deployment_id, &list, err) < 0) {
		*err = lost;
		return -1;
	}
	json_t *holder = json_pack("{s:o}", "schedules", list);
	const json_t *own = prefect_schedule_like(holder, s, params);
	int rc = own ? 0 : -1;
	if (own)
		*created = json_pack("[O]", own);
	else
		*err = lost;
	json_decref(holder);
	return rc;
}

int
prefect_schedule_create(struct api *api, const char *deployment_id,
			const struct prefect_schedule *s, int active, const json_t *params,
			json_t **out, struct error *err)
{
	char *path = xasprintf("/deployments/%s/schedules", deployment_id);
	json_t *one = json_pack("{s:o,s:b}", "schedule", schedule_body(s), "active", active);
	json_t *body = json_pack("[o]", one), *created = NULL;
	if (params)
		json_object_set(one, "parameters", (json_t *)params);
	int rc = api_request(api, "POST", path, body, 0, NULL, &created, err);
	if (rc < 0 && api_answer_was_lost(api))
		rc = find_own_schedule(api, deployment_id, s, params, &created, err);
	if (rc == 0 && !json_is_object(json_array_get(created, 0)))
		rc = error_set(err, ERROR_API, "the server did not return the schedule it created");
	if (rc == 0 && out)
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
prefect_schedule_set_active(struct api *api, const json_t *schedule, int active, struct error *err)
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
	const char *what = json_str(s, "cron")  ? json_str(s, "cron") :
			   json_str(s, "rrule") ? json_str(s, "rrule") :
						  "interval";
	char *label = xasprintf("%s/%s: %s",
				json_str(deployment, "flow_name") ?
					json_str(deployment, "flow_name") :
					"?",
				json_str(deployment, "name"), what);
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
	json_t *found = prefect_is_id_prefix(ref) ? prefect_match_id_prefix(all, ref) :
						    json_array();
	json_t *c;
	size_t i;
	if (!json_array_size(found))
		json_array_foreach(all, i, c)
			if (json_str(c, "slug") && !strcmp(json_str(c, "slug"), ref))
				json_array_append(found, c);
	return found;
}

int
prefect_schedule_find(struct api *api, const char *ref, json_t **schedule, json_t **deployment,
		      struct error *err)
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
		rc = error_set(err, ERROR_NOT_FOUND, "no schedule with ID '%s'", ref);
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
prefect_runs_by_keys(struct api *api, const char *deployment_id, const json_t *keys, json_t **out,
		     struct error *err)
{
	size_t n = json_array_size(keys);
	json_t *runs = json_array();
	int rc = 0;
	*out = NULL;
	for (size_t at = 0; at < n && rc == 0; at += KEYS_PER_REQUEST) {
		json_t *some = json_array();
		for (size_t i = at; i < n && i < at + KEYS_PER_REQUEST; i++)
			json_array_append(some, json_array_get(keys, i));
		rc = runs_by_some_keys(api, deployment_id, some, runs, err);
		json_decref(some);
	}
	if (rc == 0)
		*out = json_index_by(runs, "idempotency_key");
	json_decref(runs);
	return rc;
}

json_t *
prefect_scheduled_run_body(const struct prefect_scheduled_run *r)
{
	char when[32];
	isotime_format_utc((double)r->scheduled_time, when);
	json_t *body = json_pack("{s:s,s:{s:s,s:{s:s}},s:s}", "name", r->name, "state", "type",
				 "SCHEDULED", "state_details", "scheduled_time", when,
				 "idempotency_key", r->idempotency_key);
	json_object_set_new(body, "tags", r->tag ? json_pack("[s]", r->tag) : json_array());
	json_object_set_new(body, "parameters",
			    r->parameters ? json_deep_copy(r->parameters) : json_object());
	return body;
}

json_t *
prefect_scheduled_run_summary(const struct prefect_scheduled_run *r)
{
	char when[32];
	isotime_format_utc((double)r->scheduled_time, when);
	return json_pack("{s:s,s:s,s:s}", "name", r->name, "scheduled_time", when,
			 "idempotency_key", r->idempotency_key);
}

static int
create_each(struct api *api, const char *deployment_id, const json_t *runs, struct error *err)
{
	char *path = xasprintf("/deployments/%s/create_flow_run", deployment_id);
	json_t *run;
	size_t i;
	int rc = 0;
	json_array_foreach(runs, i, run) {
		if ((rc = api_request(api, "POST", path, run, API_RETRY_SAFE, NULL, NULL, err)) <
		    0) {
			error_prefix(err, "run '%s'",
				     json_str(run, "name") ? json_str(run, "name") : "?");
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
		rc = error_set(err, ERROR_API,
			       "the server answered a bulk create of %zu runs with "
			       "%zu results",
			       json_array_size(runs), json_array_size(results));
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
prefect_deployment_create_runs(struct api *api, const char *deployment_id, const json_t *runs,
			       int *bulk, struct error *err)
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
