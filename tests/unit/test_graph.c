/*
 * Unit tests for src/graph and src/api/graph.c: the graph model (ids made
 * from labels, edges kept once, data edges winning over wait_for ones), a
 * static graph from the diamond fixture and a run's graph decoded from a
 * graph-v2 document with its task runs, both written as exact Mermaid and
 * DOT text, hostile labels escaped in both, a large mapped graph, and
 * Graphviz run as a filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/graph.h"
#include "core/xalloc.h"
#include "graph/graph.h"
#include "graph/graphviz.h"
#include "pyflow/pyflow.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char diamond_mermaid[] = "%% Flow diamond-etl: static graph\n"
				      "graph TD\n"
				      "    Start([Start])\n"
				      "    extract[\"extract\"]\n"
				      "    transform_rows[\"transform-rows\"]\n"
				      "    validate[\"validate\"]\n"
				      "    load[\"load\"]\n"
				      "    notify[\"notify\"]\n"
				      "    End([End])\n"
				      "    Start --> extract\n"
				      "    extract --> transform_rows\n"
				      "    extract --> validate\n"
				      "    transform_rows --> load\n"
				      "    validate --> load\n"
				      "    load -.-> notify\n"
				      "    notify --> End\n";

static const char diamond_dot[] =
	"// Flow diamond-etl: static graph\n"
	"digraph \"diamond-etl\" {\n"
	"    rankdir=TB;\n"
	"    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
	"fillcolor=\"#ffffff\", color=\"#6c757d\", fontcolor=\"#212529\"];\n"
	"    edge [color=\"#495057\"];\n"
	"    Start [label=\"Start\", shape=ellipse, fillcolor=\"#e9ecef\"];\n"
	"    extract [label=\"extract\"];\n"
	"    transform_rows [label=\"transform-rows\"];\n"
	"    validate [label=\"validate\"];\n"
	"    load [label=\"load\"];\n"
	"    notify [label=\"notify\"];\n"
	"    End [label=\"End\", shape=ellipse, fillcolor=\"#e9ecef\"];\n"
	"    Start -> extract;\n"
	"    extract -> transform_rows;\n"
	"    extract -> validate;\n"
	"    transform_rows -> load;\n"
	"    validate -> load;\n"
	"    load -> notify [style=dashed];\n"
	"    notify -> End;\n"
	"}\n";

/* The diamond's run as graph-v2 reports it: nodes by start time, task run names. */
static const char run_graph_json[] =
	"{\"root_node_ids\": [\"e\"], \"nodes\": ["
	"[\"e\", {\"kind\": \"task-run\", \"id\": \"e\", \"label\": \"extract-666\","
	" \"state_type\": \"COMPLETED\", \"parents\": [],"
	" \"children\": [{\"id\": \"v\"}, {\"id\": \"t\"}]}],"
	"[\"v\", {\"kind\": \"task-run\", \"id\": \"v\", \"label\": \"validate-a5c\","
	" \"state_type\": \"COMPLETED\", \"parents\": [{\"id\": \"e\"}], \"children\": []}],"
	"[\"t\", {\"kind\": \"task-run\", \"id\": \"t\", \"label\": \"transform-rows-f73\","
	" \"state_type\": \"COMPLETED\", \"parents\": [{\"id\": \"e\"}], \"children\": []}],"
	"[\"l\", {\"kind\": \"task-run\", \"id\": \"l\", \"label\": \"load-5e6\","
	" \"state_type\": \"FAILED\", \"parents\": [{\"id\": \"t\"}, {\"id\": \"v\"},"
	" {\"id\": \"gone\"}]}],"
	"[\"n\", {\"kind\": \"task-run\", \"id\": \"n\", \"label\": \"notify-04a\","
	" \"state_type\": \"PENDING\", \"parents\": [{\"id\": \"l\"}]}],"
	"[\"s\", {\"kind\": \"flow-run\", \"id\": \"s\", \"label\": \"child-flow / brave-fox\","
	" \"state_type\": \"CRASHED\", \"parents\": [{\"id\": \"l\"}]}],"
	"[\"r\", {\"kind\": \"task-run\", \"id\": \"r\", \"label\": \"renamed by user\","
	" \"state_type\": null, \"parents\": []}]"
	"]}";

