/*
 * The width policy (docs/output.md, "Width policy") on the tables and
 * panels commands draw, with realistic rows, at 40, 80, 120 and 200
 * columns: no line wider than the width, the values a user came for (flow
 * names, cron expressions, unique ID prefixes, whole UUIDs, failure messages
 * and URLs in panels) present whole, the least important columns dropped
 * first and named under the table, and -o wide showing every column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/command.h"
#include "cmd/prefect/deployment_view.h"
#include "cmd/prefect/flow_view.h"
#include "cmd/prefect/run_view.h"
#include "cmd/prefect/schedule_view.h"
#include "cmd/repos/repo_view.h"
#include "test_helpers.h"
#include "ui/panel.h"
#include "ui/table.h"
#include "ui/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const int widths[] = { 40, 80, 120, 200 };

#define RUN_A "019ae4c2-5b1f-7c3a-9d2e-4f6a8b0c1d2e"
#define RUN_B "019ae4c2-5b20-7d11-8e0f-112233445566"
#define RUN_C "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"
#define MESSAGE                                                                            \
	"Flow run encountered an exception: RuntimeError: forced failure for testing the " \
	"width policy"
#define UI_URL "http://127.0.0.1:4200"

/* Every line of text (colour stripped) fits in width columns. */
static void
assert_fits(const char *text, int width)
{
	char *plain = strip_sgr(text);
	char *save = NULL;
	for (char *l = strtok_r(plain, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (text_width(l) > (size_t)width)
			fail_msg("%zu columns > %d: %s", text_width(l), width, l);
	}
	free(plain);
}

/* Whether want is whole on one line of text. */
static int
on_one_line(const char *text, const char *want)
{
	const char *at = strstr(text, want);
	return at && !memchr(at, '\n', strlen(want));
}

/* want whole on one line of text, which is shown when it is not. */
static void
assert_one_line(const char *text, const char *want)
{
	if (!on_one_line(text, want))
		fail_msg("'%s' is not whole on one line of:\n%s", want, text);
}

/*
 * A panel's text with its borders and all blanks taken out, so that a value
 * wrapped onto continuation lines reads as one string again.
 */
static char *
unwrapped(const char *text)
{
	struct buf out = BUF_INIT;
	static const char *const frame[] = { "│", "┃", "┏", "┓", "┡", "┩",
					     "└", "┘", "━", "─", "┌", "┐" };
	for (const char *p = text; *p;) {
		size_t skip = 0;
		for (size_t i = 0; i < ARRAY_LEN(frame) && !skip; i++)
			if (!strncmp(p, frame[i], strlen(frame[i])))
				skip = strlen(frame[i]);
		if (!skip && (*p == ' ' || *p == '\n'))
			skip = 1;
		if (!skip)
			buf_addc(&out, *p);
		p += skip ? skip : 1;
	}
	return buf_detach(&out);
}

/* want, its blanks taken out, in the unwrapped text. */
static void
assert_whole_in_panel(const char *text, const char *want)
{
	char *flat = unwrapped(text);
	char *bare = unwrapped(want);
	if (!strstr(flat, bare))
		fail_msg("'%s' is not whole in:\n%s", want, text);
	free(bare);
	free(flat);
}

static json_t *
json_of(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);
	if (!v)
		fail_msg("bad test JSON: %s", e.text);
	return v;
}

static char *
render_wide(struct table *t)
{
	struct term term = { .format = OUTPUT_TABLE, .width = 40, .wide = 1 };
	struct buf out = BUF_INIT;
	table_render(t, &term, &out);
	return buf_detach(&out);
}

/* ---- flow-runs list ---- */

