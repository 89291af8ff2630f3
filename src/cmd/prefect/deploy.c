/*
 * mahavishnu prefect deploy: create or update a deployment of a flow so that
 * a process worker can run it. Everything that can be checked here is
 * checked before the first request: the flow's code (parsed), the cron or
 * interval, the time zone, the parameters against the code's schema. The
 * schema written is Prefect's: computed statically, or asked of the
 * configured Python when the static one is inexact. Required parameters
 * may be left without a value (each run gives them).
 * Prefect's create endpoint is an upsert that wipes schedules and
 * parameters, so an existing deployment is read, merged and PATCHed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/deployments.h"
#include "api/flows.h"
#include "api/schedules.h"
#include "cli/command.h"
#include "cli/param_args.h"
#include "cmd/prefect/deployment_view.h"
#include "cmd/prefect/flow_code.h"
#include "cmd/prefect/local_prefect.h"
#include "cmd/prefect/pool_prompt.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "pyflow/pyflow.h"
#include "sched/sched.h"

/* Loading a flow with Prefect takes seconds; a hung import is given up. */
#define PYTHON_TIMEOUT_S 120

struct deploy_args {
	const char *flow;
	const char *name;
	const char *pool;
	const char *queue;
	const char *cron;
	long interval;
	const char *timezone;
	const char *entrypoint;
	const char *path;
	const char *tags;
	const char *description;
	const char *version;
	struct param_args params;
	int paused;
	long concurrency;
	int create_pool;
};

struct deploy_plan {
	struct flow_code code;
	int have_code;    /* the code is known here (needed unless re-deploying) */
	char *entrypoint; /* "file.py:function", relative to the code's directory */
	json_t *params;
	struct prefect_schedule schedule;
	int have_schedule;
	struct strlist tags;
	json_t *flow;
	json_t *existing; /* the deployment when it exists */
	json_t *result;
};

static int
check_schedule(const struct deploy_args *a, struct deploy_plan *p, struct error *err)
{
	struct sched s;
	struct tz *tz = NULL;
	const char *zone = a->timezone ? a->timezone : "UTC";
	int64_t now = (int64_t)time(NULL);
	if (a->cron && a->interval)
		return error_set(err, ERROR_USAGE, "give --cron or --interval, not both");
	if (tz_load(&tz, zone, err) < 0)
		return cmd_option_error(err, "timezone");
	tz_free(tz);
	if ((a->cron && sched_cron(&s, a->cron, 1, zone, err) < 0) ||
	    (a->interval && sched_interval(&s, a->interval, now, zone, err) < 0))
		return cmd_option_error(err, a->cron ? "cron" : "interval");
	if (!a->cron && !a->interval) {
		if (a->timezone)
			return error_set(err, ERROR_USAGE, "--timezone needs --cron or --interval");
		return 0;
	}
	sched_release(&s);
	/* a whole-second anchor, so the engine's next runs match the server's to the second */
	if (a->cron)
		prefect_schedule_cron(&p->schedule, a->cron, zone);
	else
		prefect_schedule_interval(&p->schedule, a->interval, now, zone);
	p->have_schedule = 1;
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

/*
 * A static schema with inexact parameters is replaced by Prefect's own when
 * the configured Python can load the flow; else it stays, with a warning.
 */
static void
settle_schema(struct cmd_ctx *ctx, struct deploy_plan *p)
{
	const struct strlist *inexact = &p->code.inexact;
	struct error err = ERROR_INIT;
	json_t *schema = NULL;
	if (!inexact->len)
		return;
	char *python = local_python(ctx);
	char *path = xasprintf("%s/%s", p->code.directory, p->code.file);
	if (pyflow_prefect_schema(path, p->code.function, python, PYTHON_TIMEOUT_S, &schema,
				  &err) == 0) {
		json_decref(p->code.schema);
		p->code.schema = schema;
	} else {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < inexact->len; i++)
			buf_addf(&names, "%s'%s'", i ? ", " : "", inexact->items[i]);
		cmd_warn(ctx,
			 "the parameter schema of %s may differ from Prefect's for %s (not resolved "
			 "statically, and %s)",
			 p->code.function, buf_str(&names), err.message);
		buf_release(&names);
	}
	free(python);
	free(path);
}

