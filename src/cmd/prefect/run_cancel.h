/*
 * Cancelling one flow run by Prefect's protocol: a pending or running run
 * moves to Cancelling (its worker stops it), a run that has not started is
 * cancelled at once, and a finished run is refused in our words. Shared by
 * `flow-runs cancel RUN` and the `c` key of `flow-runs watch`.
 */
#ifndef CMD_PREFECT_RUN_CANCEL_H
#define CMD_PREFECT_RUN_CANCEL_H

#include <jansson.h>

#include "api/client.h"
#include "core/error.h"

/*
 * Cancel run (as the server returned it). *result: the orchestration
 * result (owned; may be set on failure too); *said: what happened, for
 * the user ("Cancelled (it had not started)"). ERROR_INVALID when the run
 * has ended or the server refuses.
 */
int run_cancel(struct api *api, const json_t *run, json_t **result, const char **said,
	       struct error *err);

#endif
