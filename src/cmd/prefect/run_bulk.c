/* One action on many flow runs: selection, dry run, confirmation, action and summary (run_bulk.h). */
#include "cmd/prefect/run_bulk.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "api/jobs.h"
#include "api/refs.h"
#include "cli/interrupt.h"
#include "cli/list.h"
#include "cmd/prefect/run_filter_options.h"
#include "cmd/prefect/run_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "ui/table.h"

#define IN_FLIGHT 4
#define MAX_OUTCOMES 16

/* One run of the selection (or a reference on stdin that found none). */
struct entry {
	const char *ref; /* as given on stdin; NULL for runs a filter found */
	json_t *run;     /* NULL when ref found none */
	int act;         /* to be acted on */
	struct run_bulk_result r;
};

struct bulk {
	struct cmd_ctx *ctx;
	const struct run_bulk_action *action;
	struct entry *e;
	size_t n, alloc;
	size_t nact;
	struct entry **chosen; /* the entries to act on, nact of them */
	atomic_size_t runs_done;
	double started;
	unsigned tick;
};

int
run_bulk_fail(struct run_bulk_result *r, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->outcome = "failed";
	r->failed = 1;
	free(r->reason);
	r->reason = buf_detach(&b);
	return 0;
}

int
run_bulk_parse_age(const char *s, double *seconds)
{
	static const struct {
		char unit;
		double seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	char *end;
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	double n = strtod(s, &end);
	if (end == s || !end[0] || end[1] || !isfinite(n))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*end == units[i].unit) {
			*seconds = n * units[i].seconds;
			return 0;
		}
	}
	return -1;
}

void
run_bulk_read_refs(FILE *in, struct strlist *ids)
{
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, in) >= 0) {
		char *s = line, *end;
		while (isspace((unsigned char)*s))
			s++;
		end = s + strlen(s);
		while (end > s && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*s && *s != '#' && !strlist_contains(ids, s))
			strlist_add(ids, s);
	}
	free(line);
}

static int
filters_given(const struct run_bulk_args *a)
{
	return a->flow || a->deployment || a->states.len || a->tags.len || a->since || a->until ||
	       a->older_than;
}

int
run_bulk_wanted(const struct run_bulk_args *a, const char *ref)
{
	return filters_given(a) || a->dry_run || (ref && !strcmp(ref, "-"));
}

void
run_bulk_args_release(struct run_bulk_args *a)
{
	strlist_release(&a->states);
	strlist_release(&a->tags);
}

/* ---- what is selected, checked before any request ---- */

static int
parse_older_than(const char *value, char iso[32], struct error *err)
{
	double age, t;
	if (run_bulk_parse_age(value, &age) < 0)
		return error_set(err, ERROR_USAGE,
				 "option '--older-than': '%s' is not an age such as 90s, 30m, 6h, "
				 "7d, 2w",
				 value);
	t = isotime_now() - age;
	if (t < ISOTIME_MIN)
		return error_set(err, ERROR_USAGE,
				 "option '--older-than': '%s' reaches before 0001-01-01", value);
	isotime_format_utc(t, iso);
	return 0;
}

/* The times of the filter, as ISO text kept by the caller. */
struct times {
	char since[32];
	char until[32];
};

static int
check_times(const struct run_bulk_args *a, struct flow_run_filter *f, struct times *t,
	    struct error *err)
{
	if (a->until && a->older_than)
		return error_set(err, ERROR_USAGE, "give --until or --older-than, not both");
	if (a->since && run_filter_time_iso("since", a->since, t->since, err) < 0)
		return -1;
	if (a->until && run_filter_time_iso("until", a->until, t->until, err) < 0)
		return -1;
	if (a->older_than && parse_older_than(a->older_than, t->until, err) < 0)
		return -1;
	f->since = a->since ? t->since : NULL;
	f->until = a->until || a->older_than ? t->until : NULL;
	return 0;
}

static int
check_selection(const struct run_bulk_args *a, const char *ref, struct error *err)
{
	int stdin_ids = ref && !strcmp(ref, "-");
	if (ref && filters_given(a)) {
		error_set(err, ERROR_USAGE, "give %s or filters, not both",
			  stdin_ids ? "run IDs on standard input ('-')" : "a RUN");
		return error_hint(err, "filters (--flow, --deployment, --state, --tag, --since, "
				       "--until, --older-than) select the runs themselves");
	}
	if (!ref && !filters_given(a)) {
		error_set(err, ERROR_USAGE, "missing argument RUN (or filters selecting runs)");
		return error_hint(err, "give a RUN, '-' to read run IDs from standard input, or "
				       "--flow, --deployment, --state, --tag, --since, --until, "
				       "--older-than");
	}
	return 0;
}

