/* Alerts as Prefect automations with a webhook block (see alerts.h). */
#include "api/alerts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/pages.h"
#include "api/refs.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/url.h"
#include "core/uuid.h"
#include "core/xalloc.h"

#define RUN_EVENT "prefect.flow-run."
#define TEST_EVENT "mahavishnu.alert.test"
#define TEST_RESOURCE "mahavishnu.alert."
#define BLOCK_PREFIX "mahavishnu-alert-"
/* A related flow for the test event when the alert names its flow by glob. */
#define NO_FLOW "prefect.flow.00000000-0000-0000-0000-000000000000"

/* The state events each PREFECT_ALERT_* bit expects. */
static const struct {
	unsigned on;
	const char *event;
} run_events[] = {
	{ PREFECT_ALERT_FAILED, RUN_EVENT "Failed" },
	{ PREFECT_ALERT_FAILED, RUN_EVENT "TimedOut" },
	{ PREFECT_ALERT_CRASHED, RUN_EVENT "Crashed" },
	{ PREFECT_ALERT_LATE, RUN_EVENT "Late" },
};

/*
 * What the webhook receives: one JSON object (Prefect renders this Jinja
 * template; tojson quotes names and messages safely, and a run the test
 * event does not have renders as "").
 */
static const char payload_template[] =
	"{\"source\": \"mahavishnu\","
	" \"alert_id\": \"{{ automation.id }}\","
	" \"alert_name\": {{ automation.name|tojson }},"
	" \"test\": {{ (event.event == '" TEST_EVENT "')|tojson }},"
	" \"event\": {{ event.event|tojson }},"
	" \"occurred\": \"{{ event.occurred }}\","
	" \"flow_run_id\": \"{{ flow_run.id or '' }}\","
	" \"flow_run_name\": {{ (flow_run.name or '')|tojson }},"
	" \"flow_name\": {{ (flow.name or '')|tojson }},"
	" \"deployment_name\": {{ (deployment.name or '')|tojson }},"
	" \"state\": {{ (event.resource.get('prefect.state-name') or '')|tojson }},"
	" \"message\": {{ (event.resource.get('prefect.state-message') or '')|tojson }}}";

/* --- the webhook block ------------------------------------------------- */

/* One block per URL: its name is a hash of the URL, so a re-run finds it. */
static char *
block_name(const char *url)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return xasprintf(BLOCK_PREFIX "%016llx", (unsigned long long)h);
}

/* The block named name when it holds url: 1 and *id; 0 when there is none. */
static int
block_find(struct api *api, const char *name, const char *url, char **id, struct error *err)
{
	char *path = xasprintf("/block_types/slug/webhook/block_documents/name/%s"
			       "?include_secrets=true",
			       name);
	json_t *block = NULL;
	int rc = api_request(api, "GET", path, NULL, 0, NULL, &block, err);
	free(path);
	if (rc < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_clear(err);
		return 0;
	}
	const char *held = json_str_path(block, "data.url");
	if (held && !strcmp(held, url)) {
		*id = xstrdup(json_str(block, "id"));
		rc = 1;
	} else {
		rc = error_set(err, ERROR_CONFLICT,
			       "a webhook block named '%s' already exists "
			       "with another URL",
			       name);
	}
	json_decref(block);
	return rc;
}

/* The Webhook block type's ID and its newest schema's. */
static int
webhook_type(struct api *api, json_t **type, json_t **schemas, struct error *err)
{
	if (api_request(api, "GET", "/block_types/slug/webhook", NULL, 0, NULL, type, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND)
			error_set(err, ERROR_API,
				  "the server has no Webhook block type "
				  "(Prefect installs it when the server starts)");
		return -1;
	}
	json_t *filter = json_pack("{s:{s:{s:[s]}},s:i}", "block_schemas", "block_type_id", "any_",
				   json_str(*type, "id"), "limit", 1);
	int rc = api_request(api, "POST", "/block_schemas/filter", filter, API_RETRY_SAFE, NULL,
			     schemas, err);
	json_decref(filter);
	if (rc == 0 && !json_str(json_array_get(*schemas, 0), "id"))
		rc = error_set(err, ERROR_API, "the server has no schema for Webhook blocks");
	return rc;
}

