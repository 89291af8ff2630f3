/* Following a backfill's runs to their end (see backfill_wait.h). */
#include "cmd/prefect/backfill_wait.h"

#include <string.h>

#include "api/schedules.h"
#include "cli/interrupt.h"
#include "cmd/prefect/run_follow.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/progress.h"
#include "ui/text.h"

#define POLL_SECONDS 2.0
#define BAR_CELLS 20

static void
tally(struct backfill_wait *w, const json_t *by_key)
{
	const char *key;
	json_t *run;
	w->completed = w->failed = w->crashed = w->cancelled = w->unfinished = 0;
	json_object_foreach((json_t *)by_key, key, run) {
		const char *t = json_str(run, "state_type");
		t = t ? t : "";
		w->completed += !strcmp(t, "COMPLETED");
		w->failed += !strcmp(t, "FAILED");
		w->crashed += !strcmp(t, "CRASHED");
		w->cancelled += !strcmp(t, "CANCELLED");
		w->unfinished += !run_state_is_final(t);
	}
}

/* Off a terminal, a line for each run that finished since the last look. */
static void
report_finished(struct cmd_ctx *ctx, const json_t *by_key, json_t *reported)
{
	const char *key;
	json_t *run;
	struct buf line = BUF_INIT;
	json_object_foreach((json_t *)by_key, key, run) {
		if (!run_state_is_final(json_str(run, "state_type")) ||
		    json_object_get(reported, key))
			continue;
		json_object_set_new(reported, key, json_true());
		const char *name = json_str(run, "name"), *state = json_str(run, "state_name");
		text_sanitize(&line, name ? name : "?", 1); /* server text */
		buf_adds(&line, ": ");
		text_sanitize(&line, state ? state : "?", 1);
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
	struct buf text = BUF_INIT;
	progress_bar(&text, "runs finished", total - w->unfinished, total, BAR_CELLS);
	cmd_progress(ctx, buf_str(&text), elapsed, tick);
	buf_release(&text);
}

static int
follow_runs(struct cmd_ctx *ctx, struct api *api, const char *deployment_id, const json_t *keys,
	    json_t **by_key, struct backfill_wait *w, struct error *err)
{
	json_t *reported = json_object();
	double started = isotime_now();
	int rc = 0;
	for (unsigned tick = 0;; tick++) {
		json_decref(*by_key);
		if ((rc = prefect_runs_by_keys(api, deployment_id, keys, by_key, err)) < 0)
			break;
		tally(w, *by_key);
		report_finished(ctx, *by_key, reported);
		if (!w->unfinished)
			break;
		if (w->timeout > 0 && isotime_now() - started > w->timeout) {
			w->timed_out = 1;
			break;
		}
		show_bar(ctx, w, json_array_size(keys), isotime_now() - started, tick);
		if (interrupt_sleep(POLL_SECONDS)) {
			w->interrupted = 1;
			break;
		}
	}
	json_decref(reported);
	return rc;
}

int
backfill_wait_runs(struct cmd_ctx *ctx, struct api *api, const char *deployment_id,
		   const json_t *keys, json_t **by_key, struct backfill_wait *w, struct error *err)
{
	interrupt_install();
	int rc = follow_runs(ctx, api, deployment_id, keys, by_key, w, err);
	cmd_progress_clear(ctx);
	if (w->timed_out)
		cmd_warn(ctx, "gave up waiting after %.0fs with %zu run%s unfinished; they go on",
			 w->timeout, w->unfinished, w->unfinished == 1 ? "" : "s");
	if (w->interrupted)
		cmd_warn(ctx, "stopped waiting with %zu run%s unfinished; they go on",
			 w->unfinished, w->unfinished == 1 ? "" : "s");
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
