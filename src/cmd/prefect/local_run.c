/* Local flow execution through the configured Python (see local_run.h). */
#include "cmd/prefect/local_run.h"

#include <stdlib.h>

#include "cmd/prefect/local_prefect.h"
#include "core/daemon.h"
#include "core/strlist.h"
#include "core/xalloc.h"

/*
 * The program the Python side runs: load the flow function from its file,
 * and run it as the flow run created beforehand. When the flow cannot even
 * be loaded, the run is marked Crashed with the reason, so that nobody
 * waits for it forever.
 */
static const char runner[] =
	"import json, sys, uuid\n"
	"run_id, entrypoint, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
	"from prefect.client.orchestration import get_client\n"
	"from prefect.states import Crashed\n"
	"try:\n"
	"    from prefect.flows import load_flow_from_entrypoint\n"
	"    from prefect.flow_engine import run_flow\n"
	"    flow = load_flow_from_entrypoint(entrypoint)\n"
	"    with get_client(sync_client=True) as client:\n"
	"        flow_run = client.read_flow_run(uuid.UUID(run_id))\n"
	"    state = run_flow(flow, flow_run=flow_run, parameters=params, return_type='state')\n"
	"except Exception as exc:\n"
	"    with get_client(sync_client=True) as client:\n"
	"        client.set_flow_run_state(uuid.UUID(run_id),\n"
	"            Crashed(message=f'{type(exc).__name__}: {exc}'), force=True)\n"
	"    raise\n"
	"sys.exit(0 if state.is_completed() else 1)\n";

int
local_run_start(struct cmd_ctx *ctx, const char *api_url, const char *run_id,
		const char *entrypoint, const json_t *params, char **log_out, struct error *err)
{
	char *dir = local_state_dir(), *name = xasprintf("run-%s", run_id);
	char *params_text = json_dumps(params, JSON_COMPACT);
	struct strlist env = STRLIST_INIT, args = STRLIST_INIT;
	pid_t pid;
	local_prefect_env(ctx, api_url, &env);
	strlist_add_owned(&args, local_python(ctx));
	strlist_add(&args, "-c");
	strlist_add(&args, runner);
	strlist_add(&args, run_id);
	strlist_add(&args, entrypoint);
	strlist_add(&args, params_text ? params_text : "{}");
	strlist_add_owned(&args, NULL);
	int rc = daemon_start(dir, name, args.items, env.items, entrypoint, &pid, err);
	if (rc < 0)
		error_hint(err,
			   "set 'python' in your settings to a Python that has Prefect installed");
	*log_out = rc == 0 ? xasprintf("%s/%s.log", dir, name) : NULL;
	strlist_release(&args);
	strlist_release(&env);
	free(params_text);
	free(name);
	free(dir);
	return rc;
}
