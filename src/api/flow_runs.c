/* Prefect flow-run endpoints (see flow_runs.h). */
#include "api/flow_runs.h"
#include "api/pages.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/refs.h"
#include "core/json.h"
#include "core/xalloc.h"

static const char *const state_types[] = { "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED",
					   "CANCELLED", "CRASHED", "PAUSED",  "CANCELLING" };
static const char *const state_names[] = {
	"Late",      "AwaitingRetry", "AwaitingConcurrencySlot", "Resuming", "Retrying",
	"TimedOut",  "Suspended",     "InfrastructurePending",   "NotReady", "Submitting",
	"RolledBack"
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char *
lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

void
flow_run_filter_release(struct flow_run_filter *f)
{
	strlist_release(&f->state_types);
	strlist_release(&f->state_names);
	strlist_release(&f->tags);
}

void
flow_run_state_words(struct strlist *out)
{
	for (size_t i = 0; i < COUNT(state_types); i++)
		strlist_add_owned(out, lower_dup(state_types[i]));
	for (size_t i = 0; i < COUNT(state_names); i++)
		strlist_add_owned(out, lower_dup(state_names[i]));
}

int
flow_run_filter_add_state(struct flow_run_filter *f, const char *word, struct error *err)
{
	for (size_t i = 0; i < COUNT(state_types); i++) {
		if (!strcasecmp(word, state_types[i])) {
			strlist_add(&f->state_types, state_types[i]);
			return 0;
		}
	}
	for (size_t i = 0; i < COUNT(state_names); i++) {
		if (!strcasecmp(word, state_names[i])) {
			strlist_add(&f->state_names, state_names[i]);
			return 0;
		}
	}
	return error_set(err, ERROR_INVALID,
			 "'%s' is not a state (states are completed, failed, crashed, cancelled, "
			 "cancelling, running, pending, scheduled, paused, late, awaitingretry, "
			 "retrying, timedout, ...)",
			 word);
}

static json_t *
state_filter(const struct flow_run_filter *f)
{
	json_t *s = json_object();
	if (f->state_types.len)
		json_object_set_new(s, "type",
				    json_pack("{s:o}", "any_",
					      json_string_array(f->state_types.items,
								f->state_types.len)));
	if (f->state_names.len)
		json_object_set_new(s, "name",
				    json_pack("{s:o}", "any_",
					      json_string_array(f->state_names.items,
								f->state_names.len)));
	json_object_set_new(s, "operator", json_string("or_"));
	return s;
}

static json_t *
start_time_filter(const struct flow_run_filter *f)
{
	json_t *t = json_object();
	if (f->since)
		json_object_set_new(t, "after_", json_string(f->since));
	if (f->until)
		json_object_set_new(t, "before_", json_string(f->until));
	return t;
}

static json_t *
filter_body(const struct flow_run_filter *f)
{
	json_t *runs = json_object();
	json_t *body = json_pack("{s:s}", "sort", "START_TIME_DESC");
	if (f->state_types.len || f->state_names.len)
		json_object_set_new(runs, "state", state_filter(f));
	if (f->deployment_id)
		json_object_set_new(runs, "deployment_id",
				    json_pack("{s:[s]}", "any_", f->deployment_id));
	if (f->since || f->until)
		json_object_set_new(runs, "start_time", start_time_filter(f));
	if (f->tags.len)
		json_object_set_new(runs, "tags",
				    json_pack("{s:o}", "all_",
					      json_string_array(f->tags.items, f->tags.len)));
	json_object_set_new(body, "flow_runs", runs);
	if (f->flow_id)
		json_object_set_new(body, "flows",
				    json_pack("{s:{s:[s]}}", "id", "any_", f->flow_id));
	return body;
}

int
prefect_flow_run_list(struct api *api, const struct flow_run_filter *f, size_t limit, json_t **out,
		      struct error *err)
{
	json_t *body = filter_body(f);
	int rc = api_list(api, "/flow_runs/filter", body, limit, out, err);
	json_decref(body);
	return rc;
}

const char *
prefect_flow_run_pool(const json_t *run)
{
	return json_str(run, "work_pool_name");
}

int
prefect_flow_run_get(struct api *api, const char *id, json_t **out, struct error *err)
{
	char *path = xasprintf("/flow_runs/%s", id);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	return rc;
}

static int
pick_one(const char *ref, json_t *matches, json_t **out, struct error *err)
{
	size_t n = json_array_size(matches);
	if (n == 1) {
		*out = json_incref(json_array_get(matches, 0));
		return 0;
	}
	if (n == 0)
		return error_set(err, ERROR_NOT_FOUND, "no flow run with ID or name '%s'", ref);
	return prefect_ambiguous(err, ref, "flow runs", matches);
}

static int
find_by_name(struct api *api, const char *name, json_t **matches, struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]}}}", "flow_runs", "name", "any_", name);
	int rc = api_list(api, "/flow_runs/filter", body, 0, matches, err);
	json_decref(body);
	return rc;
}