static const char task_runs_json[] =
	"[{\"id\": \"e\", \"name\": \"extract-666\", \"dynamic_key\": \"666b0c1e-1\","
	"  \"task_inputs\": {\"source\": []}},"
	" {\"id\": \"t\", \"name\": \"transform-rows-f73\", \"dynamic_key\": \"f73aa\","
	"  \"task_inputs\": {\"rows\": [{\"input_type\": \"task_run\", \"id\": \"e\"}]}},"
	" {\"id\": \"v\", \"name\": \"validate-a5c\", \"dynamic_key\": \"a5c0\","
	"  \"task_inputs\": {\"rows\": [{\"input_type\": \"task_run\", \"id\": \"e\"}]}},"
	" {\"id\": \"l\", \"name\": \"load-5e6\", \"dynamic_key\": \"5e6\","
	"  \"task_inputs\": {\"rows\": [{\"input_type\": \"task_run\", \"id\": \"t\"}],"
	"  \"wait_for\": [{\"input_type\": \"task_run\", \"id\": \"v\"}],"
	"  \"ok\": [{\"input_type\": \"task_run\", \"id\": \"v\"}]}},"
	" {\"id\": \"n\", \"name\": \"notify-04a\", \"dynamic_key\": \"04a9\","
	"  \"task_inputs\": {\"wait_for\": [{\"input_type\": \"task_run\", \"id\": \"l\"}],"
	"  \"__parents__\": []}},"
	" {\"id\": \"r\", \"name\": \"renamed by user\", \"dynamic_key\": \"999\"}]";

static const char run_mermaid[] =
	"graph TD\n"
	"    Start([Start])\n"
	"    extract[\"extract\"]\n"
	"    validate[\"validate\"]\n"
	"    transform_rows[\"transform-rows\"]\n"
	"    load[\"load\"]\n"
	"    notify[\"notify\"]\n"
	"    child_flow[[\"child-flow\"]]\n"
	"    renamed_by_user[\"renamed by user\"]\n"
	"    End([End])\n"
	"    Start --> extract\n"
	"    Start --> renamed_by_user\n"
	"    extract --> validate\n"
	"    extract --> transform_rows\n"
	"    validate --> load\n"
	"    transform_rows --> load\n"
	"    load -.-> notify\n"
	"    load --> child_flow\n"
	"    notify --> End\n"
	"    child_flow --> End\n"
	"    renamed_by_user --> End\n"
	"    classDef pending fill:#fff3cd,stroke:#ffc107,color:#856404\n"
	"    class notify pending\n"
	"    classDef completed fill:#d4edda,stroke:#28a745,color:#155724\n"
	"    class extract,validate,transform_rows completed\n"
	"    classDef failed fill:#f8d7da,stroke:#dc3545,color:#721c24\n"
	"    class load failed\n"
	"    classDef crashed fill:#ffe5d0,stroke:#fd7e14,color:#7a3e00\n"
	"    class child_flow crashed\n";

/* The static graph of a fixture's flow function. */
static void
static_graph(struct graph *g, const char *file, const char *function)
{
	struct pyflow_file f = PYFLOW_FILE_INIT;
	struct error err = ERROR_INIT;
	char *path = fixture_path("flows/%s", file);
	assert_int_equal(pyflow_load(&f, path, &err), 0);
	assert_int_equal(pyflow_analyze(&f, &err), 0);
	long index = pyflow_check_entrypoint(&f, function);
	assert_true(index >= 0);
	graph_from_flow(g, &f, (size_t)index);
	pyflow_release(&f);
	free(path);
}

static void
decode_run(struct run_graph *rg)
{
	struct error err = ERROR_INIT;
	json_t *graph = json_loads(run_graph_json, 0, NULL);
	json_t *task_runs = json_loads(task_runs_json, 0, NULL);
	assert_non_null(graph);
	assert_non_null(task_runs);
	assert_int_equal(run_graph_decode(rg, graph, task_runs, &err), 0);
	json_decref(graph);
	json_decref(task_runs);
}

static void
assert_no_controls(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		assert_true(c == '\n' || (c >= 0x20 && c != 0x7f));
	}
}

static void
test_static_diamond_mermaid(void **state)
{
	(void)state;
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "diamond-etl");
	static_graph(&g, "diamond.py", "diamond");
	graph_write_mermaid(&g, "Flow diamond-etl: static graph", &out);
	assert_string_equal(buf_str(&out), diamond_mermaid);
	buf_release(&out);
	graph_release(&g);
}

