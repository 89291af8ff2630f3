/*
 * mahavishnu prefect flow execute: start a run of a flow, through its
 * deployment (a worker runs it) or, when it has none, on this machine
 * (recorded on the server); with --wait, follow it to the end and exit by
 * its final state.
 */
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/param_args.h"
#include "cmd/prefect/flow_code.h"
#include "cmd/prefect/local_prefect.h"
#include "cmd/prefect/local_run.h"
#include "cmd/prefect/run_follow.h"
#include "core/json.h"
#include "core/spawn.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "ui/fields.h"
#include "ui/panel.h"
#include "ui/state.h"
#include "ui/timefmt.h"

/* Seconds --wait waits without --timeout. */
#define DEFAULT_TIMEOUT 300

struct execute_args {
	const char *flow;
	const char *deployment;
	const char *entrypoint;
	struct param_args params;
	int wait;
	int logs;
	long timeout;
	int timeout_given; /* --timeout was on the command line */
};

struct execution {
	struct cmd_ctx *ctx;
	json_t *flow;
	json_t *deployment;    /* NULL for a local run */
	struct flow_code code; /* local runs */
	json_t *params;
	json_t *run;
	char *log; /* local runs: the runner's log */
};

/* The deployment to use: the one named, or the flow's only one, or none. */
static int
pick_deployment(struct api *api, const struct execute_args *a, struct execution *x,
		struct error *err)
{
	int found = prefect_flow_deployment(api, x->flow, a->deployment, &x->deployment, err);
	if (found < 0 && err->kind == ERROR_AMBIGUOUS)
		error_hint(err, "choose one with --deployment NAME");
	return found < 0 ? -1 : 0;
}

/* A local run needs code: --entrypoint, or the flow registry. */
static int
find_code(const struct execute_args *a, struct execution *x, const char *api_url, struct error *err)
{
	const char *name = x->flow ? json_str(x->flow, "name") : a->flow;
	int found = flow_code_find(name, a->entrypoint, api_url, &x->code, err);
	if (found < 0)
		return -1;
	if (!found) {
		error_set(err, ERROR_INVALID, "flow '%s' has no deployment and no known code", name);
		return error_hint(err,
				  "deploy it ('mahavishnu prefect deploy %s --name NAME'), or "
				  "give its code with --entrypoint FILE.py:FUNCTION (or run "
				  "'mahavishnu prefect flow validate FILE.py' once)",
				  name);
	}
	if (param_args_build(&a->params, x->code.schema, NULL, &x->params, err) < 0)
		return -1;
	/* the Python that will run it must exist before a run is created for it */
	char *python = local_python(x->ctx);
	int ok = spawn_program_exists(python);
	if (!ok) {
		error_set(err, ERROR_INVALID,
			  "cannot run flows locally: '%s' is not a program here", python);
		error_hint(err, "set 'python' in your settings (or MAHAVISHNU_PYTHON) to a Python "
				"that has Prefect installed");
	}
	free(python);
	return ok ? 0 : -1;
}

static int
start_run(struct cmd_ctx *ctx, struct api *api, const char *api_url, struct execution *x,
	  struct error *err)
{
	char key[37];
	uuid_random(key);
	if (x->deployment)
		return prefect_deployment_create_run(api, json_str(x->deployment, "id"), x->params,
						     NULL, key, &x->run, err);
	if (prefect_flow_run_create(api, json_str(x->flow, "id"), x->params, key, &x->run, err) < 0)
		return -1;
	if (local_run_start(ctx, api_url, json_str(x->run, "id"), x->code.entrypoint, x->params,
			    &x->log, err) == 0)
		return 0;
	json_t *ignored = NULL;
	struct error e2 = ERROR_INIT;
	prefect_flow_run_set_state(api, json_str(x->run, "id"), "CRASHED", 1, &ignored, &e2);
	json_decref(ignored);
	return -1;
}

static void
add_source(struct panel *p, const struct execution *x)
{
	struct buf v = BUF_INIT;
	if (x->deployment)
		buf_addf(&v, "%s (work pool %s)", json_str(x->deployment, "name"),
			 prefect_deployment_pool(x->deployment) ?
				 prefect_deployment_pool(x->deployment) :
				 "-");
	else
		buf_addf(&v, "local: %s", x->code.entrypoint);
	panel_field(p, x->deployment ? "Deployment" : "Runs", buf_str(&v), STYLE_META);
	buf_release(&v);
}

