/*
 * mahavishnu prefect visualize: a flow's task graph as Mermaid or DOT text,
 * or as an SVG or PNG image drawn by Graphviz. The graph is that of the
 * flow's latest run (or --run RUN) as the server reports it, nodes coloured
 * by state; when the flow has no run yet, it is the static graph that
 * src/pyflow finds in the flow's code (its deployment's entrypoint, else
 * the local flow registry), and the output says so.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "api/graph.h"
#include "cli/command.h"
#include "cmd/prefect/flow_code.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "graph/graph.h"
#include "graph/graphviz.h"
#include "pyflow/pyflow.h"
#include "ui/panel.h"
#include "ui/state.h"

static const char *const formats[] = { "mermaid", "dot", "svg", "png", NULL };

/* The states of runs that have started: the ones that can have a graph. */
static const char *const started_states[] = { "RUNNING", "COMPLETED", "FAILED",    "CANCELLED",
					      "CRASHED", "PAUSED",    "CANCELLING" };

struct viz_args {
	const char *flow;
	const char *format;
	const char *output;
	const char *run;
};

struct viz {
	const char *name; /* the flow's name */
	json_t *flow;     /* the server's flow; NULL when only this machine knows it */
	json_t *run;      /* the run drawn; NULL for a static graph */
	char *source;     /* "run NAME (State)" or "static graph from FILE:FUNC (...)" */
	struct graph graph;
	struct buf text; /* the graph in the format asked for */
};

static int
check_args(const struct viz_args *a, struct error *err)
{
	static const char *const global_formats[] = { "json", "jsonl", "yaml", "table", "wide" };
	for (size_t i = 0; a->output && i < sizeof(global_formats) / sizeof(global_formats[0]);
	     i++) {
		if (strcmp(a->output, global_formats[i]))
			continue;
		error_set(err, ERROR_USAGE,
			  "option '--output' of visualize names the file to "
			  "write, and it has no JSON output");
		return error_hint(err, "to write a file named '%s', give it as ./%s", a->output,
				  a->output);
	}
	if (!strcmp(a->format, "png") && !a->output)
		return error_set(err, ERROR_USAGE, "--format png needs --output FILE");
	return 0;
}

/* The latest run that has started, or none (*out NULL). */
static int
latest_run(struct api *api, const char *flow_id, json_t **out, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *runs = NULL;
	f.flow_id = flow_id;
	for (size_t i = 0; i < sizeof(started_states) / sizeof(started_states[0]); i++)
		strlist_add(&f.state_types, started_states[i]);
	int rc = prefect_flow_run_list(api, &f, 1, &runs, err);
	*out = rc == 0 && json_array_size(runs) ? json_incref(json_array_get(runs, 0)) : NULL;
	json_decref(runs);
	flow_run_filter_release(&f);
	return rc;
}

/* --run RUN, which must be a run of the flow. */
static int
given_run(struct api *api, const char *ref, struct viz *v, struct error *err)
{
	if (prefect_flow_run_find(api, ref, &v->run, err) < 0)
		return -1;
	const char *flow_id = json_str(v->run, "flow_id");
	if (flow_id && !strcmp(flow_id, json_str(v->flow, "id")))
		return 0;
	return error_set(err, ERROR_INVALID, "flow run '%s' is not a run of flow '%s'", ref,
			 v->name);
}

static int
draw_run(struct api *api, struct viz *v, struct error *err)
{
	struct run_graph rg = RUN_GRAPH_INIT;
	if (prefect_run_graph(api, json_str(v->run, "id"), &rg, err) < 0)
		return -1;
	graph_from_run(&v->graph, &rg);
	run_graph_release(&rg);
	const char *state = json_str(v->run, "state_name");
	v->source = xasprintf("run %s (%s)", json_str(v->run, "name"),
			      state ? state : json_str(v->run, "state_type"));
	return 0;
}

/* Parse the file and draw what the flow function calls. */
static int
draw_code(struct viz *v, const char *path, const char *function, struct error *err)
{
	struct pyflow_file f = PYFLOW_FILE_INIT;
	int rc = pyflow_load(&f, path, err);
	if (rc == 0)
		rc = pyflow_analyze(&f, err);
	long index = rc == 0 ? pyflow_check_entrypoint(&f, function) : -1;
	if (rc == 0 && (index < 0 || pyflow_count(&f, PYFLOW_ERROR))) {
		const struct pyflow_problem *first = &f.problems[0];
		if (first->pos.line)
			error_set(err, ERROR_INVALID, "%s:%u:%u: %s", path, first->pos.line,
				  first->pos.column, first->message);
		else
			error_set(err, ERROR_INVALID, "%s: %s", path, first->message);
		rc = error_hint(err, "'mahavishnu prefect flow validate %s' lists its problems",
				path);
	} else if (rc < 0) {
		error_prefix(err, "%s", path);
	}
	if (rc == 0) {
		graph_from_flow(&v->graph, &f, (size_t)index);
		v->source = xasprintf("static graph from %s:%s (the flow %s)", path, function,
				      v->flow ? "has no runs yet" : "is not on the server yet");
	}
	pyflow_release(&f);
	return rc;
}