/* Scan every run for IDs starting with prefix (the API has no prefix filter). */
static int
find_by_prefix(struct api *api, const char *prefix, json_t **matches, struct error *err)
{
	json_t *body = json_pack("{s:s}", "sort", "ID_DESC");
	json_decref(*matches);
	int rc = api_find_prefix(api, "/flow_runs/filter", body, prefix, matches, err);
	json_decref(body);
	return rc;
}

int
prefect_flow_run_find(struct api *api, const char *ref, json_t **out, struct error *err)
{
	json_t *matches = NULL;
	*out = NULL;
	if (prefect_is_uuid(ref)) {
		if (prefect_flow_run_get(api, ref, out, err) == 0 || err->kind != ERROR_NOT_FOUND)
			return *out ? 0 : -1;
	}
	int rc = find_by_name(api, ref, &matches, err);
	if (rc == 0 && !json_array_size(matches) && prefect_is_id_prefix(ref) &&
	    !prefect_is_uuid(ref))
		rc = find_by_prefix(api, ref, &matches, err);
	if (rc == 0)
		rc = pick_one(ref, matches, out, err);
	json_decref(matches);
	return rc;
}

/*
 * Flow and deployment names already looked up, for the pages of a long list;
 * the workers that fetch pages look them up ahead (prefetch_names), under
 * the lock.
 */
struct run_names {
	json_t *flows; /* id -> name, or null when there is none */
	json_t *deployments;
	pthread_mutex_t lock;
};

static void
run_names_init(struct run_names *n)
{
	n->flows = json_object();
	n->deployments = json_object();
	pthread_mutex_init(&n->lock, NULL);
}

static void
run_names_release(struct run_names *n)
{
	json_decref(n->flows);
	json_decref(n->deployments);
	pthread_mutex_destroy(&n->lock);
}

/* The ids of one field of the runs, without repeats. */
static json_t *
ids_of_runs(const json_t *runs, const char *field)
{
	json_t *ids = json_array(), *r;
	size_t i;
	json_array_foreach(runs, i, r)
		if (json_str(r, field))
			json_array_append_new(ids, json_string(json_str(r, field)));
	return ids;
}

/*
 * The ids a page names at "field":"…", read from its bytes without decoding
 * them: in JSON a quote inside a string is escaped, so the pattern is a key.
 */
static json_t *
ids_in_raw(const struct buf *raw, const char *field)
{
	char pattern[64];
	json_t *ids = json_array();
	snprintf(pattern, sizeof(pattern), "\"%s\":\"", field);
	for (const char *p = strstr(buf_str(raw), pattern); p; p = strstr(p, pattern)) {
		p += strlen(pattern);
		const char *end = strchr(p, '"');
		if (end && end - p == 36)
			json_array_append_new(ids, json_stringn(p, 36));
	}
	return ids;
}

/* Of ids, those names does not know yet, without repeats (under n's lock). */
static json_t *
unknown_ids(struct run_names *n, const json_t *ids, const json_t *names)
{
	json_t *out = json_array(), *seen = json_object(), *id;
	size_t i;
	pthread_mutex_lock(&n->lock);
	json_array_foreach(ids, i, id) {
		const char *s = json_string_value(id);
		if (!json_object_get(seen, s) && !json_object_get(names, s)) {
			json_object_set_new(seen, s, json_true());
			json_array_append(out, id);
		}
	}
	pthread_mutex_unlock(&n->lock);
	json_decref(seen);
	return out;
}

/* Learn id -> name (null when there is none) for the objects of path with these ids. */
static int
learn_names(struct api *api, struct run_names *n, const char *path, const char *filter_key,
	    const json_t *ids, json_t *names, struct error *err)
{
	json_t *unknown = unknown_ids(n, ids, names), *objs = NULL, *o;
	size_t i;
	int rc = 0;
	if (!json_array_size(unknown)) {
		json_decref(unknown);
		return 0;
	}
	json_t *body = json_pack("{s:{s:{s:O}}}", filter_key, "id", "any_", unknown);
	rc = api_list(api, path, body, 0, &objs, err);
	json_decref(body);
	pthread_mutex_lock(&n->lock);
	json_array_foreach(unknown, i, o)
		if (!json_object_get(names, json_string_value(o)))
			json_object_set(names, json_string_value(o), json_null());
	json_array_foreach(objs, i, o)
		if (json_str(o, "id") && json_str(o, "name"))
			json_object_set_new(names, json_str(o, "id"),
					    json_string(json_str(o, "name")));
	pthread_mutex_unlock(&n->lock);
	json_decref(objs);
	json_decref(unknown);
	return rc;
}