static void
test_static_diamond_dot(void **state)
{
	(void)state;
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "diamond-etl");
	static_graph(&g, "diamond.py", "diamond");
	graph_write_dot(&g, "Flow diamond-etl: static graph", &out);
	assert_string_equal(buf_str(&out), diamond_dot);
	buf_release(&out);
	graph_release(&g);
}

static void
test_run_graph_decoded(void **state)
{
	(void)state;
	struct run_graph rg;
	decode_run(&rg);
	assert_int_equal(rg.n_nodes, 7);
	assert_string_equal(rg.nodes[0].label, "extract");
	assert_string_equal(rg.nodes[0].run_name, "extract-666");
	assert_string_equal(rg.nodes[3].state_type, "FAILED");
	assert_true(rg.nodes[5].subflow);
	assert_string_equal(rg.nodes[5].label, "child-flow");
	assert_string_equal(rg.nodes[6].label, "renamed by user");
	assert_null(rg.nodes[6].state_type);
	/* e->v, e->t, t->l, v->l (data: also an argument), l->n (wait_for only), l->s */
	assert_int_equal(rg.n_edges, 6);
	assert_int_equal(rg.edges[3].from, 1);
	assert_int_equal(rg.edges[3].to, 3);
	assert_false(rg.edges[3].wait_for);
	assert_int_equal(rg.edges[4].from, 3);
	assert_int_equal(rg.edges[4].to, 4);
	assert_true(rg.edges[4].wait_for);
	run_graph_release(&rg);
}

static void
test_run_graph_mermaid(void **state)
{
	(void)state;
	struct run_graph rg;
	struct graph g;
	struct buf out = BUF_INIT;
	decode_run(&rg);
	graph_init(&g, "diamond-etl");
	graph_from_run(&g, &rg);
	graph_write_mermaid(&g, NULL, &out);
	assert_string_equal(buf_str(&out), run_mermaid);
	buf_reset(&out);
	graph_write_dot(&g, NULL, &out);
	assert_non_null(strstr(buf_str(&out), "    load [label=\"load\", fillcolor=\"#f8d7da\", "
					      "color=\"#dc3545\", fontcolor=\"#721c24\"];\n"));
	assert_non_null(strstr(buf_str(&out),
			       "    child_flow [label=\"child-flow\", "
			       "fillcolor=\"#ffe5d0\", color=\"#fd7e14\", fontcolor=\"#7a3e00\", "
			       "peripheries=2];\n"));
	assert_non_null(strstr(buf_str(&out), "    renamed_by_user [label=\"renamed by user\"];\n"));
	assert_non_null(strstr(buf_str(&out), "    load -> notify [style=dashed];\n"));
	buf_release(&out);
	graph_release(&g);
	run_graph_release(&rg);
}

static void
test_run_graph_malformed(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{}", "{\"nodes\": {}}", "{\"nodes\": [[\"a\"]]}", "{\"nodes\": [[1, 2]]}", "[]",
	};
	for (size_t i = 0; i < ARRAY_LEN(docs); i++) {
		struct run_graph rg;
		struct error err = ERROR_INIT;
		json_t *doc = json_loads(docs[i], 0, NULL);
		assert_int_equal(run_graph_decode(&rg, doc, NULL, &err), -1);
		assert_int_equal(err.kind, ERROR_API);
		run_graph_release(&rg);
		json_decref(doc);
	}
}

static void
test_ids(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct {
		const char *label;
		const char *id;
	} cases[] = {
		{ "extract", "extract" }, { "extract", "extract_2" }, { "extract_2", "extract_2_2" },
		{ "extract", "extract_3" }, { "end", "t_end" }, { "End", "t_End" },
		{ "Start", "t_Start" }, { "graph", "t_graph" }, { "NODE", "t_NODE" },
		{ "subgraph", "t_subgraph" }, { "click", "t_click" }, { "9lives", "t_9lives" },
		{ "", "task" }, { "***", "task_2" }, { "données brutes", "donn_es_brutes" },
		{ "  a -- b  ", "a_b" }, { "_x_", "x" }, { "endpoint", "endpoint" },
	};
	/* clang-format on */
	struct graph g;
	graph_init(&g, "ids");
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t n = graph_add_node(&g, cases[i].label, GRAPH_TASK, GRAPH_STATE_NONE);
		assert_int_equal(n, i);
		assert_string_equal(g.nodes[n].id, cases[i].id);
		assert_string_equal(g.nodes[n].label, cases[i].label);
	}
	graph_release(&g);
}

