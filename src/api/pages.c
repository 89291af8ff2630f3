/*
 * Paged lists (see pages.h). The first page is fetched here, on the
 * caller's connection: most lists end on it. When it is full, workers, each
 * with a clone of the client, claim the following pages in order, at most
 * in_flight ahead of the page being handed over, and the pages are handed
 * over in order as each arrives.
 */
#include "api/pages.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/refs.h"
#include "core/idset.h"
#include "core/json.h"
#include "core/xalloc.h"

#define MAX_IN_FLIGHT 16

/* A server with a smaller page cap says "must be less than or equal to N". */
static size_t
smaller_page_cap(const struct error *err, size_t current)
{
	const char *p = strstr(err->message, "less than or equal to ");
	if (err->http_status != 422 || !p)
		return 0;
	long n = strtol(p + strlen("less than or equal to "), NULL, 10);
	return n > 0 && (size_t)n < current ? (size_t)n : 0;
}

/* The answer to one page request, undecoded (workers leave decoding to the caller's thread). */
static int
fetch_raw(struct api *api, const struct api_pages *p, size_t offset, size_t size, struct buf *raw,
	  struct error *err)
{
	json_t *body = json_is_object(p->filter) ? json_deep_copy(p->filter) : json_object();
	json_object_set_new(body, "limit", json_integer((json_int_t)size));
	json_object_set_new(body, "offset", json_integer((json_int_t)offset));
	int rc = api_request_raw(api, "POST", p->path, body, API_RETRY_SAFE, NULL, raw, err);
	json_decref(body);
	return rc;
}

static int
decode_page(const struct api_pages *p, const struct buf *raw, json_t **page, struct error *err)
{
	if (api_decode(raw, page, err) < 0)
		return -1;
	if (json_is_array(*page))
		return 0;
	json_decref(*page);
	*page = NULL;
	return error_set(err, ERROR_API, "the server did not answer %s with a list", p->path);
}

static int
fetch_page(struct api *api, const struct api_pages *p, size_t offset, size_t size, json_t **page,
	   struct error *err)
{
	struct buf raw = BUF_INIT;
	int rc = fetch_raw(api, p, offset, size, &raw, err);
	if (rc == 0)
		rc = decode_page(p, &raw, page, err);
	buf_release(&raw);
	return rc;
}

/* What pages are handed to: the caller, through a filter of rows seen before. */
struct delivery {
	const struct api_pages *p;
	struct idset seen;
	size_t delivered;
};

/* Whether row is one to hand over: new, and within rows_wanted. */
static int
wanted(struct delivery *d, const json_t *row)
{
	const char *key = d->p->unique_key ? json_str(row, d->p->unique_key) : NULL;
	if (d->p->rows_wanted && d->delivered >= d->p->rows_wanted)
		return 0;
	return !key || idset_add(&d->seen, key);
}

/* Hand rows to the caller, without those it had or does not want; its answer. */
static int
deliver(struct delivery *d, json_t *rows, struct error *err)
{
	json_t *fresh = json_array(), *row;
	size_t i;
	json_array_foreach(rows, i, row) {
		if (wanted(d, row)) {
			json_array_append(fresh, row);
			d->delivered++;
		}
	}
	int rc = d->p->on_page(fresh, d->p->userdata, err);
	json_decref(fresh);
	if (rc == 0 && d->p->rows_wanted && d->delivered >= d->p->rows_wanted)
		rc = 1;
	return rc;
}

/*
 * The first page: no more rows than wanted, learning the server's page cap
 * from its refusals; *size is what was asked for.
 */
static int
first_page(struct api *api, const struct api_pages *p, size_t *cap, size_t *size, json_t **page,
	   struct error *err)
{
	for (;;) {
		*size = p->rows_wanted && p->rows_wanted < *cap ? p->rows_wanted : *cap;
		if (fetch_page(api, p, 0, *size, page, err) == 0)
			return 0;
		size_t smaller = smaller_page_cap(err, *cap);
		if (!smaller)
			return -1;
		*cap = smaller;
	}
}