static int
block_create(struct api *api, const char *name, const char *url, char **id, struct error *err)
{
	json_t *type = NULL, *schemas = NULL, *block = NULL;
	if (webhook_type(api, &type, &schemas, err) < 0) {
		json_decref(type);
		return -1;
	}
	json_t *body = json_pack("{s:s,s:s,s:s,s:b,s:{s:s,s:s,s:{s:s},s:b,s:b}}", "name", name,
				 "block_type_id", json_str(type, "id"), "block_schema_id",
				 json_str(json_array_get(schemas, 0), "id"), "is_anonymous", 0,
				 "data", "method", "POST", "url", url, "headers", "Content-Type",
				 "application/json", "allow_private_urls", 1, "verify", 1);
	/* safe to repeat: a second create of the name is a conflict, and the block is found */
	int rc = api_request(api, "POST", "/block_documents/", body, API_RETRY_SAFE, NULL, &block,
			     err);
	if (rc == 0) {
		*id = xstrdup(json_str(block, "id"));
	} else if (err->kind == ERROR_CONFLICT) {
		/* made by this call before its answer was lost, or by a run beside it */
		error_clear(err);
		rc = block_find(api, name, url, id, err);
		if (rc == 0)
			rc = error_set(err, ERROR_API,
				       "the webhook block '%s' vanished as it "
				       "was made",
				       name);
	}
	json_decref(body);
	json_decref(block);
	json_decref(schemas);
	json_decref(type);
	return rc < 0 ? -1 : 0;
}

static int
block_for(struct api *api, const char *url, char **id, struct error *err)
{
	char *name = block_name(url);
	int rc = block_find(api, name, url, id, err);
	if (rc == 0)
		rc = block_create(api, name, url, id, err);
	free(name);
	return rc < 0 ? -1 : 0;
}

/* --- reading an automation -------------------------------------------- */

static const json_t *
trigger(const json_t *alert)
{
	return json_object_get(alert, "trigger");
}

static const char *
block_id(const json_t *alert)
{
	return json_str(json_array_get(json_object_get(alert, "actions"), 0), "block_document_id");
}

unsigned
prefect_alert_on(const json_t *alert)
{
	const json_t *expect = json_object_get(trigger(alert), "expect");
	unsigned on = 0;
	size_t i;
	const json_t *name;
	json_array_foreach(expect, i, name)
		for (size_t k = 0; k < sizeof(run_events) / sizeof(run_events[0]); k++)
			if (json_is_string(name) &&
			    !strcmp(json_string_value(name), run_events[k].event))
				on |= run_events[k].on;
	return on;
}

/* The match_related spec of role, whether the trigger has one spec or a list. */
static const json_t *
related_spec(const json_t *alert, const char *role)
{
	const json_t *related = json_object_get(trigger(alert), "match_related");
	if (json_is_object(related))
		return json_str(related, "prefect.resource.role") &&
				       !strcmp(json_str(related, "prefect.resource.role"), role) ?
			       related :
			       NULL;
	size_t i;
	const json_t *spec;
	json_array_foreach(related, i, spec)
		if (json_str(spec, "prefect.resource.role") &&
		    !strcmp(json_str(spec, "prefect.resource.role"), role))
			return spec;
	return NULL;
}

const char *
prefect_alert_flow(const json_t *alert)
{
	return json_str(related_spec(alert, "flow"), "prefect.resource.name");
}

const char *
prefect_alert_deployment(const json_t *alert)
{
	const char *id = json_str(related_spec(alert, "deployment"), "prefect.resource.id");
	return id && !strncmp(id, "prefect.deployment.", 19) ? id + 19 : NULL;
}

int
prefect_alert_enabled(const json_t *alert)
{
	return !json_is_false(json_object_get(alert, "enabled"));
}

/* The alert's private test resource ("mahavishnu.alert.<token>"), or NULL. */
static const char *
test_resource(const json_t *alert)
{
	const json_t *ids = json_object_get(json_object_get(trigger(alert), "match"),
					    "prefect.resource.id");
	size_t i;
	const json_t *id;
	json_array_foreach(ids, i, id)
		if (json_is_string(id) &&
		    !strncmp(json_string_value(id), TEST_RESOURCE, strlen(TEST_RESOURCE)))
			return json_string_value(id);
	return NULL;
}