static void
test_edges(void **state)
{
	(void)state;
	struct graph g;
	unsigned char roots[3], leaves[3];
	graph_init(&g, "edges");
	for (int i = 0; i < 3; i++)
		graph_add_node(&g, "t", GRAPH_TASK, GRAPH_STATE_NONE);
	graph_add_edge(&g, 1, 2, GRAPH_WAIT_FOR);
	graph_add_edge(&g, 0, 2, GRAPH_WAIT_FOR);
	graph_add_edge(&g, 1, 2, GRAPH_DATA);     /* upgrades the first */
	graph_add_edge(&g, 0, 2, GRAPH_WAIT_FOR); /* already there */
	graph_add_edge(&g, 1, 1, GRAPH_DATA);     /* self: ignored */
	graph_add_edge(&g, 1, 7, GRAPH_DATA);     /* no such node: ignored */
	assert_int_equal(g.n_edges, 2);
	assert_int_equal(g.edges[0].dep, GRAPH_DATA);
	assert_int_equal(g.edges[1].dep, GRAPH_WAIT_FOR);
	struct graph_edge *sorted = graph_sorted_edges(&g);
	assert_int_equal(sorted[0].from, 0);
	assert_int_equal(sorted[1].from, 1);
	free(sorted);
	graph_ends(&g, roots, leaves);
	assert_true(roots[0] && roots[1] && !roots[2]);
	assert_true(!leaves[0] && !leaves[1] && leaves[2]);
	graph_release(&g);
}

/* A mapped task: thousands of runs with one label, each waiting for the last. */
static void
test_many_nodes(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "map");
	for (size_t i = 0; i < N; i++) {
		graph_add_node(&g, "double", GRAPH_TASK, GRAPH_STATE_COMPLETED);
		if (i)
			graph_add_edge(&g, i - 1, i, GRAPH_DATA);
	}
	assert_string_equal(g.nodes[0].id, "double");
	assert_string_equal(g.nodes[1].id, "double_2");
	assert_string_equal(g.nodes[N - 1].id, "double_20000");
	graph_write_mermaid(&g, NULL, &out);
	assert_non_null(strstr(buf_str(&out), "    double_19999 --> double_20000\n"
					      "    double_20000 --> End\n"));
	buf_release(&out);
	graph_release(&g);
}

static void
test_empty_graph(void **state)
{
	(void)state;
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "empty");
	graph_write_mermaid(&g, NULL, &out);
	assert_string_equal(buf_str(&out), "graph TD\n    Start([Start])\n    End([End])\n"
					   "    Start --> End\n");
	buf_reset(&out);
	graph_write_dot(&g, NULL, &out);
	assert_non_null(strstr(buf_str(&out), "    Start -> End;\n}\n"));
	buf_release(&out);
	graph_release(&g);
}

/* Quotes, brackets, markup, entities, a newline, ESC, bidi, bad UTF-8. */
static const char hostile[] = "say \"hi\" [x] {y} <b>#1;</b> & `q` \\n\nnew\x1b[31mred"
			      "\xe2\x80\xae\xff\xc3 ok";

static void
test_hostile_mermaid(void **state)
{
	(void)state;
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "hostile");
	graph_add_node(&g, hostile, GRAPH_TASK, GRAPH_STATE_FAILED);
	graph_add_node(&g, "sub\"flow\"]]", GRAPH_SUBFLOW, GRAPH_STATE_NONE);
	graph_add_edge(&g, 0, 1, GRAPH_DATA);
	graph_write_mermaid(&g, "run \x1b]0;title\x07 of \"x\"\nnext", &out);
	assert_no_controls(&out);
	assert_non_null(strstr(buf_str(&out), "%% run ?]0;title? of \"x\" next\ngraph TD\n"));
	assert_non_null(strstr(
		buf_str(&out),
		"    say_hi_x_y_b_1_b_q_n_new_31mred_ok[\"say #quot;hi#quot; [x] {y} "
		"#lt;b#gt;#35;1;#lt;/b#gt; #amp; #96;q#96; \\n new?[31mred?\xef\xbf\xbd\xef\xbf\xbd ok\"]\n"));
	assert_non_null(strstr(buf_str(&out), "    sub_flow[[\"sub#quot;flow#quot;]]\"]]\n"));
	assert_non_null(
		strstr(buf_str(&out), "    say_hi_x_y_b_1_b_q_n_new_31mred_ok --> sub_flow\n"));
	buf_release(&out);
	graph_release(&g);
}