static int
check_args(struct cmd_ctx *ctx, const struct run_bulk_args *a, const char *ref,
	   const struct run_bulk_action *action, struct flow_run_filter *f, struct times *t,
	   struct error *err)
{
	if (check_selection(a, ref, err) < 0 || run_filter_add_states(f, &a->states, err) < 0 ||
	    check_times(a, f, t, err) < 0)
		return -1;
	for (size_t i = 0; i < a->tags.len; i++)
		strlist_add(&f->tags, a->tags.items[i]);
	if (a->dry_run || a->yes || ctx->term.in_tty)
		return 0;
	error_set(err, ERROR_USAGE, "not %s flow runs without confirmation", action->doing);
	return error_hint(err,
			  "pass --yes to %s them without asking, or --dry-run to see which "
			  "runs it would %s",
			  action->verb, action->verb);
}

/* ---- the selection ---- */

static struct entry *
add_entry(struct bulk *b, const char *ref, json_t *run)
{
	if (b->n == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 64;
		b->e = xrealloc(b->e, b->alloc * sizeof(*b->e));
	}
	struct entry *e = &b->e[b->n++];
	*e = (struct entry){ .ref = ref, .run = run ? json_incref(run) : NULL };
	return e;
}

static int
take_page(json_t *rows, void *userdata, struct error *err)
{
	struct bulk *b = userdata;
	json_t *run;
	size_t i;
	(void)err;
	json_array_foreach(rows, i, run)
		add_entry(b, NULL, run);
	return interrupt_requested() ? 1 : 0;
}

static int
select_by_filter(struct api *api, const struct run_bulk_args *a, struct flow_run_filter *f,
		 struct bulk *b, struct error *err)
{
	json_t *flow = NULL, *deployment = NULL;
	int rc = 0;
	if (a->flow && (rc = prefect_flow_find(api, a->flow, &flow, err)) == 0)
		f->flow_id = json_str(flow, "id");
	if (rc == 0 && a->deployment &&
	    (rc = prefect_deployment_find(api, a->deployment, &deployment, err)) == 0)
		f->deployment_id = json_str(deployment, "id");
	if (rc == 0)
		rc = prefect_flow_run_stream(api, f, 0, take_page, b, err);
	f->flow_id = f->deployment_id = NULL;
	json_decref(flow);
	json_decref(deployment);
	return rc;
}

/* Find the run of entry `job` (a reference from stdin); one that is not there is its result. */
static int
find_one(struct api *api, size_t job, void *userdata, struct error *err)
{
	struct bulk *b = userdata;
	struct entry *e = &b->e[job];
	struct error e2 = ERROR_INIT;
	if (prefect_flow_run_find(api, e->ref, &e->run, &e2) == 0)
		return 0;
	if (error_is_network(&e2) || e2.kind == ERROR_INTERRUPTED) {
		*err = e2;
		return -1;
	}
	if (e2.kind == ERROR_NOT_FOUND && b->action->absent_done && prefect_is_uuid(e->ref))
		e->r.outcome = "already gone";
	else
		run_bulk_fail(&e->r, "%s", e2.message);
	return 0;
}

static int
select_refs(struct api *api, const struct strlist *refs, struct bulk *b, struct error *err)
{
	for (size_t i = 0; i < refs->len; i++)
		add_entry(b, refs->items[i], NULL);
	struct api_jobs j = {
		.count = b->n, .in_flight = IN_FLIGHT, .run = find_one, .userdata = b
	};
	if (api_run_jobs(api, &j, NULL, NULL, err) < 0)
		return -1;
	json_t *found = json_array();
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].run)
			json_array_append(found, b->e[i].run);
	int rc = prefect_flow_run_add_names(api, found, err);
	json_decref(found);
	return rc;
}

static int
select_runs(struct cmd_ctx *ctx, const struct run_bulk_args *a, const char *ref,
	    struct flow_run_filter *f, struct bulk *b, struct strlist *refs, struct error *err)
{
	if (!ref)
		return select_by_filter(ctx->api, a, f, b, err);
	if (!strcmp(ref, "-"))
		run_bulk_read_refs(stdin, refs);
	else
		strlist_add(refs, ref);
	return select_refs(ctx->api, refs, b, err);
}