/* Everything local, before any request. */
static int
check_locally(const struct deploy_args *a, const char *api_url, struct deploy_plan *p,
	      struct error *err)
{
	if (!prefect_name_is_valid(a->name))
		return error_set(err, ERROR_USAGE,
				 "option '--name': '%s' is not a valid deployment "
				 "name (it must not be empty or contain / %% & > <)",
				 a->name);
	if ((a->pool && pool_name_check(a->pool, "work-pool", err) < 0) ||
	    (a->queue && !prefect_name_is_valid(a->queue) &&
	     error_set(err, ERROR_USAGE,
		       "option '--work-queue': '%s' is not a valid work queue name (it "
		       "must not be empty or contain / %% & > <)",
		       a->queue) < 0) ||
	    param_args_check(&a->params, err) < 0 || check_schedule(a, p, err) < 0)
		return -1;
	int found = flow_code_find(a->flow, a->entrypoint, api_url, &p->code, err);
	if (found < 0)
		return -1;
	p->have_code = found;
	if (!found && a->path)
		return code_unknown(a, err);
	/* required parameters may be left to each run, as Prefect allows; without code
	 * here, or with a schema that is not exact, the check comes with the deployment */
	if (!found || p->code.inexact.len)
		return 0;
	return param_args_build_values(&a->params, p->code.schema, &p->params, err);
}

/*
 * What the user asked for. An update sends the pool and the code's location
 * only when the user named them (--work-pool, --entrypoint, --path), so that
 * a re-deploy keeps them.
 */
static void
fill_spec(struct prefect_deployment_spec *spec, const struct deploy_args *a, struct deploy_plan *p,
	  const char *pool, long default_limit)
{
	int update = p->existing != NULL;
	if (a->tags)
		strlist_split(&p->tags, a->tags, ',');
	*spec = (struct prefect_deployment_spec){
		.flow_id = json_str(p->flow, "id"),
		.name = a->name,
		.work_pool = !update || a->pool ? pool : NULL,
		.work_queue = a->queue,
		.parameters = p->params,
		.description = a->description,
		.version = a->version,
		.tags = a->tags ? &p->tags : NULL,
		.paused = a->paused,
		.concurrency_limit = a->concurrency ? a->concurrency :
				     update         ? 0 :
						      default_limit,
		.schedule = p->have_schedule ? &p->schedule : NULL,
	};
	if (p->have_code && (!update || a->entrypoint || a->path)) {
		p->entrypoint = xasprintf("%s:%s", p->code.file, p->code.function);
		spec->entrypoint = p->entrypoint;
		spec->directory = a->path ? a->path : p->code.directory;
		spec->parameter_schema = p->code.schema;
	}
}

/*
 * The parameters, when the code here could not check them: against the
 * schema that will be written (Prefect's, settled now) when the code is
 * sent, else against the deployment's own. Only reads were made so far.
 */
static int
check_with_deployment(struct cmd_ctx *ctx, const struct deploy_args *a, struct deploy_plan *p,
		      struct error *err)
{
	int sends_code = p->have_code && (!p->existing || a->entrypoint || a->path);
	if (p->have_code && !p->code.inexact.len)
		return 0; /* checked in check_locally */
	if (sends_code)
		settle_schema(ctx, p);
	return param_args_build_values(&a->params,
				       sends_code ? p->code.schema :
						    prefect_deployment_schema(p->existing),
				       &p->params, err);
}

static int
find_flow(struct api *api, const struct deploy_args *a, struct deploy_plan *p, struct error *err)
{
	if (prefect_flow_find(api, a->flow, &p->flow, err) == 0)
		return prefect_deployment_lookup(api, json_str(p->flow, "name"), a->name,
						 &p->existing, err);
	if (err->kind != ERROR_NOT_FOUND || !prefect_name_is_valid(a->flow))
		return -1;
	error_clear(err);
	return 0;
}

