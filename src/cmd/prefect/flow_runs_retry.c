/*
 * mahavishnu prefect flow-runs retry: a run again. By default a new run of
 * its deployment with exactly its parameters (--param overrides one,
 * checked against the deployment's schema), tagged retry-of:<first run's ID>
 * and created with the idempotency key mahavishnu-retry:<first run's ID>:<n>
 * for its n-th retry. A run whose latest retry has these parameters and has
 * not ended badly (Failed, Crashed, Cancelled) is already retried: that
 * retry is shown and nothing is created, so a retry run again after an
 * interruption or a lost answer makes no second run; once a retry failed,
 * the next makes attempt n + 1. A retry of a retry retries the first run.
 * --in-place does what Prefect's UI does: the run itself goes back to
 * Scheduled (AwaitingRetry), forced past the orchestration rules, for runs
 * that ended Failed, Crashed or Cancelled (--force: Completed too). How one
 * run is retried is cmd/prefect/run_retry.c; this file shows it, and picks
 * the runs of a bulk retry.
 */
#include <stdlib.h>
#include <string.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "cli/param_args.h"
#include "cmd/prefect/run_bulk.h"
#include "cmd/prefect/run_follow.h"
#include "cmd/prefect/run_retry.h"
#include "core/json.h"
#include "ui/fields.h"
#include "ui/panel.h"
#include "ui/state.h"

#define DEFAULT_TIMEOUT 300

struct retry_args {
	const char *ref;
	struct param_args params;
	int in_place;
	int force;
	int wait;
	long timeout;
	struct run_bulk_args bulk;
	json_t *origins; /* bulk: the first runs already taken, so each is retried once */
};

/* ---- one run ---- */

static void
show_panel(struct cmd_ctx *ctx, const struct retry_args *a, const json_t *source,
	   const struct run_retried *r, const char *title, enum style style)
{
	struct panel *p = panel_new(title, style);
	struct buf v = BUF_INIT;
	const json_t *run = r->run;
	const char *type = json_str(run, "state_type");
	panel_field(p, "Run ID", json_str(run, "id"), STYLE_NAME);
	panel_field(p, "Name", json_str(run, "name"), STYLE_NAME);
	if (!a->in_place) {
		buf_addf(&v, "%s (%s)", r->origin, json_str(source, "name"));
		panel_field(p, "Retry Of", buf_str(&v), STYLE_NAME);
		buf_reset(&v);
		buf_addf(&v, "%ld", r->attempt);
		panel_field(p, "Retry", buf_str(&v), STYLE_META);
		buf_reset(&v);
	}
	state_label(&v, type, json_str(run, "state_name"));
	panel_field(p, "Status", buf_str(&v), state_style(type));
	if (run_state_is_final(type))
		panel_field(p, "Message", json_str_path(run, "state.message"), STYLE_NONE);
	fields_panel_parameters(p, json_object_get(run, "parameters"));
	cmd_print_panel(ctx, p);
	buf_release(&v);
}

static json_t *
result_json(const struct retry_args *a, const struct run_retried *r)
{
	json_t *doc = json_deep_copy(r->run);
	if (!a->in_place) {
		json_object_set_new(doc, "retry_of", json_string(r->origin));
		json_object_set_new(doc, "retry", json_integer(r->attempt));
	}
	json_object_set_new(doc, "created", json_boolean(r->created));
	return doc;
}

static void
show_started(struct cmd_ctx *ctx, const struct retry_args *a, const json_t *source,
	     const struct run_retried *r)
{
	const char *title = a->in_place ? (r->created ? "✓ Flow Run Scheduled for Retry" :
							"✓ Flow Run Already Awaiting Retry") :
					  (r->created ? "✓ Flow Run Retried" :
							"✓ Flow Run Already Retried");
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = result_json(a, r);
		cmd_print_json(ctx, doc);
		json_decref(doc);
	} else {
		show_panel(ctx, a, source, r, title, STYLE_SUCCESS);
	}
}

static void
warn_stopped(struct cmd_ctx *ctx, const struct retry_args *a, const struct run_follow *f,
	     const char *id)
{
	if (f->timed_out)
		cmd_warn(ctx,
			 "gave up waiting after %lds%s; the run goes on: 'mahavishnu prefect "
			 "flow-runs logs %s --follow' follows it",
			 a->timeout, buf_str(&f->away_text), id);
	else if (f->interrupted)
		cmd_warn(ctx,
			 "stopped waiting%s; the run goes on: 'mahavishnu prefect flow-runs logs %s "
			 "--follow' follows it",
			 buf_str(&f->away_text), id);
}

