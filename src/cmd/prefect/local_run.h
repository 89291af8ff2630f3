/*
 * Running a flow on this machine, recorded on the server: the run is created
 * on the server first (so its ID is known at once), then the configured
 * Python executes the flow function into that run in the background.
 */
#ifndef CMD_PREFECT_LOCAL_RUN_H
#define CMD_PREFECT_LOCAL_RUN_H

#include <jansson.h>
#include <sys/types.h>

#include "cli/command.h"

/*
 * Start executing entrypoint ("/abs/file.py:function") as the existing run
 * run_id with params, against api_url. Its output goes to a log under the
 * state directory (*log_out, caller frees).
 */
int local_run_start(struct cmd_ctx *ctx, const char *api_url, const char *run_id,
		    const char *entrypoint, const json_t *params, char **log_out,
		    struct error *err);

#endif