/* The file of a deployment's entrypoint on this machine, or NULL. */
static char *
deployment_file(const json_t *deployment, const char **function)
{
	const char *entry = json_str(deployment, "entrypoint");
	const char *colon = entry ? strrchr(entry, ':') : NULL;
	const char *dir = prefect_deployment_directory(deployment);
	if (!colon || colon == entry || !colon[1] || (entry[0] != '/' && !dir))
		return NULL;
	*function = colon + 1;
	if (entry[0] == '/')
		return xstrndup(entry, (size_t)(colon - entry));
	return xasprintf("%s/%.*s", dir, (int)(colon - entry), entry);
}

/* The first deployment of the flow whose code is here: 1, or 0 when none is. */
static int
draw_deployed_code(struct api *api, struct viz *v, struct error *err)
{
	json_t *deployments = NULL;
	const json_t *d;
	size_t i;
	int found = 0;
	if (prefect_deployment_list(api, json_str(v->flow, "id"), 0, &deployments, err) < 0)
		return -1;
	json_array_foreach(deployments, i, d) {
		const char *function = NULL;
		char *path = deployment_file(d, &function);
		if (path && access(path, R_OK) == 0)
			found = draw_code(v, path, function, err) < 0 ? -1 : 1;
		free(path);
		if (found)
			break;
	}
	json_decref(deployments);
	return found;
}

/* The code recorded in the local flow registry: 1, or 0 when none is. */
static int
draw_registered_code(struct cmd_ctx *ctx, struct viz *v, struct error *err)
{
	struct flow_code code;
	int found = flow_code_find(v->name, NULL, ctx->api_url, &code, err);
	if (found > 0) {
		char *path = xasprintf("%s/%s", code.directory, code.file);
		found = draw_code(v, path, code.function, err) < 0 ? -1 : 1;
		free(path);
		flow_code_release(&code);
	}
	return found;
}

static int
draw_static(struct cmd_ctx *ctx, struct api *api, struct viz *v, struct error *err)
{
	int found = v->flow ? draw_deployed_code(api, v, err) : 0;
	if (found == 0)
		found = draw_registered_code(ctx, v, err);
	if (found != 0)
		return found < 0 ? -1 : 0;
	error_set(err, ERROR_INVALID, "flow '%s' has no runs yet, and its code is not known here",
		  v->name);
	return error_hint(err, "deploy it, or record its code with 'mahavishnu prefect flow "
			       "validate FILE.py'");
}

/*
 * The flow, then its run's graph or its static graph. A flow the server
 * does not know can still be drawn from the code the registry knows.
 */
static int
draw(struct cmd_ctx *ctx, struct api *api, const struct viz_args *a, struct viz *v,
     struct error *err)
{
	int known = prefect_flow_find(api, a->flow, &v->flow, err) == 0;
	v->name = known ? json_str(v->flow, "name") : a->flow;
	graph_init(&v->graph, v->name);
	if (!known) {
		struct error code_err = ERROR_INIT;
		int found = err->kind != ERROR_NOT_FOUND || a->run ?
				    0 :
				    draw_registered_code(ctx, v, &code_err);
		if (found < 0)
			*err = code_err;
		else if (found > 0)
			error_clear(err);
		return found > 0 ? 0 : -1;
	}
	if ((a->run ? given_run(api, a->run, v, err) :
		      latest_run(api, json_str(v->flow, "id"), &v->run, err)) < 0)
		return -1;
	return v->run ? draw_run(api, v, err) : draw_static(ctx, api, v, err);
}

static int
render(const struct viz_args *a, struct viz *v, int with_comment, struct error *err)
{
	char *comment = with_comment ? xasprintf("Flow %s: %s", v->name, v->source) : NULL;
	int rc = 0;
	if (!strcmp(a->format, "mermaid")) {
		graph_write_mermaid(&v->graph, comment, &v->text);
	} else if (!strcmp(a->format, "dot")) {
		graph_write_dot(&v->graph, comment, &v->text);
	} else {
		struct buf dot = BUF_INIT;
		graph_write_dot(&v->graph, comment, &dot);
		rc = graphviz_render(dot.data, dot.len, a->format, &v->text, err);
		if (rc < 0 && err->kind == ERROR_NOT_FOUND)
			error_hint(err,
				   "install Graphviz (Debian and Ubuntu: apt-get install graphviz), "
				   "or use --format dot and render it elsewhere");
		buf_release(&dot);
	}
	free(comment);
	return rc;
}