static int
is_ours(const json_t *alert)
{
	size_t i;
	const json_t *tag;
	json_array_foreach(json_object_get(alert, "tags"), i, tag)
		if (json_is_string(tag) && !strcmp(json_string_value(tag), PREFECT_ALERT_TAG))
			return 1;
	return 0;
}

int
prefect_alert_webhook(struct api *api, const json_t *alert, char **origin, struct error *err)
{
	char *path = xasprintf("/block_documents/%s?include_secrets=true", block_id(alert));
	json_t *block = NULL;
	int rc = api_request(api, "GET", path, NULL, 0, NULL, &block, err);
	free(path);
	if (rc == 0) {
		const char *url = json_str_path(block, "data.url");
		*origin = url ? url_origin(url) : xstrdup("?");
	} else if (err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		*origin = xstrdup("(its webhook block was deleted)");
		rc = 0;
	}
	json_decref(block);
	return rc;
}

/* --- creating ---------------------------------------------------------- */

static json_t *
match_related(const struct prefect_alert_spec *spec)
{
	json_t *specs = json_array();
	if (spec->flow_name)
		json_array_append_new(specs, json_pack("{s:s,s:s}", "prefect.resource.role", "flow",
						       "prefect.resource.name", spec->flow_name));
	if (spec->deployment_id) {
		char *id = xasprintf("prefect.deployment.%s", spec->deployment_id);
		json_array_append_new(specs, json_pack("{s:s,s:s}", "prefect.resource.role",
						       "deployment", "prefect.resource.id", id));
		free(id);
	}
	if (json_array_size(specs) == 1) {
		json_t *one = json_incref(json_array_get(specs, 0));
		json_decref(specs);
		return one;
	}
	if (json_array_size(specs) == 0) {
		json_decref(specs);
		return json_object();
	}
	return specs;
}

static json_t *
alert_body(const struct prefect_alert_spec *spec, const char *block)
{
	char token[37], *resource;
	uuid_random(token);
	resource = xasprintf(TEST_RESOURCE "%s", token);
	json_t *expect = json_pack("[s]", TEST_EVENT);
	for (size_t k = 0; k < sizeof(run_events) / sizeof(run_events[0]); k++)
		if (spec->on & run_events[k].on)
			json_array_append_new(expect, json_string(run_events[k].event));
	json_t *body =
		json_pack("{s:s,s:s,s:b,s:[s],s:{s:s,s:s,s:o,s:{s:[s,s]},s:o,s:[],s:[],s:i,s:i},"
			  "s:[{s:s,s:s,s:s}]}",
			  "name", spec->name, "description", spec->description, "enabled", 1,
			  "tags", PREFECT_ALERT_TAG, "trigger", "type", "event", "posture",
			  "Reactive", "expect", expect, "match", "prefect.resource.id",
			  RUN_EVENT "*", resource, "match_related", match_related(spec), "after",
			  "for_each", "threshold", 1, "within", 0, "actions", "type",
			  "call-webhook", "block_document_id", block, "payload", payload_template);
	free(resource);
	return body;
}

static int
same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether alert (found by name) is the one spec with block describes. */
static int
same_alert(const json_t *alert, const struct prefect_alert_spec *spec, const char *block)
{
	return prefect_alert_on(alert) == spec->on &&
	       same_str(prefect_alert_flow(alert), spec->flow_name) &&
	       same_str(prefect_alert_deployment(alert), spec->deployment_id) &&
	       same_str(block_id(alert), block) && test_resource(alert);
}

/* Ours named name: 1 and *out; 0 when there is none. */
static int
find_by_name(struct api *api, const char *name, json_t **out, struct error *err)
{
	json_t *filter = json_pack("{s:{s:{s:[s]},s:{s:[s]}}}", "automations", "name", "any_", name,
				   "tags", "all_", PREFECT_ALERT_TAG);
	json_t *found = NULL;
	int rc = api_list(api, "/automations/filter", filter, 2, &found, err);
	json_decref(filter);
	if (rc < 0)
		return -1;
	*out = json_incref(json_array_get(found, 0));
	json_decref(found);
	return *out != NULL;
}

/* After a lost answer, the automation made is the one of that name (the name is checked first). */
static int
recognise_own(struct api *api, const struct prefect_alert_spec *spec, const char *block,
	      json_t **out, struct error *err)
{
	struct error again = ERROR_INIT;
	int found = find_by_name(api, spec->name, out, &again);
	if (found == 1 && same_alert(*out, spec, block)) {
		error_clear(err);
		return 0;
	}
	json_decref(*out);
	*out = NULL;
	error_clear(&again);
	return -1;
}

