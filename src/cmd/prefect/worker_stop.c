/* mahavishnu prefect worker stop: stop the worker `worker start` started. */
#include <stdlib.h>

#include "cli/command.h"
#include "cmd/prefect/local_prefect.h"
#include "cmd/prefect/pool_prompt.h"
#include "core/daemon.h"

static int
report(struct cmd_ctx *ctx, const char *pool, int was_running)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s,s:b}", "pool", pool, "stopped", was_running);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct buf line = BUF_INIT;
	if (was_running)
		buf_addf(&line, "✓ The worker for pool '%s' has stopped.\n", pool);
	else
		buf_addf(&line, "No worker started by mahavishnu is running for pool '%s'.\n", pool);
	cmd_print(ctx, &line);
	buf_release(&line);
	return EXIT_OK;
}

static int
worker_stop_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *pool = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR_REQ('p', "pool", &pool, "POOL", "Work pool whose worker to stop"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	int was_running = 0;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (pool_name_check(pool, "pool", &err) < 0)
		return cmd_fail(ctx, &err);
	char *dir = local_state_dir(), *name = local_worker_name(pool);
	if (daemon_stop(dir, name, 10.0, &was_running, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = report(ctx, pool, was_running);
	free(name);
	free(dir);
	return rc;
}

const struct cmd_entry cmd_prefect_worker_stop = {
	.path = "prefect worker stop",
	.summary = "Stop the worker started for a work pool",
	.help = "Stop the worker that 'mahavishnu prefect worker start --pool POOL' started\n"
		"(SIGTERM, then SIGKILL after 10 s). Runs it was executing are ended with it.",
	.exec = worker_stop_exec,
};
