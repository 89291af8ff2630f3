/*
 * What `flow-runs watch` shows, however it is shown: the latest runs that
 * match the filters, read again at every refresh, with the header above
 * them (the filter, the time, the count of runs in each state) and the
 * server's absence ridden out (server_watch.h): a refresh that meets a
 * server away keeps the runs last read. The state filter can be changed
 * while watching (the `f` key): it cycles through the --state given, all
 * states, then one state at a time.
 */
#ifndef CMD_PREFECT_RUN_WATCH_H
#define CMD_PREFECT_RUN_WATCH_H

#include <jansson.h>

#include "cli/command.h"
#include "cmd/prefect/server_watch.h"
#include "core/strlist.h"
#include "ui/table.h"

struct run_watch {
	struct cmd_ctx *ctx;
	size_t limit;  /* most runs read */
	long interval; /* seconds between refreshes */
	json_t *flow;  /* --flow, --deployment as found (owned; may be NULL) */
	json_t *deployment;
	struct strlist filters; /* the state filters `f` cycles through ("" is all) */
	size_t filter;          /* the one in use */
	json_t *runs;           /* as last read (owned), newest first */
	long total;             /* how many match, when more than runs; else -1 */
	double read_at;         /* when they were read */
	int refreshes;          /* reads so far */
	struct server_watch watch;
};

/*
 * Resolve --flow and --deployment (names or IDs) and check --state (a usage
 * error when a state is unknown), before anything is drawn.
 */
int run_watch_init(struct run_watch *w, struct cmd_ctx *ctx, const char *flow,
		   const char *deployment, const struct strlist *states, struct error *err);
void run_watch_release(struct run_watch *w);

/*
 * Read the runs again. The first read goes through the command's client
 * (a server that is not there at the start is an error, as for any
 * command); later ones through the watch's, and a server away then is not
 * an error: the runs last read stay, server_watch_away() says so.
 */
int run_watch_refresh(struct run_watch *w, struct error *err);

/* Use the next state filter; returns its label ("all", "failed", ...). */
const char *run_watch_next_filter(struct run_watch *w);
/* The label of the state filter in use. */
const char *run_watch_filter_label(const struct run_watch *w);

/*
 * The two header lines, each cut to width columns: "Flow runs · every 2s ·
 * state: all · 2026-12-03 13:20:01" and "12 runs: ↻ 2 Running  ✓ 9
 * Completed  ✗ 1 Failed".
 */
void run_watch_header(const struct run_watch *w, struct buf *out, size_t width, int color);
/* A table of runs first..first+n-1 in flow-runs list's columns (no title); table_free() it. */
struct table *run_watch_table(const struct run_watch *w, size_t first, size_t n);
/* The frame as JSON: {"time", "state": filter, "total", "counts": {name: n}, "runs"}. */
json_t *run_watch_json(const struct run_watch *w);

#endif
