/*
 * mahavishnu sweep: one run of a Prefect deployment per repository of the
 * registry that carries a tag, created so that an interrupted sweep can be
 * run again to exactly one run per repository, and with --wait an honest
 * roll-up (exit 0 only when every run completed).
 */
#include <string.h>

#include "api/deployments.h"
#include "cli/command.h"
#include "cli/param_args.h"
#include "cmd/repos/repo_view.h"
#include "cmd/sweep/sweep_plan.h"
#include "cmd/sweep/sweep_runs.h"
#include "core/json.h"
#include "ui/table.h"

static const char *const adapters[] = { "prefect" };

struct sweep_args {
	const char *tag;
	const char *adapter;
	const char *deployment;
	struct param_args params;
	long concurrency;
	int wait;
	long timeout;
	int dry_run;
};

/* Everything checked that can be without a request: adapter, options, registry. */
static int
check_offline(struct cmd_ctx *ctx, const struct sweep_args *a, struct repo_registry *r,
	      struct sweep *s, struct error *err)
{
	if (strcmp(a->adapter, adapters[0])) {
		error_set(err, ERROR_USAGE, "adapter '%s' is not supported", a->adapter);
		return error_hint(err, "the adapters are: %s", adapters[0]);
	}
	if (param_args_check(&a->params, err) < 0)
		return -1;
	if (!a->deployment && !config_get(&ctx->config, CFG_SWEEP_DEPLOYMENT)) {
		error_set(err, ERROR_USAGE, "no deployment to run for each repository");
		return error_hint(err, "give --deployment NAME, or set 'sweep.deployment' in "
				       "your settings");
	}
	if (a->timeout && !a->wait)
		return error_set(err, ERROR_USAGE, "--timeout needs --wait");
	return repo_view_load(ctx, r, err) < 0 || sweep_plan_repos(s, r, a->tag, err) < 0 ? -1 : 0;
}

static int
prepare(struct cmd_ctx *ctx, const struct sweep_args *a, struct sweep *s, struct error *err)
{
	const char *ref = a->deployment ? a->deployment :
					  config_get(&ctx->config, CFG_SWEEP_DEPLOYMENT);
	const struct sweep_param_names names = {
		config_get(&ctx->config, CFG_SWEEP_NAME_PARAM),
		config_get(&ctx->config, CFG_SWEEP_PATH_PARAM),
		config_get(&ctx->config, CFG_SWEEP_TAG_PARAM),
	};
	if (prefect_deployment_find(ctx->api, ref, &s->deployment, err) < 0 ||
	    sweep_plan_params(s, &a->params, &names, err) < 0)
		return -1;
	return a->dry_run ? 0 : sweep_plan_identity(ctx->api, s, err);
}

