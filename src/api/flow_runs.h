/*
 * Prefect flow runs: list with filters, find one by ID, prefix or name,
 * create, change the state of and delete one or many, and read logs. Runs are the server's JSON objects (new references
 * the caller releases with json_decref).
 */
#ifndef API_FLOW_RUNS_H
#define API_FLOW_RUNS_H

#include <jansson.h>

#include "api/client.h"
#include "api/pages.h"
#include "core/strlist.h"

struct flow_run_filter {
	const char *flow_id;        /* NULL: any flow */
	const char *deployment_id;  /* NULL: any deployment */
	struct strlist state_types; /* "FAILED", ...; matched OR with state_names */
	struct strlist state_names; /* "Late", ...; empty lists: any state */
	const char *since;          /* ISO time: started (or expected) at or after */
	struct strlist tags;        /* runs carrying all of these; empty: any */
	const char *until;          /* ISO time: started (or expected) at or before */
};

/* clang-format off */
#define FLOW_RUN_FILTER_INIT { NULL, NULL, STRLIST_INIT, STRLIST_INIT, NULL, STRLIST_INIT, NULL }
/* clang-format on */

void flow_run_filter_release(struct flow_run_filter *f);

/* Every word --state accepts, in lower case ("completed", "late", ...). */
void flow_run_state_words(struct strlist *out);
/*
 * Resolve a --state word (case-insensitive): a state type ("failed",
 * "cancelled") adds to state_types, a known state name ("late",
 * "awaitingretry", "timedout") adds to state_names. Unknown words are
 * ERROR_INVALID naming the accepted ones.
 */
int flow_run_filter_add_state(struct flow_run_filter *f, const char *word, struct error *err);

/*
 * The runs that match the filter, newest first, up to limit (0: all), handed
 * over a page at a time as they arrive (api/pages.h), each with "flow_name"
 * and "deployment_name" added. A run that moves to a later page while the
 * list is read is handed over once.
 */
int prefect_flow_run_stream(struct api *api, const struct flow_run_filter *f, size_t limit,
			    api_page_fn on_page, void *userdata, struct error *err);
/* How many runs match the filter. */
int prefect_flow_run_count(struct api *api, const struct flow_run_filter *f, long *out,
			   struct error *err);

/* Up to limit runs (0: all), newest first, that match the filter. */
int prefect_flow_run_list(struct api *api, const struct flow_run_filter *f, size_t limit,
			  json_t **out, struct error *err);

/*
 * One run by full UUID, unique ID prefix (at least 4 hex digits) or exact
 * run name. Not found is ERROR_NOT_FOUND; ambiguity is ERROR_AMBIGUOUS
 * listing the candidates.
 */
int prefect_flow_run_find(struct api *api, const char *ref, json_t **out, struct error *err);

/*
 * Create a run of a flow that no worker will pick up (it has no deployment):
 * the record of a run that executes on this machine. It starts Pending.
 */
int prefect_flow_run_create(struct api *api, const char *flow_id, const json_t *params,
			    const char *idempotency_key, json_t **out, struct error *err);

/* The work pool the run was sent to (borrowed; NULL when none). */
const char *prefect_flow_run_pool(const json_t *run);

/* One run by full UUID. */
int prefect_flow_run_get(struct api *api, const char *id, json_t **out, struct error *err);

/*
 * Add "flow_name" (and "deployment_name" when the run has a deployment) to
 * every run in runs, looked up in one batched request each.
 */
int prefect_flow_run_add_names(struct api *api, json_t *runs, struct error *err);

/*
 * Propose a state for a run (POST /flow_runs/{id}/set_state). *out receives
 * the orchestration result {"status": "ACCEPT"|"REJECT"|"ABORT"|"WAIT",
 * "state", "details"}.
 */
int prefect_flow_run_set_state(struct api *api, const char *id, const char *state_type, int force,
			       json_t **out, struct error *err);

/* A state to propose: type ("SCHEDULED"), name ("AwaitingRetry") and message (both may be NULL). */
struct flow_run_state {
	const char *type;
	const char *name;
	const char *message;
	int force; /* skip Prefect's orchestration rules (as the UI's Retry does) */
};

/* Propose st for run id; *out as for prefect_flow_run_set_state. */
int prefect_flow_run_propose(struct api *api, const char *id, const struct flow_run_state *st,
			     json_t **out, struct error *err);

/* Most runs one bulk request of Prefect's takes (its BULK_OPERATION_LIMIT). */
#define PREFECT_FLOW_RUN_BULK_MAX 50

/*
 * Propose st for each run of ids (a JSON array of full UUIDs, at most
 * PREFECT_FLOW_RUN_BULK_MAX) in one POST /flow_runs/bulk_set_state, or one
 * request per run where the server has no bulk endpoint (before Prefect
 * 3.5). *out: an object from run id to its orchestration result (a run that
 * does not exist has none).
 */
int prefect_flow_runs_propose(struct api *api, const json_t *ids, const struct flow_run_state *st,
			      json_t **out, struct error *err);

/* Delete one run; ERROR_NOT_FOUND when there is none. */
int prefect_flow_run_delete(struct api *api, const char *id, struct error *err);
/*
 * Delete the runs of ids (as above) in one POST /flow_runs/bulk_delete, or
 * one request per run without it; *deleted: the IDs that were there and are
 * now gone (a new array).
 */
int prefect_flow_runs_delete(struct api *api, const json_t *ids, json_t **deleted,
			     struct error *err);

/* The idempotency key the run was created with (borrowed; NULL when none). */
const char *prefect_flow_run_key(const json_t *run);

/*
 * Logs of a run at min_level or above (10 DEBUG .. 50 CRITICAL), oldest
 * first, with timestamps at or after `after` (an ISO time, or NULL for all).
 * All pages are read.
 */
int prefect_flow_run_logs(struct api *api, const char *run_id, int min_level, const char *after,
			  json_t **out, struct error *err);

#endif
