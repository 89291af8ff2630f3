/*
 * A graph as a Mermaid flowchart (see graph.h): node declarations with
 * quoted, escaped labels, then the edges (wait_for ones dotted), then one
 * classDef per state that occurs and the nodes in it.
 */
#include <ctype.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "graph/escape.h"
#include "graph/graph.h"

#define INDENT "    "

static void
declare(struct buf *out, const struct graph_node *n)
{
	int sub = n->kind == GRAPH_SUBFLOW;
	buf_addf(out, INDENT "%s%s\"", n->id, sub ? "[[" : "[");
	graph_escape(out, n->label, GRAPH_MERMAID_LABEL);
	buf_addf(out, "\"%s\n", sub ? "]]" : "]");
}

static void
edges(struct buf *out, const struct graph *g, const unsigned char *roots,
      const unsigned char *leaves)
{
	struct graph_edge *sorted = graph_sorted_edges(g);
	if (!g->n_nodes)
		buf_adds(out, INDENT "Start --> End\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		if (roots[i])
			buf_addf(out, INDENT "Start --> %s\n", g->nodes[i].id);
	for (size_t e = 0; e < g->n_edges; e++)
		buf_addf(out, INDENT "%s %s %s\n", g->nodes[sorted[e].from].id,
			 sorted[e].dep == GRAPH_WAIT_FOR ? "-.->" : "-->",
			 g->nodes[sorted[e].to].id);
	for (size_t i = 0; i < g->n_nodes; i++)
		if (leaves[i])
			buf_addf(out, INDENT "%s --> End\n", g->nodes[i].id);
	free(sorted);
}

static void
class_name(struct buf *out, enum graph_state state)
{
	for (const char *p = graph_state_type(state); *p; p++)
		buf_addc(out, (char)tolower((unsigned char)*p));
}

/* "classDef completed ..." and "class a,b completed" when a node is in state. */
static void
state_class(struct buf *out, const struct graph *g, enum graph_state state)
{
	const struct graph_colours *c = graph_state_colours(state);
	struct buf members = BUF_INIT;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].state == state)
			buf_addf(&members, "%s%s", members.len ? "," : "", g->nodes[i].id);
	if (members.len) {
		buf_adds(out, INDENT "classDef ");
		class_name(out, state);
		buf_addf(out, " fill:%s,stroke:%s,color:%s\n" INDENT "class %s ", c->fill,
			 c->stroke, c->text, buf_str(&members));
		class_name(out, state);
		buf_addc(out, '\n');
	}
	buf_release(&members);
}

void
graph_write_mermaid(const struct graph *g, const char *comment, struct buf *out)
{
	unsigned char *roots = xmalloc(g->n_nodes + 1), *leaves = xmalloc(g->n_nodes + 1);
	graph_ends(g, roots, leaves);
	if (comment) {
		buf_adds(out, "%% ");
		graph_escape(out, comment, GRAPH_COMMENT);
		buf_addc(out, '\n');
	}
	buf_adds(out, "graph TD\n" INDENT "Start([Start])\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		declare(out, &g->nodes[i]);
	buf_adds(out, INDENT "End([End])\n");
	edges(out, g, roots, leaves);
	for (int s = GRAPH_STATE_NONE + 1; s < GRAPH_STATE__COUNT; s++)
		state_class(out, g, (enum graph_state)s);
	free(roots);
	free(leaves);
}
