/*
 * Flow and task definitions: the module-level functions whose decorator
 * resolves to prefect.flow or prefect.task through the file's imports
 * (`import prefect [as p]`, `from prefect import flow [as f]`, also from
 * prefect.flows and prefect.tasks, and star imports), with their Prefect
 * names and parameters. A bare @flow or @task that nothing binds is taken as
 * Prefect's and flagged (decorator_unbound); one bound to another module's
 * name is not a flow.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/tree.h"

/* A name the file's imports bind, and the dotted path it stands for. */
struct binding {
	char *name;
	char *target;
};

struct imports {
	struct binding *items;
	size_t len;
	size_t alloc;
};

struct defs {
	struct pyflow_pass *pass;
	struct imports imports;
};

static void
bind(struct imports *im, const char *name, size_t name_len, char *target)
{
	if (im->len == im->alloc) {
		im->alloc = im->alloc ? im->alloc * 2 : 8;
		im->items = xrealloc(im->items, im->alloc * sizeof(*im->items));
	}
	im->items[im->len++] = (struct binding){ xstrndup(name, name_len), target };
}

/* The latest binding of name (imports later in the file win), or NULL. */
static const char *
lookup(const struct imports *im, const char *name, size_t len)
{
	for (size_t i = im->len; i-- > 0;)
		if (strlen(im->items[i].name) == len && !memcmp(im->items[i].name, name, len))
			return im->items[i].target;
	return NULL;
}

/* `import a.b.c` binds a to "a"; `import a.b as x` binds x to "a.b". */
static void
import_statement(struct defs *d, TSNode stmt)
{
	const struct pyflow_file *f = d->pass->file;
	for (uint32_t i = 0; i < ts_node_named_child_count(stmt); i++) {
		TSNode c = ts_node_named_child(stmt, i);
		if (pf_is(c, "aliased_import")) {
			char *alias = pf_text(f, ts_node_child_by_field_name(c, "alias", 5));
			bind(&d->imports, alias, strlen(alias),
			     pf_text(f, ts_node_child_by_field_name(c, "name", 4)));
			free(alias);
		} else if (pf_is(c, "dotted_name")) {
			char *path = pf_text(f, c);
			size_t head = strcspn(path, ".");
			bind(&d->imports, path, head, xstrndup(path, head));
			free(path);
		}
	}
}

/* The names a star import from module binds, as far as Prefect is concerned. */
static void
star_import(struct defs *d, const char *module)
{
	int flows = !strcmp(module, "prefect") || !strcmp(module, "prefect.flows");
	int tasks = !strcmp(module, "prefect") || !strcmp(module, "prefect.tasks");
	if (flows)
		bind(&d->imports, "flow", 4, xasprintf("%s.flow", module));
	if (tasks)
		bind(&d->imports, "task", 4, xasprintf("%s.task", module));
}

/* `from m import a as b, c` binds b to "m.a" and c to "m.c". */
static void
import_from(struct defs *d, TSNode stmt)
{
	const struct pyflow_file *f = d->pass->file;
	TSNode module = ts_node_child_by_field_name(stmt, "module_name", 11);
	if (!pf_is(module, "dotted_name"))
		return; /* relative imports are the project's own modules */
	char *from = pf_text(f, module);
	for (uint32_t i = 0; i < ts_node_named_child_count(stmt); i++) {
		TSNode c = ts_node_named_child(stmt, i);
		TSNode name =
			pf_is(c, "aliased_import") ? ts_node_child_by_field_name(c, "name", 4) : c;
		TSNode alias =
			pf_is(c, "aliased_import") ? ts_node_child_by_field_name(c, "alias", 5) : c;
		if (pf_is(c, "wildcard_import")) {
			star_import(d, from);
		} else if (!ts_node_eq(c, module) && pf_is(name, "dotted_name")) {
			char *as = pf_text(f, alias), *what = pf_text(f, name);
			bind(&d->imports, as, strlen(as), xasprintf("%s.%s", from, what));
			free(as);
			free(what);
		}
	}
	free(from);
}

static int
is_scope(TSNode n)
{
	return pf_is(n, "function_definition") || pf_is(n, "class_definition") ||
	       pf_is(n, "lambda");
}

/* Module-level imports, including those inside if, try and with blocks. */
static int
visit_import(TSNode n, const char *field, void *data)
{
	(void)field;
	if (pf_is(n, "import_statement"))
		import_statement(data, n);
	else if (pf_is(n, "import_from_statement"))
		import_from(data, n);
	return !is_scope(n);
}

/* "a.b.c" for an identifier or a chain of attributes on one; 0 otherwise. */
static int
dotted(const struct pyflow_file *f, TSNode n, struct buf *out)
{
	if (pf_is(n, "identifier")) {
		char *name = pf_text(f, n);
		buf_adds(out, name);
		free(name);
		return 1;
	}
	if (!pf_is(n, "attribute") || !dotted(f, ts_node_child_by_field_name(n, "object", 6), out))
		return 0;
	char *attr = pf_text(f, ts_node_child_by_field_name(n, "attribute", 9));
	buf_addf(out, ".%s", attr);
	free(attr);
	return 1;
}

/*
 * The kind of a decorator expression (without its call), or -1 when it is
 * neither Prefect's flow nor task. *unbound is set for a bare flow or task
 * that no import binds.
 */
