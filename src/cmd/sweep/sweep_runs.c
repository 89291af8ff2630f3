/* A sweep's runs: created, followed, shown (see sweep_runs.h). */
#include "cmd/sweep/sweep_runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/schedules.h"
#include "cli/interrupt.h"
#include "cmd/prefect/run_follow.h"
#include "cmd/prefect/server_watch.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "ui/state.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/timefmt.h"

#define POLL_SECONDS 1.0
/* Repositories a live table shows; a longer sweep shows a progress bar. */
#define LIVE_ROWS_MAX 40

static const char *
run_type(const struct sweep_repo *r)
{
	return r->run ? json_str(r->run, "state_type") : NULL;
}

static int
is_final(const struct sweep_repo *r)
{
	return r->run && run_state_is_final(run_type(r));
}

/* Read every run back by its key; repositories without one keep run NULL. */
static int
read_runs(struct api *api, struct sweep *s, struct error *err)
{
	json_t *keys = json_array(), *by_key = NULL;
	for (size_t i = 0; i < s->len; i++)
		json_array_append_new(keys, json_string(s->repos[i].key));
	int rc = prefect_runs_by_keys(api, json_str(s->deployment, "id"), keys, &by_key, err);
	for (size_t i = 0; rc == 0 && i < s->len; i++) {
		json_t *run = json_object_get(by_key, s->repos[i].key);
		if (run) {
			json_decref(s->repos[i].run);
			s->repos[i].run = json_incref(run);
		}
	}
	json_decref(by_key);
	json_decref(keys);
	return rc;
}

static int
create_run(struct cmd_ctx *ctx, struct api *api, struct sweep *s, size_t i, struct error *err)
{
	struct sweep_repo *r = &s->repos[i];
	struct strlist tags = STRLIST_INIT;
	sweep_plan_tags(s, i, &tags);
	json_t *run = NULL;
	int rc = prefect_deployment_create_run(api, json_str(s->deployment, "id"), r->params, &tags,
					       r->key, &run, err);
	strlist_release(&tags);
	if (rc < 0)
		return error_prefix(err, "creating the run of repository '%s'", r->name);
	json_decref(r->run);
	r->run = run;
	if (!ctx->term.err_tty) {
		struct buf line = BUF_INIT;
		buf_addf(&line, "%s: run ", r->name);
		text_sanitize(&line, json_str(run, "name") ? json_str(run, "name") : "?", 1);
		buf_addf(&line, " (%s) created\n", json_str(run, "id"));
		cmd_print_err(ctx, &line);
		buf_release(&line);
	}
	return 0;
}

/* Create missing runs while fewer than the limit are unfinished. */
static int
feed(struct cmd_ctx *ctx, struct api *api, struct sweep *s, struct sweep_drive *d, struct error *err)
{
	size_t unfinished = 0;
	for (size_t i = 0; i < s->len; i++)
		unfinished += s->repos[i].run && !is_final(&s->repos[i]);
	for (size_t i = 0; i < s->len && unfinished < (size_t)d->concurrency; i++) {
		if (s->repos[i].run)
			continue;
		if (interrupt_requested()) {
			d->interrupted = 1;
			return 0;
		}
		if (create_run(ctx, api, s, i, err) < 0)
			return -1;
		d->created++;
		unfinished++;
	}
	return 0;
}

/* Off a terminal, a line for each run that ended since the last look. */
static void
report_finished(struct cmd_ctx *ctx, struct sweep *s)
{
	struct buf line = BUF_INIT;
	for (size_t i = 0; i < s->len; i++) {
		struct sweep_repo *r = &s->repos[i];
		if (!is_final(r) || r->reported)
			continue;
		r->reported = 1;
		buf_addf(&line, "%s: ", r->name);
		text_sanitize(&line, json_str(r->run, "state_name"), 1);
		buf_addc(&line, '\n');
	}
	if (line.len && !ctx->term.err_tty)
		cmd_print_err(ctx, &line);
	buf_release(&line);
}

static double
duration(const struct sweep_repo *r)
{
	const char *field = is_final(r) ? "total_run_time" : "estimated_run_time";
	return r->run ? json_num(r->run, field, 0) : 0;
}

static void
columns(struct table *t)
{
	table_add_column(t, "Repository", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Run ID", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Run", ALIGN_LEFT, COLUMN_SHRINK);
	table_column_fit(t, 2, 8);
	table_add_column(t, "State", ALIGN_LEFT, 0);
	table_add_column(t, "Duration", ALIGN_RIGHT, 0);
	table_column_fit(t, 1, 0);
}