int
prefect_alert_create(struct api *api, const struct prefect_alert_spec *spec, json_t **out,
		     int *existed, struct error *err)
{
	char *block = NULL;
	*out = NULL;
	*existed = 0;
	int rc = block_for(api, spec->webhook_url, &block, err);
	if (rc == 0)
		rc = find_by_name(api, spec->name, out, err);
	if (rc == 1) {
		*existed = same_alert(*out, spec, block);
		rc = *existed ? 0 :
				error_set(err, ERROR_CONFLICT,
					  "an alert named '%s' already exists and watches "
					  "something else",
					  spec->name);
	} else if (rc == 0) {
		json_t *body = alert_body(spec, block);
		/* not repeated: a second create would make a second automation */
		rc = api_request(api, "POST", "/automations/", body, 0, NULL, out, err);
		if (rc < 0 && api_answer_was_lost(api))
			rc = recognise_own(api, spec, block, out, err);
		json_decref(body);
	}
	free(block);
	return rc < 0 ? -1 : 0;
}

/* --- listing, finding, deleting --------------------------------------- */

int
prefect_alert_list(struct api *api, json_t **out, struct error *err)
{
	json_t *filter = json_pack("{s:s,s:{s:{s:[s]}}}", "sort", "CREATED_DESC", "automations",
				   "tags", "all_", PREFECT_ALERT_TAG);
	int rc = api_list(api, "/automations/filter", filter, 0, out, err);
	json_decref(filter);
	if (rc == 0) {
		/* oldest first, as a list reads */
		size_t n = json_array_size(*out);
		for (size_t i = 0; i < n / 2; i++) {
			json_t *a = json_incref(json_array_get(*out, i));
			json_array_set(*out, i, json_array_get(*out, n - 1 - i));
			json_array_set_new(*out, n - 1 - i, a);
		}
	}
	return rc;
}

static int
find_by_id(struct api *api, const char *id, json_t **out, struct error *err)
{
	char *path = xasprintf("/automations/%s", id);
	int rc = api_request(api, "GET", path, NULL, 0, NULL, out, err);
	free(path);
	if (rc == 0 && !is_ours(*out)) {
		json_decref(*out);
		*out = NULL;
		return error_set(err, ERROR_USAGE,
				 "automation %s was not made by mahavishnu (it has no '%s' tag); "
				 "manage it in Prefect's UI",
				 id, PREFECT_ALERT_TAG);
	}
	return rc;
}

static int
find_by_prefix(struct api *api, const char *ref, json_t **out, struct error *err)
{
	json_t *all = NULL, *matches;
	if (prefect_alert_list(api, &all, err) < 0)
		return -1;
	matches = prefect_match_id_prefix(all, ref);
	int rc = 0;
	if (json_array_size(matches) == 1)
		*out = json_incref(json_array_get(matches, 0));
	else if (json_array_size(matches) > 1)
		rc = prefect_ambiguous(err, ref, "alerts", matches);
	else
		rc = error_set(err, ERROR_NOT_FOUND, "no alert named or with ID '%s'", ref);
	json_decref(matches);
	json_decref(all);
	return rc;
}

int
prefect_alert_find(struct api *api, const char *ref, json_t **out, struct error *err)
{
	*out = NULL;
	if (prefect_is_uuid(ref)) {
		if (find_by_id(api, ref, out, err) == 0)
			return 0;
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_clear(err);
	}
	int rc = find_by_name(api, ref, out, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (prefect_is_id_prefix(ref) && !prefect_is_uuid(ref))
		return find_by_prefix(api, ref, out, err);
	return error_set(err, ERROR_NOT_FOUND, "no alert named or with ID '%s'", ref);
}

/* Whether another of our alerts calls the block. */
static int
block_shared(struct api *api, const json_t *alert, int *shared, struct error *err)
{
	json_t *all = NULL;
	if (prefect_alert_list(api, &all, err) < 0)
		return -1;
	size_t i;
	const json_t *other;
	*shared = 0;
	json_array_foreach(all, i, other)
		if (!same_str(json_str(other, "id"), json_str(alert, "id")) &&
		    same_str(block_id(other), block_id(alert)))
			*shared = 1;
	json_decref(all);
	return 0;
}

/* DELETE path; a 404 after a lost answer was this call's own delete. */
static int
delete_path(struct api *api, const char *path, struct error *err)
{
	int rc = api_request(api, "DELETE", path, NULL, API_RETRY_SAFE, NULL, NULL, err);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		rc = 0;
	}
	return rc;
}