/* Learn the names of these flows (flows set) or deployments. */
static int
learn(struct api *api, struct run_names *n, int flows, const json_t *ids, struct error *err)
{
	return flows ? learn_names(api, n, "/flows/filter", "flows", ids, n->flows, err) :
		       learn_names(api, n, "/deployments/filter", "deployments", ids,
				   n->deployments, err);
}

static void
set_name(json_t *run, const char *key, const json_t *names, const char *id_field)
{
	const char *id = json_str(run, id_field);
	const json_t *name = id ? json_object_get(names, id) : NULL;
	json_object_set(run, key, name ? (json_t *)name : json_null());
}

static int
name_runs(struct api *api, struct run_names *n, json_t *runs, struct error *err)
{
	json_t *flow_ids = ids_of_runs(runs, "flow_id");
	json_t *deployment_ids = ids_of_runs(runs, "deployment_id"), *r;
	size_t i;
	int rc = learn(api, n, 1, flow_ids, err);
	if (rc == 0)
		rc = learn(api, n, 0, deployment_ids, err);
	pthread_mutex_lock(&n->lock);
	json_array_foreach(runs, i, r) {
		set_name(r, "flow_name", n->flows, "flow_id");
		set_name(r, "deployment_name", n->deployments, "deployment_id");
	}
	pthread_mutex_unlock(&n->lock);
	json_decref(flow_ids);
	json_decref(deployment_ids);
	return rc;
}

int
prefect_flow_run_add_names(struct api *api, json_t *runs, struct error *err)
{
	struct run_names n;
	run_names_init(&n);
	int rc = name_runs(api, &n, runs, err);
	run_names_release(&n);
	return rc;
}

struct named_pages {
	struct api *api;
	struct run_names names;
	api_page_fn on_page;
	void *userdata;
};

/* In a worker, ahead of the page being handed over: learn the names it will need. */
static void
prefetch_names(struct api *api, const struct buf *raw, void *userdata)
{
	struct named_pages *np = userdata;
	struct error ignored = ERROR_INIT; /* naming the page looks them up again */
	for (int flows = 1; flows >= 0; flows--) {
		json_t *ids = ids_in_raw(raw, flows ? "flow_id" : "deployment_id");
		learn(api, &np->names, flows, ids, &ignored);
		json_decref(ids);
	}
}

static int
named_page(json_t *rows, void *userdata, struct error *err)
{
	struct named_pages *np = userdata;
	if (name_runs(np->api, &np->names, rows, err) < 0)
		return -1;
	return np->on_page(rows, np->userdata, err);
}

int
prefect_flow_run_stream(struct api *api, const struct flow_run_filter *f, size_t limit,
			api_page_fn on_page, void *userdata, struct error *err)
{
	json_t *body = filter_body(f);
	struct named_pages np = { .api = api, .on_page = on_page, .userdata = userdata };
	run_names_init(&np.names);
	struct api_pages p = { .path = "/flow_runs/filter",
			       .filter = body,
			       .rows_wanted = limit,
			       .unique_key = "id",
			       .prepare = prefetch_names,
			       .on_page = named_page,
			       .userdata = &np };
	int rc = api_list_pages(api, &p, err);
	run_names_release(&np.names);
	json_decref(body);
	return rc;
}

int
prefect_flow_run_count(struct api *api, const struct flow_run_filter *f, long *out,
		       struct error *err)
{
	json_t *body = filter_body(f);
	json_object_del(body, "sort");
	int rc = api_count(api, "/flow_runs/count", body, out, err);
	json_decref(body);
	return rc;
}

int
prefect_flow_run_set_state(struct api *api, const char *id, const char *state_type, int force,
			   json_t **out, struct error *err)
{
	char *path = xasprintf("/flow_runs/%s/set_state", id);
	json_t *body = json_pack("{s:{s:s},s:b}", "state", "type", state_type, "force", force);
	int rc = api_request(api, "POST", path, body, 0, NULL, out, err);
	json_decref(body);
	free(path);
	return rc;
}

int
prefect_flow_run_logs(struct api *api, const char *run_id, int min_level, const char *after,
		      json_t **out, struct error *err)
{
	json_t *logs = json_pack("{s:{s:[s]},s:{s:i}}", "flow_run_id", "any_", run_id, "level",
				 "ge_", min_level);
	if (after)
		json_object_set_new(logs, "timestamp", json_pack("{s:s}", "after_", after));
	json_t *body = json_pack("{s:o,s:s}", "logs", logs, "sort", "TIMESTAMP_ASC");
	int rc = api_list(api, "/logs/filter", body, 0, out, err);
	json_decref(body);
	return rc;
}

