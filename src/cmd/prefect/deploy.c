/*
 * mahavishnu prefect deploy: create or update a deployment of a flow so that
 * a process worker can run it. Everything that can be checked here is
 * checked before the first request: the flow's code (parsed), the cron or
 * interval, the time zone, the parameters against the code's signature.
 * Prefect's create endpoint is an upsert that wipes schedules and
 * parameters, so an existing deployment is read, merged and PATCHed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/deployments.h"
#include "api/flows.h"
#include "api/schedules.h"
#include "api/work_pools.h"
#include "cli/command.h"
#include "cmd/prefect/deployment_view.h"
#include "cmd/prefect/flow_code.h"
#include "cmd/prefect/pool_prompt.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/params.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "sched/sched.h"

struct deploy_args {
	const char *flow;
	const char *name;
	const char *pool;
	const char *cron;
	long interval;
	const char *timezone;
	const char *entrypoint;
	const char *path;
	const char *tags;
	const char *description;
	const char *version;
	const char *params_json;
	struct strlist params;
	int paused;
	long concurrency;
	int create_pool;
};

struct deploy_plan {
	struct flow_code code;
	int have_code;        /* the code is known here (needed unless re-deploying) */
	json_t *params;
	json_t *schedule;     /* the schedule object to add, or NULL */
	json_t *flow;
	json_t *existing;     /* the deployment when it exists */
	json_t *result;
};

static int
check_schedule(const struct deploy_args *a, struct deploy_plan *p, struct error *err)
{
	struct sched s;
	struct tz *tz = NULL;
	const char *zone = a->timezone ? a->timezone : "UTC";
	if (a->cron && a->interval)
		return error_set(err, ERROR_USAGE, "give --cron or --interval, not both");
	if (tz_load(&tz, zone, err) < 0) {
		error_prefix(err, "option '--timezone'");
		err->kind = ERROR_USAGE;
		return -1;
	}
	tz_free(tz);
	if ((a->cron && sched_cron(&s, a->cron, 1, zone, err) < 0) ||
	    (a->interval && sched_interval(&s, a->interval, (int64_t)time(NULL), zone, err) < 0)) {
		error_prefix(err, "option '--%s'", a->cron ? "cron" : "interval");
		err->kind = ERROR_USAGE;
		return -1;
	}
	if (!a->cron && !a->interval) {
		if (a->timezone)
			return error_set(err, ERROR_USAGE, "--timezone needs --cron or --interval");
		return 0;
	}
	sched_release(&s);
	char anchor[32];
	/* a whole-second anchor, so the engine's next runs match the server's to the second */
	isotime_format_utc(isotime_now(), anchor);
	p->schedule = a->cron ? json_pack("{s:s,s:s,s:b}", "cron", a->cron, "timezone", zone,
					  "day_or", 1)
			      : json_pack("{s:I,s:s,s:s}", "interval", (json_int_t)a->interval,
					  "timezone", zone, "anchor_date", anchor);
	return 0;
}

/* The error for a deployment whose code is needed but not known here. */
static int
code_unknown(const struct deploy_args *a, struct error *err)
{
	error_set(err, ERROR_INVALID, "the code of flow '%s' is not known", a->flow);
	return error_hint(err, "give it with --entrypoint FILE.py:FUNCTION, or run "
			  "'mahavishnu prefect flow validate FILE.py' first");
}

/* Everything local, before any request. */
static int
check_locally(const struct deploy_args *a, const char *api_url, struct deploy_plan *p,
	      struct error *err)
{
	if (!prefect_name_is_valid(a->name))
		return error_set(err, ERROR_USAGE, "option '--name': '%s' is not a valid deployment "
				 "name (it must not be empty or contain / %% & > <)", a->name);
	if (params_parse(&a->params, a->params_json, &p->params, err) < 0 ||
	    check_schedule(a, p, err) < 0)
		return -1;
	int found = flow_code_find(a->flow, a->entrypoint, api_url, &p->code, err);
	if (found < 0)
		return -1;
	p->have_code = found;
	if (!found && a->path)
		return code_unknown(a, err);
	/* without code here, a re-deploy checks against the deployment's schema later */
	return found ? params_conform(p->code.schema, p->params, &a->params, NULL, err) : 0;
}


/* Where the code is: entrypoint, working directory, parameter schema. */
static void
add_code(json_t *body, const struct deploy_args *a, const struct deploy_plan *p)
{
	const char *dir = a->path ? a->path : p->code.directory;
	char *entry = xasprintf("%s:%s", p->code.file, p->code.function);
	json_object_set_new(body, "entrypoint", json_string(entry));
	json_object_set_new(body, "pull_steps", json_pack("[{s:{s:s}}]",
			    "prefect.deployments.steps.set_working_directory", "directory", dir));
	json_object_set(body, "parameter_openapi_schema", p->code.schema);
	free(entry);
}

