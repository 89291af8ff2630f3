/*
 * Retrying one flow run, as `flow-runs retry` does it for one run and for
 * many: a new run of its deployment with exactly its parameters, tagged
 * retry-of:<first run's ID> and created with the idempotency key
 * mahavishnu-retry:<first run's ID>:<n> (a latest retry with these
 * parameters that has not ended badly is the retry already made), or the run
 * itself back to Scheduled (AwaitingRetry), as Prefect's UI does.
 */
#ifndef CMD_PREFECT_RUN_RETRY_H
#define CMD_PREFECT_RUN_RETRY_H

#include <jansson.h>

#include "api/client.h"
#include "api/flow_runs.h"
#include "cli/param_args.h"

/* What a retry came to. */
struct run_retried {
	json_t *run; /* the retry (a new run, or the one found); for --in-place the run itself */
	char origin[37];
	long attempt;
	int created;
};

/* The state an in-place retry proposes (forced past the orchestration rules). */
extern const struct flow_run_state run_retry_awaiting;

/* The run a run retries: the ID in its retry-of tag, else its own. */
void run_retry_origin(const json_t *run, char out[37]);
/* A new run of run's deployment, or the retry already made (see the top). */
int run_retry_new(struct api *api, const json_t *run, const struct param_args *pa,
		  struct run_retried *out, struct error *err);
/*
 * Why run cannot be retried in place (NULL: it can): no deployment, not
 * ended, Completed without force; one already awaiting a retry sets *done.
 */
const char *run_retry_refusal(const json_t *run, int force, int *done);
/* The run back to Scheduled (AwaitingRetry); out->run is the run as it is then. */
int run_retry_in_place(struct api *api, const json_t *run, int force, struct run_retried *out,
		       struct error *err);

#endif