static enum style
source_style(const struct viz *v)
{
	return v->run ? state_style(json_str(v->run, "state_type")) : STYLE_META;
}

/* The spec's panel: the graph inside a ```mermaid (or ```dot) fence. */
static int
show_panel(struct cmd_ctx *ctx, const struct viz_args *a, const struct viz *v)
{
	char *title = xasprintf("Flow Visualization: %s", v->name);
	char *fence = xasprintf("```%s", a->format);
	char *text = xstrndup(v->text.data, v->text.len ? v->text.len - 1 : 0);
	struct panel *p = panel_new(title, STYLE_INFO);
	panel_field(p, "Source", v->source, source_style(v));
	panel_blank(p);
	panel_text(p, fence, STYLE_DIM);
	panel_text(p, text, STYLE_NONE);
	panel_text(p, "```", STYLE_DIM);
	free(text);
	free(fence);
	free(title);
	return cmd_print_panel(ctx, p);
}

static int
show_saved(struct cmd_ctx *ctx, const struct viz_args *a, const struct viz *v)
{
	struct panel *p = panel_new("✓ Flow Visualization Saved", STYLE_SUCCESS);
	char *size = xasprintf("%zu task%s, %zu dependenc%s", v->graph.n_nodes,
			       v->graph.n_nodes == 1 ? "" : "s", v->graph.n_edges,
			       v->graph.n_edges == 1 ? "y" : "ies");
	panel_field(p, "Flow", v->name, STYLE_NAME);
	panel_field(p, "Source", v->source, source_style(v));
	panel_field(p, "Format", a->format, STYLE_NONE);
	panel_field(p, "Graph", size, STYLE_NONE);
	panel_field(p, "File", a->output, STYLE_META);
	free(size);
	return cmd_print_panel(ctx, p);
}

/* A file, the panel on a terminal, else the graph itself. */
static int
show(struct cmd_ctx *ctx, const struct viz_args *a, struct viz *v, struct error *err)
{
	int text_format = !strcmp(a->format, "mermaid") || !strcmp(a->format, "dot");
	int panel = !a->output && text_format && ctx->term.out_tty;
	if (render(a, v, !panel, err) < 0)
		return cmd_fail(ctx, err);
	if (a->output)
		return graph_save(a->output, v->text.data, v->text.len, err) < 0 ?
			       cmd_fail(ctx, err) :
			       show_saved(ctx, a, v);
	return panel ? show_panel(ctx, a, v) : cmd_print(ctx, &v->text);
}

static int
visualize_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct viz_args a = { .format = "mermaid" };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_ONE_OF('f', "format", &a.format, "FORMAT",
			   "Graph format (default mermaid); svg and png are drawn by Graphviz",
			   formats),
		OPT_STR('o', "output", &a.output, "FILE",
			"Write the graph to FILE (png needs it); stands for the global -o here"),
		OPT_STR(0, "run", &a.run, "RUN",
			"Draw this run of the flow (ID, unique ID prefix or name), not the latest"),
		OPT_POS("FLOW", &a.flow, "Flow name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct viz v = { .name = NULL, .graph = GRAPH_INIT, .text = BUF_INIT };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc == CMD_DONE ? EXIT_OK : rc;
	if (check_args(&a, &err) < 0 || draw(ctx, ctx->api, &a, &v, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, &a, &v, &err);
	graph_release(&v.graph);
	buf_release(&v.text);
	free(v.source);
	json_decref(v.run);
	json_decref(v.flow);
	return rc;
}

const struct cmd_entry cmd_prefect_visualize = {
	.path = "prefect visualize",
	.summary = "Draw a flow's task graph (Mermaid, DOT, SVG, PNG)",
	.help = "Draw the task graph of FLOW's latest run (or of --run RUN) as the server\n"
		"reports it: one node per task run, labelled with its task's name and\n"
		"coloured by its final state, an edge for each dependency (dotted or dashed\n"
		"for wait_for=), a Start node before the tasks that wait for nothing and an\n"
		"End node after the last ones. When the flow has no run yet, the graph is\n"
		"read from its code without running it (its deployment's entrypoint, else\n"
		"the file 'flow validate' recorded) and is marked as a static graph.\n"
		"\n"
		"On a terminal the graph is shown in a panel; piped, or with --output FILE,\n"
		"it is the graph alone, its first line a comment saying where it came from.\n"
		"svg and png need Graphviz's 'dot' on PATH. Here -o is --output FILE, so\n"
		"there is no JSON output.",
	.flags = CMD_API,
	.exec = visualize_exec,
};