/*
 * The fields a process worker needs, and those the user gave. An update
 * sends the pool and the code's location only when the user named them
 * (--work-pool, --entrypoint, --path), so that a re-deploy keeps them.
 */
static json_t *
common_fields(const struct deploy_args *a, const struct deploy_plan *p, const char *pool,
	      int update)
{
	json_t *body = json_object();
	if (!update || a->pool)
		json_object_set_new(body, "work_pool_name", json_string(pool));
	if (p->have_code && (!update || a->entrypoint || a->path))
		add_code(body, a, p);
	if (a->description)
		json_object_set_new(body, "description", json_string(a->description));
	if (a->version)
		json_object_set_new(body, "version", json_string(a->version));
	if (a->tags) {
		struct strlist tags = STRLIST_INIT;
		strlist_split(&tags, a->tags, ',');
		json_object_set_new(body, "tags", json_string_array(tags.items, tags.len));
		strlist_release(&tags);
	}
	if (a->paused)
		json_object_set_new(body, "paused", json_true());
	return body;
}

/* The same cron (and zone), or the same interval (and zone) whatever its anchor. */
static int
same_schedule(const json_t *have, const json_t *want)
{
	const char *zone = json_str(have, "timezone") ? json_str(have, "timezone") : "UTC";
	if (strcmp(zone, json_str(want, "timezone")))
		return 0;
	if (json_str(want, "cron"))
		return json_str(have, "cron") && !strcmp(json_str(have, "cron"), json_str(want, "cron"));
	return json_num(have, "interval", -1) == json_num(want, "interval", -2);
}

static int
schedule_known(const json_t *schedules, const json_t *schedule)
{
	size_t i;
	json_t *s;
	json_array_foreach(schedules, i, s)
		if (same_schedule(json_object_get(s, "schedule"), schedule))
			return 1;
	return 0;
}

/*
 * Read, merge, write: what the user did not mention survives. The PATCH
 * leaves schedules alone; a new one is added through the schedules
 * sub-resource, so the existing ones keep their IDs.
 */
static int
update_existing(struct api *api, const struct deploy_args *a, struct deploy_plan *p,
		const char *pool, struct error *err)
{
	const char *id = json_str(p->existing, "id");
	json_t *changes = common_fields(a, p, pool, 1), *added = NULL;
	json_t *params = json_deep_copy(json_object_get(p->existing, "parameters"));
	json_object_update(params, p->params);
	json_object_set_new(changes, "parameters", params);
	if (a->concurrency)
		json_object_set_new(changes, "concurrency_limit", json_integer(a->concurrency));
	int rc = prefect_deployment_update(api, id, changes, err);
	if (rc == 0 && p->schedule &&
	    !schedule_known(json_object_get(p->existing, "schedules"), p->schedule)) {
		json_t *create = json_pack("{s:O,s:b}", "schedule", p->schedule, "active", 1);
		rc = prefect_schedule_create(api, id, create, &added, err);
		json_decref(create);
	}
	json_decref(added);
	json_decref(changes);
	return rc;
}

static int
create_new(struct cmd_ctx *ctx, struct api *api, const struct deploy_args *a,
	   struct deploy_plan *p, const char *pool, struct error *err)
{
	json_t *body = common_fields(a, p, pool, 0), *created = NULL;
	long limit = a->concurrency ? a->concurrency :
		     config_get_long(&ctx->config, CFG_MAX_CONCURRENT_DEPLOYMENTS);
	json_object_set_new(body, "name", json_string(a->name));
	json_object_set_new(body, "flow_id", json_string(json_str(p->flow, "id")));
	json_object_set(body, "parameters", p->params);
	json_object_set_new(body, "concurrency_limit", json_integer(limit));
	json_object_set_new(body, "schedules", p->schedule ?
			    json_pack("[{s:O,s:b}]", "schedule", p->schedule, "active", 1) :
			    json_array());
	int rc = prefect_deployment_create(api, body, &created, err);
	json_decref(created);
	json_decref(body);
	return rc;
}

static int
find_existing(struct api *api, const struct deploy_args *a, struct deploy_plan *p,
	      struct error *err)
{
	char *ref = xasprintf("%s/%s", json_str(p->flow, "name"), a->name);
	int rc = prefect_deployment_find(api, ref, &p->existing, err);
	free(ref);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		rc = 0;
	}
	return rc;
}

