/*
 * What each flow calls: every call of a task or flow of the file in the
 * flow's body (task(x), task.submit(x), task.map(xs), the same through
 * task.with_options(...), awaited or not), in evaluation order, with two
 * kinds of dependency between calls:
 *   inputs    a call's result reaches an argument, directly or through
 *             variables (r = extract(); transform(r["rows"]))
 *   wait_for  the call names it in wait_for=[...]
 * Variables are followed in source order through assignments, augmented
 * assignments, := and for loops; a variable assigned from something that
 * uses no call's result forgets its calls. Nested functions, classes and
 * lambdas are not followed. Also marks the flows and tasks that are called
 * anywhere in the file outside their own body.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "pyflow/tree.h"

/* Deeper expressions are not followed (their calls are not recorded). */
#define MAX_DEPTH 200

struct var {
	char *name;
	struct pyflow_deps deps;
};

struct flow_walk {
	struct pyflow_pass *pass;
	struct pyflow_func *flow;
	struct var *vars;
	size_t n_vars;
	uint32_t *spans; /* start and end byte of each recorded call */
};

static void
deps_add(struct pyflow_deps *d, size_t v)
{
	size_t at = d->len;
	while (at > 0 && d->items[at - 1] >= v) {
		if (d->items[at - 1] == v)
			return;
		at--;
	}
	if (d->len == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 4;
		d->items = xrealloc(d->items, d->alloc * sizeof(*d->items));
	}
	memmove(d->items + at + 1, d->items + at, (d->len - at) * sizeof(*d->items));
	d->items[at] = v;
	d->len++;
}

static void
deps_merge(struct pyflow_deps *d, const struct pyflow_deps *from)
{
	for (size_t i = 0; i < from->len; i++)
		deps_add(d, from->items[i]);
}

/*
 * The index in funcs of the flow or task that call n runs, or -1; *method
 * says how (task(x), task.submit(x), task.map(xs)).
 */
static long
resolve_call(const struct pyflow_pass *pass, TSNode n, enum pyflow_method *method)
{
	const struct pyflow_file *f = pass->file;
	TSNode fn = ts_node_child_by_field_name(n, "function", 8);
	*method = PYFLOW_CALL;
	if (pf_is(fn, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);
		*method = pf_text_eq(f, attr, "submit") ? PYFLOW_SUBMIT :
			  pf_text_eq(f, attr, "map")    ? PYFLOW_MAP :
							  PYFLOW_CALL;
		if (*method != PYFLOW_CALL)
			fn = ts_node_child_by_field_name(fn, "object", 6);
	}
	if (pf_is(fn, "call")) {
		TSNode inner = ts_node_child_by_field_name(fn, "function", 8);
		if (pf_is(inner, "attribute") &&
		    pf_text_eq(f, ts_node_child_by_field_name(inner, "attribute", 9),
			       "with_options"))
			fn = ts_node_child_by_field_name(inner, "object", 6);
	}
	if (!pf_is(fn, "identifier"))
		return -1;
	char *name = pf_text(f, fn);
	const struct pyflow_func *target = pyflow_find(f, name);
	free(name);
	return target ? target - f->funcs : -1;
}

static struct var *
find_var(struct flow_walk *w, const struct pyflow_file *f, TSNode id)
{
	for (size_t i = w->n_vars; i-- > 0;)
		if (pf_text_eq(f, id, w->vars[i].name))
			return &w->vars[i];
	return NULL;
}

static long
recorded(const struct flow_walk *w, TSNode call)
{
	for (size_t i = 0; i < w->flow->n_calls; i++)
		if (w->spans[2 * i] == ts_node_start_byte(call) &&
		    w->spans[2 * i + 1] == ts_node_end_byte(call))
			return (long)i;
	return -1;
}

struct deps_walk {
	struct flow_walk *w;
	struct pyflow_deps *out;
};

static int
visit_dep(TSNode n, const char *field, void *data)
{
	struct deps_walk *d = data;
	long call = pf_is(n, "call") ? recorded(d->w, n) : -1;
	if (call >= 0) {
		deps_add(d->out, (size_t)call);
		return 0;
	}
	if (pf_is(n, "identifier") &&
	    !(field && (!strcmp(field, "attribute") || !strcmp(field, "name")))) {
		struct var *v = find_var(d->w, d->w->pass->file, n);
		if (v)
			deps_merge(d->out, &v->deps);
	}
	return 1;
}

/* The calls whose results expression n uses. */
static void
deps_of(struct flow_walk *w, TSNode n, struct pyflow_deps *out)
{
	struct deps_walk d = { w, out };
	if (!ts_node_is_null(n))
		pf_walk(n, visit_dep, &d);
}

static void
set_var(struct flow_walk *w, TSNode id, const struct pyflow_deps *deps, int merge)
{
	struct var *v = find_var(w, w->pass->file, id);
	if (!v) {
		w->vars = xrealloc(w->vars, (w->n_vars + 1) * sizeof(*w->vars));
		v = &w->vars[w->n_vars++];
		*v = (struct var){ pf_text(w->pass->file, id), { NULL, 0, 0 } };
	}
	if (!merge)
		v->deps.len = 0;
	deps_merge(&v->deps, deps);
}

