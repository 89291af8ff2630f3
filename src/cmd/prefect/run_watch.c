/* The runs a watch shows and its header (see run_watch.h). */
#include "cmd/prefect/run_watch.h"

#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "cmd/prefect/run_filter_options.h"
#include "cmd/prefect/run_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/state.h"
#include "ui/text.h"
#include "ui/timefmt.h"

/* What `f` offers after the --state given and all states, in the order a day's runs move. */
static const char *const state_cycle[] = { "running",    "pending",   "scheduled", "late",
					   "paused",     "completed", "failed",    "crashed",
					   "cancelling", "cancelled" };

/* State types in the order the header counts them; runs of other types come last. */
static const char *const count_order[] = { "RUNNING",   "PENDING",    "PAUSED",
					   "SCHEDULED", "CANCELLING", "COMPLETED",
					   "FAILED",    "CRASHED",    "CANCELLED" };

/* What the server watch's lines say is waited for. */
#define WATCHED "flow runs"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void
add_filters(struct run_watch *w, const struct strlist *states)
{
	struct buf given = BUF_INIT;
	for (size_t i = 0; i < states->len; i++)
		buf_addf(&given, "%s%s", i ? "," : "", states->items[i]);
	strlist_add(&w->filters, buf_str(&given));
	if (given.len)
		strlist_add(&w->filters, "");
	for (size_t i = 0; i < N_OF(state_cycle); i++)
		if (strcmp(buf_str(&given), state_cycle[i]))
			strlist_add(&w->filters, state_cycle[i]);
	buf_release(&given);
}

/* The filter the runs are read with; the state filter in use is added to it. */
static int
make_filter(const struct run_watch *w, struct flow_run_filter *f, struct error *err)
{
	struct strlist states = STRLIST_INIT;
	const char *choice = w->filters.items[w->filter];
	f->flow_id = w->flow ? json_str(w->flow, "id") : NULL;
	f->deployment_id = w->deployment ? json_str(w->deployment, "id") : NULL;
	if (*choice)
		strlist_add(&states, choice);
	int rc = run_filter_add_states(f, &states, err);
	strlist_release(&states);
	return rc;
}

int
run_watch_init(struct run_watch *w, struct cmd_ctx *ctx, const char *flow, const char *deployment,
	       const struct strlist *states, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	*w = (struct run_watch){ .ctx = ctx, .filters = STRLIST_INIT, .total = -1 };
	server_watch_init(&w->watch, ctx, ctx->api, NULL, NULL);
	int rc = run_filter_add_states(&f, states, err);
	flow_run_filter_release(&f);
	if (rc < 0)
		return -1;
	add_filters(w, states);
	if (flow && prefect_flow_find(ctx->api, flow, &w->flow, err) < 0)
		return -1;
	if (deployment && prefect_deployment_find(ctx->api, deployment, &w->deployment, err) < 0)
		return -1;
	return 0;
}

void
run_watch_release(struct run_watch *w)
{
	server_watch_release(&w->watch);
	json_decref(w->flow);
	json_decref(w->deployment);
	json_decref(w->runs);
	strlist_release(&w->filters);
	w->flow = w->deployment = w->runs = NULL;
}

/* One read of the runs (and their count when there are more than limit). */
static int
read_runs(struct run_watch *w, struct api *api, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *runs = NULL;
	long total = -1;
	int rc = make_filter(w, &f, err);
	if (rc == 0)
		rc = prefect_flow_run_list(api, &f, w->limit, &runs, err);
	if (rc == 0)
		rc = prefect_flow_run_add_names(api, runs, err);
	if (rc == 0 && json_array_size(runs) >= w->limit)
		rc = prefect_flow_run_count(api, &f, &total, err);
	flow_run_filter_release(&f);
	if (rc < 0) {
		json_decref(runs);
		return -1;
	}
	json_decref(w->runs);
	w->runs = runs;
	w->total = total > (long)json_array_size(runs) ? total : -1;
	w->read_at = isotime_now();
	return 0;
}

int
run_watch_refresh(struct run_watch *w, struct error *err)
{
	if (!w->refreshes++)
		return read_runs(w, w->ctx->api, err);
	struct error e = ERROR_INIT;
	if (read_runs(w, server_watch_api(&w->watch, 0), &e) == 0) {
		server_watch_ok(&w->watch, WATCHED);
		return 0;
	}
	if (server_watch_failed(&w->watch, &e, WATCHED))
		return 0;
	*err = e;
	return -1;
}

const char *
run_watch_filter_label(const struct run_watch *w)
{
	const char *choice = w->filters.items[w->filter];
	return *choice ? choice : "all";
}

const char *
run_watch_next_filter(struct run_watch *w)
{
	w->filter = (w->filter + 1) % w->filters.len;
	return run_watch_filter_label(w);
}