static int
deploy(struct cmd_ctx *ctx, struct api *api, const struct deploy_args *a, struct deploy_plan *p,
       struct error *err)
{
	struct strlist no_tags = STRLIST_INIT;
	int created = 0, rc;
	if (prefect_flow_find(api, a->flow, &p->flow, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND || !prefect_name_is_valid(a->flow))
			return -1;
		error_clear(err);
	} else if (find_existing(api, a, p, err) < 0) {
		return -1;
	}
	if (!p->have_code && !p->existing)
		return code_unknown(a, err);
	if (!p->have_code &&
	    params_conform(json_object_get(p->existing, "parameter_openapi_schema"), p->params,
			   &a->params, json_object_get(p->existing, "parameters"), err) < 0)
		return -1;
	/* the pool: the one named, else the deployment's own, else the default */
	const char *pool = a->pool ? a->pool :
			   p->existing && json_str(p->existing, "work_pool_name") ?
			   json_str(p->existing, "work_pool_name") :
			   config_get(&ctx->config, CFG_DEFAULT_WORK_POOL);
	if (pool_prompt_ensure(ctx, api, pool, a->create_pool, err) < 0)
		return -1;
	if (!p->flow &&
	    prefect_flow_create(api, a->flow, &no_tags, NULL, &p->flow, &created, err) < 0)
		return -1;
	rc = p->existing ? update_existing(api, a, p, pool, err) : create_new(ctx, api, a, p, pool, err);
	if (rc == 0) {
		char *ref = xasprintf("%s/%s", json_str(p->flow, "name"), a->name);
		rc = prefect_deployment_find(api, ref, &p->result, err);
		free(ref);
	}
	return rc;
}

static int
deploy_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct deploy_args a = { .params = STRLIST_INIT };
	const struct opt_spec options[] = {
		OPT_STR_REQ('n', "name", &a.name, "NAME", "Deployment name"),
		OPT_STR('w', "work-pool", &a.pool, "POOL", "Work pool (default: default_work_pool)"),
		OPT_STR('c', "cron", &a.cron, "CRON", "Add a cron schedule, e.g. \"0 2 * * *\""),
		OPT_NUM(0, "interval", &a.interval, "SECONDS", "Add an interval schedule", 1,
			100L * 365 * 86400),
		OPT_STR(0, "timezone", &a.timezone, "TZ", "Time zone of the schedule (default UTC)"),
		OPT_MULTI('p', "param", &a.params, "KEY=VALUE",
			  "Default parameter; VALUE is JSON when it parses as JSON (repeatable)"),
		OPT_STR(0, "params", &a.params_json, "JSON", "Default parameters as one JSON object"),
		OPT_STR(0, "entrypoint", &a.entrypoint, "FILE.py:FUNC",
			"The flow's code (default: the local flow registry)"),
		OPT_STR(0, "path", &a.path, "DIR", "Working directory for runs (default: the file's)"),
		OPT_STR('t', "tags", &a.tags, "TAGS", "Comma-separated tags"),
		OPT_STR(0, "description", &a.description, "TEXT", "Deployment description"),
		OPT_STR(0, "version", &a.version, "VERSION", "Deployment version"),
		OPT_FLAG(0, "paused", &a.paused, "Create it paused (no scheduled runs)"),
		OPT_NUM(0, "concurrency-limit", &a.concurrency, "N",
			"Runs at once (default: max_concurrent_deployments)", 1, 100000),
		OPT_FLAG(0, "create-pool", &a.create_pool, "Create the work pool if it is missing"),
		OPT_POS("FLOW", &a.flow, "Flow name (created on the server if missing)"),
		OPT_TABLE_END,
	};
	struct deploy_plan p = { 0 };
	struct error err = ERROR_INIT;
	char *api_url = NULL;
	struct api *api;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		goto out;
	if (config_api_url(&ctx->config, &api_url, &err) < 0 ||
	    check_locally(&a, api_url, &p, &err) < 0 || !(api = cmd_api(ctx, &err)) ||
	    deploy(ctx, api, &a, &p, &err) < 0) {
		if (err.kind != ERROR_USAGE)
			error_prefix(&err, "cannot deploy '%s/%s'", a.flow, a.name);
		rc = cmd_fail(ctx, &err);
	} else {
		rc = deployment_view_show(ctx, p.result, p.existing ? "✓ Deployment Updated" :
									"✓ Flow Deployed");
	}
out:
	free(api_url);
	flow_code_release(&p.code);
	json_decref(p.params);
	json_decref(p.schedule);
	json_decref(p.flow);
	json_decref(p.existing);
	json_decref(p.result);
	strlist_release(&a.params);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_deploy = {
	.path = "prefect deploy",
	.summary = "Create or update a deployment of a flow",
	.help = "Deploy FLOW so that a process worker of the work pool can run it. The code\n"
		"is --entrypoint FILE.py:FUNC or the local flow registry's entry (filled by\n"
		"'flow validate'); it is parsed first and must define that flow function. Runs\n"
		"start in the file's directory (--path to change it). Re-deploying a name\n"
		"updates it: schedules and parameters not mentioned are kept, a new --cron or\n"
		"--interval is added beside the existing schedules. A missing work pool is\n"
		"created with --create-pool, or after asking on a terminal.",
	.exec = deploy_exec,
};