static int
wait_for(struct cmd_ctx *ctx, const struct retry_args *a, const json_t *source,
	 struct run_retried *r)
{
	struct run_follow f = RUN_FOLLOW_INIT;
	struct error err = ERROR_INIT;
	char id[37];
	snprintf(id, sizeof(id), "%s", json_str(r->run, "id"));
	f.show_states = 1;
	f.timeout = (double)a->timeout;
	if (run_follow(ctx, ctx->api, id, &f, &err) < 0) {
		run_follow_release(&f);
		return cmd_fail(ctx, &err);
	}
	warn_stopped(ctx, a, &f, id);
	if (f.run) {
		json_decref(r->run);
		r->run = json_incref(f.run);
	}
	const char *type = json_str(r->run, "state_type");
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = result_json(a, r);
		cmd_print_json(ctx, doc);
		json_decref(doc);
	} else if (run_state_is_final(type)) {
		int ok = !strcmp(type, "COMPLETED");
		show_panel(ctx, a, source, r,
			   ok ? "✓ Flow Run Completed" : "✗ Flow Run Did Not Complete",
			   ok ? STYLE_SUCCESS : STYLE_FAILURE);
	}
	int rc = run_follow_exit_code(&f);
	run_follow_release(&f);
	return rc;
}

static int
retry_one(struct cmd_ctx *ctx, const struct retry_args *a)
{
	struct error err = ERROR_INIT;
	struct run_retried r = { 0 };
	json_t *source = NULL;
	int rc = prefect_flow_run_find(ctx->api, a->ref, &source, &err);
	if (rc == 0)
		rc = a->in_place ? run_retry_in_place(ctx->api, source, a->force, &r, &err) :
				   run_retry_new(ctx->api, source, &a->params, &r, &err);
	if (rc < 0)
		rc = cmd_fail(ctx, &err);
	else if (a->wait && ctx->term.format == OUTPUT_JSON)
		rc = wait_for(ctx, a, source, &r);
	else {
		show_started(ctx, a, source, &r);
		rc = a->wait ? wait_for(ctx, a, source, &r) : EXIT_OK;
	}
	json_decref(r.run);
	json_decref(source);
	return rc;
}

/* ---- many runs ---- */

static int
check_new(const json_t *run, struct run_bulk_result *r, void *data)
{
	struct retry_args *a = data;
	char origin[37];
	if (!json_str(run, "deployment_id"))
		return run_bulk_fail(r, "it has no deployment");
	run_retry_origin(run, origin);
	if (json_object_get(a->origins, origin)) {
		r->outcome = "retried with another run of the list";
		return 0;
	}
	json_object_set_new(a->origins, origin, json_true());
	return 1;
}

static int
act_new(struct api *api, json_t *const *runs, size_t n, struct run_bulk_result *results, void *data,
	struct error *err)
{
	const struct retry_args *a = data;
	for (size_t i = 0; i < n; i++) {
		struct run_retried r = { 0 };
		struct error e = ERROR_INIT;
		if (run_retry_new(api, runs[i], &a->params, &r, &e) == 0) {
			results[i].outcome = r.created ? "retried" : "already retried";
			results[i].made = r.run;
		} else if (error_is_network(&e)) {
			*err = e;
			return -1;
		} else {
			run_bulk_fail(&results[i], "%s", e.message);
		}
	}
	return 0;
}

static int
check_in_place(const json_t *run, struct run_bulk_result *r, void *data)
{
	const struct retry_args *a = data;
	int done;
	const char *why = run_retry_refusal(run, a->force, &done);
	if (!why)
		return 1;
	if (done)
		r->outcome = "already awaiting retry";
	else
		run_bulk_fail(r, "%s", why);
	return 0;
}

static int
act_in_place(struct api *api, json_t *const *runs, size_t n, struct run_bulk_result *results,
	     void *unused, struct error *err)
{
	json_t *ids = json_array(), *answers = NULL;
	(void)unused;
	for (size_t i = 0; i < n; i++)
		json_array_append(ids, json_object_get(runs[i], "id"));
	int rc = prefect_flow_runs_propose(api, ids, &run_retry_awaiting, &answers, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const json_t *result = json_object_get(answers, json_str(runs[i], "id"));
		const char *status = json_str(result, "status");
		const char *reason = json_str_path(result, "details.reason");
		if (status && !strcmp(status, "ACCEPT"))
			results[i].outcome = "scheduled for retry";
		else
			run_bulk_fail(&results[i], "%s",
				      !result ? "the run is no longer there" :
				      reason  ? reason :
						"the server refused");
	}
	json_decref(answers);
	json_decref(ids);
	return rc;
}