struct slot {
	size_t page; /* which page the slot holds */
	int ready;
	int rc;
	struct buf raw; /* its answer, undecoded */
	struct error err;
};

struct pager {
	const struct api_pages *p;
	struct delivery *d;
	struct api *api;
	size_t first; /* rows on the first page; page k > 0 starts at first + (k-1) * cap */
	size_t cap;
	unsigned in_flight;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	size_t next;   /* the next page to claim */
	size_t handed; /* pages handed over so far */
	size_t stop;   /* pages beyond this are not claimed (SIZE_MAX: no end known) */
	int done;
	struct slot slots[MAX_IN_FLIGHT];
};

/* Claim the next page, or return 0 when the pager is done. */
static int
claim(struct pager *g, size_t *page)
{
	pthread_mutex_lock(&g->mu);
	while (!g->done && (g->next >= g->stop || g->next - g->handed >= g->in_flight))
		pthread_cond_wait(&g->changed, &g->mu);
	int go = !g->done;
	if (go)
		*page = g->next++;
	pthread_mutex_unlock(&g->mu);
	return go;
}

static void *
worker(void *arg)
{
	struct pager *g = arg;
	struct api *api = api_clone(g->api);
	size_t page;
	while (claim(g, &page)) {
		struct slot *s = &g->slots[page % g->in_flight];
		struct error err = ERROR_INIT;
		struct buf raw = BUF_INIT;
		int rc = fetch_raw(api, g->p, g->first + (page - 1) * g->cap, g->cap, &raw, &err);
		if (rc == 0 && g->p->prepare)
			g->p->prepare(api, &raw, g->p->userdata);
		pthread_mutex_lock(&g->mu);
		s->page = page;
		buf_swap(&s->raw, &raw);
		s->rc = rc;
		s->err = err;
		s->ready = 1;
		pthread_cond_broadcast(&g->changed);
		pthread_mutex_unlock(&g->mu);
		buf_release(&raw);
	}
	api_close(api);
	return NULL;
}

/* Wait for page `handed` and take it out of its slot. */
static struct slot
take(struct pager *g)
{
	pthread_mutex_lock(&g->mu);
	struct slot *s = &g->slots[g->handed % g->in_flight];
	while (!s->ready || s->page != g->handed)
		pthread_cond_wait(&g->changed, &g->mu);
	struct slot got = *s;
	s->ready = 0;
	buf_init(&s->raw, 0);
	g->handed++;
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->mu);
	return got;
}

/* Hand the pages over in order until one is short, on_page has enough, or a fault. */
static int
hand_over(struct pager *g, struct error *err)
{
	for (;;) {
		struct slot s = take(g);
		json_t *rows = NULL;
		if (s.rc < 0)
			*err = s.err;
		int rc = s.rc < 0 ? -1 : decode_page(g->p, &s.raw, &rows, err);
		buf_release(&s.raw);
		if (rc < 0)
			return -1;
		size_t got = json_array_size(rows);
		rc = deliver(g->d, rows, err);
		json_decref(rows);
		if (rc != 0 || got < g->cap)
			return rc < 0 ? -1 : 0;
		pthread_mutex_lock(&g->mu);
		if (g->handed >= g->stop)
			g->stop = g->handed + 1; /* on_page wants more than it expected */
		pthread_cond_broadcast(&g->changed);
		pthread_mutex_unlock(&g->mu);
	}
}

static void
finish(struct pager *g, pthread_t *threads, unsigned n)
{
	pthread_mutex_lock(&g->mu);
	g->done = 1;
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->mu);
	for (unsigned i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	for (unsigned i = 0; i < g->in_flight; i++)
		buf_release(&g->slots[i].raw);
	pthread_cond_destroy(&g->changed);
	pthread_mutex_destroy(&g->mu);
}

