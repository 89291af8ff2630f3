/*
 * Fuzz target for what reads the server's answers: the accessors of
 * src/api/ (flow runs, deployments, schedules, work pools, parameter
 * schemas, run graphs, ID prefixes, error bodies) and the views of
 * src/cmd/prefect/ that turn runs, deployments, flows, schedules and logs
 * into table rows, JSON and text. Feeds: the input as the body of an
 * answer (error text), and, when it parses as JSON, the document as each
 * kind of object, every element of an array and of its "schedules" as
 * well. Checks: no sanitizer report, whatever the shape or types of the
 * fields; rendered rows and graphs come out as text without control
 * characters but newlines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/graph.h"
#include "api/parameters.h"
#include "api/refs.h"
#include "api/schedules.h"
#include "api/work_pools.h"
#include "cmd/prefect/deployment_view.h"
#include "cmd/prefect/flow_view.h"
#include "cmd/prefect/run_view.h"
#include "cmd/prefect/schedule_view.h"
#include "core/buf.h"
#include "graph/graph.h"
#include "ui/table.h"

/* 2026-03-08T06:00:00Z, near a daylight-saving change in America/New_York. */
#define NOW 1772949600

static void
check_text(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
}

static void
render(struct table *t)
{
	struct term term = { .format = OUTPUT_TABLE, .color = 0, .width = 100 };
	struct buf out = BUF_INIT;
	table_render(t, &term, &out);
	check_text(&out);
	buf_release(&out);
	table_free(t);
}

static void
as_schedule(const json_t *schedule, const json_t *deployment)
{
	struct prefect_schedule s;
	struct sched engine;
	struct sched_time next;
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;

	prefect_schedule_read(schedule, &s);
	prefect_schedule_is_active(schedule);
	prefect_schedule_like(deployment, &s, NULL);
	prefect_schedule_like(deployment, &s, prefect_deployment_parameters(deployment));
	schedule_view_type(schedule);
	schedule_view_zone(schedule);
	schedule_view_expr(&out, schedule);
	if (schedule_view_engine(&engine, schedule, &err) == 0)
		sched_release(&engine);
	if (schedule_view_next(schedule, deployment, NOW, &next) == 1) {
		schedule_view_time(&out, &next, 1);
		schedule_view_utc(&out, next.at);
	}
	json_decref(schedule_view_json(schedule, deployment, NOW));
	buf_release(&out);
}

static void
as_graph(const json_t *doc)
{
	struct run_graph run = RUN_GRAPH_INIT;
	struct error err = ERROR_INIT;

	if (run_graph_decode(&run, doc, json_object_get(doc, "task_runs"), &err) == 0) {
		struct graph g;
		struct buf out = BUF_INIT;
		graph_init(&g, "run");
		graph_from_run(&g, &run);
		graph_write_mermaid(&g, "run", &out);
		graph_write_dot(&g, "run", &out);
		check_text(&out);
		buf_release(&out);
		graph_release(&g);
	}
	run_graph_release(&run);
}

static void
as_object(const json_t *doc)
{
	struct error err = ERROR_INIT;
	struct buf out = BUF_INIT;
	long limit;
	size_t i;
	json_t *item;

	prefect_flow_run_pool(doc);
	prefect_deployment_schema(doc);
	prefect_deployment_pool(doc);
	prefect_deployment_directory(doc);
	prefect_deployment_check_params(doc, prefect_deployment_parameters(doc), &err);
	prefect_deployment_check_params(doc, json_object_get(doc, "params"), &err);
	prefect_params_check(doc, json_object_get(doc, "params"), NULL, &err);
	prefect_work_pool_limit(doc, &limit);
	run_view_log_line(&out, doc, 0);
	check_text(&out);
	buf_release(&out);
	json_decref(flow_view_json(doc));

	struct table *runs = table_new("runs"), *deployments = table_new("deployments"),
		     *flows = table_new("flows");
	run_view_columns(runs);
	run_view_row(runs, doc);
	render(runs);
	deployment_view_columns(deployments);
	deployment_view_row(deployments, doc, NOW);
	render(deployments);
	flow_view_columns(flows);
	flow_view_row(flows, doc, NOW);
	render(flows);

	as_schedule(doc, doc);
	json_array_foreach(json_object_get(doc, "schedules"), i, item)
		as_schedule(item, doc);
	as_graph(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf raw = BUF_INIT, text = BUF_INIT;
	struct error err = ERROR_INIT;
	json_t *doc = NULL;
	size_t i;
	json_t *item;

	api_error_text(&text, 422, (const char *)data, size);
	buf_release(&text);
	buf_add(&raw, data, size);
	if (api_decode(&raw, &doc, &err) == 0) {
		as_object(doc);
		json_array_foreach(doc, i, item)
			as_object(item);
		json_t *matches = prefect_match_id_prefix(doc, "abcd");
		if (json_array_size(matches) > 1)
			prefect_ambiguous(&err, "abcd", "runs", matches);
		json_decref(matches);
	}
	json_decref(doc);
	buf_release(&raw);
	return 0;
}
