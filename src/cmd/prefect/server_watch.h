/*
 * The server as a waiter sees it: commands that poll for a long time
 * (flow execute --wait, flow-runs logs --follow, backfill --wait, sweep)
 * take a failed poll that is the server being away (no connection, no
 * answer in time, a 5xx) as a reason to poll again, not to end: they say
 * once that the server is gone and once that it is back, and end only by
 * their own --timeout, a final state or Ctrl-C. Polls go through a client
 * of their own that tries each request once, within a few seconds (and
 * never past the waiter's deadline), so a stalled or dead server cannot
 * hold a poll past the waiter's --timeout.
 */
#ifndef CMD_PREFECT_SERVER_WATCH_H
#define CMD_PREFECT_SERVER_WATCH_H

#include "api/client.h"
#include "cli/command.h"

struct server_watch {
	struct cmd_ctx *ctx;
	struct api *base;      /* the command's client, cloned for polls */
	struct api *poll;      /* the polls' client (owned), NULL until first asked for */
	long request_s;        /* its per-request limit */
	void (*clear)(void *); /* clears the caller's live output before a message */
	void *clear_userdata;
	int quiet; /* no lines: the caller shows server_watch_away_text itself (a live screen) */
	double away_since; /* when polls began to fail; 0 while the server answers */
	int said;          /* the "lost" line is out */
	char why[512];     /* what the last failed poll met */
};

/* clear (may be NULL) is called before the watch prints a line. */
void server_watch_init(struct server_watch *w, struct cmd_ctx *ctx, struct api *api,
		       void (*clear)(void *), void *clear_userdata);
void server_watch_release(struct server_watch *w);
/*
 * The client to send the next poll through; remaining (seconds until the
 * waiter's deadline, <= 0 for none) keeps a poll from ending after it.
 */
struct api *server_watch_api(struct server_watch *w, double remaining);
/*
 * After a poll that failed with err: 1 when it was the server being away
 * (waiting for `what`, e.g. "run ID", goes on; the first time, or after a
 * few seconds of 5xx answers, a line says so), 0 when it is a real error
 * that ends the command.
 */
int server_watch_failed(struct server_watch *w, const struct error *err, const char *what);
/* After a poll that succeeded: a line says the server is back if one said it was lost. */
void server_watch_ok(struct server_watch *w, const char *what);
/* Whether the last poll failed. */
int server_watch_away(const struct server_watch *w);
/*
 * " with the Prefect API at URL not answering for 7s (connection refused)"
 * when the server is away, else nothing.
 */
void server_watch_away_text(const struct server_watch *w, struct buf *out);

#endif