/* The pages after the first, which was full. */
static int
more_pages(struct api *api, struct delivery *d, size_t first, size_t cap, struct error *err)
{
	const struct api_pages *p = d->p;
	struct pager g = {
		.p = p, .d = d, .api = api, .first = first, .cap = cap, .next = 1, .handed = 1
	};
	unsigned n = p->in_flight ? p->in_flight : API_PAGES_IN_FLIGHT;
	g.in_flight = n < MAX_IN_FLIGHT ? n : MAX_IN_FLIGHT;
	size_t rest = p->rows_wanted > first ? p->rows_wanted - first : 0;
	g.stop = !p->rows_wanted ? SIZE_MAX : 1 + (rest ? (rest + cap - 1) / cap : 1);
	pthread_mutex_init(&g.mu, NULL);
	pthread_cond_init(&g.changed, NULL);
	pthread_t threads[MAX_IN_FLIGHT];
	unsigned started = 0;
	while (started < g.in_flight && pthread_create(&threads[started], NULL, worker, &g) == 0)
		started++;
	int rc = started ? hand_over(&g, err) :
			   error_set(err, ERROR_IO, "cannot start a thread to fetch pages");
	finish(&g, threads, started);
	return rc;
}

/* One page after another on the caller's connection, none bigger than still wanted. */
static int
one_by_one(struct api *api, struct delivery *d, size_t offset, size_t cap, struct error *err)
{
	const struct api_pages *p = d->p;
	for (;;) {
		size_t left = p->rows_wanted > offset ? p->rows_wanted - offset : 0;
		size_t size = left && left < cap ? left : cap;
		json_t *rows = NULL;
		if (fetch_page(api, p, offset, size, &rows, err) < 0)
			return -1;
		size_t got = json_array_size(rows);
		int rc = deliver(d, rows, err);
		json_decref(rows);
		if (rc != 0 || got < size)
			return rc < 0 ? -1 : 0;
		offset += got;
	}
}

int
api_list_pages(struct api *api, const struct api_pages *p, struct error *err)
{
	struct delivery d = { p, IDSET_INIT, 0 };
	size_t cap = API_PAGE_MAX, size;
	json_t *rows = NULL;
	if (first_page(api, p, &cap, &size, &rows, err) < 0)
		return -1;
	size_t got = json_array_size(rows);
	int rc = deliver(&d, rows, err);
	json_decref(rows);
	if (rc == 0 && got == size)
		rc = p->in_flight == 1 ? one_by_one(api, &d, size, cap, err) :
					 more_pages(api, &d, size, cap, err);
	idset_release(&d.seen);
	return rc < 0 ? -1 : 0;
}

struct prefix_scan {
	const char *prefix;
	json_t *matches;
};

static int
match_page(json_t *rows, void *userdata, struct error *err)
{
	struct prefix_scan *s = userdata;
	json_t *found = prefect_match_id_prefix(rows, s->prefix);
	(void)err;
	json_array_extend(s->matches, found);
	json_decref(found);
	return 0;
}

int
api_find_prefix(struct api *api, const char *path, const json_t *filter, const char *prefix,
		json_t **out, struct error *err)
{
	struct prefix_scan s = { prefix, json_array() };
	struct api_pages p = { .path = path,
			       .filter = filter,
			       .unique_key = "id",
			       .on_page = match_page,
			       .userdata = &s };
	*out = NULL;
	if (api_list_pages(api, &p, err) < 0) {
		json_decref(s.matches);
		return -1;
	}
	*out = s.matches;
	return 0;
}

static int
collect_page(json_t *rows, void *all, struct error *err)
{
	(void)err;
	json_array_extend(all, rows);
	return 0;
}

int
api_list(struct api *api, const char *path, const json_t *filter, size_t limit, json_t **out,
	 struct error *err)
{
	json_t *all = json_array();
	struct api_pages p = { .path = path,
			       .filter = filter,
			       .rows_wanted = limit,
			       .in_flight = 1,
			       .on_page = collect_page,
			       .userdata = all };
	*out = NULL;
	if (api_list_pages(api, &p, err) < 0) {
		json_decref(all);
		return -1;
	}
	*out = all;
	return 0;
}