/* Which runs are to be acted on; a run named twice is acted on once. */
static void
check_runs(struct bulk *b)
{
	json_t *seen = json_object();
	b->chosen = xcalloc(b->n ? b->n : 1, sizeof(*b->chosen));
	for (size_t i = 0; i < b->n; i++) {
		struct entry *e = &b->e[i];
		if (!e->run || e->r.outcome)
			continue;
		const char *id = json_str(e->run, "id");
		if (json_object_get(seen, id)) {
			e->r.outcome = "named twice";
			continue;
		}
		json_object_set_new(seen, id, json_true());
		e->act = !b->action->check || b->action->check(e->run, &e->r, b->action->data);
		if (e->act)
			b->chosen[b->nact++] = e;
	}
	json_decref(seen);
}

/* ---- --dry-run ---- */

static void
dry_row(struct table *t, const json_t *run, void *unused)
{
	(void)unused;
	run_view_row(t, run);
}

static size_t
count_failed(const struct bulk *b)
{
	size_t failed = 0;
	for (size_t i = 0; i < b->n; i++)
		failed += b->e[i].r.failed;
	return failed;
}

/* What is left as it is or failed, one line each on stderr. */
static void
note_left(struct bulk *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct entry *e = &b->e[i];
		const char *what = e->run ? json_str(e->run, "id") : e->ref;
		if (e->r.failed)
			cmd_warn(b->ctx, "flow run '%s': %s", what, e->r.reason);
		else if (!e->act && strcmp(e->r.outcome, "named twice"))
			cmd_warn(b->ctx, "flow run '%s': %s, left as it is", what, e->r.outcome);
	}
}

static int
dry_run(struct bulk *b)
{
	char title[64];
	snprintf(title, sizeof(title), "Flow Runs to %c%s",
		 toupper((unsigned char)b->action->verb[0]), b->action->verb + 1);
	struct list_view view = {
		.title = title, .noun = "flow runs", .columns = run_view_columns, .row = dry_row
	};
	json_t *runs = json_array();
	for (size_t i = 0; i < b->nact; i++)
		json_array_append(runs, b->chosen[i]->run);
	note_left(b);
	cmd_print_list(b->ctx, &view, runs);
	json_decref(runs);
	return count_failed(b) ? EXIT_ERROR : EXIT_OK;
}

/* ---- the action ---- */

static int
confirm(struct bulk *b, const struct run_bulk_args *a, struct error *err)
{
	char question[160];
	if (a->yes)
		return 0;
	snprintf(question, sizeof(question), "%c%s %zu flow run%s?",
		 toupper((unsigned char)b->action->verb[0]), b->action->verb + 1, b->nact,
		 b->nact == 1 ? "" : "s");
	int answer = cmd_confirm(b->ctx, question);
	if (answer < 0) {
		error_set(err, ERROR_USAGE, "not %s flow runs without confirmation",
			  b->action->doing);
		return error_hint(err, "pass --yes to %s them without asking", b->action->verb);
	}
	return answer ? 0 : error_set(err, ERROR_INVALID, "no flow runs were %s", b->action->done);
}

