/*
 * A graph as a Graphviz digraph (see graph.h): rounded boxes filled by
 * state, subflows with a double border, wait_for edges dashed, Start and
 * End as ellipses. Every label and the graph's name are quoted strings.
 */
#include <stdlib.h>

#include "core/xalloc.h"
#include "graph/escape.h"
#include "graph/graph.h"

#define INDENT "    "

static void
quoted(struct buf *out, const char *s)
{
	buf_addc(out, '"');
	graph_escape(out, s, GRAPH_DOT_STRING);
	buf_addc(out, '"');
}

static void
header(struct buf *out, const struct graph *g)
{
	const struct graph_colours *none = graph_state_colours(GRAPH_STATE_NONE);
	buf_adds(out, "digraph ");
	quoted(out, g->name);
	buf_addf(out,
		 " {\n" INDENT "rankdir=TB;\n" INDENT
		 "node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
		 "fillcolor=\"%s\", color=\"%s\", fontcolor=\"%s\"];\n" INDENT
		 "edge [color=\"#495057\"];\n" INDENT
		 "Start [label=\"Start\", shape=ellipse, fillcolor=\"#e9ecef\"];\n",
		 none->fill, none->stroke, none->text);
}

static void
declare(struct buf *out, const struct graph_node *n)
{
	buf_addf(out, INDENT "%s [label=", n->id);
	quoted(out, n->label);
	if (n->state != GRAPH_STATE_NONE) {
		const struct graph_colours *c = graph_state_colours(n->state);
		buf_addf(out, ", fillcolor=\"%s\", color=\"%s\", fontcolor=\"%s\"", c->fill,
			 c->stroke, c->text);
	}
	if (n->kind == GRAPH_SUBFLOW)
		buf_adds(out, ", peripheries=2");
	buf_adds(out, "];\n");
}

static void
edges(struct buf *out, const struct graph *g, const unsigned char *roots,
      const unsigned char *leaves)
{
	struct graph_edge *sorted = graph_sorted_edges(g);
	if (!g->n_nodes)
		buf_adds(out, INDENT "Start -> End;\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		if (roots[i])
			buf_addf(out, INDENT "Start -> %s;\n", g->nodes[i].id);
	for (size_t e = 0; e < g->n_edges; e++)
		buf_addf(out, INDENT "%s -> %s%s;\n", g->nodes[sorted[e].from].id,
			 g->nodes[sorted[e].to].id,
			 sorted[e].dep == GRAPH_WAIT_FOR ? " [style=dashed]" : "");
	for (size_t i = 0; i < g->n_nodes; i++)
		if (leaves[i])
			buf_addf(out, INDENT "%s -> End;\n", g->nodes[i].id);
	free(sorted);
}

void
graph_write_dot(const struct graph *g, const char *comment, struct buf *out)
{
	unsigned char *roots = xmalloc(g->n_nodes + 1), *leaves = xmalloc(g->n_nodes + 1);
	graph_ends(g, roots, leaves);
	if (comment) {
		buf_adds(out, "// ");
		graph_escape(out, comment, GRAPH_COMMENT);
		buf_addc(out, '\n');
	}
	header(out, g);
	for (size_t i = 0; i < g->n_nodes; i++)
		declare(out, &g->nodes[i]);
	buf_adds(out, INDENT "End [label=\"End\", shape=ellipse, fillcolor=\"#e9ecef\"];\n");
	edges(out, g, roots, leaves);
	buf_adds(out, "}\n");
	free(roots);
	free(leaves);
}
