/* Following a flow run to its end (see run_follow.h). */
#include "cmd/prefect/run_follow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/flow_runs.h"
#include "cli/interrupt.h"
#include "cmd/prefect/run_view.h"
#include "cmd/prefect/server_watch.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "ui/message.h"
#include "ui/state.h"
#include "ui/style.h"
#include "ui/text.h"
#include "ui/timefmt.h"

/*
 * A poll starts every POLL_SECONDS (not POLL_SECONDS after the last one
 * ended), so a final state is seen within that of the server recording it,
 * and the server is asked no more often than that.
 */
#define POLL_SECONDS 0.5
/* Runs ship logs in batches every 2 s, so some arrive after the run ends. */
#define LOG_GRACE_SECONDS 3.0

struct follower {
	struct cmd_ctx *ctx;
	const char *run_id;
	struct run_follow *f;
	char *last_state;    /* "RUNNING/Running" */
	char *last_log_time; /* ISO timestamp of the newest log seen */
	json_t *seen_logs;   /* log id -> true */
	double started;
	int live_line; /* a live line is on the terminal */
	struct server_watch watch;
	char what[64]; /* "run ID", for the watch's lines */
};

int
run_state_is_final(const char *t)
{
	return t && (!strcmp(t, "COMPLETED") || !strcmp(t, "FAILED") || !strcmp(t, "CANCELLED") ||
		     !strcmp(t, "CRASHED"));
}

int
run_follow_exit_code(const struct run_follow *f)
{
	const char *t = json_str(f->run, "state_type");
	if (f->interrupted)
		return EXIT_INTERRUPTED;
	if (f->timed_out)
		return EXIT_GAVE_UP;
	if (!t || !strcmp(t, "COMPLETED"))
		return EXIT_OK;
	if (!strcmp(t, "CRASHED"))
		return EXIT_RUN_CRASHED;
	if (!strcmp(t, "CANCELLED"))
		return EXIT_RUN_CANCELLED;
	return EXIT_ERROR;
}

static void
clear_live_line(struct follower *w)
{
	if (w->live_line) {
		cmd_progress_clear(w->ctx);
		w->live_line = 0;
	}
}

/* "↻ Running · 12s" on a terminal (rewritten in place), else a line per change. */
static void
report_state(struct follower *w, int changed)
{
	const json_t *run = w->f->run;
	const char *type = json_str(run, "state_type");
	struct buf line = BUF_INIT;
	if (!w->ctx->term.err_tty && !changed)
		return;
	if (w->ctx->term.err_tty)
		buf_adds(&line, "\r\033[K");
	struct buf label = BUF_INIT;
	state_label(&label, type, json_str(run, "state_name"));
	style_add(&line, buf_str(&label), state_style(type), w->ctx->term.color_err);
	buf_adds(&line, " · ");
	timefmt_duration(&line, isotime_now() - w->started);
	if (!w->ctx->term.err_tty)
		buf_addc(&line, '\n');
	cmd_print_err(w->ctx, &line);
	w->live_line = w->ctx->term.err_tty;
	buf_release(&label);
	buf_release(&line);
}

static int
poll_run(struct follower *w, struct api *api, struct error *err)
{
	json_t *run = NULL;
	if (prefect_flow_run_get(api, w->run_id, &run, err) < 0)
		return -1;
	json_decref(w->f->run);
	w->f->run = run;
	char *state = xasprintf("%s/%s",
				json_str(run, "state_type") ? json_str(run, "state_type") : "",
				json_str(run, "state_name") ? json_str(run, "state_name") : "");
	int changed = !w->last_state || strcmp(state, w->last_state);
	free(w->last_state);
	w->last_state = state;
	if (w->f->show_states)
		report_state(w, changed);
	return 0;
}

static void
emit_log(struct follower *w, json_t *log)
{
	if (w->f->collect_logs) {
		json_array_append(w->f->logs, log);
		return;
	}
	struct buf line = BUF_INIT;
	clear_live_line(w);
	if (w->f->logs_to_stderr) {
		run_view_log_line(&line, log, w->ctx->term.color_err);
		cmd_print_err(w->ctx, &line);
	} else {
		run_view_log_line(&line, log, w->ctx->term.color);
		cmd_print(w->ctx, &line);
	}
	buf_release(&line);
}

