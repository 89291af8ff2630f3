/*
 * backfill --wait: following a backfill's runs (read back by their
 * idempotency keys) until every one has finished, with a progress bar on a
 * terminal and a line per finished run otherwise.
 */
#ifndef CMD_PREFECT_BACKFILL_WAIT_H
#define CMD_PREFECT_BACKFILL_WAIT_H

#include <jansson.h>

#include "api/client.h"
#include "cli/command.h"
#include "cmd/prefect/backfill_runs.h"

struct backfill_wait {
	double timeout; /* seconds; 0: as long as it takes */
	size_t completed, failed, crashed, cancelled, unfinished;
	int timed_out;
	int interrupted;
};

/*
 * Poll the planned runs until all are final, the timeout passes or Ctrl-C;
 * runs->seen holds what was read last. 0, or -1 with err.
 */
int backfill_wait_runs(struct cmd_ctx *ctx, struct api *api, struct backfill_runs *runs,
		       struct backfill_wait *w, struct error *err);

/* "29 completed, 2 failed" (and "3 unfinished"). */
void backfill_wait_summary(struct buf *out, const struct backfill_wait *w);
/* {"completed", "failed", "crashed", "cancelled", "unfinished", "timed_out", "interrupted"} */
json_t *backfill_wait_json(const struct backfill_wait *w);
/* 0 all completed; else 1 failed, 3 crashed, 4 cancelled, 5 timed out, 130 interrupted. */
int backfill_wait_exit_code(const struct backfill_wait *w);

#endif
