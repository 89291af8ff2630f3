/* Jobs run a few at a time on cloned clients (see jobs.h). */
#include "api/jobs.h"

#include <pthread.h>
#include <time.h>

#include "api/pages.h"

#define MAX_WORKERS 16

struct runner {
	const struct api_jobs *j;
	struct api *api;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	size_t next; /* the next job to claim */
	size_t done; /* jobs finished well */
	size_t running;
	int stop; /* claim no more: a failure, or the tick said so */
	int failed;
	struct error err; /* the first failure */
};

static int
claim(struct runner *r, size_t *job)
{
	pthread_mutex_lock(&r->mu);
	int go = !r->stop && r->next < r->j->count;
	if (go) {
		*job = r->next++;
		r->running++;
	}
	pthread_mutex_unlock(&r->mu);
	return go;
}

static void
finished(struct runner *r, int rc, const struct error *err)
{
	pthread_mutex_lock(&r->mu);
	r->running--;
	if (rc == 0) {
		r->done++;
	} else if (!r->failed) {
		r->failed = 1;
		r->stop = 1;
		r->err = *err;
	}
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->mu);
}

static void *
worker(void *arg)
{
	struct runner *r = arg;
	struct api *api = api_clone(r->api);
	size_t job;
	while (claim(r, &job)) {
		struct error err = ERROR_INIT;
		int rc = r->j->run(api, job, r->j->userdata, &err);
		finished(r, rc, &err);
	}
	api_close(api);
	return NULL;
}

/* Wait up to 100 ms for news; the number of jobs finished, and whether any run or wait. */
static int
watch(struct runner *r, size_t *done)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 100 * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mu);
	pthread_cond_timedwait(&r->changed, &r->mu, &until);
	*done = r->done;
	int busy = r->running || (!r->stop && r->next < r->j->count);
	pthread_mutex_unlock(&r->mu);
	return busy;
}

static void
stop_claiming(struct runner *r)
{
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_mutex_unlock(&r->mu);
}

/* One after another on api itself, with a tick after each. */
static int
one_by_one(struct api *api, const struct api_jobs *j, size_t *done, int *stopped, struct error *err)
{
	for (size_t i = 0; i < j->count; i++) {
		if (j->tick && j->tick(*done, j->tick_userdata)) {
			*stopped = 1;
			return 0;
		}
		if (j->run(api, i, j->userdata, err) < 0)
			return -1;
		++*done;
	}
	return 0;
}

static int
in_parallel(struct api *api, const struct api_jobs *j, unsigned n, size_t *done, int *stopped,
	    struct error *err)
{
	struct runner r = { .j = j, .api = api };
	pthread_t threads[MAX_WORKERS];
	unsigned started = 0;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.changed, NULL);
	while (started < n && pthread_create(&threads[started], NULL, worker, &r) == 0)
		started++;
	if (!started)
		return error_set(err, ERROR_IO, "cannot start a thread for the requests");
	while (watch(&r, done))
		if (j->tick && !*stopped && j->tick(*done, j->tick_userdata)) {
			*stopped = 1;
			stop_claiming(&r);
		}
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	*done = r.done;
	pthread_cond_destroy(&r.changed);
	pthread_mutex_destroy(&r.mu);
	if (r.failed)
		*err = r.err;
	return r.failed ? -1 : 0;
}

int
api_run_jobs(struct api *api, const struct api_jobs *j, size_t *done, int *stopped,
	     struct error *err)
{
	size_t done_here = 0;
	int stopped_here = 0;
	unsigned n = j->in_flight ? j->in_flight : API_PAGES_IN_FLIGHT;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if (n > j->count)
		n = (unsigned)j->count;
	int rc = n <= 1 ? one_by_one(api, j, &done_here, &stopped_here, err) :
			  in_parallel(api, j, n, &done_here, &stopped_here, err);
	if (done)
		*done = done_here;
	if (stopped)
		*stopped = stopped_here;
	return rc;
}
