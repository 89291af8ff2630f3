/*
 * Many requests at once, a few at a time: jobs 0..count-1 (each one or a
 * few requests, such as creating 25 runs or reading 100 runs back), run by
 * workers that each hold a clone of the client (api_clone) and so a
 * connection of their own, at most in_flight at once. The caller's thread
 * hears of each finished job (to draw a progress bar, or to stop early).
 */
#ifndef API_JOBS_H
#define API_JOBS_H

#include <stddef.h>

#include "api/client.h"

/* Run job number `job` on api (a clone in a worker thread); 0, or -1 with err. */
typedef int (*api_job_fn)(struct api *api, size_t job, void *userdata, struct error *err);
/*
 * In the caller's thread after each finished job, and about every tenth of a
 * second while jobs run: done jobs so far; nonzero stops claiming new jobs
 * (the ones running finish).
 */
typedef int (*api_tick_fn)(size_t done, void *userdata);

struct api_jobs {
	size_t count;
	unsigned in_flight; /* 0: API_PAGES_IN_FLIGHT; 1: one after another on api itself */
	api_job_fn run;
	void *userdata;   /* passed to run */
	api_tick_fn tick; /* may be NULL */
	void *tick_userdata;
};

/*
 * Run the jobs; the first failure stops claiming new ones and is returned.
 * *done (may be NULL) receives how many jobs finished successfully, and
 * *stopped whether the tick stopped them early (both may be NULL).
 */
int api_run_jobs(struct api *api, const struct api_jobs *j, size_t *done, int *stopped,
		 struct error *err);

#endif
