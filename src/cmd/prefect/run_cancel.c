/* Cancelling one flow run (see run_cancel.h). */
#include "cmd/prefect/run_cancel.h"

#include <string.h>

#include "api/flow_runs.h"
#include "cmd/prefect/run_follow.h"
#include "core/json.h"

/* What the orchestration result means for the user. */
static int
outcome(const json_t *result, const json_t *run, const char **said, struct error *err)
{
	const char *status = json_str(result, "status");
	const char *type = json_str_path(result, "state.type");
	if (status && !strcmp(status, "ACCEPT")) {
		*said = "Cancelling: the worker running it will stop it";
		return 0;
	}
	if (status && !strcmp(status, "REJECT") && type && !strcmp(type, "CANCELLED")) {
		*said = "Cancelled (it had not started)";
		return 0;
	}
	const char *reason = json_str_path(result, "details.reason");
	return error_set(err, ERROR_INVALID, "cannot cancel flow run '%s' (%s): %s",
			 json_str(run, "name"),
			 json_str(run, "state_name") ? json_str(run, "state_name") : "?",
			 reason ? reason : "the server refused");
}

/* A finished run is refused here, in our words, rather than by the server in its own. */
static int
not_finished(const json_t *run, struct error *err)
{
	const char *type = json_str(run, "state_type");
	if (!type || !run_state_is_final(type))
		return 0;
	return error_set(err, ERROR_INVALID,
			 "cannot cancel flow run '%s': it has already ended (%s)",
			 json_str(run, "name"),
			 json_str(run, "state_name") ? json_str(run, "state_name") : type);
}

int
run_cancel(struct api *api, const json_t *run, json_t **result, const char **said, struct error *err)
{
	*result = NULL;
	if (not_finished(run, err) < 0 ||
	    prefect_flow_run_set_state(api, json_str(run, "id"), "CANCELLING", 0, result, err) < 0)
		return -1;
	return outcome(*result, run, said, err);
}