static void
show_panel(struct cmd_ctx *ctx, const struct execution *x, const json_t *run, const char *title,
	   enum style style)
{
	struct panel *p = panel_new(title, style);
	struct buf v = BUF_INIT;
	const char *type = json_str(run, "state_type");
	panel_field(p, "Flow", json_str(x->flow, "name"), STYLE_NAME);
	panel_field(p, "Run ID", json_str(run, "id"), STYLE_NAME);
	panel_field(p, "Name", json_str(run, "name"), STYLE_NAME);
	state_label(&v, type, json_str(run, "state_name"));
	panel_field(p, "Status", buf_str(&v), state_style(type));
	buf_reset(&v);
	timefmt_local_iso(&v, json_str(run, "start_time") ? json_str(run, "start_time") :
							    json_str(run, "expected_start_time"));
	panel_field(p, "Started", buf_str(&v), STYLE_META);
	add_source(p, x);
	if (run_state_is_final(type))
		panel_field(p, "Message", json_str_path(run, "state.message"), STYLE_NONE);
	fields_panel_parameters(p, json_object_size(json_object_get(run, "parameters")) ?
					   json_object_get(run, "parameters") :
					   x->params);
	cmd_print_panel(ctx, p);
	buf_release(&v);
}

static int
wait_for_run(struct cmd_ctx *ctx, struct api *api, const struct execute_args *a,
	     struct execution *x, struct error *err)
{
	struct run_follow f = RUN_FOLLOW_INIT;
	f.show_states = 1;
	f.show_logs = a->logs;
	f.logs_to_stderr = 1;
	f.timeout = (double)a->timeout;
	const char *id = json_str(x->run, "id");
	if (run_follow(ctx, api, id, &f, err) < 0) {
		run_follow_release(&f);
		return cmd_fail(ctx, err);
	}
	if (f.server_away && f.timed_out)
		cmd_warn(ctx,
			 "gave up waiting after %lds%s; run %s goes on: 'mahavishnu prefect "
			 "flow-runs get %s' shows how it ends once the server is back",
			 a->timeout, buf_str(&f.away_text), id, id);
	else if (f.server_away && f.interrupted)
		cmd_warn(ctx,
			 "stopped waiting%s; run %s goes on: 'mahavishnu prefect flow-runs get %s' "
			 "shows how it ends once the server is back",
			 buf_str(&f.away_text), id, id);
	else if (f.timed_out)
		cmd_warn(ctx,
			 "gave up waiting after %lds; the run goes on: 'mahavishnu prefect "
			 "flow-runs logs %s --follow' follows it",
			 a->timeout, id);
	else if (f.interrupted)
		cmd_warn(ctx,
			 "stopped waiting; the run goes on: 'mahavishnu prefect flow-runs logs "
			 "%s --follow' follows it",
			 id);
	/* the run as last seen: the one just created if no poll was answered */
	const json_t *run = f.run ? f.run : x->run;
	const char *type = json_str(run, "state_type");
	if (ctx->term.format == OUTPUT_JSON)
		cmd_print_json(ctx, run);
	else if (run_state_is_final(type))
		show_panel(ctx, x, run,
			   !strcmp(type, "COMPLETED") ? "✓ Flow Run Completed" :
							"✗ Flow Run Did Not Complete",
			   !strcmp(type, "COMPLETED") ? STYLE_SUCCESS : STYLE_FAILURE);
	int rc = run_follow_exit_code(&f);
	run_follow_release(&f);
	return rc;
}

/*
 * --entrypoint asks for a local run: its code is checked before any request.
 * Otherwise the flow's deployment runs it, or, when it has none, the code
 * the registry knows.
 */
/*
 * The flow on the server. One the server has never seen, but whose code is
 * known (--entrypoint, or recorded by 'flow validate'), is created there
 * now, as Prefect's own first run of a flow creates it.
 */
static int
find_flow(struct api *api, const struct execute_args *a, const char *api_url, struct execution *x,
	  struct error *err)
{
	if (prefect_flow_find(api, a->flow, &x->flow, err) == 0)
		return 0;
	if (err->kind != ERROR_NOT_FOUND || a->deployment)
		return -1;
	int known = x->code.entrypoint != NULL;
	if (!known) {
		struct flow_code code = { 0 };
		struct error probe = ERROR_INIT;
		known = flow_code_find(a->flow, NULL, api_url, &code, &probe) == 1;
		flow_code_release(&code);
	}
	if (!known)
		return -1;
	struct strlist no_tags = STRLIST_INIT;
	int created;
	error_clear(err);
	return prefect_flow_create(api, a->flow, &no_tags, NULL, &x->flow, &created, err);
}

