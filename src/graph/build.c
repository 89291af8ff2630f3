/*
 * Graphs from where they come from (see graph.h): a run's graph as the
 * server reported it, or the calls a flow's code makes.
 */
#include "api/graph.h"
#include "graph/graph.h"
#include "pyflow/pyflow.h"

void
graph_from_run(struct graph *g, const struct run_graph *run)
{
	for (size_t i = 0; i < run->n_nodes; i++) {
		const struct run_graph_node *n = &run->nodes[i];
		graph_add_node(g, n->label, n->subflow ? GRAPH_SUBFLOW : GRAPH_TASK,
			       graph_state_parse(n->state_type));
	}
	for (size_t i = 0; i < run->n_edges; i++) {
		const struct run_graph_edge *e = &run->edges[i];
		graph_add_edge(g, e->from, e->to, e->wait_for ? GRAPH_WAIT_FOR : GRAPH_DATA);
	}
}

static void
add_deps(struct graph *g, size_t base, size_t to, const struct pyflow_deps *deps, enum graph_dep dep)
{
	for (size_t i = 0; i < deps->len; i++)
		graph_add_edge(g, base + deps->items[i], base + to, dep);
}

void
graph_from_flow(struct graph *g, const struct pyflow_file *f, size_t flow)
{
	const struct pyflow_func *fn = &f->funcs[flow];
	size_t base = g->n_nodes;
	for (size_t i = 0; i < fn->n_calls; i++) {
		const struct pyflow_func *callee = &f->funcs[fn->calls[i].target];
		graph_add_node(g, callee->name,
			       callee->kind == PYFLOW_FLOW ? GRAPH_SUBFLOW : GRAPH_TASK,
			       GRAPH_STATE_NONE);
	}
	for (size_t i = 0; i < fn->n_calls; i++) {
		add_deps(g, base, i, &fn->calls[i].inputs, GRAPH_DATA);
		add_deps(g, base, i, &fn->calls[i].wait_for, GRAPH_WAIT_FOR);
	}
}