static int
act_batch(struct api *api, size_t job, void *userdata, struct error *err)
{
	struct bulk *b = userdata;
	size_t from = job * b->action->batch, n = b->nact - from;
	if (n > b->action->batch)
		n = b->action->batch;
	json_t **runs = xcalloc(n, sizeof(*runs));
	struct run_bulk_result *results = xcalloc(n, sizeof(*results));
	for (size_t i = 0; i < n; i++)
		runs[i] = b->chosen[from + i]->run;
	int rc = b->action->act(api, runs, n, results, b->action->data, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		b->chosen[from + i]->r = results[i];
	if (rc < 0)
		for (size_t i = 0; i < n; i++) {
			free(results[i].reason);
			json_decref(results[i].made);
		}
	if (rc == 0)
		atomic_fetch_add(&b->runs_done, n);
	free(results);
	free(runs);
	return rc;
}

static int
show_progress(size_t jobs_done, void *userdata)
{
	struct bulk *b = userdata;
	struct buf label = BUF_INIT;
	(void)jobs_done;
	buf_addf(&label, "%s runs", b->action->doing);
	cmd_progress_count(b->ctx, buf_str(&label), atomic_load(&b->runs_done), b->nact,
			   isotime_now() - b->started, b->tick++);
	buf_release(&label);
	return interrupt_requested();
}

static int
act(struct bulk *b, struct error *err)
{
	const struct run_bulk_action *a = b->action;
	struct api_jobs j = { .count = (b->nact + a->batch - 1) / a->batch,
			      .in_flight = IN_FLIGHT,
			      .run = act_batch,
			      .userdata = b,
			      .tick = show_progress,
			      .tick_userdata = b };
	int stopped = 0;
	b->started = isotime_now();
	int rc = api_run_jobs(b->ctx->api, &j, NULL, &stopped, err);
	cmd_progress_clear(b->ctx);
	for (size_t i = 0; i < b->nact; i++)
		if (!b->chosen[i]->r.outcome)
			b->chosen[i]->r.outcome = "not done";
	if (rc == 0 && stopped)
		error_set(err, ERROR_INTERRUPTED, "interrupted");
	return rc == 0 && !stopped ? 0 : -1;
}

/* ---- the summary ---- */

struct tally {
	const char *outcome[MAX_OUTCOMES];
	size_t count[MAX_OUTCOMES];
	size_t n;
};

static void
tally_add(struct tally *t, const char *outcome)
{
	size_t i = 0;
	while (i < t->n && strcmp(t->outcome[i], outcome))
		i++;
	if (i == t->n) {
		if (t->n == MAX_OUTCOMES)
			return;
		t->outcome[t->n++] = outcome;
	}
	t->count[i]++;
}

static void
tally_of(const struct bulk *b, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < b->n; i++)
		tally_add(t, b->e[i].r.outcome);
}

static json_t *
entry_json(const struct entry *e)
{
	json_t *o = json_pack("{s:O?,s:O?,s:s}", "id",
			      e->run ? json_object_get(e->run, "id") : NULL, "name",
			      e->run ? json_object_get(e->run, "name") : NULL, "outcome",
			      e->r.outcome);
	if (!e->run)
		json_object_set_new(o, "ref", json_string(e->ref));
	if (e->r.reason)
		json_object_set_new(o, "reason", json_string(e->r.reason));
	if (e->r.made)
		json_object_set(o, "new_run", e->r.made);
	return o;
}

static int
summary_json(const struct bulk *b, const struct tally *t)
{
	json_t *outcomes = json_object(), *runs = json_array();
	for (size_t i = 0; i < t->n; i++)
		json_object_set_new(outcomes, t->outcome[i], json_integer((json_int_t)t->count[i]));
	for (size_t i = 0; i < b->n; i++)
		json_array_append_new(runs, entry_json(&b->e[i]));
	json_t *doc = json_pack("{s:s,s:I,s:I,s:o,s:o}", "action", b->action->verb, "selected",
				(json_int_t)b->n, "failed", (json_int_t)count_failed(b), "outcomes",
				outcomes, "runs", runs);
	cmd_print_json(b->ctx, doc);
	json_decref(doc);
	return EXIT_OK;
}

static void
failures_table(const struct bulk *b, struct buf *out)
{
	size_t failed = count_failed(b);
	if (!failed)
		return;
	struct table *t = table_new_counted("Failed", failed);
	table_add_column(t, "Run", ALIGN_LEFT, COLUMN_ID);
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_SHRINK);
	table_column_fit(t, 1, 8);
	table_add_column(t, "Reason", ALIGN_LEFT, 0); /* the server's message, whole */
	for (size_t i = 0; i < b->n; i++) {
		const struct entry *e = &b->e[i];
		if (!e->r.failed)
			continue;
		table_add_row(t);
		table_cell(t, e->run ? json_str(e->run, "id") : e->ref, STYLE_NAME);
		table_cell(t, e->run ? json_str(e->run, "name") : "-", STYLE_NONE);
		table_cell(t, e->r.reason, STYLE_FAILURE);
	}
	table_render(t, &b->ctx->term, out);
	table_free(t);
}

static enum style
outcome_style(const char *outcome)
{
	if (!strcmp(outcome, "failed"))
		return STYLE_FAILURE;
	if (!strcmp(outcome, "not done"))
		return STYLE_PROGRESS;
	return STYLE_SUCCESS;
}

