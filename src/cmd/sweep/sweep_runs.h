/*
 * A sweep's runs on the server: created at most `concurrency` unfinished at
 * a time (more are created as earlier ones finish), read back by their
 * idempotency keys, followed to their end with --wait; what the user sees
 * meanwhile (on a terminal a live table per repository on stderr, else a
 * line per run created and per run finished); and the roll-up that both
 * `sweep` and `sweep status` print.
 */
#ifndef CMD_SWEEP_SWEEP_RUNS_H
#define CMD_SWEEP_SWEEP_RUNS_H

#include "cli/command.h"
#include "cmd/sweep/sweep_plan.h"

struct sweep_drive {
	long concurrency; /* unfinished runs at once */
	int wait;         /* follow every run to its end */
	double timeout;   /* with wait, seconds; 0: as long as it takes */
	/* what happened */
	size_t created; /* runs this command created */
	int timed_out;
	int interrupted;
};

/* Create the missing runs (and with wait follow them); 0, or -1 with err. */
int sweep_runs_drive(struct cmd_ctx *ctx, struct api *api, struct sweep *s, struct sweep_drive *d,
		     struct error *err);

/* How a sweep's runs stand. */
struct sweep_tally {
	size_t completed, failed, unfinished, missing;
	const char *status; /* "completed", "partial", "failed", "running", "incomplete" */
};

void sweep_runs_tally(const struct sweep *s, struct sweep_tally *t);
/*
 * The result: a table per repository (run, state, duration) and the
 * roll-up on stderr naming the repositories that did not complete, or with
 * -o json {"sweep_id", "status", "deployment", "tag", "repos": [{"name",
 * "path", "run_id", "run_name", "state", "duration", "url"}], counts}.
 */
int sweep_runs_show(struct cmd_ctx *ctx, const struct sweep *s, const char *title);

#endif