static int
prepare(struct api *api, const struct execute_args *a, const char *api_url, struct execution *x,
	struct error *err)
{
	if (a->entrypoint && a->deployment)
		return error_set(err, ERROR_USAGE, "give --deployment or --entrypoint, not both");
	if (a->entrypoint)
		return find_code(a, x, api_url, err) < 0 || find_flow(api, a, api_url, x, err) < 0 ?
			       -1 :
			       0;
	if (find_flow(api, a, api_url, x, err) < 0 || pick_deployment(api, a, x, err) < 0)
		return -1;
	if (x->deployment)
		return param_args_build(&a->params, prefect_deployment_schema(x->deployment),
					prefect_deployment_parameters(x->deployment), &x->params,
					err);
	return find_code(a, x, api_url, err);
}

static int
show_started(struct cmd_ctx *ctx, const struct execution *x)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, x->run);
	show_panel(ctx, x, x->run, "✓ Flow Execution Started", STYLE_SUCCESS);
	return EXIT_OK;
}

/* --timeout and --logs only mean something with --wait: without it they are usage errors. */
static int
check_wait_options(const struct execute_args *a, struct error *err)
{
	if (a->wait)
		return 0;
	if (a->timeout_given || a->logs) {
		error_set(err, ERROR_USAGE, "%s goes with --wait", a->logs ? "--logs" : "--timeout");
		return error_hint(err, "add --wait to follow the run");
	}
	return 0;
}

static int
execute(struct cmd_ctx *ctx, const struct execute_args *a, struct execution *x)
{
	struct error err = ERROR_INIT;
	const char *api_url = ctx->api_url;
	int rc;
	if (check_wait_options(a, &err) < 0 || param_args_check(&a->params, &err) < 0 ||
	    prepare(ctx->api, a, api_url, x, &err) < 0 ||
	    start_run(ctx, ctx->api, api_url, x, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else if (!a->wait)
		rc = show_started(ctx, x);
	else if (ctx->term.format == OUTPUT_JSON)
		rc = wait_for_run(ctx, ctx->api, a, x, &err);
	else
		rc = show_started(ctx, x) == EXIT_OK ? wait_for_run(ctx, ctx->api, a, x, &err) :
						       EXIT_ERROR;
	return rc;
}

static int
flow_execute_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct execute_args a = { .params = PARAM_ARGS_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		PARAM_OPTIONS(&a.params, "Flow parameter", "All parameters as one JSON object"),
		OPT_STR('d', "deployment", &a.deployment, "NAME",
			"Deployment to run (default: the flow's only one)"),
		OPT_STR(0, "entrypoint", &a.entrypoint, "FILE.py:FUNC",
			"Run this code locally (default: locally only without a deployment)"),
		OPT_FLAG('w', "wait", &a.wait, "Wait for the run to end; exit by its final state"),
		OPT_NUM('T', "timeout", &a.timeout, "SECONDS",
			"With --wait, give up waiting after this long (default 300)", 1, 604800),
		OPT_FLAG(0, "logs", &a.logs, "With --wait, print the run's logs on stderr"),
		OPT_POS("FLOW", &a.flow, "Flow name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct execution x = { .ctx = ctx };
	int rc = cmd_parse(ctx, options, argc, argv);
	a.timeout_given = a.timeout != 0;
	if (!a.timeout)
		a.timeout = DEFAULT_TIMEOUT;
	if (rc == EXIT_OK)
		rc = execute(ctx, &a, &x);
	json_decref(x.flow);
	json_decref(x.deployment);
	json_decref(x.params);
	json_decref(x.run);
	flow_code_release(&x.code);
	free(x.log);
	param_args_release(&a.params);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_flow_execute = {
	.path = "prefect flow execute",
	.summary = "Run a flow, through its deployment or on this machine",
	.help = "Start a run of FLOW. With a deployment (the one --deployment names, or the\n"
		"flow's only one) a worker of its pool runs it; parameters are checked against\n"
		"the deployment's schema first. Without one, the flow's code (--entrypoint, or\n"
		"the local flow registry that 'flow validate' fills) runs on this machine in\n"
		"the configured Python, recorded on the server.\n"
		"--wait follows the run and exits by its final state: 0 Completed, 1 Failed,\n"
		"3 Crashed, 4 Cancelled, 5 when --timeout passes (the run goes on), 130 on\n"
		"Ctrl-C. A server that goes away meanwhile (restarted, stalled) is waited\n"
		"for within --timeout, with a line on stderr when it is lost and when it\n"
		"is back.",
	.flags = CMD_API,
	.exec = flow_execute_exec,
};