static int
show_dry_run(struct cmd_ctx *ctx, const struct sweep *s)
{
	if (ctx->term.format != OUTPUT_TABLE) {
		json_t *repos = json_array();
		for (size_t i = 0; i < s->len; i++)
			json_array_append_new(repos,
					      json_pack("{s:s,s:s,s:O}", "name", s->repos[i].name,
							"path", s->repos[i].path, "parameters",
							s->repos[i].params));
		json_t *doc = json_pack("{s:s,s:s,s:s,s:o}", "status", "dry-run", "deployment",
					json_str(s->deployment, "name"), "tag", s->tag, "repos",
					repos);
		int rc = cmd_print_json(ctx, doc);
		json_decref(doc);
		return rc;
	}
	struct table *t = table_new("Sweep Plan (dry run, nothing created)");
	table_add_column(t, "Repository", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Path", ALIGN_LEFT, 0);
	table_add_column(t, "Deployment", ALIGN_LEFT, COLUMN_WHOLE);
	for (size_t i = 0; i < s->len; i++) {
		table_add_row(t);
		table_cell(t, s->repos[i].name, STYLE_NAME);
		table_cell(t, s->repos[i].path, STYLE_NONE);
		table_cell(t, json_str(s->deployment, "name"), STYLE_META);
	}
	return cmd_print_table(ctx, t);
}

static int
exit_code(const struct sweep_args *a, const struct sweep_drive *d, const struct sweep *s)
{
	struct sweep_tally t;
	sweep_runs_tally(s, &t);
	if (d->interrupted)
		return EXIT_INTERRUPTED;
	if (d->timed_out)
		return EXIT_GAVE_UP;
	if (!a->wait)
		return EXIT_OK;
	return !strcmp(t.status, "completed") ? EXIT_OK : EXIT_ERROR;
}

static int
sweep(struct cmd_ctx *ctx, const struct sweep_args *a, struct sweep *s)
{
	struct repo_registry r = REPO_REGISTRY_INIT;
	struct error err = ERROR_INIT;
	struct sweep_drive d = { .concurrency = a->concurrency,
				 .wait = a->wait,
				 .timeout = (double)a->timeout };
	int rc;
	if (check_offline(ctx, a, &r, s, &err) < 0 || prepare(ctx, a, s, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else if (a->dry_run) {
		rc = show_dry_run(ctx, s);
	} else {
		if (s->existed)
			cmd_warn(ctx, "resuming sweep %s: %zu of %zu runs exist", s->id, s->existed,
				 s->len);
		if (sweep_runs_drive(ctx, ctx->api, s, &d, &err) < 0) {
			rc = cmd_fail(ctx, &err);
		} else {
			sweep_runs_show(ctx, s, a->wait ? "Sweep" : "Sweep Runs Created");
			rc = exit_code(a, &d, s);
		}
	}
	/* the sweep points into the registry's names and paths */
	sweep_release(s);
	repo_registry_release(&r);
	return rc;
}

static int
sweep_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sweep_args a = { .params = PARAM_ARGS_INIT, .adapter = adapters[0] };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR_REQ('t', "tag", &a.tag, "TAG", "Sweep the repositories with this tag"),
		OPT_STR('a', "adapter", &a.adapter, "ADAPTER", "What runs the sweep (default prefect)"),
		OPT_STR('d', "deployment", &a.deployment, "NAME",
			"Deployment to run per repository (default: sweep.deployment)"),
		PARAM_OPTIONS(&a.params, "Parameter for every run",
			      "Parameters for every run as one JSON object"),
		OPT_NUM('c', "concurrency", &a.concurrency, "N",
			"Most runs unfinished at once (default max_concurrent_flows)", 1, 10000),
		OPT_FLAG('w', "wait", &a.wait, "Follow the runs to their end; exit 0 only if all completed"),
		OPT_NUM('T', "timeout", &a.timeout, "SECONDS",
			"With --wait, give up waiting after this long (default: no limit)", 1, 604800),
		OPT_FLAG('n', "dry-run", &a.dry_run, "Show the repositories and runs; create nothing"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct sweep s = { 0 };
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		if (!a.concurrency)
			a.concurrency = config_get_long(&ctx->config, CFG_MAX_CONCURRENT_FLOWS);
		rc = sweep(ctx, &a, &s);
	}
	param_args_release(&a.params);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_sweep = {
	.path = "sweep",
	.summary = "Run a deployment once per repository with a tag",
	.help = "Start one run of a Prefect deployment (--deployment, or 'sweep.deployment')\n"
		"per repository of the registry (see 'mahavishnu repos list') that carries\n"
		"TAG. Each run gets the repository's name, path and the tag as parameters\n"
		"(named by 'sweep.name_param', 'sweep.path_param' and 'sweep.tag_param':\n"
		"repo, path and tag), checked against the deployment's schema before any run\n"
		"is created, and is tagged sweep and repo:NAME. At most --concurrency runs are\n"
		"unfinished at once; the rest are created as those end.\n"
		"An interrupted sweep (Ctrl-C, a dead server) is resumed by running the same\n"
		"command again: only the missing runs are created.\n"
		"--wait follows every run and ends with a roll-up: exit 0 when all completed,\n"
		"1 when any did not ('partial' names them), 5 when --timeout passes, 130 on\n"
		"Ctrl-C. No repository with the tag is an error, and nothing is created.\n"
		"'mahavishnu sweep status' shows the latest sweep.",
	.flags = CMD_API,
	.exec = sweep_exec,
};
