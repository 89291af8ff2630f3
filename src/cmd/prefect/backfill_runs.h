/*
 * The runs of a backfill plan as the server has them, kept small (about a
 * hundred bytes a run, so a 10,000-run plan needs about a megabyte): read
 * back by their idempotency keys 100 at a time, and the missing ones
 * created 25 at a time, a few requests at once (api/jobs.h). Creating
 * twice is harmless: the keys make the server return the run it has.
 */
#ifndef CMD_PREFECT_BACKFILL_RUNS_H
#define CMD_PREFECT_BACKFILL_RUNS_H

#include <jansson.h>
#include <stdatomic.h>

#include "api/jobs.h"
#include "plan/backfill.h"

/* Runs per bulk create request: small enough for a progress bar that moves. */
#define BACKFILL_RUNS_PER_REQUEST 25
/*
 * Requests at once. Reads go 4 at a time; creates 2, which measured fastest
 * against Prefect on SQLite, whose own services write too (bench/README.md).
 */
#define BACKFILL_READS_IN_FLIGHT 4
#define BACKFILL_CREATES_IN_FLIGHT 2

struct backfill_seen {
	char id[40]; /* "" while the server has no such run */
	char state_type[16];
	char state_name[32];
	unsigned char existed;  /* it was there before this backfill created any */
	unsigned char reported; /* --wait has said it finished */
};

/* The parameters of planned run i (a new object); called from worker threads. */
typedef json_t *(*backfill_params_fn)(size_t i, void *userdata);

struct backfill_runs {
	const char *deployment_id;
	const struct backfill_plan *plan;
	const struct backfill_source *sources;
	backfill_params_fn params;
	void *userdata;
	struct backfill_seen *seen; /* one per planned run */
	size_t existed;             /* runs there before any was created */
	size_t present;             /* runs there at the last read */
	size_t *missing;            /* the runs to create */
	size_t nmissing;
	atomic_size_t made; /* runs of the create requests answered so far */
	atomic_int bulk;    /* the server has the bulk create route */
};

void backfill_runs_init(struct backfill_runs *r, const char *deployment_id,
			const struct backfill_plan *plan, const struct backfill_source *sources,
			backfill_params_fn params, void *userdata);
void backfill_runs_release(struct backfill_runs *r);

/* Planned run i as Prefect names it: name, logical time, idempotency key. */
json_t *backfill_runs_summary(const struct backfill_runs *r, size_t i);

/*
 * Read every planned run back; the first read marks those that exist as
 * having existed, and lists the missing ones.
 */
int backfill_runs_read(struct api *api, struct backfill_runs *r, int first, struct error *err);

/*
 * Create the missing runs; tick (may be NULL) is called between requests
 * (r->made says how many runs are made so far) and may stop them; *stopped
 * says it did.
 */
int backfill_runs_create(struct api *api, struct backfill_runs *r, api_tick_fn tick, void *userdata,
			 int *stopped, struct error *err);

#endif