static int
decorator_kind(const struct defs *d, TSNode expr, int *unbound)
{
	struct buf path = BUF_INIT, full = BUF_INIT;
	int kind = -1;
	if (dotted(d->pass->file, expr, &path)) {
		size_t head = strcspn(buf_str(&path), ".");
		const char *target = lookup(&d->imports, buf_str(&path), head);
		buf_adds(&full, target ? target : "");
		buf_adds(&full, target ? buf_str(&path) + head : buf_str(&path));
		const char *p = buf_str(&full);
		*unbound = !target && (!strcmp(p, "flow") || !strcmp(p, "task"));
		if (!strcmp(p, "prefect.flow") || !strcmp(p, "prefect.flows.flow") ||
		    (*unbound && !strcmp(p, "flow")))
			kind = PYFLOW_FLOW;
		else if (!strcmp(p, "prefect.task") || !strcmp(p, "prefect.tasks.task") ||
			 (*unbound && !strcmp(p, "task")))
			kind = PYFLOW_TASK;
	}
	buf_release(&path);
	buf_release(&full);
	return kind;
}

/* The name= argument of a decorator call, or a null node. */
static TSNode
name_argument(const struct pyflow_file *f, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		if (pf_is(a, "keyword_argument") &&
		    pf_text_eq(f, ts_node_child_by_field_name(a, "name", 4), "name"))
			return ts_node_child_by_field_name(a, "value", 5);
	}
	return (TSNode){ 0 };
}

/* Prefect's default names: a flow's underscores become hyphens, a task's stay. */
static char *
derived_name(const char *function, int kind)
{
	char *name = xstrdup(function);
	for (char *p = name; kind == PYFLOW_FLOW && *p; p++)
		*p = *p == '_' ? '-' : *p;
	return name;
}

static void
set_name(struct pyflow_func *fn, const struct pyflow_file *f, TSNode decorator)
{
	TSNode value = pf_is(decorator, "call") ? name_argument(f, decorator) : (TSNode){ 0 };
	char *literal = NULL;
	if (!ts_node_is_null(value) && pf_string_value(f, value, &literal) && *literal) {
		fn->name = literal;
		return;
	}
	fn->name_computed = !ts_node_is_null(value) && !literal && !pf_is(value, "none");
	free(literal);
	fn->name = derived_name(fn->function, (int)fn->kind);
}

static struct pyflow_param
parameter(const struct pyflow_file *f, TSNode n)
{
	struct pyflow_param p = { NULL, NULL, NULL, pf_pos(f, n) };
	TSNode name = ts_node_child_by_field_name(n, "name", 4);
	TSNode type = ts_node_child_by_field_name(n, "type", 4);
	TSNode value = ts_node_child_by_field_name(n, "value", 5);
	if (pf_is(n, "typed_parameter"))
		name = pf_first_named(n);
	p.name = pf_text(f, ts_node_is_null(name) ? n : name);
	p.annotation = ts_node_is_null(type) ? NULL : pf_text(f, type);
	p.default_value = ts_node_is_null(value) ? NULL : pf_text(f, value);
	return p;
}

static void
parameters(struct pyflow_func *fn, const struct pyflow_file *f, TSNode params)
{
	uint32_t count = ts_node_named_child_count(params);
	fn->params = xcalloc(count ? count : 1, sizeof(*fn->params));
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(params, i);
		if (pf_is(c, "comment") || pf_is(c, "keyword_separator") ||
		    pf_is(c, "positional_separator") || pf_is(c, "ERROR"))
			continue;
		fn->params[fn->n_params++] = parameter(f, c);
	}
}

static void
add_func(struct defs *d, TSNode def, TSNode decorator, int kind, int unbound)
{
	struct pyflow_pass *pass = d->pass;
	struct pyflow_file *f = pass->file;
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	f->funcs = xrealloc(f->funcs, (f->n_funcs + 1) * sizeof(*f->funcs));
	pass->defs = xrealloc(pass->defs, (f->n_funcs + 1) * sizeof(*pass->defs));
	pass->defs[f->n_funcs] = def;
	struct pyflow_func *fn = &f->funcs[f->n_funcs++];
	memset(fn, 0, sizeof(*fn));
	fn->kind = (enum pyflow_kind)kind;
	fn->function = pf_text(f, name);
	fn->pos = pf_pos(f, name);
	fn->is_async = pf_is(ts_node_child(def, 0), "async");
	fn->decorator_unbound = unbound;
	set_name(fn, f, decorator);
	parameters(fn, f, ts_node_child_by_field_name(def, "parameters", 10));
}

/* A decorated module-level function: a flow or task when a decorator says so. */
static void
decorated(struct defs *d, TSNode n)
{
	TSNode def = ts_node_child_by_field_name(n, "definition", 10);
	if (!pf_is(def, "function_definition") ||
	    ts_node_is_null(ts_node_child_by_field_name(def, "name", 4)))
		return;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
		TSNode dec = ts_node_named_child(n, i);
		TSNode expr = pf_first_named(dec);
		TSNode callee = pf_is(expr, "call") ?
					ts_node_child_by_field_name(expr, "function", 8) :
					expr;
		int unbound = 0, kind;
		if (!pf_is(dec, "decorator") || (kind = decorator_kind(d, callee, &unbound)) < 0)
			continue;
		add_func(d, def, expr, kind, unbound);
		return;
	}
}

void
pf_find_definitions(struct pyflow_pass *pass)
{
	struct defs d = { pass, { NULL, 0, 0 } };
	pf_walk(pass->root, visit_import, &d);
	for (uint32_t i = 0; i < ts_node_named_child_count(pass->root); i++) {
		TSNode n = ts_node_named_child(pass->root, i);
		if (pf_is(n, "decorated_definition"))
			decorated(&d, n);
	}
	for (size_t i = 0; i < d.imports.len; i++) {
		free(d.imports.items[i].name);
		free(d.imports.items[i].target);
	}
	free(d.imports.items);
}