static int
retry_many(struct cmd_ctx *ctx, struct retry_args *a)
{
	struct run_bulk_action action = {
		.verb = "retry",
		.doing = "retrying",
		.done = "retried",
		.batch = a->in_place ? PREFECT_FLOW_RUN_BULK_MAX : 1,
		.check = a->in_place ? check_in_place : check_new,
		.act = a->in_place ? act_in_place : act_new,
		.data = a,
	};
	struct error err = ERROR_INIT;
	if (a->wait) {
		error_set(&err, ERROR_USAGE, "--wait goes with one RUN");
		error_hint(&err, "retry the runs, then follow one with 'mahavishnu prefect "
				 "flow-runs logs RUN --follow'");
		return cmd_fail(ctx, &err);
	}
	a->origins = json_object();
	int rc = run_bulk(ctx, &a->bulk, a->ref, &action);
	json_decref(a->origins);
	return rc;
}

/* Options that only mean something together, refused before any request. */
static int
check_options(const struct retry_args *a, int timeout_given, struct error *err)
{
	if (timeout_given && !a->wait)
		return error_set(err, ERROR_USAGE, "--timeout goes with --wait");
	if (a->force && !a->in_place)
		return error_set(err, ERROR_USAGE, "--force goes with --in-place");
	if (a->in_place && (a->params.pairs.len || a->params.json)) {
		error_set(err, ERROR_USAGE, "--param and --params do not go with --in-place");
		return error_hint(err, "a run retried in place keeps its parameters; without "
				       "--in-place a new run takes them");
	}
	return param_args_check(&a->params, err);
}

static int
retry(struct cmd_ctx *ctx, struct retry_args *a, int timeout_given)
{
	struct error err = ERROR_INIT;
	if (check_options(a, timeout_given, &err) < 0)
		return cmd_fail(ctx, &err);
	if (!a->timeout)
		a->timeout = DEFAULT_TIMEOUT;
	return run_bulk_wanted(&a->bulk, a->ref) || !a->ref ? retry_many(ctx, a) :
							      retry_one(ctx, a);
}

static int
flow_runs_retry_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct retry_args a = { .params = PARAM_ARGS_INIT, .bulk = RUN_BULK_ARGS_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		PARAM_OPTIONS(&a.params, "Override a parameter of the run",
			      "Override parameters with one JSON object"),
		OPT_FLAG(0, "in-place", &a.in_place,
			 "Reschedule the run itself (AwaitingRetry), as Prefect's UI does"),
		OPT_FLAG(0, "force", &a.force, "With --in-place, retry a Completed run too"),
		OPT_FLAG('w', "wait", &a.wait, "Wait for the retry to end; exit by its final state"),
		OPT_NUM('T', "timeout", &a.timeout, "SECONDS",
			"With --wait, give up waiting after this long (default 300)", 1, 604800),
		RUN_BULK_OPTIONS(&a.bulk),
		OPT_POS_OPTIONAL("RUN", &a.ref, "Run ID, unique ID prefix, or run name; '-': IDs on stdin"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK)
		rc = retry(ctx, &a, a.timeout != 0);
	param_args_release(&a.params);
	run_bulk_args_release(&a.bulk);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_flow_runs_retry = {
	.path = "prefect flow-runs retry",
	.summary = "Run a flow run again, or many by filter",
	.help = "Run a flow run again: a new run of its deployment with exactly its parameters\n"
		"(--param overrides one, checked against the deployment's schema), tagged\n"
		"retry-of:<ID of the first run> and made with the idempotency key\n"
		"mahavishnu-retry:<ID>:<n> for the n-th retry. A run whose latest retry has the\n"
		"same parameters and did not end Failed, Crashed or Cancelled is already\n"
		"retried: that retry is shown and no run is made, so running the command again\n"
		"after an interruption never makes a second run. A retry of a retry retries\n"
		"the first run. --in-place reschedules the run itself, as Prefect's UI does\n"
		"(AwaitingRetry), for a run that ended Failed, Crashed or Cancelled (--force:\n"
		"Completed too). --wait follows the retry: 0 Completed, 1 Failed, 3 Crashed,\n"
		"4 Cancelled, 5 when --timeout passes. Filters (--flow, --deployment, --state,\n"
		"--tag, --since, --until, --older-than) or '-' (run IDs on standard input)\n"
		"retry many runs: --dry-run lists them, a terminal asks first (--yes does not\n"
		"ask, and is needed off a terminal), and a summary counts what was done and\n"
		"lists what failed (exit 1).",
	.flags = CMD_API,
	.exec = flow_runs_retry_exec,
};
