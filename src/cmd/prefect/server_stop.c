/* mahavishnu prefect server stop: stop the server `server start` started. */
#include <stdlib.h>

#include "cli/command.h"
#include "cmd/prefect/local_prefect.h"
#include "core/daemon.h"

static int
report(struct cmd_ctx *ctx, int was_running)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:b}", "stopped", was_running);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct buf line = BUF_INIT;
	buf_adds(&line, was_running ? "✓ The local Prefect server has stopped.\n" :
				      "No Prefect server started by mahavishnu is running.\n");
	cmd_print(ctx, &line);
	buf_release(&line);
	return EXIT_OK;
}

static int
server_stop_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec options[] = { OPT_TABLE_END };
	struct error err = ERROR_INIT;
	int was_running = 0;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	char *dir = local_state_dir();
	if (daemon_stop(dir, LOCAL_SERVER_NAME, 10.0, &was_running, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = report(ctx, was_running);
	free(dir);
	return rc;
}

const struct cmd_entry cmd_prefect_server_stop = {
	.path = "prefect server stop",
	.summary = "Stop the local Prefect server",
	.help = "Stop the server that 'mahavishnu prefect server start' started (SIGTERM,\n"
		"then SIGKILL after 10 s). Its data stays for the next start. Stopping when\n"
		"nothing runs is not an error.",
	.exec = server_stop_exec,
};