int
prefect_alert_delete(struct api *api, const json_t *alert, struct error *err)
{
	int shared = 0;
	char *path = xasprintf("/automations/%s", json_str(alert, "id"));
	int rc = block_shared(api, alert, &shared, err);
	if (rc == 0)
		rc = delete_path(api, path, err);
	free(path);
	if (rc == 0 && !shared && block_id(alert)) {
		path = xasprintf("/block_documents/%s", block_id(alert));
		rc = delete_path(api, path, err);
		free(path);
	}
	return rc;
}

/* --- testing ------------------------------------------------------------ */

/* A related resource satisfying each match_related spec of the alert. */
static json_t *
test_related(const json_t *alert)
{
	json_t *related = json_array();
	const char *roles[] = { "flow", "deployment" };
	for (size_t i = 0; i < 2; i++) {
		const json_t *spec = related_spec(alert, roles[i]);
		if (!spec)
			continue;
		json_t *copy = json_deep_copy(spec);
		if (!json_str(copy, "prefect.resource.id"))
			json_object_set_new(copy, "prefect.resource.id", json_string(NO_FLOW));
		json_array_append_new(related, copy);
	}
	return related;
}

int
prefect_alert_fire_test(struct api *api, const json_t *alert, char event_id[37], struct error *err)
{
	const char *resource = test_resource(alert);
	if (!resource)
		return error_set(err, ERROR_USAGE,
				 "alert '%s' has no test event (it was changed outside mahavishnu)",
				 json_str(alert, "name"));
	char now[32];
	uuid_random(event_id);
	isotime_format_utc(isotime_now(), now);
	json_t *events = json_pack("[{s:s,s:s,s:s,s:{s:s,s:s},s:o,s:{s:b}}]", "id", event_id,
				   "occurred", now, "event", TEST_EVENT, "resource",
				   "prefect.resource.id", resource, "prefect.resource.name",
				   "mahavishnu alerts test", "related", test_related(alert),
				   "payload", "mahavishnu_test", 1);
	/* safe to repeat: the server drops an event whose ID it has seen */
	int rc = api_request(api, "POST", "/events", events, API_RETRY_SAFE, NULL, NULL, err);
	json_decref(events);
	return rc;
}

/* Whether event was triggered by the event event_id. */
static int
triggered_by(const json_t *event, const char *event_id)
{
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(event, "related"), i, r) {
		const char *id = json_str(r, "prefect.resource.id");
		if (same_str(json_str(r, "prefect.resource.role"), "triggering-event") && id &&
		    !strncmp(id, "prefect.event.", 14) && !strcmp(id + 14, event_id))
			return 1;
	}
	return 0;
}

int
prefect_alert_test_result(struct api *api, const json_t *alert, const char *event_id,
			  const char *since, long *status, char **reason, struct error *err)
{
	char *resource = xasprintf("prefect.automation.%s", json_str(alert, "id"));
	json_t *filter = json_pack("{s:{s:{s:s},s:{s:[s,s]},s:{s:[s]}},s:i}", "filter", "occurred",
				   "since", since, "event", "name",
				   "prefect.automation.action.executed",
				   "prefect.automation.action.failed", "resource", "id", resource,
				   "limit", 50);
	json_t *answer = NULL;
	int rc = api_request(api, "POST", "/events/filter", filter, API_RETRY_SAFE, NULL, &answer,
			     err);
	size_t i;
	const json_t *event;
	json_array_foreach(rc == 0 ? json_object_get(answer, "events") : NULL, i, event) {
		if (!triggered_by(event, event_id))
			continue;
		const json_t *payload = json_object_get(event, "payload");
		*status = (long)json_integer_value(json_object_get(payload, "status_code"));
		*reason = *status ? NULL :
				    xstrdup(json_str(payload, "reason") ?
						    json_str(payload, "reason") :
						    "no reason given");
		rc = 1;
		break;
	}
	json_decref(answer);
	json_decref(filter);
	free(resource);
	return rc;
}