int
prefect_flow_run_create(struct api *api, const char *flow_id, const json_t *params,
			const char *idempotency_key, json_t **out, struct error *err)
{
	json_t *body = json_pack("{s:s,s:O,s:{s:s},s:s}", "flow_id", flow_id, "parameters", params,
				 "state", "type", "PENDING", "idempotency_key", idempotency_key);
	int rc = api_request(api, "POST", "/flow_runs/", body, API_RETRY_SAFE, NULL, out, err);
	json_decref(body);
	return rc;
}

static json_t *
state_body(const struct flow_run_state *st)
{
	json_t *state = json_pack("{s:s}", "type", st->type);
	if (st->name)
		json_object_set_new(state, "name", json_string(st->name));
	if (st->message)
		json_object_set_new(state, "message", json_string(st->message));
	return json_pack("{s:o,s:b}", "state", state, "force", st->force);
}

int
prefect_flow_run_propose(struct api *api, const char *id, const struct flow_run_state *st,
			 json_t **out, struct error *err)
{
	char *path = xasprintf("/flow_runs/%s/set_state", id);
	json_t *body = state_body(st);
	int rc = api_request(api, "POST", path, body, 0, NULL, out, err);
	json_decref(body);
	free(path);
	return rc;
}

/* A bulk endpoint the server does not have (404 or 405 for its path): go one by one. */
static int
no_bulk_endpoint(struct error *err)
{
	if (err->http_status != 404 && err->http_status != 405)
		return 0;
	error_clear(err);
	return 1;
}

static json_t *
ids_filter(const json_t *ids)
{
	return json_pack("{s:{s:{s:O}},s:I}", "flow_runs", "id", "any_", ids, "limit",
			 (json_int_t)PREFECT_FLOW_RUN_BULK_MAX);
}

/* One run at a time: a run that is not there has no result. */
static int
propose_each(struct api *api, const json_t *ids, const struct flow_run_state *st, json_t *out,
	     struct error *err)
{
	const json_t *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		json_t *result = NULL;
		if (prefect_flow_run_propose(api, json_string_value(id), st, &result, err) == 0) {
			json_object_set_new(out, json_string_value(id), result);
			continue;
		}
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_clear(err);
	}
	return 0;
}

int
prefect_flow_runs_propose(struct api *api, const json_t *ids, const struct flow_run_state *st,
			  json_t **out, struct error *err)
{
	json_t *body = state_body(st), *filter = ids_filter(ids), *answer = NULL, *r;
	size_t i;
	json_object_update(body, filter);
	json_decref(filter);
	*out = json_object();
	int rc = api_request(api, "POST", "/flow_runs/bulk_set_state", body, 0, NULL, &answer, err);
	json_decref(body);
	if (rc < 0)
		return no_bulk_endpoint(err) ? propose_each(api, ids, st, *out, err) : -1;
	json_array_foreach(json_object_get(answer, "results"), i, r)
		if (json_str(r, "flow_run_id"))
			json_object_set(*out, json_str(r, "flow_run_id"), r);
	json_decref(answer);
	return 0;
}

int
prefect_flow_run_delete(struct api *api, const char *id, struct error *err)
{
	char *path = xasprintf("/flow_runs/%s", id);
	int rc = api_request(api, "DELETE", path, NULL, API_RETRY_SAFE, NULL, NULL, err);
	free(path);
	return rc;
}

static int
delete_each(struct api *api, const json_t *ids, json_t *deleted, struct error *err)
{
	const json_t *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		if (prefect_flow_run_delete(api, json_string_value(id), err) == 0)
			json_array_append(deleted, (json_t *)id);
		else if (err->kind == ERROR_NOT_FOUND)
			error_clear(err);
		else
			return -1;
	}
	return 0;
}

int
prefect_flow_runs_delete(struct api *api, const json_t *ids, json_t **deleted, struct error *err)
{
	json_t *body = ids_filter(ids), *answer = NULL;
	*deleted = NULL;
	int rc = api_request(api, "POST", "/flow_runs/bulk_delete", body, API_RETRY_SAFE, NULL,
			     &answer, err);
	json_decref(body);
	if (rc == 0) {
		json_t *ids_gone = json_object_get(answer, "deleted");
		*deleted = json_is_array(ids_gone) ? json_incref(ids_gone) : json_array();
		json_decref(answer);
		return 0;
	}
	if (!no_bulk_endpoint(err))
		return -1;
	*deleted = json_array();
	return delete_each(api, ids, *deleted, err);
}

const char *
prefect_flow_run_key(const json_t *run)
{
	return json_str(run, "idempotency_key");
}