static const char *const runs_json =
	"[{\"id\": \"" RUN_A "\", \"name\": \"crimson-wombat\", \"flow_name\": "
	"\"nightly-etl\", \"state_type\": \"COMPLETED\", \"state_name\": \"Completed\", "
	"\"start_time\": \"2026-12-03T10:00:00Z\", \"total_run_time\": 12.5},"
	"{\"id\": \"" RUN_B "\", \"name\": \"gleaming-platypus\", \"flow_name\": "
	"\"nightly-etl\", \"state_type\": \"SCHEDULED\", \"state_name\": "
	"\"AwaitingConcurrencySlot\", \"expected_start_time\": \"2026-12-03T11:00:00Z\"},"
	"{\"id\": \"" RUN_C "\", \"name\": \"x\", \"flow_name\": \"my-flow\", \"state_type\": "
	"\"FAILED\", \"state_name\": \"Failed\", \"start_time\": \"2026-12-03T09:00:00Z\", "
	"\"total_run_time\": 3}]";

static struct table *
runs_table(void)
{
	json_t *runs = json_of(runs_json), *run;
	struct table *t = table_new("Flow Runs (3)");
	size_t i;
	run_view_columns(t);
	json_array_foreach(runs, i, run)
		run_view_row(t, run);
	json_decref(runs);
	return t;
}

static void
test_flow_runs_list(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		struct table *t = runs_table();
		char *got = render_table(t, widths[i], 0);
		assert_fits(got, widths[i]);
		/* the flow name is never squeezed, the unique ID prefixes are whole */
		assert_one_line(got, "nightly-etl");
		assert_one_line(got, "my-flow");
		assert_one_line(got, "019ae4c2-5b1…"); /* time-ordered: 11 characters in common */
		assert_one_line(got, "019ae4c2-5b2…");
		assert_one_line(got, "3f2a1b0c-9d8…");
		if (widths[i] > 40) /* at 40 the state wraps: the ID and the flow keep their line */
			assert_one_line(got, "AwaitingConcurrencySlot");
		/* the generated run name goes first; at 200 nothing goes */
		if (widths[i] <= 80)
			assert_non_null(strstr(got, "Not shown for want of room: Name"));
		if (widths[i] == 200)
			assert_null(strstr(got, "Not shown"));
		free(got);
		table_free(t);
	}
}

static void
test_flow_runs_list_wide_shows_every_column(void **state)
{
	(void)state;
	struct table *t = runs_table();
	char *got = render_wide(t);
	static const char *const headers[] = { "Run ID", "Name",       "Flow",
					       "Status", "Start Time", "Duration" };
	for (size_t i = 0; i < ARRAY_LEN(headers); i++)
		assert_non_null(strstr(got, headers[i]));
	assert_one_line(got, RUN_A); /* IDs in full */
	assert_one_line(got, "gleaming-platypus");
	assert_null(strstr(got, "…"));
	assert_null(strstr(got, "Not shown"));
	free(got);
	table_free(t);
}

/* ---- flow list, deployment list, repos list ---- */

static void
test_flow_list(void **state)
{
	(void)state;
	json_t *flows = json_of(
		"[{\"id\": \"" RUN_A "\", \"name\": \"customer-data-sync-with-a-long-name\", "
		"\"version\": \"10.20.30-beta.4+build.567\", \"deployment_count\": 2, "
		"\"last_run\": {\"state_type\": \"RUNNING\", \"state_name\": \"Retrying\", "
		"\"start_time\": \"2026-12-03T10:00:00Z\"}},"
		"{\"id\": \"" RUN_C "\", \"name\": \"b\", \"deployment_count\": 0}]");
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		struct table *t = table_new("Prefect Flows (2)");
		json_t *f;
		size_t n;
		flow_view_columns(t);
		json_array_foreach(flows, n, f)
			flow_view_row(t, f, 1796000000.0);
		char *got = render_table(t, widths[i], 0);
		assert_fits(got, widths[i]);
		assert_one_line(got, "customer-data-sync-with-a-long-name");
		if (widths[i] > 40)
			assert_one_line(got, "019ae4c2…");
		free(got);
		table_free(t);
	}
	json_decref(flows);
}

