/*
 * A flow's task graph, whatever it was made from: a run's graph from the
 * server (graph_from_run) or the static analysis of the flow's code
 * (graph_from_flow); and its Mermaid and DOT text. Nodes are task (or
 * subflow) calls, edges the dependencies between them. The writers add a
 * Start node before every node without parents and an End node after every
 * node without children, colour nodes by state, and escape every label:
 * the text they produce holds no control character, whatever the labels.
 * Nothing here prints, touches the network or knows about terminals.
 */
#ifndef GRAPH_GRAPH_H
#define GRAPH_GRAPH_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

struct pyflow_file;
struct run_graph;

enum graph_state {
	GRAPH_STATE_NONE = 0, /* not run (a static graph), or unknown */
	GRAPH_STATE_SCHEDULED,
	GRAPH_STATE_PENDING,
	GRAPH_STATE_RUNNING,
	GRAPH_STATE_COMPLETED,
	GRAPH_STATE_FAILED,
	GRAPH_STATE_CANCELLED,
	GRAPH_STATE_CRASHED,
	GRAPH_STATE_PAUSED,
	GRAPH_STATE_CANCELLING,
	GRAPH_STATE__COUNT
};

enum graph_kind {
	GRAPH_TASK = 0,
	GRAPH_SUBFLOW,
};

enum graph_dep {
	GRAPH_DATA = 0, /* a result passed on */
	GRAPH_WAIT_FOR, /* wait_for= only */
};

struct graph_node {
	char *id;    /* unique; [A-Za-z_][A-Za-z0-9_]*, no keyword */
	char *label; /* as given; the writers escape it */
	enum graph_kind kind;
	enum graph_state state;
};

struct graph_edge {
	size_t from;
	size_t to;
	enum graph_dep dep;
};

struct graph {
	char *name;               /* the flow's name */
	struct graph_node *nodes; /* in the order added */
	size_t n_nodes;
	struct graph_edge *edges; /* in the order added, no repeats */
	size_t n_edges;
	size_t nodes_alloc;
	size_t edges_alloc;
	json_t *index; /* ids taken, and edges by "from>to" */
};

/* clang-format off */
#define GRAPH_INIT { NULL, NULL, 0, NULL, 0, 0, 0, NULL }
/* clang-format on */

void graph_init(struct graph *g, const char *name);
/*
 * Add a node and return its index. Its id is made from the label: ASCII
 * letters and digits kept, other runs of characters become '_', "t_" in
 * front of a leading digit or of a word Mermaid or DOT reserve (and of
 * "Start" and "End"), "_2", "_3"... after an id already taken.
 */
size_t graph_add_node(struct graph *g, const char *label, enum graph_kind kind,
		      enum graph_state state);
/*
 * Add the dependency from -> to. A self-dependency is ignored; adding one
 * that exists keeps one edge, a data edge when either is.
 */
void graph_add_edge(struct graph *g, size_t from, size_t to, enum graph_dep dep);
/*
 * Set roots[i] when node i has no parents and leaves[i] when it has no
 * children (arrays of n_nodes, filled by this call).
 */
void graph_ends(const struct graph *g, unsigned char *roots, unsigned char *leaves);
/* The edges sorted by (from, to): a new array of n_edges the caller frees. */
struct graph_edge *graph_sorted_edges(const struct graph *g);
/* A Prefect state type ("COMPLETED") as a state; anything else is NONE. */
enum graph_state graph_state_parse(const char *state_type);
/* The Prefect state type of a state ("COMPLETED"), NULL for NONE. */
const char *graph_state_type(enum graph_state state);

/* "#rrggbb" colours of a node: fill, border, text. */
struct graph_colours {
	const char *fill;
	const char *stroke;
	const char *text;
};

/* The colours of nodes in a state (NONE: white). */
const struct graph_colours *graph_state_colours(enum graph_state state);
void graph_release(struct graph *g);

/* The nodes and edges of a run's graph, in its order. */
void graph_from_run(struct graph *g, const struct run_graph *run);
/*
 * The calls that flow f->funcs[flow] makes: one node per call site,
 * labelled with the callee's Prefect name, and the data and wait_for
 * dependencies between calls. No node has a state.
 */
void graph_from_flow(struct graph *g, const struct pyflow_file *f, size_t flow);

/*
 * Append the graph as a Mermaid flowchart ("graph TD"), or as a Graphviz
 * digraph. comment, when not NULL, becomes a first line ("%% ..." or
 * "// ...") with its control characters replaced.
 */
void graph_write_mermaid(const struct graph *g, const char *comment, struct buf *out);
void graph_write_dot(const struct graph *g, const char *comment, struct buf *out);

#endif
