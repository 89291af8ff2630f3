/* A flow run's task graph from graph-v2 and its task runs (see graph.h). */
#include "api/graph.h"
#include "api/pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xalloc.h"

/* How many characters of the dynamic key end a default task run name. */
#define DYNAMIC_KEY_CHARS 3

/* The task's name: the run name without its "-<dynamic key>" ending. */
static char *
task_name(const char *run_name, const json_t *task_run)
{
	const char *key = json_str(task_run, "dynamic_key");
	size_t n = strlen(run_name), k = key ? strnlen(key, DYNAMIC_KEY_CHARS) : 0;
	if (k && n > k + 1 && run_name[n - k - 1] == '-' && !strncmp(run_name + n - k, key, k))
		return xstrndup(run_name, n - k - 1);
	return xstrdup(run_name);
}

/* A subflow is labelled "<flow name> / <flow run name>"; flow names have no '/'. */
static char *
subflow_name(const char *label)
{
	const char *sep = strstr(label, " / ");
	return sep ? xstrndup(label, (size_t)(sep - label)) : xstrdup(label);
}

static void
decode_node(struct run_graph_node *n, const char *id, const json_t *node, const json_t *task_run)
{
	const char *label = json_str(node, "label");
	const char *kind = json_str(node, "kind");
	const char *state = json_str(node, "state_type");
	n->id = xstrdup(id);
	n->run_name = xstrdup(label ? label : id);
	n->subflow = kind && !strcmp(kind, "flow-run");
	n->label = n->subflow ? subflow_name(n->run_name) : task_name(n->run_name, task_run);
	n->state_type = state ? xstrdup(state) : NULL;
}

/* Whether id is among the inputs of one task_inputs entry. */
static int
input_lists(const json_t *inputs, const char *id)
{
	size_t i;
	const json_t *in;
	json_array_foreach(inputs, i, in) {
		const char *ref = json_str(in, "id");
		if (ref && !strcmp(ref, id))
			return 1;
	}
	return 0;
}

/* Whether the task run depends on parent only through wait_for. */
static int
only_wait_for(const json_t *task_run, const char *parent)
{
	const char *key;
	const json_t *inputs;
	int waits = 0, other = 0;
	json_object_foreach((json_t *)json_object_get(task_run, "task_inputs"), key, inputs) {
		if (!input_lists(inputs, parent))
			continue;
		if (!strcmp(key, "wait_for"))
			waits = 1;
		else
			other = 1;
	}
	return waits && !other;
}

static void
add_edge(struct run_graph *g, size_t *alloc, size_t from, size_t to, int wait_for)
{
	if (g->n_edges == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 16;
		g->edges = xrealloc(g->edges, *alloc * sizeof(*g->edges));
	}
	g->edges[g->n_edges++] = (struct run_graph_edge){ from, to, wait_for };
}

/* The edges into node `to` from its parents that are nodes. */
static void
decode_parents(struct run_graph *g, size_t *alloc, size_t to, const json_t *node,
	       const json_t *index, const json_t *task_run)
{
	size_t i;
	const json_t *parent;
	json_array_foreach(json_object_get(node, "parents"), i, parent) {
		const char *id = json_str(parent, "id");
		const json_t *from = id ? json_object_get(index, id) : NULL;
		if (from && (size_t)json_integer_value(from) != to)
			add_edge(g, alloc, (size_t)json_integer_value(from), to,
				 only_wait_for(task_run, id));
	}
}

/* The node of one [id, node] pair, and its ID; NULL when malformed. */
static const json_t *
pair_node(const json_t *pair, const char **id)
{
	const json_t *node = json_array_get(pair, 1);
	*id = json_str(node, "id") ? json_str(node, "id") :
				     json_string_value(json_array_get(pair, 0));
	return json_is_object(node) && *id ? node : NULL;
}

int
run_graph_decode(struct run_graph *out, const json_t *graph, const json_t *task_runs,
		 struct error *err)
{
	const json_t *pairs = json_object_get(graph, "nodes"), *pair;
	size_t i, n = json_array_size(pairs);
	const char *id;
	size_t edges_alloc = 0;
	memset(out, 0, sizeof(*out));
	if (!json_is_array(pairs))
		return error_set(err, ERROR_API, "the server's run graph has no list of nodes");
	json_array_foreach(pairs, i, pair)
		if (!pair_node(pair, &id))
			return error_set(err, ERROR_API,
					 "the server's run graph has a malformed node");
	json_t *index = json_object(), *runs = json_index_by(task_runs, "id");
	out->nodes = xcalloc(n ? n : 1, sizeof(*out->nodes));
	json_array_foreach(pairs, i, pair) {
		const json_t *node = pair_node(pair, &id);
		decode_node(&out->nodes[out->n_nodes++], id, node, json_object_get(runs, id));
		json_object_set_new(index, id, json_integer((json_int_t)i));
	}
	json_array_foreach(pairs, i, pair) {
		const json_t *node = pair_node(pair, &id);
		decode_parents(out, &edges_alloc, i, node, index, json_object_get(runs, id));
	}
	json_decref(index);
	json_decref(runs);
	return 0;
}

static int
fetch_task_runs(struct api *api, const char *flow_run_id, json_t **out, struct error *err)
{
	json_t *body = json_pack("{s:{s:{s:[s]}}}", "task_runs", "flow_run_id", "any_", flow_run_id);
	int rc = api_list(api, "/task_runs/filter", body, 0, out, err);
	json_decref(body);
	return rc;
}

int
prefect_run_graph(struct api *api, const char *flow_run_id, struct run_graph *out, struct error *err)
{
	char *path = xasprintf("/flow_runs/%s/graph-v2", flow_run_id);
	json_t *graph = NULL, *task_runs = NULL;
	int rc = api_request(api, "GET", path, NULL, 0, NULL, &graph, err);
	if (rc == 0)
		rc = fetch_task_runs(api, flow_run_id, &task_runs, err);
	if (rc == 0)
		rc = run_graph_decode(out, graph, task_runs, err);
	else
		memset(out, 0, sizeof(*out));
	json_decref(graph);
	json_decref(task_runs);
	free(path);
	return rc;
}

void
run_graph_release(struct run_graph *g)
{
	for (size_t i = 0; i < g->n_nodes; i++) {
		free(g->nodes[i].id);
		free(g->nodes[i].label);
		free(g->nodes[i].run_name);
		free(g->nodes[i].state_type);
	}
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}
