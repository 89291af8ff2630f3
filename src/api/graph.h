/*
 * A flow run's task graph as a small C structure: the server's graph-v2
 * (GET /flow_runs/{id}/graph-v2) gives the nodes, their states and the
 * dependency edges; the run's task runs (POST /task_runs/filter) give each
 * task's name (a task run is named "<task name>-<3 characters of its
 * dynamic key>") and tell wait_for dependencies from data ones.
 */
#ifndef API_GRAPH_H
#define API_GRAPH_H

#include <jansson.h>
#include <stddef.h>

#include "api/client.h"

struct run_graph_node {
	char *id;         /* task run ID; flow run ID for a subflow */
	char *label;      /* the task's name; a subflow's flow name */
	char *run_name;   /* the server's label (the task run's name) */
	int subflow;      /* kind "flow-run" */
	char *state_type; /* "COMPLETED", ...; NULL when the server gave none */
};

/* from must end before to starts. */
struct run_graph_edge {
	size_t from;
	size_t to;
	int wait_for; /* only through wait_for=, not a data dependency */
};

struct run_graph {
	struct run_graph_node *nodes; /* in the server's order (start time) */
	size_t n_nodes;
	struct run_graph_edge *edges;
	size_t n_edges;
};

/* clang-format off */
#define RUN_GRAPH_INIT { NULL, 0, NULL, 0 }
/* clang-format on */

/*
 * The graph of the flow run with ID flow_run_id (a full UUID). A missing
 * run is ERROR_NOT_FOUND; a graph too big for the server is ERROR_API.
 */
int prefect_run_graph(struct api *api, const char *flow_run_id, struct run_graph *out,
		      struct error *err);
/*
 * Decode a graph-v2 document and the run's task runs (an array; may be
 * NULL) into out. Parents that are not nodes are left out. A document
 * without a "nodes" array of [id, node] pairs is ERROR_API.
 */
int run_graph_decode(struct run_graph *out, const json_t *graph, const json_t *task_runs,
		     struct error *err);
void run_graph_release(struct run_graph *g);

#endif
