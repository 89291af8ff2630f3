/* Retrying one flow run (see run_retry.h). */
#include "cmd/prefect/run_retry.h"

#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/refs.h"
#include "cmd/prefect/run_follow.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/xalloc.h"

#define KEY_PREFIX "mahavishnu-retry:"
#define TAG_PREFIX "retry-of:"

/* The run a run retries: the ID in its retry-of tag, else its own. */
void
run_retry_origin(const json_t *run, char out[37])
{
	const json_t *tag;
	size_t i;
	json_array_foreach(json_object_get(run, "tags"), i, tag) {
		const char *s = json_string_value(tag);
		if (s && !strncmp(s, TAG_PREFIX, strlen(TAG_PREFIX)) &&
		    prefect_is_uuid(s + strlen(TAG_PREFIX))) {
			snprintf(out, 37, "%s", s + strlen(TAG_PREFIX));
			return;
		}
	}
	snprintf(out, 37, "%s", json_str(run, "id"));
}

/* Which retry of origin run is by its key (mahavishnu-retry:<origin>:<n>), or 0. */
static long
attempt_of(const json_t *run, const char *origin)
{
	const char *key = prefect_flow_run_key(run);
	size_t lp = strlen(KEY_PREFIX), lo = strlen(origin);
	if (!key || strncmp(key, KEY_PREFIX, lp) || strncmp(key + lp, origin, lo) ||
	    key[lp + lo] != ':')
		return 0;
	char *end;
	long n = strtol(key + lp + lo + 1, &end, 10);
	return *end || n < 1 ? 0 : n;
}

/* The latest retry of origin (*latest NULL when there is none) and its number. */
static int
latest_retry(struct api *api, const char *origin, json_t **latest, long *n, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *runs = NULL, *run;
	size_t i;
	strlist_addf(&f.tags, TAG_PREFIX "%s", origin);
	int rc = prefect_flow_run_list(api, &f, 0, &runs, err);
	flow_run_filter_release(&f);
	*latest = NULL;
	*n = 0;
	json_array_foreach(runs, i, run) {
		long k = attempt_of(run, origin);
		if (k > *n) {
			*n = k;
			*latest = run;
		}
	}
	json_incref(*latest);
	json_decref(runs);
	return rc;
}

static int
ended_badly(const json_t *run)
{
	const char *type = json_str(run, "state_type");
	return type && run_state_is_final(type) && strcmp(type, "COMPLETED");
}

/* The run's parameters with --param and --params over them, checked by the deployment's schema. */
static int
params_for(struct api *api, const json_t *run, const struct param_args *pa, json_t **out,
	   struct error *err)
{
	json_t *base = json_object_get(run, "parameters"), *deployment = NULL, *over = NULL;
	*out = json_is_object(base) ? json_deep_copy(base) : json_object();
	if (!pa->pairs.len && !pa->json)
		return 0;
	int rc = prefect_deployment_find(api, json_str(run, "deployment_id"), &deployment, err);
	if (rc == 0)
		rc = param_args_build(pa, prefect_deployment_schema(deployment), *out, &over, err);
	if (rc == 0)
		json_object_update(*out, over);
	json_decref(over);
	json_decref(deployment);
	return rc;
}

static int
no_deployment(const json_t *run, struct error *err)
{
	error_set(err, ERROR_INVALID,
		  "cannot retry flow run '%s': it has no deployment, and only a deployment's run "
		  "can be run again by a worker",
		  json_str(run, "name"));
	return error_hint(err, "run its flow again with 'mahavishnu prefect flow execute FLOW'");
}

/* Its tags without earlier retry-of tags, and the retry-of tag of origin. */
static void
retry_tags(const json_t *run, const char *origin, struct strlist *tags)
{
	const json_t *tag;
	size_t i;
	json_array_foreach(json_object_get(run, "tags"), i, tag) {
		const char *s = json_string_value(tag);
		if (s && strncmp(s, TAG_PREFIX, strlen(TAG_PREFIX)))
			strlist_add(tags, s);
	}
	strlist_addf(tags, TAG_PREFIX "%s", origin);
}

static int
create_retry(struct api *api, const json_t *run, const json_t *params, struct run_retried *out,
	     struct error *err)
{
	struct strlist tags = STRLIST_INIT;
	char *key = xasprintf(KEY_PREFIX "%s:%ld", out->origin, out->attempt);
	retry_tags(run, out->origin, &tags);
	int rc = prefect_deployment_create_run(api, json_str(run, "deployment_id"), params, &tags,
					       key, &out->run, err);
	out->created = rc == 0;
	strlist_release(&tags);
	free(key);
	return rc;
}

int
run_retry_new(struct api *api, const json_t *run, const struct param_args *pa,
	      struct run_retried *out, struct error *err)
{
	json_t *latest = NULL, *params = NULL;
	long n = 0;
	if (!json_str(run, "deployment_id"))
		return no_deployment(run, err);
	run_retry_origin(run, out->origin);
	int rc = latest_retry(api, out->origin, &latest, &n, err);
	if (rc == 0)
		rc = params_for(api, run, pa, &params, err);
	if (rc == 0 && latest && !ended_badly(latest) &&
	    json_equal(json_object_get(latest, "parameters"), params)) {
		out->run = json_incref(latest);
		out->attempt = n;
	} else if (rc == 0) {
		out->attempt = n + 1;
		rc = create_retry(api, run, params, out, err);
	}
	json_decref(params);
	json_decref(latest);
	return rc;
}

const struct flow_run_state run_retry_awaiting = {
	.type = "SCHEDULED", .name = "AwaitingRetry", .message = "Retried by mahavishnu", .force = 1
};

/* Why the run cannot be retried in place (NULL: it can); already awaiting a retry sets *done. */
const char *
run_retry_refusal(const json_t *run, int force, int *done)
{
	const char *type = json_str(run, "state_type"), *name = json_str(run, "state_name");
	*done = 0;
	if (!json_str(run, "deployment_id"))
		return "it has no deployment, and Prefect reschedules only a deployment's runs";
	if (name && !strcmp(name, "AwaitingRetry")) {
		*done = 1;
		return "it is already awaiting a retry";
	}
	if (!type || !run_state_is_final(type))
		return "it has not ended";
	if (!strcmp(type, "COMPLETED") && !force)
		return "it completed (--force retries a completed run in place)";
	return NULL;
}

int
run_retry_in_place(struct api *api, const json_t *run, int force, struct run_retried *out,
		   struct error *err)
{
	int done;
	json_t *result = NULL;
	const char *why = run_retry_refusal(run, force, &done);
	const char *id = json_str(run, "id");
	snprintf(out->origin, sizeof(out->origin), "%s", id);
	if (why && !done)
		return error_set(err, ERROR_INVALID, "cannot retry flow run '%s' in place (%s): %s",
				 json_str(run, "name"),
				 json_str(run, "state_name") ? json_str(run, "state_name") : "?",
				 why);
	if (!done && prefect_flow_run_propose(api, id, &run_retry_awaiting, &result, err) < 0)
		return -1;
	const char *status = result ? json_str(result, "status") : "ACCEPT";
	const char *reason = json_str_path(result, "details.reason");
	if (status && strcmp(status, "ACCEPT")) {
		error_set(err, ERROR_INVALID, "cannot retry flow run '%s' in place: %s",
			  json_str(run, "name"), reason ? reason : "the server refused");
		json_decref(result);
		return -1;
	}
	json_decref(result);
	out->created = !done;
	return prefect_flow_run_get(api, id, &out->run, err);
}