/* Runs of the given state type (NULL: of none of count_order's) by state name. */
static json_t *
count_names(const json_t *runs, const char *type)
{
	json_t *counts = json_object(), *run;
	size_t i;
	json_array_foreach(runs, i, run) {
		const char *t = json_str(run, "state_type");
		int known = 0;
		for (size_t k = 0; !type && t && k < N_OF(count_order); k++)
			known |= !strcmp(t, count_order[k]);
		if (type ? !t || strcmp(t, type) : known)
			continue;
		const char *name = json_str(run, "state_name") ? json_str(run, "state_name") : "?";
		json_object_set_new(counts, name,
				    json_integer(json_integer_value(json_object_get(counts, name)) +
						 1));
	}
	return counts;
}

/* The counts line as it is built: what is on it, and whether a count did not fit. */
struct counts_line {
	struct buf *out;
	size_t used, width, pieces;
	int cut, color;
};

/* Append " ↻ 2 Running" for each name of counts, while they fit; then nothing more. */
static void
add_counts(struct counts_line *c, const json_t *counts, const char *type)
{
	const char *name;
	json_t *n;
	json_object_foreach((json_t *)counts, name, n) {
		struct buf piece = BUF_INIT;
		buf_addf(&piece, "%s%s %lld ", c->pieces ? "  " : " ", state_symbol(type),
			 (long long)json_integer_value(n));
		text_sanitize(&piece, name, 1);
		size_t cols = text_width(buf_str(&piece));
		c->cut |= c->used + cols > c->width;
		if (!c->cut) {
			style_add(c->out, buf_str(&piece), state_style(type), c->color);
			c->used += cols;
			c->pieces++;
		}
		buf_release(&piece);
	}
}

static void
title_line(const struct run_watch *w, struct buf *out, size_t width, int color)
{
	struct buf plain = BUF_INIT, line = BUF_INIT;
	char now[32];
	buf_addf(&plain, "Flow runs · every %lds · state: %s", w->interval,
		 run_watch_filter_label(w));
	if (w->flow)
		buf_addf(&plain, " · flow: %s", json_str(w->flow, "name"));
	if (w->deployment)
		buf_addf(&plain, " · deployment: %s", json_str(w->deployment, "name"));
	isotime_format_utc(w->read_at, now);
	buf_adds(&plain, " · ");
	timefmt_local_iso(&plain, now);
	char *safe = text_sanitize_dup(buf_str(&plain), 1);
	text_truncate(&line, safe, width);
	style_add(out, buf_str(&line), STYLE_BOLD, color);
	buf_addc(out, '\n');
	free(safe);
	buf_release(&plain);
	buf_release(&line);
}

void
run_watch_header(const struct run_watch *w, struct buf *out, size_t width, int color)
{
	struct buf first = BUF_INIT;
	size_t n = json_array_size(w->runs);
	title_line(w, out, width, color);
	if (w->total >= 0)
		buf_addf(&first, "latest %zu of %ld runs:", n, w->total);
	else
		buf_addf(&first, "%zu run%s%s", n, n == 1 ? "" : "s", n ? ":" : "");
	buf_adds(out, buf_str(&first));
	struct counts_line c = { out, text_width(buf_str(&first)), width, 0, 0, color };
	for (size_t k = 0; k <= N_OF(count_order); k++) {
		const char *type = k < N_OF(count_order) ? count_order[k] : NULL;
		json_t *counts = count_names(w->runs, type);
		add_counts(&c, counts, type);
		json_decref(counts);
	}
	if (c.cut && c.used + 2 <= width)
		buf_adds(out, " …");
	buf_addc(out, '\n');
	buf_release(&first);
}

struct table *
run_watch_table(const struct run_watch *w, size_t first, size_t n)
{
	struct table *t = table_new(NULL);
	run_view_columns(t);
	for (size_t i = first; i < first + n && i < json_array_size(w->runs); i++)
		run_view_row(t, json_array_get(w->runs, i));
	return t;
}

json_t *
run_watch_json(const struct run_watch *w)
{
	char now[32];
	json_t *counts = json_object();
	for (size_t k = 0; k <= N_OF(count_order); k++) {
		json_t *some = count_names(w->runs, k < N_OF(count_order) ? count_order[k] : NULL);
		json_object_update(counts, some);
		json_decref(some);
	}
	isotime_format_utc(w->read_at, now);
	return json_pack("{s:s,s:s,s:o,s:o,s:O}", "time", now, "state", run_watch_filter_label(w),
			 "total",
			 w->total >= 0 ? json_integer(w->total) :
					 json_integer((json_int_t)json_array_size(w->runs)),
			 "counts", counts, "runs", w->runs);
}
