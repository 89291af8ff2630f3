/* Following a backfill's runs to their end (see backfill_wait.h). */
#include "cmd/prefect/backfill_wait.h"

#include <stdio.h>
#include <string.h>

#include "cli/interrupt.h"
#include "cmd/prefect/run_follow.h"
#include "cmd/prefect/server_watch.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/text.h"

#define POLL_SECONDS 2.0

static void
tally(struct backfill_wait *w, const struct backfill_runs *runs)
{
	w->completed = w->failed = w->crashed = w->cancelled = w->unfinished = 0;
	for (size_t i = 0; i < runs->plan->count; i++) {
		const char *t = runs->seen[i].state_type;
		w->completed += !strcmp(t, "COMPLETED");
		w->failed += !strcmp(t, "FAILED");
		w->crashed += !strcmp(t, "CRASHED");
		w->cancelled += !strcmp(t, "CANCELLED");
		w->unfinished += !run_state_is_final(t);
	}
}

/* Off a terminal, a line for each run that finished since the last look. */
static void
report_finished(struct cmd_ctx *ctx, struct backfill_runs *runs)
{
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < runs->plan->count; i++) {
		struct backfill_seen *s = &runs->seen[i];
		if (!run_state_is_final(s->state_type) || s->reported)
			continue;
		s->reported = 1;
		backfill_run_name(&line, &runs->plan->runs[i]);
		buf_adds(&line, ": ");
		text_sanitize(&line, s->state_name[0] ? s->state_name : "?", 1); /* server text */
		buf_addc(&line, '\n');
	}
	if (line.len && !ctx->term.err_tty)
		cmd_print_err(ctx, &line);
	buf_release(&line);
}

static void
show_bar(struct cmd_ctx *ctx, const struct backfill_wait *w, size_t total, double elapsed,
	 unsigned tick)
{
	cmd_progress_count(ctx, "runs finished", total - w->unfinished, total, elapsed, tick);
}

static void
clear_bar(void *ctx)
{
	cmd_progress_clear(ctx);
}

/* Seconds until the --timeout, or 0 without one. */
static double
remaining(const struct backfill_wait *w, double started)
{
	if (w->timeout <= 0)
		return 0;
	double left = w->timeout - (isotime_now() - started);
	return left > 0.001 ? left : 0.001;
}

/* A server that is away (down, restarting, 5xx) is polled again at the next tick. */
static int
follow_runs(struct cmd_ctx *ctx, struct server_watch *watch, struct backfill_runs *runs,
	    struct backfill_wait *w, struct error *err)
{
	double started = isotime_now();
	char what[64];
	snprintf(what, sizeof(what), "the backfill's %zu runs", runs->plan->count);
	for (unsigned tick = 0;; tick++) {
		struct error e = ERROR_INIT;
		if (backfill_runs_read(server_watch_api(watch, remaining(w, started)), runs, 0,
				       &e) == 0) {
			server_watch_ok(watch, what);
		} else if (!server_watch_failed(watch, &e, what)) {
			*err = e;
			return -1;
		}
		tally(w, runs);
		report_finished(ctx, runs);
		if (!w->unfinished)
			break;
		if (w->timeout > 0 && isotime_now() - started > w->timeout) {
			w->timed_out = 1;
			break;
		}
		show_bar(ctx, w, runs->plan->count, isotime_now() - started, tick);
		if (interrupt_sleep(POLL_SECONDS)) {
			w->interrupted = 1;
			break;
		}
	}
	return 0;
}

int
backfill_wait_runs(struct cmd_ctx *ctx, struct api *api, struct backfill_runs *runs,
		   struct backfill_wait *w, struct error *err)
{
	struct server_watch watch;
	struct buf away = BUF_INIT;
	server_watch_init(&watch, ctx, api, clear_bar, ctx);
	interrupt_install();
	int rc = follow_runs(ctx, &watch, runs, w, err);
	cmd_progress_clear(ctx);
	server_watch_away_text(&watch, &away);
	if (w->timed_out)
		cmd_warn(ctx,
			 "gave up waiting after %.0fs with %zu run%s unfinished%s; they go on: "
			 "the same backfill with --wait follows them again and creates nothing twice",
			 w->timeout, w->unfinished, w->unfinished == 1 ? "" : "s", buf_str(&away));
	if (w->interrupted)
		cmd_warn(ctx,
			 "stopped waiting with %zu run%s unfinished%s; they go on: the same "
			 "backfill with --wait follows them again and creates nothing twice",
			 w->unfinished, w->unfinished == 1 ? "" : "s", buf_str(&away));
	buf_release(&away);
	server_watch_release(&watch);
	return rc;
}

void
backfill_wait_summary(struct buf *out, const struct backfill_wait *w)
{
	const size_t n[] = { w->failed, w->crashed, w->cancelled, w->unfinished };
	const char *const what[] = { "failed", "crashed", "cancelled", "unfinished" };
	buf_addf(out, "%zu completed", w->completed);
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (n[i])
			buf_addf(out, ", %zu %s", n[i], what[i]);
}

json_t *
backfill_wait_json(const struct backfill_wait *w)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:b,s:b}", "completed", (json_int_t)w->completed,
			 "failed", (json_int_t)w->failed, "crashed", (json_int_t)w->crashed,
			 "cancelled", (json_int_t)w->cancelled, "unfinished",
			 (json_int_t)w->unfinished, "timed_out", w->timed_out, "interrupted",
			 w->interrupted);
}

int
backfill_wait_exit_code(const struct backfill_wait *w)
{
	if (w->interrupted)
		return EXIT_INTERRUPTED;
	if (w->timed_out)
		return EXIT_GAVE_UP;
	if (w->failed)
		return EXIT_ERROR;
	if (w->crashed)
		return EXIT_RUN_CRASHED;
	return w->cancelled ? EXIT_RUN_CANCELLED : EXIT_OK;
}
