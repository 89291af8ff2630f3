/* Prefect flow-run endpoints (see flow_runs.h). */
#include "api/flow_runs.h"
#include "api/pages.h"

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

void
flow_run_filter_release(struct flow_run_filter *f)
{
	strlist_release(&f->state_types);
	strlist_release(&f->state_names);
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
filter_body(const struct flow_run_filter *f)
{
	json_t *runs = json_object();
	json_t *body = json_pack("{s:s}", "sort", "START_TIME_DESC");
	if (f->state_types.len || f->state_names.len)
		json_object_set_new(runs, "state", state_filter(f));
	if (f->deployment_id)
		json_object_set_new(runs, "deployment_id",
				    json_pack("{s:[s]}", "any_", f->deployment_id));
	if (f->since)
		json_object_set_new(runs, "start_time", json_pack("{s:s}", "after_", f->since));
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

/* The ids of one field of the runs that names does not know yet, without repeats. */
static json_t *
unknown_ids(const json_t *runs, const char *field, const json_t *names)
{
	json_t *ids = json_array(), *r, *seen = json_object();
	size_t i;
	json_array_foreach(runs, i, r) {
		const char *id = json_str(r, field);
		if (id && !json_object_get(seen, id) && !json_object_get(names, id)) {
			json_object_set_new(seen, id, json_true());
			json_array_append_new(ids, json_string(id));
		}
	}
	json_decref(seen);
	return ids;
}

/* Learn id -> name (null when there is none) for the objects of path that the runs name. */
static int
learn_names(struct api *api, const char *path, const char *filter_key, const json_t *runs,
	    const char *field, json_t *names, struct error *err)
{
	json_t *ids = unknown_ids(runs, field, names), *objs = NULL, *o;
	size_t i;
	int rc = 0;
	if (json_array_size(ids)) {
		json_t *body = json_pack("{s:{s:{s:O}}}", filter_key, "id", "any_", ids);
		rc = api_list(api, path, body, 0, &objs, err);
		json_decref(body);
	}
	json_array_foreach(ids, i, o)
		json_object_set(names, json_string_value(o), json_null());
	json_array_foreach(objs, i, o)
		if (json_str(o, "id") && json_str(o, "name"))
			json_object_set_new(names, json_str(o, "id"),
					    json_string(json_str(o, "name")));
	json_decref(objs);
	json_decref(ids);
	return rc;
}

static void
set_name(json_t *run, const char *key, const json_t *names, const char *id_field)
{
	const char *id = json_str(run, id_field);
	const json_t *name = id ? json_object_get(names, id) : NULL;
	json_object_set(run, key, name ? (json_t *)name : json_null());
}

/* Flow and deployment names already looked up, for the pages of a long list. */
struct run_names {
	json_t *flows;
	json_t *deployments;
};

static int
name_runs(struct api *api, struct run_names *n, json_t *runs, struct error *err)
{
	json_t *r;
	size_t i;
	if (learn_names(api, "/flows/filter", "flows", runs, "flow_id", n->flows, err) < 0 ||
	    learn_names(api, "/deployments/filter", "deployments", runs, "deployment_id",
			n->deployments, err) < 0)
		return -1;
	json_array_foreach(runs, i, r) {
		set_name(r, "flow_name", n->flows, "flow_id");
		set_name(r, "deployment_name", n->deployments, "deployment_id");
	}
	return 0;
}

int
prefect_flow_run_add_names(struct api *api, json_t *runs, struct error *err)
{
	struct run_names n = { json_object(), json_object() };
	int rc = name_runs(api, &n, runs, err);
	json_decref(n.flows);
	json_decref(n.deployments);
	return rc;
}

struct named_pages {
	struct api *api;
	struct run_names names;
	api_page_fn on_page;
	void *userdata;
};

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
	struct named_pages np = { api, { json_object(), json_object() }, on_page, userdata };
	struct api_pages p = { .path = "/flow_runs/filter",
			       .filter = body,
			       .rows_wanted = limit,
			       .unique_key = "id",
			       .on_page = named_page,
			       .userdata = &np };
	int rc = api_list_pages(api, &p, err);
	json_decref(np.names.flows);
	json_decref(np.names.deployments);
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