/* Bind the names of an assignment target (a name or a pattern of names). */
static void
bind(struct flow_walk *w, TSNode target, const struct pyflow_deps *deps, int merge)
{
	if (pf_is(target, "identifier")) {
		set_var(w, target, deps, merge);
		return;
	}
	if (pf_is(target, "attribute") || pf_is(target, "subscript"))
		return;
	for (uint32_t i = 0; i < ts_node_named_child_count(target); i++)
		bind(w, ts_node_named_child(target, i), deps, merge);
}

static void visit(struct flow_walk *w, TSNode n, unsigned depth);

static void
visit_field(struct flow_walk *w, TSNode n, const char *field, unsigned depth)
{
	TSNode c = ts_node_child_by_field_name(n, field, (uint32_t)strlen(field));
	if (!ts_node_is_null(c))
		visit(w, c, depth + 1);
}

/* target = value, after value has been visited. */
static void
assign(struct flow_walk *w, TSNode target, TSNode value, int merge)
{
	struct pyflow_deps deps = { NULL, 0, 0 };
	deps_of(w, value, &deps);
	bind(w, target, &deps, merge);
	free(deps.items);
}

static void
record_call(struct flow_walk *w, TSNode n, long target, enum pyflow_method method, int awaited)
{
	struct pyflow_func *flow = w->flow;
	struct pyflow_call c = { (size_t)target,           method,         awaited,
				 pf_pos(w->pass->file, n), { NULL, 0, 0 }, { NULL, 0, 0 } };
	TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		if (pf_is(a, "keyword_argument") &&
		    pf_text_eq(w->pass->file, ts_node_child_by_field_name(a, "name", 4), "wait_for"))
			deps_of(w, ts_node_child_by_field_name(a, "value", 5), &c.wait_for);
		else
			deps_of(w, a, &c.inputs);
	}
	flow->calls = xrealloc(flow->calls, (flow->n_calls + 1) * sizeof(*flow->calls));
	w->spans = xrealloc(w->spans, 2 * (flow->n_calls + 1) * sizeof(*w->spans));
	w->spans[2 * flow->n_calls] = ts_node_start_byte(n);
	w->spans[2 * flow->n_calls + 1] = ts_node_end_byte(n);
	flow->calls[flow->n_calls++] = c;
}

/* A call: its callee and arguments first (they run first), then itself. */
static void
visit_call(struct flow_walk *w, TSNode n, unsigned depth, int awaited)
{
	enum pyflow_method method;
	long target = resolve_call(w->pass, n, &method);
	visit_field(w, n, "function", depth);
	visit_field(w, n, "arguments", depth);
	if (target >= 0)
		record_call(w, n, target, method, awaited);
}

static void
visit(struct flow_walk *w, TSNode n, unsigned depth)
{
	TSNode awaited = pf_first_named(n);
	if (depth > MAX_DEPTH || pf_is(n, "function_definition") || pf_is(n, "class_definition") ||
	    pf_is(n, "lambda") || pf_is(n, "decorated_definition"))
		return;
	if (pf_is(n, "call")) {
		visit_call(w, n, depth, 0);
	} else if (pf_is(n, "await") && pf_is(awaited, "call")) {
		visit_call(w, awaited, depth + 1, 1);
	} else if (pf_is(n, "assignment") || pf_is(n, "augmented_assignment") ||
		   pf_is(n, "named_expression")) {
		const char *target = pf_is(n, "named_expression") ? "name" : "left";
		const char *value = pf_is(n, "named_expression") ? "value" : "right";
		visit_field(w, n, value, depth);
		assign(w, ts_node_child_by_field_name(n, target, (uint32_t)strlen(target)),
		       ts_node_child_by_field_name(n, value, (uint32_t)strlen(value)),
		       pf_is(n, "augmented_assignment"));
	} else if (pf_is(n, "for_statement")) {
		visit_field(w, n, "right", depth);
		assign(w, ts_node_child_by_field_name(n, "left", 4),
		       ts_node_child_by_field_name(n, "right", 5), 0);
		visit_field(w, n, "body", depth);
		visit_field(w, n, "alternative", depth);
	} else {
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			visit(w, ts_node_named_child(n, i), depth + 1);
	}
}

static void
flow_calls(struct pyflow_pass *pass, size_t index)
{
	struct flow_walk w = { pass, &pass->file->funcs[index], NULL, 0, NULL };
	visit(&w, ts_node_child_by_field_name(pass->defs[index], "body", 4), 0);
	for (size_t i = 0; i < w.n_vars; i++) {
		free(w.vars[i].name);
		free(w.vars[i].deps.items);
	}
	free(w.vars);
	free(w.spans);
}

static int
visit_mark(TSNode n, const char *field, void *data)
{
	struct pyflow_pass *pass = data;
	enum pyflow_method method;
	long target = pf_is(n, "call") ? resolve_call(pass, n, &method) : -1;
	(void)field;
	if (target >= 0) {
		TSNode def = pass->defs[target];
		int inside = ts_node_start_byte(n) >= ts_node_start_byte(def) &&
			     ts_node_end_byte(n) <= ts_node_end_byte(def);
		pass->file->funcs[target].called |= !inside;
	}
	return 1;
}

void
pf_find_calls(struct pyflow_pass *pass)
{
	for (size_t i = 0; i < pass->file->n_funcs; i++)
		if (pass->file->funcs[i].kind == PYFLOW_FLOW)
			flow_calls(pass, i);
	pf_walk(pass->root, visit_mark, pass);
}