static int
poll_logs(struct follower *w, struct api *api, struct error *err)
{
	json_t *logs = NULL, *log;
	size_t i;
	if (prefect_flow_run_logs(api, w->run_id, w->f->min_level, w->last_log_time, &logs, err) < 0)
		return -1;
	json_array_foreach(logs, i, log) {
		const char *id = json_str(log, "id"), *ts = json_str(log, "timestamp");
		if (!id || json_object_get(w->seen_logs, id))
			continue;
		json_object_set_new(w->seen_logs, id, json_true());
		if (ts) {
			free(w->last_log_time);
			w->last_log_time = xstrdup(ts);
		}
		emit_log(w, log);
	}
	json_decref(logs);
	return 0;
}

/* Seconds until the --timeout, or 0 without one. */
static double
remaining(const struct follower *w)
{
	if (w->f->timeout <= 0)
		return 0;
	double left = w->f->timeout - (isotime_now() - w->started);
	return left > 0.001 ? left : 0.001;
}

/*
 * One poll of the run (and its logs). A server that is away (down,
 * restarting, stalled, answering 5xx) is polled again at the next tick:
 * the run goes on without us, and its final state is what we wait for.
 */
static int
poll_once(struct follower *w, struct error *err)
{
	struct api *api = server_watch_api(&w->watch, remaining(w));
	struct error e = ERROR_INIT;
	if (poll_run(w, api, &e) == 0 && (!w->f->show_logs || poll_logs(w, api, &e) == 0)) {
		server_watch_ok(&w->watch, w->what);
		return 0;
	}
	if (server_watch_failed(&w->watch, &e, w->what))
		return 0;
	*err = e;
	return -1;
}

static int
follow_loop(struct follower *w, struct error *err)
{
	struct run_follow *f = w->f;
	double grace_until = 0;
	for (;;) {
		double polled = isotime_now();
		if (poll_once(w, err) < 0)
			return -1;
		double now = isotime_now();
		if (f->run && run_state_is_final(json_str(f->run, "state_type"))) {
			if (!f->show_logs || (grace_until && now >= grace_until))
				return 0;
			if (!grace_until)
				grace_until = now + LOG_GRACE_SECONDS;
		} else if (f->timeout > 0 && now - w->started >= f->timeout) {
			f->timed_out = 1;
			f->server_away = server_watch_away(&w->watch);
			return 0;
		}
		double rest = POLL_SECONDS - (now - polled);
		if (interrupt_sleep(rest > 0 ? rest : 0) || (f->stop && f->stop(f->stop_userdata))) {
			f->interrupted = 1;
			f->server_away = server_watch_away(&w->watch);
			return 0;
		}
	}
}

static void
clear_for_message(void *userdata)
{
	clear_live_line(userdata);
}

int
run_follow(struct cmd_ctx *ctx, struct api *api, const char *run_id, struct run_follow *f,
	   struct error *err)
{
	struct follower w = { .ctx = ctx,
			      .run_id = run_id,
			      .f = f,
			      .seen_logs = json_object(),
			      .started = isotime_now() };
	if (f->collect_logs && !f->logs)
		f->logs = json_array();
	snprintf(w.what, sizeof(w.what), "run %s", run_id);
	server_watch_init(&w.watch, ctx, api, clear_for_message, &w);
	interrupt_install();
	int rc = follow_loop(&w, err);
	if (f->server_away)
		server_watch_away_text(&w.watch, &f->away_text);
	server_watch_release(&w.watch);
	if (w.live_line) {
		struct buf nl = BUF_INIT;
		buf_addc(&nl, '\n');
		cmd_print_err(ctx, &nl);
		buf_release(&nl);
	}
	json_decref(w.seen_logs);
	free(w.last_state);
	free(w.last_log_time);
	return rc;
}

void
run_follow_release(struct run_follow *f)
{
	json_decref(f->run);
	json_decref(f->logs);
	f->run = f->logs = NULL;
	buf_release(&f->away_text);
}