static const char *const deployment_json =
	"{\"id\": \"" RUN_B "\", \"name\": \"production\", \"flow_name\": "
	"\"nightly-etl\", \"status\": \"READY\", \"work_pool_name\": "
	"\"kubernetes-pool-eu-west\", \"created\": \"2026-11-01T00:00:00Z\", "
	"\"entrypoint\": \"flows/etl.py:nightly\", \"description\": \"Loads the warehouse "
	"every night from the operational databases\", \"schedules\": [{\"schedule\": "
	"{\"cron\": \"0 2 * * 1-5\", \"timezone\": \"America/New_York\"}, \"active\": true}]}";

static void
test_deployment_list(void **state)
{
	(void)state;
	json_t *d = json_of(deployment_json);
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		struct table *t = table_new("Deployments (1)");
		deployment_view_columns(t);
		deployment_view_row(t, d, 1796000000.0);
		char *got = render_table(t, widths[i], 0);
		assert_fits(got, widths[i]);
		assert_one_line(got, "production");
		assert_one_line(got, "nightly-etl");
		if (strstr(got, "┃ Schedule"))
			assert_one_line(got, "0 2 * * 1-5"); /* shown whole or not at all */
		free(got);
		table_free(t);
	}
	json_decref(d);
}

static void
test_repos_list(void **state)
{
	(void)state;
	json_t *r = json_of("{\"name\": \"analytics-warehouse\", \"tags\": [\"etl\", \"prod\"], "
			    "\"path\": \"/home/someone/src/company/analytics-warehouse\", "
			    "\"description\": \"The warehouse's transformations and the nightly "
			    "loads\"}");
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		struct table *t = table_new("Repositories (1)");
		repo_view_columns(t);
		repo_view_row(t, r, NULL);
		char *got = render_table(t, widths[i], 0);
		assert_fits(got, widths[i]);
		assert_one_line(got, "analytics-warehouse");
		assert_whole_in_panel(got, "/home/someone/src/company/analytics-warehouse");
		free(got);
		table_free(t);
	}
	json_decref(r);
}

/* ---- panels: flow-runs get, deployment get, schedule get ---- */

/* What a view's show function prints at width columns. */
static char *
shown(int width, int (*show)(struct cmd_ctx *, const void *), const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	struct cmd_ctx ctx = { .path = "test" };
	ctx.term = (struct term){ .format = OUTPUT_TABLE, .width = width };
	ctx.out = open_memstream(&text, &len);
	assert_int_equal(show(&ctx, arg), 0);
	fclose(ctx.out);
	return text;
}

static int
show_run(struct cmd_ctx *ctx, const void *run)
{
	return run_view_show(ctx, run, UI_URL);
}

static int
show_deployment(struct cmd_ctx *ctx, const void *d)
{
	return deployment_view_show(ctx, d, "Deployment Details");
}

static int
show_schedule(struct cmd_ctx *ctx, const void *d)
{
	const json_t *dep = d;
	return schedule_view_show(ctx, json_array_get(json_object_get(dep, "schedules"), 0), dep,
				  "Schedule");
}

static void
test_flow_run_panel(void **state)
{
	(void)state;
	json_t *run = json_of(
		"{\"id\": \"" RUN_C "\", \"name\": \"crimson-wombat\", \"flow_name\": "
		"\"nightly-etl-pipeline\", \"state_type\": \"FAILED\", \"state_name\": \"Failed\", "
		"\"start_time\": \"2026-12-03T09:00:00Z\", \"end_time\": \"2026-12-03T09:00:03Z\", "
		"\"total_run_time\": 3, \"tags\": [\"nightly\"], \"parameters\": {\"x\": 1}, "
		"\"state\": {\"message\": \"" MESSAGE "\"}}");
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		char *got = shown(widths[i], show_run, run);
		assert_fits(got, widths[i]);
		assert_null(strstr(got, "…"));
		assert_one_line(got, RUN_C); /* a UUID fits a line even at 40 */
		assert_whole_in_panel(got, MESSAGE);
		assert_whole_in_panel(got, UI_URL "/runs/flow-run/" RUN_C);
		free(got);
	}
	json_decref(run);
}