static int
deploy(struct cmd_ctx *ctx, struct api *api, const struct deploy_args *a, struct deploy_plan *p,
       struct error *err)
{
	struct strlist no_tags = STRLIST_INIT;
	struct prefect_deployment_spec spec;
	int created = 0;
	if (find_flow(api, a, p, err) < 0)
		return -1;
	if (!p->have_code && !p->existing)
		return code_unknown(a, err);
	if (check_with_deployment(ctx, a, p, err) < 0)
		return -1;
	/* the pool: the one named, else the deployment's own, else the default */
	const char *pool = a->pool ? a->pool :
			   p->existing && prefect_deployment_pool(p->existing) ?
				     prefect_deployment_pool(p->existing) :
				     config_get(&ctx->config, CFG_DEFAULT_WORK_POOL);
	if (pool_prompt_ensure(ctx, api, pool, a->create_pool, err) < 0)
		return -1;
	if (!p->flow &&
	    prefect_flow_create(api, a->flow, &no_tags, NULL, &p->flow, &created, err) < 0)
		return -1;
	fill_spec(&spec, a, p, pool, config_get_long(&ctx->config, CFG_MAX_CONCURRENT_DEPLOYMENTS));
	return prefect_deployment_upsert(api, &spec, p->existing, &p->result, err);
}

static int
deploy_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct deploy_args a = { .params = PARAM_ARGS_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NAME_REQ('n', "name", &a.name, "NAME", "Deployment name"),
		OPT_STR('w', "work-pool", &a.pool, "POOL", "Work pool (default: default_work_pool)"),
		OPT_STR('q', "work-queue", &a.queue, "QUEUE",
			"Work queue in the pool (default: kept, else the pool's default)"),
		OPT_STR('c', "cron", &a.cron, "CRON", "Add a cron schedule, e.g. \"0 2 * * *\""),
		OPT_NUM(0, "interval", &a.interval, "SECONDS", "Add an interval schedule", 1,
			100L * 365 * 86400),
		OPT_STR(0, "timezone", &a.timezone, "TZ", "Time zone of the schedule (default UTC)"),
		PARAM_OPTIONS(&a.params, "Default parameter", "Default parameters as one JSON object"),
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
		OPT_POS_NAME("FLOW", &a.flow, "Flow name (created on the server if missing)"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct deploy_plan p = { .tags = STRLIST_INIT };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		goto out;
	if (check_locally(&a, ctx->api_url, &p, &err) < 0 ||
	    deploy(ctx, ctx->api, &a, &p, &err) < 0) {
		if (err.kind != ERROR_USAGE)
			error_prefix(&err, "cannot deploy '%s/%s'", a.flow, a.name);
		rc = cmd_fail(ctx, &err);
	} else {
		rc = deployment_view_show(ctx, p.result,
					  p.existing ? "✓ Deployment Updated" : "✓ Flow Deployed");
	}
out:
	flow_code_release(&p.code);
	free(p.entrypoint);
	json_decref(p.params);
	strlist_release(&p.tags);
	json_decref(p.flow);
	json_decref(p.existing);
	json_decref(p.result);
	param_args_release(&a.params);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_deploy = {
	.path = "prefect deploy",
	.summary = "Create or update a deployment of a flow",
	.help = "Deploy FLOW so that a process worker of the work pool can run it. The code\n"
		"is --entrypoint FILE.py:FUNC or the local flow registry's entry (filled by\n"
		"'flow validate'); it is parsed first and must define that flow function. Runs\n"
		"start in the file's directory (--path to change it). The parameter schema\n"
		"written is Prefect's (asked of the configured Python when it cannot be\n"
		"computed statically); required parameters may be left to each run, and the\n"
		"values given are checked against it. Re-deploying a name\n"
		"updates it: schedules and parameters not mentioned are kept, a new --cron or\n"
		"--interval is added beside the existing schedules. A missing work pool is\n"
		"created with --create-pool, or after asking on a terminal.",
	.flags = CMD_API,
	.exec = deploy_exec,
};
