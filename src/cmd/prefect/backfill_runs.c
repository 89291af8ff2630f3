/* A backfill's runs on the server: read back and created in chunks (see backfill_runs.h). */
#include "cmd/prefect/backfill_runs.h"

#include <stdio.h>
#include <stdlib.h>

#include "api/schedules.h"
#include "core/json.h"
#include "core/xalloc.h"

/* Idempotency keys read back per request (the server answers them in one page). */
#define KEYS_PER_READ 100

void
backfill_runs_init(struct backfill_runs *r, const char *deployment_id,
		   const struct backfill_plan *plan, const struct backfill_source *sources,
		   backfill_params_fn params, void *userdata)
{
	*r = (struct backfill_runs){ .deployment_id = deployment_id,
				     .plan = plan,
				     .sources = sources,
				     .params = params,
				     .userdata = userdata };
	r->seen = xcalloc(plan->count ? plan->count : 1, sizeof(*r->seen));
	atomic_init(&r->made, 0);
	atomic_init(&r->bulk, 1);
}

void
backfill_runs_release(struct backfill_runs *r)
{
	free(r->seen);
	free(r->missing);
}

static void
key_of(const struct backfill_runs *r, size_t i, struct buf *key)
{
	const struct backfill_run *run = &r->plan->runs[i];
	backfill_run_key(key, r->deployment_id, r->sources[run->source].schedule_id, run->when.at);
}

json_t *
backfill_runs_summary(const struct backfill_runs *r, size_t i)
{
	struct buf name = BUF_INIT, key = BUF_INIT;
	backfill_run_name(&name, &r->plan->runs[i]);
	key_of(r, i, &key);
	struct prefect_scheduled_run run = { .name = buf_str(&name),
					     .scheduled_time = r->plan->runs[i].when.at,
					     .idempotency_key = buf_str(&key) };
	json_t *doc = prefect_scheduled_run_summary(&run);
	buf_release(&name);
	buf_release(&key);
	return doc;
}

/* What the server has of run i, from its answer (NULL: nothing). */
static void
note(struct backfill_seen *s, const json_t *run)
{
	const char *type = json_str(run, "state_type"), *name = json_str(run, "state_name");
	snprintf(s->id, sizeof(s->id), "%s", run ? json_str(run, "id") : "");
	snprintf(s->state_type, sizeof(s->state_type), "%s", type ? type : "");
	snprintf(s->state_name, sizeof(s->state_name), "%s", name ? name : "");
}

struct read_job {
	struct backfill_runs *r;
	int first;
};

static int
read_chunk(struct api *api, size_t job, void *userdata, struct error *err)
{
	struct read_job *rj = userdata;
	struct backfill_runs *r = rj->r;
	size_t from = job * KEYS_PER_READ, to = from + KEYS_PER_READ;
	json_t *keys = json_array(), *by_key = NULL;
	struct buf key = BUF_INIT;
	to = to < r->plan->count ? to : r->plan->count;
	for (size_t i = from; i < to; i++) {
		buf_reset(&key);
		key_of(r, i, &key);
		json_array_append_new(keys, json_string(buf_str(&key)));
	}
	int rc = prefect_runs_by_keys(api, r->deployment_id, keys, &by_key, err);
	for (size_t i = from; rc == 0 && i < to; i++) {
		note(&r->seen[i],
		     json_object_get(by_key, json_string_value(json_array_get(keys, i - from))));
		if (rj->first)
			r->seen[i].existed = r->seen[i].id[0] != '\0';
	}
	buf_release(&key);
	json_decref(keys);
	json_decref(by_key);
	return rc;
}

/* Count what the read found; after the first, list what is missing. */
static void
take_stock(struct backfill_runs *r, int first)
{
	r->present = 0;
	for (size_t i = 0; i < r->plan->count; i++)
		r->present += r->seen[i].id[0] != '\0';
	if (!first)
		return;
	r->existed = r->present;
	free(r->missing);
	r->missing = xcalloc(r->plan->count - r->present + 1, sizeof(*r->missing));
	r->nmissing = 0;
	for (size_t i = 0; i < r->plan->count; i++)
		if (!r->seen[i].existed)
			r->missing[r->nmissing++] = i;
}

int
backfill_runs_read(struct api *api, struct backfill_runs *r, int first, struct error *err)
{
	struct read_job rj = { r, first };
	struct api_jobs j = { .count = (r->plan->count + KEYS_PER_READ - 1) / KEYS_PER_READ,
			      .in_flight = BACKFILL_READS_IN_FLIGHT,
			      .run = read_chunk,
			      .userdata = &rj };
	if (api_run_jobs(api, &j, NULL, NULL, err) < 0)
		return -1;
	take_stock(r, first);
	return 0;
}

/* The request that creates planned run i. */
static json_t *
run_body(const struct backfill_runs *r, size_t i)
{
	struct buf name = BUF_INIT, key = BUF_INIT;
	json_t *params = r->params(i, r->userdata);
	backfill_run_name(&name, &r->plan->runs[i]);
	key_of(r, i, &key);
	struct prefect_scheduled_run run = { .name = buf_str(&name),
					     .scheduled_time = r->plan->runs[i].when.at,
					     .tag = "backfill",
					     .idempotency_key = buf_str(&key),
					     .parameters = params };
	json_t *body = prefect_scheduled_run_body(&run);
	json_decref(params);
	buf_release(&name);
	buf_release(&key);
	return body;
}

static int
create_chunk(struct api *api, size_t job, void *userdata, struct error *err)
{
	struct backfill_runs *r = userdata;
	size_t from = job * BACKFILL_RUNS_PER_REQUEST, to = from + BACKFILL_RUNS_PER_REQUEST;
	json_t *bodies = json_array();
	to = to < r->nmissing ? to : r->nmissing;
	for (size_t k = from; k < to; k++)
		json_array_append_new(bodies, run_body(r, r->missing[k]));
	int bulk = atomic_load(&r->bulk);
	int rc = prefect_deployment_create_runs(api, r->deployment_id, bodies, &bulk, err);
	if (!bulk)
		atomic_store(&r->bulk, 0);
	if (rc == 0)
		atomic_fetch_add(&r->made, to - from);
	json_decref(bodies);
	return rc;
}

int
backfill_runs_create(struct api *api, struct backfill_runs *r, api_tick_fn tick, void *userdata,
		     int *stopped, struct error *err)
{
	struct api_jobs j = { .count = (r->nmissing + BACKFILL_RUNS_PER_REQUEST - 1) /
				       BACKFILL_RUNS_PER_REQUEST,
			      .in_flight = BACKFILL_CREATES_IN_FLIGHT,
			      .run = create_chunk,
			      .userdata = r,
			      .tick = tick,
			      .tick_userdata = userdata };
	return api_run_jobs(api, &j, NULL, stopped, err);
}
