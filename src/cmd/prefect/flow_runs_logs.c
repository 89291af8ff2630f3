/* mahavishnu prefect flow-runs logs: a run's logs, optionally followed live. */
#include "api/flow_runs.h"
#include "cli/command.h"
#include "cmd/prefect/run_follow.h"
#include "cmd/prefect/run_view.h"
#include "core/json.h"

static int
print_logs(struct cmd_ctx *ctx, const json_t *logs)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, logs);
	struct buf out = BUF_INIT;
	size_t i;
	json_t *log;
	json_array_foreach(logs, i, log)
		run_view_log_line(&out, log, ctx->term.color);
	cmd_print(ctx, &out);
	buf_release(&out);
	return EXIT_OK;
}

static int
follow(struct cmd_ctx *ctx, struct api *api, const json_t *run, int level, struct error *err)
{
	struct run_follow f = RUN_FOLLOW_INIT;
	f.show_logs = 1;
	f.min_level = level;
	f.collect_logs = ctx->term.format == OUTPUT_JSON;
	int rc = run_follow(ctx, api, json_str(run, "id"), &f, err);
	if (rc == 0 && f.collect_logs)
		print_logs(ctx, f.logs);
	if (rc == 0 && f.interrupted)
		cmd_warn(ctx,
			 "stopped following%s; the run goes on: 'mahavishnu prefect flow-runs "
			 "logs %s --follow' picks up again",
			 buf_str(&f.away_text), json_str(run, "id"));
	rc = rc < 0 ? cmd_fail(ctx, err) : run_follow_exit_code(&f);
	run_follow_release(&f);
	return rc;
}

static int
flow_runs_logs_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL, *level_arg = "INFO";
	int follow_flag = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('f', "follow", &follow_flag,
			 "Keep printing new logs until the run ends (exit code by its final state)"),
		OPT_STR('l', "level", &level_arg, "LEVEL",
			"Lowest level shown: DEBUG, INFO (default), WARNING, ERROR, CRITICAL"),
		OPT_POS("RUN", &ref, "Run ID, unique ID prefix, or run name"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *run = NULL, *logs = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	int level = run_view_log_level(level_arg);
	if (level < 0) {
		error_set(&err, ERROR_USAGE, "option '--level': '%s' is not a log level", level_arg);
		return cmd_fail(ctx, &err);
	}
	if (prefect_flow_run_find(ctx->api, ref, &run, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else if (follow_flag)
		rc = follow(ctx, ctx->api, run, level, &err);
	else if (prefect_flow_run_logs(ctx->api, json_str(run, "id"), level, NULL, &logs, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = print_logs(ctx, logs);
	json_decref(logs);
	json_decref(run);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_runs_logs = {
	.path = "prefect flow-runs logs",
	.summary = "Print a flow run's logs, or follow them live",
	.help = "Print the logs of a flow run, oldest first. With --follow, keep printing new\n"
		"lines until the run reaches a final state, then exit as 'flow execute --wait'\n"
		"does: 0 Completed, 1 Failed, 3 Crashed, 4 Cancelled, 130 on Ctrl-C. A server\n"
		"that goes away meanwhile (restarted, stalled) is waited for, with a line on\n"
		"stderr when it is lost and when it is back.\n"
		"With -o json the logs are printed as one JSON array (when the run ends, with\n"
		"--follow).",
	.flags = CMD_API,
	.exec = flow_runs_logs_exec,
};
