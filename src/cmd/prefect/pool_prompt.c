/* Making sure a work pool exists (see pool_prompt.h). */
#include "cmd/prefect/pool_prompt.h"

#include <stdio.h>

#include "api/refs.h"
#include "api/work_pools.h"

int
pool_name_check(const char *pool, const char *option, struct error *err)
{
	if (prefect_name_is_valid(pool))
		return 0;
	return error_set(err, ERROR_USAGE,
			 "option '--%s': '%s' is not a valid work pool name (it must not be "
			 "empty or contain / %% & > <)",
			 option, pool);
}

int
pool_prompt_ensure(struct cmd_ctx *ctx, struct api *api, const char *pool, int create,
		   struct error *err)
{
	json_t *obj = NULL;
	int rc = prefect_work_pool_get(api, pool, &obj, err);
	json_decref(obj);
	obj = NULL;
	if (rc == 0 || err->kind != ERROR_NOT_FOUND)
		return rc;
	char question[300];
	snprintf(question, sizeof(question),
		 "Work pool '%s' does not exist. Create it (type "
		 "process)?",
		 pool);
	int yes = create ? 1 : cmd_confirm(ctx, question);
	if (yes < 0)
		error_set(err, ERROR_USAGE,
			  "work pool '%s' does not exist, and without a terminal nobody can be "
			  "asked whether to create it",
			  pool);
	if (yes <= 0)
		return error_hint(err,
				  "create it with --create-pool, or 'mahavishnu prefect "
				  "work-pools create %s'",
				  pool);
	error_clear(err);
	rc = prefect_work_pool_create(api, pool, "process",
				      config_get_long(&ctx->config, CFG_MAX_CONCURRENT_FLOWS), &obj,
				      err);
	json_decref(obj);
	return rc;
}