static void
row(struct table *t, const struct sweep_repo *r)
{
	struct buf v = BUF_INIT;
	table_add_row(t);
	table_cell(t, r->name, STYLE_NAME);
	table_cell(t, r->run ? json_str(r->run, "id") : "-", STYLE_NAME);
	table_cell(t, r->run ? json_str(r->run, "name") : "-", STYLE_NONE);
	if (r->run)
		state_label(&v, run_type(r), json_str(r->run, "state_name"));
	else
		buf_adds(&v, "not created");
	table_cell(t, buf_str(&v), r->run ? state_style(run_type(r)) : STYLE_DIM);
	buf_reset(&v);
	if (r->run && json_str(r->run, "start_time"))
		timefmt_duration(&v, duration(r));
	else
		buf_adds(&v, "-");
	table_cell(t, buf_str(&v), STYLE_NONE);
	buf_release(&v);
}

static struct table *
runs_table(const struct sweep *s, const char *title)
{
	struct table *t = table_new(title);
	columns(t);
	for (size_t i = 0; i < s->len; i++)
		row(t, &s->repos[i]);
	return t;
}

/* On a terminal, the table redrawn in place on stderr (or a bar for a long sweep). */
static void
show_live(struct cmd_ctx *ctx, const struct sweep *s, size_t *lines, double elapsed, unsigned tick)
{
	struct sweep_tally t;
	struct buf text = BUF_INIT;
	if (!ctx->term.err_tty)
		return;
	sweep_runs_tally(s, &t);
	if (s->len > LIVE_ROWS_MAX) {
		cmd_progress_count(ctx, "runs finished", t.completed + t.failed, s->len, elapsed,
				   tick);
		return;
	}
	if (*lines)
		buf_addf(&text, "\033[%zuA\033[J", *lines);
	struct table *tb = runs_table(s, NULL);
	table_render(tb, &ctx->term, &text);
	table_free(tb);
	*lines = 0;
	for (size_t i = 0; i < text.len; i++)
		*lines += text.data[i] == '\n';
	cmd_print_err(ctx, &text);
	buf_release(&text);
}

static void
clear_live(struct cmd_ctx *ctx, const struct sweep *s, size_t lines)
{
	struct buf text = BUF_INIT;
	if (s->len > LIVE_ROWS_MAX) {
		cmd_progress_clear(ctx);
	} else if (lines && ctx->term.err_tty) {
		buf_addf(&text, "\033[%zuA\033[J", lines);
		cmd_print_err(ctx, &text);
	}
	buf_release(&text);
}

/* Done: every run exists (and, with wait, has ended). */
static int
done(const struct sweep *s, const struct sweep_drive *d)
{
	for (size_t i = 0; i < s->len; i++)
		if (!s->repos[i].run || (d->wait && !is_final(&s->repos[i])))
			return 0;
	return 1;
}

/* What is on the terminal: the live table's lines, so that a message can clear it. */
struct live_view {
	struct cmd_ctx *ctx;
	const struct sweep *s;
	size_t lines;
};

static void
clear_view(void *userdata)
{
	struct live_view *v = userdata;
	clear_live(v->ctx, v->s, v->lines);
	v->lines = 0;
}

/* Seconds until --timeout, or 0 without one. */
static double
remaining(const struct sweep_drive *d, double started)
{
	if (!d->wait || d->timeout <= 0)
		return 0;
	double left = d->timeout - (isotime_now() - started);
	return left > 0.001 ? left : 0.001;
}

/*
 * Read the runs back, create what is missing, until done. A server that is
 * away (down, restarting, 5xx) is asked again at the next tick: the keys
 * make a creation that it did but did not answer return the run it made.
 */
static int
drive(struct cmd_ctx *ctx, struct server_watch *watch, struct live_view *view, struct sweep *s,
      struct sweep_drive *d, struct error *err)
{
	double started = isotime_now();
	char what[96];
	snprintf(what, sizeof(what), "sweep %s", s->id);
	for (unsigned tick = 0;; tick++) {
		struct api *api = server_watch_api(watch, remaining(d, started));
		struct error e = ERROR_INIT;
		if (read_runs(api, s, &e) == 0 && feed(ctx, api, s, d, &e) == 0) {
			server_watch_ok(watch, what);
		} else if (!server_watch_failed(watch, &e, what)) {
			*err = e;
			return -1;
		}
		report_finished(ctx, s);
		if (d->interrupted || done(s, d))
			break;
		if (d->wait && d->timeout > 0 && isotime_now() - started > d->timeout) {
			d->timed_out = 1;
			break;
		}
		show_live(ctx, s, &view->lines, isotime_now() - started, tick);
		if (interrupt_sleep(POLL_SECONDS)) {
			d->interrupted = 1;
			break;
		}
	}
	return 0;
}