static int
summary(const struct bulk *b)
{
	struct tally t;
	char title[96];
	struct buf out = BUF_INIT, n = BUF_INIT;
	tally_of(b, &t);
	if (b->ctx->term.format == OUTPUT_JSON)
		return summary_json(b, &t);
	snprintf(title, sizeof(title), "%c%s: %zu Flow Run%s",
		 toupper((unsigned char)b->action->verb[0]), b->action->verb + 1, b->n,
		 b->n == 1 ? "" : "s");
	struct table *tab = table_new(title);
	table_add_column(tab, "Outcome", ALIGN_LEFT, 0);
	table_add_column(tab, "Runs", ALIGN_RIGHT, 0);
	for (size_t i = 0; i < t.n; i++) {
		table_add_row(tab);
		table_cell(tab, t.outcome[i], outcome_style(t.outcome[i]));
		buf_reset(&n);
		buf_addf(&n, "%zu", t.count[i]);
		table_cell(tab, buf_str(&n), STYLE_NONE);
	}
	table_render(tab, &b->ctx->term, &out);
	table_free(tab);
	failures_table(b, &out);
	cmd_print(b->ctx, &out);
	buf_release(&out);
	buf_release(&n);
	return EXIT_OK;
}

/* How far an action that stopped got, and how to do the rest. */
static int
stopped(const struct bulk *b, struct error *err)
{
	size_t done = atomic_load(&b->runs_done);
	if (err->kind == ERROR_INTERRUPTED)
		error_set(err, ERROR_INTERRUPTED, "interrupted with %zu of %zu flow runs %s", done,
			  b->nact, b->action->done);
	else
		error_prefix(err, "stopped with %zu of %zu flow runs %s", done, b->nact,
			     b->action->done);
	return error_hint(err, "run the same command again to do the rest: what is done is "
			       "not done twice");
}

static int
carry_out(struct bulk *b, const struct run_bulk_args *a, struct error *err)
{
	if (b->nact && confirm(b, a, err) < 0)
		return cmd_fail(b->ctx, err);
	if (b->nact && act(b, err) < 0) {
		summary(b);
		stopped(b, err);
		return interrupt_exit_code(cmd_fail(b->ctx, err));
	}
	summary(b);
	return count_failed(b) ? EXIT_ERROR : EXIT_OK;
}

static void
bulk_release(struct bulk *b)
{
	for (size_t i = 0; i < b->n; i++) {
		json_decref(b->e[i].run);
		json_decref(b->e[i].r.made);
		free(b->e[i].r.reason);
	}
	free(b->e);
	free(b->chosen);
}

int
run_bulk(struct cmd_ctx *ctx, const struct run_bulk_args *a, const char *ref,
	 const struct run_bulk_action *action)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	struct bulk b = { .ctx = ctx, .action = action };
	struct strlist refs = STRLIST_INIT;
	struct times t;
	struct error err = ERROR_INIT;
	int rc;
	interrupt_install();
	if (check_args(ctx, a, ref, action, &f, &t, &err) < 0 ||
	    select_runs(ctx, a, ref, &f, &b, &refs, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else if (interrupt_requested()) {
		error_set(&err, ERROR_INTERRUPTED,
			  "interrupted while reading the runs; nothing "
			  "was changed");
		rc = interrupt_exit_code(cmd_fail(ctx, &err));
	} else {
		check_runs(&b);
		rc = a->dry_run ? dry_run(&b) : carry_out(&b, a, &err);
	}
	bulk_release(&b);
	strlist_release(&refs);
	flow_run_filter_release(&f);
	return rc;
}

int
run_bulk_command(struct cmd_ctx *ctx, int argc, char **argv, const struct run_bulk_action *action,
		 int (*one)(struct cmd_ctx *ctx, const char *ref, int yes))
{
	const char *ref = NULL;
	struct run_bulk_args a = RUN_BULK_ARGS_INIT;
	/* clang-format off */
	const struct opt_spec options[] = {
		RUN_BULK_OPTIONS(&a),
		OPT_POS_OPTIONAL("RUN", &ref, "Run ID, unique ID prefix, or run name; '-': IDs on stdin"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK)
		rc = run_bulk_wanted(&a, ref) || !ref ? run_bulk(ctx, &a, ref, action) :
							one(ctx, ref, a.yes);
	run_bulk_args_release(&a);
	return rc == CMD_DONE ? EXIT_OK : rc;
}