static void
test_hostile_dot(void **state)
{
	(void)state;
	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, "flow \"name\" \\ & co\n");
	graph_add_node(&g, hostile, GRAPH_TASK, GRAPH_STATE_NONE);
	graph_write_dot(&g, "comment */ with \r\n newline", &out);
	assert_no_controls(&out);
	assert_non_null(strstr(buf_str(&out), "// comment */ with    newline\n"
					      "digraph \"flow \\\"name\\\" \\\\ &amp; co \" {\n"));
	assert_non_null(
		strstr(buf_str(&out),
		       "    say_hi_x_y_b_1_b_q_n_new_31mred_ok [label=\"say \\\"hi\\\" [x] {y} "
		       "<b>#1;</b> &amp; `q` \\\\n new?[31mred?\xef\xbf\xbd\xef\xbf\xbd ok\"];\n"));
	buf_release(&out);
	graph_release(&g);
}

static void
test_graphviz_renders_svg(void **state)
{
	(void)state;
	struct graph g;
	struct buf dot = BUF_INIT, svg = BUF_INIT;
	struct error err = ERROR_INIT;
	graph_init(&g, "hostile");
	graph_add_node(&g, hostile, GRAPH_TASK, GRAPH_STATE_COMPLETED);
	graph_write_dot(&g, "a comment", &dot);
	assert_int_equal(graphviz_render(dot.data, dot.len, "svg", &svg, &err), 0);
	assert_non_null(strstr(buf_str(&svg), "<svg"));
	assert_non_null(strstr(buf_str(&svg), "<title>say_hi_x_y_b_1_b_q_n_new_31mred_ok</title>"));
	assert_non_null(strstr(buf_str(&svg), "say &quot;hi&quot; [x] {y} &lt;b&gt;#1;&lt;/b&gt; "
					      "&amp; `q` \\n new?[31mred?"));
	buf_release(&svg);
	buf_release(&dot);
	graph_release(&g);
}

static void
test_graphviz_errors(void **state)
{
	(void)state;
	static const char broken[] = "digraph { a -> ; }";
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	assert_int_equal(graphviz_render(broken, strlen(broken), "svg", &out, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_non_null(strstr(err.message, "Graphviz's 'dot' failed: "));
	assert_int_equal(graphviz_render(broken, strlen(broken), "no-such-format", &out, &err), -1);

	char *path = xstrdup(getenv("PATH") ? getenv("PATH") : "");
	setenv("PATH", "/nonexistent", 1);
	error_clear(&err);
	assert_int_equal(graphviz_render("digraph {}", 10, "svg", &out, &err), -1);
	setenv("PATH", path, 1);
	assert_string_equal(err.message, "Graphviz is not installed: no 'dot' program on PATH");
	assert_int_equal(err.kind, ERROR_NOT_FOUND); /* visualize says what to install */
	free(path);
	buf_release(&out);
}

static void
test_save(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_graph_XXXXXX";
	struct error err = ERROR_INIT;
	assert_non_null(mkdtemp(dir));
	char *file = xasprintf("%s/g.mmd", dir);
	assert_int_equal(graph_save(file, "graph TD\n", 9, &err), 0);
	assert_int_equal(graph_save(file, "ab", 2, &err), 0);
	FILE *f = fopen(file, "rb");
	char text[16] = "";
	assert_non_null(f);
	assert_int_equal(fread(text, 1, sizeof(text), f), 2);
	fclose(f);
	assert_string_equal(text, "ab");
	assert_int_equal(graph_save(dir, "x", 1, &err), -1);
	assert_int_equal(err.kind, ERROR_IO);
	unlink(file);
	rmdir(dir);
	free(file);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_diamond_mermaid),
		cmocka_unit_test(test_static_diamond_dot),
		cmocka_unit_test(test_run_graph_decoded),
		cmocka_unit_test(test_run_graph_mermaid),
		cmocka_unit_test(test_run_graph_malformed),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_many_nodes),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_hostile_mermaid),
		cmocka_unit_test(test_hostile_dot),
		cmocka_unit_test(test_graphviz_renders_svg),
		cmocka_unit_test(test_graphviz_errors),
		cmocka_unit_test(test_save),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