int
sweep_runs_drive(struct cmd_ctx *ctx, struct api *api, struct sweep *s, struct sweep_drive *d,
		 struct error *err)
{
	struct live_view view = { ctx, s, 0 };
	struct server_watch watch;
	struct buf away = BUF_INIT;
	server_watch_init(&watch, ctx, api, clear_view, &view);
	interrupt_install();
	int rc = drive(ctx, &watch, &view, s, d, err);
	clear_view(&view);
	server_watch_away_text(&watch, &away);
	server_watch_release(&watch);
	struct sweep_tally t;
	sweep_runs_tally(s, &t);
	if (d->interrupted && t.missing)
		cmd_warn(ctx,
			 "stopped with %zu of %zu runs created%s; run the same command again to "
			 "create the rest (sweep %s)",
			 s->len - t.missing, s->len, buf_str(&away), s->id);
	else if (d->interrupted || d->timed_out)
		cmd_warn(ctx,
			 "%s with %zu run%s unfinished%s; they go on ('mahavishnu sweep status')",
			 d->timed_out ? "gave up waiting" : "stopped waiting", t.unfinished,
			 t.unfinished == 1 ? "" : "s", buf_str(&away));
	buf_release(&away);
	return rc;
}

void
sweep_runs_tally(const struct sweep *s, struct sweep_tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < s->len; i++) {
		const struct sweep_repo *r = &s->repos[i];
		const char *type = run_type(r);
		t->missing += !r->run;
		t->unfinished += r->run && !is_final(r);
		t->completed += type && !strcmp(type, "COMPLETED");
		t->failed += is_final(r) && strcmp(type, "COMPLETED");
	}
	t->status = t->missing          ? "incomplete" :
		    t->unfinished       ? "running" :
		    t->failed == s->len ? "failed" :
		    t->failed           ? "partial" :
					  "completed";
}

static json_t *
repo_doc(const struct sweep_repo *r, const char *ui_url)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "path", json_string_or_null(r->path));
	const char *id = r->run ? json_str(r->run, "id") : NULL;
	json_object_set_new(o, "run_id", json_string_or_null(id));
	json_object_set_new(o, "run_name",
			    json_string_or_null(r->run ? json_str(r->run, "name") : NULL));
	json_object_set_new(o, "state",
			    json_string_or_null(r->run ? json_str(r->run, "state_name") : NULL));
	json_object_set_new(o, "state_type", json_string_or_null(run_type(r)));
	json_object_set_new(o, "duration", r->run ? json_real(duration(r)) : json_null());
	json_object_set_new(o, "url",
			    id ? json_sprintf("%s/runs/flow-run/%s", ui_url, id) : json_null());
	return o;
}

static int
show_json(struct cmd_ctx *ctx, const struct sweep *s, const struct sweep_tally *t,
	  const char *ui_url)
{
	json_t *repos = json_array();
	for (size_t i = 0; i < s->len; i++)
		json_array_append_new(repos, repo_doc(&s->repos[i], ui_url));
	json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:I,s:I}", "sweep_id", s->id,
				"status", t->status, "deployment", json_str(s->deployment, "name"),
				"tag", s->tag ? s->tag : "", "repos", repos, "completed",
				(json_int_t)t->completed, "failed", (json_int_t)t->failed,
				"unfinished", (json_int_t)t->unfinished, "missing",
				(json_int_t)t->missing);
	int rc = cmd_print_json(ctx, doc);
	json_decref(doc);
	return rc;
}

/* "sweep 1a2b3c4d-...: partial: 4 completed, 1 failed (docs)" on stderr. */
static void
rollup(struct cmd_ctx *ctx, const struct sweep *s, const struct sweep_tally *t)
{
	struct buf line = BUF_INIT;
	buf_addf(&line, "sweep %s: %s: %zu completed", s->id, t->status, t->completed);
	if (t->failed) {
		buf_addf(&line, ", %zu did not complete (", t->failed);
		for (size_t i = 0, n = 0; i < s->len; i++)
			if (is_final(&s->repos[i]) && strcmp(run_type(&s->repos[i]), "COMPLETED"))
				buf_addf(&line, "%s%s", n++ ? ", " : "", s->repos[i].name);
		buf_addc(&line, ')');
	}
	if (t->unfinished)
		buf_addf(&line, ", %zu unfinished", t->unfinished);
	if (t->missing)
		buf_addf(&line, ", %zu not created", t->missing);
	buf_addc(&line, '\n');
	cmd_print_err(ctx, &line);
	buf_release(&line);
}

int
sweep_runs_show(struct cmd_ctx *ctx, const struct sweep *s, const char *title)
{
	struct sweep_tally t;
	char *ui_url = NULL;
	struct error err = ERROR_INIT;
	sweep_runs_tally(s, &t);
	if (ctx->term.format != OUTPUT_TABLE) {
		if (config_ui_url(&ctx->config, &ui_url, &err) < 0)
			return cmd_fail(ctx, &err);
		int rc = show_json(ctx, s, &t, ui_url);
		free(ui_url);
		rollup(ctx, s, &t);
		return rc;
	}
	cmd_print_table(ctx, runs_table(s, title));
	rollup(ctx, s, &t);
	return EXIT_OK;
}
