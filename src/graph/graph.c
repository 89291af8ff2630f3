/* The graph model: nodes with safe identifiers, sorted edges (see graph.h). */
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

/*
 * Words that cannot be a node's id in Mermaid flowcharts or in DOT (case
 * ignored), and the ids of the writers' own Start and End nodes.
 */
/* clang-format off */
static const char *const reserved[] = {
	"start", "end", "graph", "subgraph", "flowchart", "style", "class", "classdef",
	"click", "linkstyle", "interpolate", "call", "href", "default", "direction",
	"digraph", "node", "edge", "strict",
};
/* clang-format on */

/* clang-format off */
static const char *const state_types[GRAPH_STATE__COUNT] = {
	[GRAPH_STATE_SCHEDULED] = "SCHEDULED", [GRAPH_STATE_PENDING] = "PENDING",
	[GRAPH_STATE_RUNNING] = "RUNNING", [GRAPH_STATE_COMPLETED] = "COMPLETED",
	[GRAPH_STATE_FAILED] = "FAILED", [GRAPH_STATE_CANCELLED] = "CANCELLED",
	[GRAPH_STATE_CRASHED] = "CRASHED", [GRAPH_STATE_PAUSED] = "PAUSED",
	[GRAPH_STATE_CANCELLING] = "CANCELLING",
};
/* clang-format on */

/* clang-format off */
static const struct graph_colours colours[GRAPH_STATE__COUNT] = {
	[GRAPH_STATE_NONE] = { "#ffffff", "#6c757d", "#212529" },
	[GRAPH_STATE_SCHEDULED] = { "#fff3cd", "#ffc107", "#856404" },
	[GRAPH_STATE_PENDING] = { "#fff3cd", "#ffc107", "#856404" },
	[GRAPH_STATE_RUNNING] = { "#cce5ff", "#007bff", "#004085" },
	[GRAPH_STATE_COMPLETED] = { "#d4edda", "#28a745", "#155724" },
	[GRAPH_STATE_FAILED] = { "#f8d7da", "#dc3545", "#721c24" },
	[GRAPH_STATE_CANCELLED] = { "#e2e3e5", "#6c757d", "#383d41" },
	[GRAPH_STATE_CRASHED] = { "#ffe5d0", "#fd7e14", "#7a3e00" },
	[GRAPH_STATE_PAUSED] = { "#fff3cd", "#ffc107", "#856404" },
	[GRAPH_STATE_CANCELLING] = { "#e2e3e5", "#6c757d", "#383d41" },
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void
graph_init(struct graph *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->index = json_object();
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int
is_reserved(const char *word)
{
	for (size_t i = 0; i < COUNT(reserved); i++)
		if (!strcasecmp(word, reserved[i]))
			return 1;
	return 0;
}

/* The label's letters and digits, other runs as one '_'; "task" when none. */
static char *
id_base(const char *label)
{
	struct buf b = BUF_INIT;
	for (const char *p = label; *p; p++) {
		if (is_alnum(*p))
			buf_addc(&b, *p);
		else if (b.len && b.data[b.len - 1] != '_')
			buf_addc(&b, '_');
	}
	if (b.len && b.data[b.len - 1] == '_')
		b.data[--b.len] = '\0';
	if (!b.len)
		buf_adds(&b, "task");
	char *base = buf_detach(&b);
	if ((base[0] >= '0' && base[0] <= '9') || is_reserved(base)) {
		char *prefixed = xasprintf("t_%s", base);
		free(base);
		base = prefixed;
	}
	return base;
}

/*
 * index keys: "=ID" for each id taken, "+BASE" for the next suffix to try
 * after BASE, "FROM>TO" for each edge.
 */
static int
id_taken(const struct graph *g, const char *id)
{
	char *key = xasprintf("=%s", id);
	int taken = json_object_get(g->index, key) != NULL;
	if (!taken)
		json_object_set_new(g->index, key, json_true());
	free(key);
	return taken;
}

static char *
make_id(struct graph *g, const char *label)
{
	char *base = id_base(label), *id = xstrdup(base), *next = xasprintf("+%s", base);
	json_int_t n = json_integer_value(json_object_get(g->index, next));
	for (n = n ? n : 2; id_taken(g, id); n++) {
		free(id);
		id = xasprintf("%s_%" JSON_INTEGER_FORMAT, base, n);
	}
	json_object_set_new(g->index, next, json_integer(n));
	free(next);
	free(base);
	return id;
}

size_t
graph_add_node(struct graph *g, const char *label, enum graph_kind kind, enum graph_state state)
{
	if (g->n_nodes == g->nodes_alloc) {
		g->nodes_alloc = g->nodes_alloc ? 2 * g->nodes_alloc : 16;
		g->nodes = xrealloc(g->nodes, g->nodes_alloc * sizeof(*g->nodes));
	}
	struct graph_node *n = &g->nodes[g->n_nodes];
	n->id = make_id(g, label);
	n->label = xstrdup(label);
	n->kind = kind;
	n->state = state;
	return g->n_nodes++;
}

void
graph_add_edge(struct graph *g, size_t from, size_t to, enum graph_dep dep)
{
	if (from == to || from >= g->n_nodes || to >= g->n_nodes)
		return;
	char *key = xasprintf("%zu>%zu", from, to);
	json_t *at = json_object_get(g->index, key);
	if (at) {
		if (dep == GRAPH_DATA)
			g->edges[json_integer_value(at)].dep = GRAPH_DATA;
	} else {
		json_object_set_new(g->index, key, json_integer((json_int_t)g->n_edges));
		if (g->n_edges == g->edges_alloc) {
			g->edges_alloc = g->edges_alloc ? 2 * g->edges_alloc : 16;
			g->edges = xrealloc(g->edges, g->edges_alloc * sizeof(*g->edges));
		}
		g->edges[g->n_edges++] = (struct graph_edge){ from, to, dep };
	}
	free(key);
}

void
graph_ends(const struct graph *g, unsigned char *roots, unsigned char *leaves)
{
	memset(roots, 1, g->n_nodes);
	memset(leaves, 1, g->n_nodes);
	for (size_t e = 0; e < g->n_edges; e++) {
		roots[g->edges[e].to] = 0;
		leaves[g->edges[e].from] = 0;
	}
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct graph_edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

struct graph_edge *
graph_sorted_edges(const struct graph *g)
{
	struct graph_edge *sorted = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(*sorted));
	if (g->n_edges) {
		memcpy(sorted, g->edges, g->n_edges * sizeof(*sorted));
		qsort(sorted, g->n_edges, sizeof(*sorted), edge_cmp);
	}
	return sorted;
}

enum graph_state
graph_state_parse(const char *state_type)
{
	for (size_t i = 1; state_type && i < GRAPH_STATE__COUNT; i++)
		if (!strcmp(state_type, state_types[i]))
			return (enum graph_state)i;
	return GRAPH_STATE_NONE;
}

const char *
graph_state_type(enum graph_state state)
{
	return state > GRAPH_STATE_NONE && state < GRAPH_STATE__COUNT ? state_types[state] : NULL;
}

const struct graph_colours *
graph_state_colours(enum graph_state state)
{
	return &colours[state < GRAPH_STATE__COUNT ? state : GRAPH_STATE_NONE];
}

void
graph_release(struct graph *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		free(g->nodes[i].id);
		free(g->nodes[i].label);
	}
	free(g->nodes);
	free(g->edges);
	free(g->name);
	json_decref(g->index);
	memset(g, 0, sizeof(*g));
}
