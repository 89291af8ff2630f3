/*
 * mahavishnu sweep status: the latest sweep (of a tag) as the server has it,
 * found by the runs' sweep tags: a row per repository and the roll-up.
 */
#include <stdlib.h>
#include <string.h>

#include "api/flow_runs.h"
#include "cli/command.h"
#include "cmd/sweep/sweep_plan.h"
#include "cmd/sweep/sweep_runs.h"
#include "core/json.h"
#include "core/xalloc.h"

/* Sweep runs looked through for the latest sweep of a tag. */
#define SCAN_RUNS 200

static int
swept_tag_is(const json_t *run, const char *tag_param, const char *tag)
{
	const char *given = json_str(json_object_get(run, "parameters"), tag_param);
	return !tag || (given && !strcmp(given, tag));
}

/* The ID of the newest sweep (of tag, when given); ERROR_NOT_FOUND when none. */
static int
latest_sweep(struct api *api, const char *tag, const char *tag_param, char **id, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *runs = NULL, *run;
	size_t i;
	strlist_add(&f.tags, SWEEP_TAG);
	int rc = prefect_flow_run_list(api, &f, SCAN_RUNS, &runs, err);
	flow_run_filter_release(&f);
	*id = NULL;
	json_array_foreach(runs, i, run) {
		const char *found = sweep_plan_tag_value(run, SWEEP_TAG);
		if (found && swept_tag_is(run, tag_param, tag)) {
			*id = xstrdup(found);
			break;
		}
	}
	json_decref(runs);
	if (rc == 0 && !*id) {
		rc = tag ? error_set(err, ERROR_NOT_FOUND, "no sweep of the tag '%s' on the server",
				     tag) :
			   error_set(err, ERROR_NOT_FOUND, "no sweep on the server");
		error_hint(err, "start one with 'mahavishnu sweep --tag TAG'");
	}
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct sweep_repo *)a)->name, ((const struct sweep_repo *)b)->name);
}

/* The sweep's runs, a repository each (named by the run's repo: tag). */
static int
read_sweep(struct cmd_ctx *ctx, struct sweep *s, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *runs = NULL, *run;
	size_t i;
	strlist_addf(&f.tags, SWEEP_TAG ":%s", s->id);
	int rc = prefect_flow_run_list(ctx->api, &f, 0, &runs, err);
	flow_run_filter_release(&f);
	if (rc == 0)
		rc = prefect_flow_run_add_names(ctx->api, runs, err);
	s->repos = xcalloc(json_array_size(runs) + 1, sizeof(*s->repos));
	const char *path_param = config_get(&ctx->config, CFG_SWEEP_PATH_PARAM);
	json_array_foreach(runs, i, run) {
		struct sweep_repo *r = &s->repos[s->len];
		if (!(r->name = sweep_plan_tag_value(run, "repo")))
			continue;
		r->path = json_str(json_object_get(run, "parameters"), path_param);
		r->run = json_incref(run);
		s->len++;
	}
	if (s->len) {
		s->deployment = json_pack("{s:s?}", "name",
					  json_str(s->repos[0].run, "deployment_name"));
		s->tag = json_str(json_object_get(s->repos[0].run, "parameters"),
				  config_get(&ctx->config, CFG_SWEEP_TAG_PARAM));
	}
	qsort(s->repos, s->len, sizeof(*s->repos), by_name);
	json_decref(runs);
	return rc;
}

static int
sweep_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *tag = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('t', "tag", &tag, "TAG", "The latest sweep of this tag"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct sweep s = { 0 };
	struct error err = ERROR_INIT;
	struct sweep_tally t;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	const char *tag_param = config_get(&ctx->config, CFG_SWEEP_TAG_PARAM);
	if (latest_sweep(ctx->api, tag, tag_param, &s.id, &err) < 0 ||
	    read_sweep(ctx, &s, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		sweep_runs_show(ctx, &s, "Latest Sweep");
		sweep_runs_tally(&s, &t);
		rc = !strcmp(t.status, "partial") || !strcmp(t.status, "failed") ? EXIT_ERROR :
										   EXIT_OK;
	}
	sweep_release(&s); /* the names and paths point into the runs it frees */
	return rc;
}

const struct cmd_entry cmd_sweep_status = {
	.path = "sweep status",
	.summary = "Show the latest sweep, a row per repository",
	.help = "Show the runs of the latest sweep (with --tag, the latest sweep of that tag),\n"
		"found on the server by their sweep tags: per repository the run, its state\n"
		"and duration, then the roll-up. Exits 1 when a finished run did not\n"
		"complete, else 0 (also while runs are still going).",
	.flags = CMD_API,
	.exec = sweep_status_exec,
};