static void
test_deployment_and_schedule_panels(void **state)
{
	(void)state;
	json_t *d = json_of(deployment_json);
	json_object_set_new(json_array_get(json_object_get(d, "schedules"), 0), "id",
			    json_string(RUN_A));
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		char *got = shown(widths[i], show_deployment, d);
		assert_fits(got, widths[i]);
		assert_null(strstr(got, "…"));
		assert_one_line(got, RUN_B);
		assert_one_line(got, "0 2 * * 1-5");
		assert_whole_in_panel(got, "Loads the warehouse every night from the operational "
					   "databases");
		free(got);
		got = shown(widths[i], show_schedule, d);
		assert_fits(got, widths[i]);
		assert_one_line(got, "0 2 * * 1-5");
		assert_one_line(got, RUN_A);
		free(got);
	}
	json_decref(d);
}

/* ---- the policy itself ---- */

/* Columns drop from the highest priority number; essential ones stay; the footnote names them. */
static void
test_least_important_drop_first(void **state)
{
	(void)state;
	struct table *t = table_new(NULL);
	table_add_column(t, "Key", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Second", ALIGN_LEFT, 0);
	table_column_fit(t, 2, 0);
	table_add_column(t, "First", ALIGN_LEFT, 0);
	table_column_fit(t, 5, 0);
	table_add_column(t, "Kept", ALIGN_LEFT, 0);
	table_add_row(t);
	table_cell(t, "0 2 * * 1-5", STYLE_NONE);
	table_cell(t, "second-to-go", STYLE_NONE);
	table_cell(t, "first-to-go", STYLE_NONE);
	table_cell(t, "essential", STYLE_NONE);
	char *got = render_table(t, 30, 0);
	assert_string_equal(got, "┏━━━━━━━━━━━━━┳━━━━━━━━━━━┓\n"
				 "┃ Key         ┃ Kept      ┃\n"
				 "┡━━━━━━━━━━━━━╇━━━━━━━━━━━┩\n"
				 "│ 0 2 * * 1-5 │ essential │\n"
				 "└─────────────┴───────────┘\n"
				 "Not shown for want of room:\n"
				 "Second, First (-o wide shows\n"
				 "every column)\n");
	free(got);
	table_free(t);
}

/* A shrinkable column gives way to its declared minimum before it is dropped. */
static void
test_shrink_to_minimum_then_drop(void **state)
{
	(void)state;
	for (int width = 20; width <= 60; width++) {
		struct table *t = table_new(NULL);
		table_add_column(t, "ID", ALIGN_LEFT, COLUMN_WHOLE);
		table_add_column(t, "Name", ALIGN_LEFT, COLUMN_SHRINK);
		table_column_fit(t, 1, 8);
		table_add_row(t);
		table_cell(t, "abcdef", STYLE_NONE);
		table_cell(t, "a-generated-name-that-is-long", STYLE_NONE);
		char *got = render_table(t, width, 0);
		assert_fits(got, width);
		assert_one_line(got, "abcdef");
		size_t natural = 1 + 9 + 3 + strlen("a-generated-name-that-is-long");
		if ((size_t)width >= natural)
			assert_one_line(got, "a-generated-name-that-is-long");
		else if (width >= 1 + 9 + 3 + 8)
			assert_non_null(strstr(got, "…"));
		else /* the footnote wraps at 20 */
			assert_true(strstr(got, "Not shown for want") && !strstr(got, "a-gen"));
		free(got);
		table_free(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_runs_list),
		cmocka_unit_test(test_flow_runs_list_wide_shows_every_column),
		cmocka_unit_test(test_flow_list),
		cmocka_unit_test(test_deployment_list),
		cmocka_unit_test(test_repos_list),
		cmocka_unit_test(test_flow_run_panel),
		cmocka_unit_test(test_deployment_and_schedule_panels),
		cmocka_unit_test(test_least_important_drop_first),
		cmocka_unit_test(test_shrink_to_minimum_then_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
