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

struct pf_imports {
	struct binding *items;
	size_t len;
	size_t alloc;
};

struct defs {
	struct pyflow_pass *pass;
	struct pf_imports imports;
	struct pf_consts consts;      /* module-level string and int constants */
	const struct pf_consts *args; /* a factory's parameters, while expanding it */
	TSNode *plain;                /* module-level functions that are not flows */
	size_t n_plain;
	int conditional; /* inside an if branch or except clause */
};

static void
bind(struct pf_imports *im, const char *name, size_t name_len, char *target)
{
	if (im->len == im->alloc) {
		im->alloc = im->alloc ? im->alloc * 2 : 8;
		im->items = xrealloc(im->items, im->alloc * sizeof(*im->items));
	}
	im->items[im->len++] = (struct binding){ xstrndup(name, name_len), target };
}

/* The latest binding of name (imports later in the file win), or NULL. */
static const char *
lookup(const struct pf_imports *im, const char *name, size_t len)
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
	for (uint32_t i = 0; i < pf_count(stmt); i++) {
		TSNode c = ts_node_named_child(stmt, i);
		if (pf_is(c, "aliased_import")) {
			char *alias = pf_text(f, pf_field(c, "alias"));
			bind(&d->imports, alias, strlen(alias), pf_text(f, pf_field(c, "name")));
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
	TSNode module = pf_field(stmt, "module_name");
	if (!pf_is(module, "dotted_name"))
		return; /* relative imports are the project's own modules */
	char *from = pf_text(f, module);
	for (uint32_t i = 0; i < pf_count(stmt); i++) {
		TSNode c = ts_node_named_child(stmt, i);
		TSNode name = pf_is(c, "aliased_import") ? pf_field(c, "name") : c;
		TSNode alias = pf_is(c, "aliased_import") ? pf_field(c, "alias") : c;
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
	if (!pf_is(n, "attribute") || !dotted(f, pf_field(n, "object"), out))
		return 0;
	char *attr = pf_text(f, pf_field(n, "attribute"));
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
	TSNode args = pf_field(call, "arguments");
	for (uint32_t i = 0; i < pf_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		if (pf_is(a, "keyword_argument") && pf_text_eq(f, pf_field(a, "name"), "name"))
			return pf_field(a, "value");
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

/* The name= of config (a call, or a null node), else the one derived from def_name. */
static void
set_name(struct pyflow_func *fn, const struct defs *d, TSNode config, const char *def_name)
{
	const struct pyflow_file *f = d->pass->file;
	TSNode value = pf_is(config, "call") ? name_argument(f, config) : (TSNode){ 0 };
	const struct pf_consts *envs[] = { d->args, &d->consts, NULL };
	char *literal = NULL;
	if (!ts_node_is_null(value) &&
	    (pf_string_value(f, value, &literal) ||
	     (literal = pf_fstring_value(f, value, d->args ? envs : envs + 1)))) {
		if (*literal) {
			fn->name = literal;
			return;
		}
	}
	fn->name_computed = !ts_node_is_null(value) && !literal && !pf_is(value, "none");
	free(literal);
	fn->name = derived_name(def_name, (int)fn->kind);
}

static struct pyflow_param
parameter(const struct pyflow_file *f, TSNode n)
{
	struct pyflow_param p = { NULL, NULL, NULL, pf_pos(f, n) };
	TSNode name = pf_field(n, "name");
	TSNode type = pf_field(n, "type");
	TSNode value = pf_field(n, "value");
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
	uint32_t count = pf_count(params);
	fn->params = xcalloc(count ? count : 1, sizeof(*fn->params));
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(params, i);
		if (pf_is(c, "comment") || pf_is(c, "keyword_separator") ||
		    pf_is(c, "positional_separator") || pf_is(c, "ERROR"))
			continue;
		fn->params[fn->n_params++] = parameter(f, c);
	}
}

/*
 * A flow or task whose code is def, bound to the module attribute named by
 * the text of attr, configured by the call config (name=) when not null.
 */
static struct pyflow_func *
add_func(struct defs *d, TSNode def, TSNode attr, TSNode config, int kind, int unbound)
{
	struct pyflow_pass *pass = d->pass;
	struct pyflow_file *f = pass->file;
	char *def_name = pf_text(f, pf_field(def, "name"));
	f->funcs = xrealloc(f->funcs, (f->n_funcs + 1) * sizeof(*f->funcs));
	pass->defs = xrealloc(pass->defs, (f->n_funcs + 1) * sizeof(*pass->defs));
	pass->defs[f->n_funcs] = def;
	struct pyflow_func *fn = &f->funcs[f->n_funcs++];
	memset(fn, 0, sizeof(*fn));
	fn->kind = (enum pyflow_kind)kind;
	fn->function = pf_text(f, attr);
	fn->pos = pf_pos(f, attr);
	fn->is_async = pf_is(ts_node_child(def, 0), "async");
	fn->decorator_unbound = unbound;
	fn->conditional = d->conditional;
	set_name(fn, d, config, def_name);
	parameters(fn, f, pf_field(def, "parameters"));
	free(def_name);
	return fn;
}

/* The flow or task kind of a decorator expression, call or not, or -1. */
static int
expr_kind(const struct defs *d, TSNode expr, int *unbound)
{
	TSNode callee = pf_is(expr, "call") ? pf_field(expr, "function") : expr;
	*unbound = 0;
	return decorator_kind(d, callee, unbound);
}

static void
add_plain(struct defs *d, TSNode def)
{
	d->plain = xrealloc(d->plain, (d->n_plain + 1) * sizeof(*d->plain));
	d->plain[d->n_plain++] = def;
}

static int
same_text(const struct pyflow_file *f, TSNode a, TSNode b)
{
	uint32_t len = ts_node_end_byte(a) - ts_node_start_byte(a);
	return len == ts_node_end_byte(b) - ts_node_start_byte(b) &&
	       !memcmp(f->source + ts_node_start_byte(a), f->source + ts_node_start_byte(b), len);
}

/* The module-level plain function named by identifier n, or a null node. */
static TSNode
plain_function(const struct defs *d, TSNode n)
{
	for (size_t i = d->n_plain; pf_is(n, "identifier") && i-- > 0;)
		if (same_text(d->pass->file, n, pf_field(d->plain[i], "name")))
			return d->plain[i];
	return (TSNode){ 0 };
}

/*
 * The flow or task decorator of a decorated function definition, or a null
 * node; *kind and *unbound describe it.
 */
static TSNode
flow_decorator(const struct defs *d, TSNode n, int *kind, int *unbound)
{
	TSNode def = pf_field(n, "definition");
	if (!pf_is(def, "function_definition") || ts_node_is_null(pf_field(def, "name")))
		return (TSNode){ 0 };
	for (uint32_t i = 0; i < pf_count(n); i++) {
		TSNode dec = ts_node_named_child(n, i);
		TSNode expr = pf_first_named(dec);
		if (pf_is(dec, "decorator") && (*kind = expr_kind(d, expr, unbound)) >= 0)
			return expr;
	}
	return (TSNode){ 0 };
}

/* A decorated module-level function: a flow or task when a decorator says so. */
static void
decorated(struct defs *d, TSNode n)
{
	int kind, unbound;
	TSNode expr = flow_decorator(d, n, &kind, &unbound);
	TSNode def = pf_field(n, "definition");
	if (!ts_node_is_null(expr))
		add_func(d, def, pf_field(def, "name"), expr, kind, unbound);
	else if (pf_is(def, "function_definition"))
		add_plain(d, def);
}

char *
pf_resolve(const struct pyflow_pass *pass, TSNode n)
{
	struct buf path = BUF_INIT, full = BUF_INIT;
	if (!pass->imports || !dotted(pass->file, n, &path)) {
		buf_release(&path);
		return NULL;
	}
	size_t head = strcspn(buf_str(&path), ".");
	const char *target = lookup(pass->imports, buf_str(&path), head);
	buf_adds(&full, target ? target : "");
	buf_adds(&full, target ? buf_str(&path) + head : buf_str(&path));
	buf_release(&path);
	return buf_detach(&full);
}

void
pf_release_imports(struct pyflow_pass *pass)
{
	struct pf_imports *im = pass->imports;
	for (size_t i = 0; im && i < im->len; i++) {
		free(im->items[i].name);
		free(im->items[i].target);
	}
	if (im)
		free(im->items);
	free(im);
	pass->imports = NULL;
}

/* The first positional argument of a call, or a null node. */
static TSNode
first_positional(TSNode call)
{
	TSNode args = pf_field(call, "arguments");
	TSNode first = pf_first_named(args);
	return pf_is(first, "keyword_argument") ? (TSNode){ 0 } : first;
}

/* x = flow(fn, ...) or x = flow(...)(fn): 1 when value is one. */
static int
flow_call(struct defs *d, TSNode attr, TSNode value)
{
	TSNode head = pf_field(value, "function"), config = value;
	TSNode def = plain_function(d, first_positional(value));
	int unbound;
	if (pf_is(head, "call")) {
		if (!ts_node_is_null(first_positional(head)))
			return 0;
		config = head;
		head = pf_field(head, "function");
	}
	int kind = decorator_kind(d, head, &unbound);
	if (kind < 0 || ts_node_is_null(def))
		return 0;
	add_func(d, def, attr, config, kind, 0);
	return 1;
}

/* x = base.with_options(...) for a flow or task base of the file. */
static int
with_options(struct defs *d, TSNode attr, TSNode value)
{
	const struct pyflow_file *f = d->pass->file;
	TSNode callee = pf_field(value, "function");
	if (!pf_is(callee, "attribute") ||
	    !pf_text_eq(f, pf_field(callee, "attribute"), "with_options"))
		return 0;
	char *base_name = pf_text(f, pf_field(callee, "object"));
	const struct pyflow_func *base = pyflow_find(f, base_name);
	free(base_name);
	if (!base)
		return 0;
	size_t index = (size_t)(base - f->funcs);
	int kind = (int)base->kind;
	char *name = xstrdup(base->name);
	struct pyflow_func *fn = add_func(d, d->pass->defs[index], attr, value, kind, 0);
	if (ts_node_is_null(name_argument(f, value))) {
		free(fn->name);
		fn->name = name;
	} else {
		free(name);
	}
	fn->derived = 1;
	return 1;
}

/* A factory's parameters bound to the literal arguments of a call of it. */
static void
bind_arguments(const struct pyflow_file *f, TSNode def, TSNode call, struct pf_consts *out)
{
	TSNode params = pf_field(def, "parameters");
	TSNode args = pf_field(call, "arguments");
	uint32_t pos = 0;
	for (uint32_t i = 0; i < pf_count(args); i++) {
		TSNode a = ts_node_named_child(args, i), name = { { 0 }, 0, 0 };
		if (pf_is(a, "keyword_argument")) {
			name = pf_field(a, "name");
			a = pf_field(a, "value");
		} else if (pos < pf_count(params)) {
			TSNode p = ts_node_named_child(params, pos++);
			name = pf_is(p, "identifier") ? p : pf_field(p, "name");
		}
		if (!pf_is(name, "identifier"))
			continue;
		char *key = pf_text(f, name), *v = pf_const_text(f, a);
		pf_consts_set(out, key, v);
		free(key);
		free(v);
	}
}

/* x = factory(...): the flow the factory defines with a decorator and returns. */
static int
factory(struct defs *d, TSNode attr, TSNode value)
{
	TSNode def = plain_function(d, pf_field(value, "function"));
	TSNode body = pf_field(def, "body");
	for (uint32_t i = 0; !ts_node_is_null(def) && i < pf_count(body); i++) {
		TSNode n = ts_node_named_child(body, i);
		int kind, unbound;
		TSNode expr = pf_is(n, "decorated_definition") ?
				      flow_decorator(d, n, &kind, &unbound) :
				      (TSNode){ { 0 }, 0, 0 };
		if (ts_node_is_null(expr) || kind != PYFLOW_FLOW)
			continue;
		struct pf_consts args = { NULL, NULL, 0 };
		bind_arguments(d->pass->file, def, value, &args);
		d->args = &args;
		add_func(d, pf_field(n, "definition"), attr, expr, kind, unbound);
		d->args = NULL;
		pf_consts_release(&args);
		return 1;
	}
	return 0;
}

/* NAME = value at module level: a constant, or a flow in one of the call forms. */
static void
assignment(struct defs *d, TSNode n)
{
	const struct pyflow_file *f = d->pass->file;
	TSNode left = pf_field(n, "left");
	TSNode value = pf_field(n, "right");
	if (!pf_is(left, "identifier"))
		return;
	char *name = pf_text(f, left), *text = pf_const_text(f, value);
	pf_consts_set(&d->consts, name, d->conditional ? NULL : text);
	free(name);
	free(text);
	if (pf_is(value, "call") && !flow_call(d, left, value) && !with_options(d, left, value))
		factory(d, left, value);
}

static void module_block(struct defs *d, TSNode block);

/* Flows defined in a class body: Prefect cannot load them from a file. */
static void
class_flows(struct defs *d, TSNode cls)
{
	TSNode body = pf_field(cls, "body");
	for (uint32_t i = 0; i < pf_count(body); i++) {
		TSNode n = ts_node_named_child(body, i);
		int kind, unbound;
		if (!pf_is(n, "decorated_definition") ||
		    ts_node_is_null(flow_decorator(d, n, &kind, &unbound)) || kind != PYFLOW_FLOW)
			continue;
		TSNode def = pf_field(n, "definition");
		TSNode name = pf_field(def, "name");
		char *cname = pf_text(d->pass->file, pf_field(cls, "name"));
		char *fname = pf_text(d->pass->file, name);
		pyflow_add_problem(d->pass->file, PYFLOW_WARNING, pf_pos(d->pass->file, name),
				   "flow '%s.%s' is defined in a class: flows in classes are not "
				   "supported (not validated, deployed or run); define it at module "
				   "level",
				   cname, fname);
		free(cname);
		free(fname);
	}
}

/* The blocks of an if, try or with statement, in order; conditional ones flagged. */
static void
compound(struct defs *d, TSNode n)
{
	int saved = d->conditional;
	for (uint32_t i = 0; i < pf_count(n); i++) {
		TSNode c = ts_node_named_child(n, i);
		int branch = pf_is(n, "if_statement") || pf_is(c, "except_clause") ||
			     pf_is(c, "except_group_clause") || pf_is(c, "elif_clause") ||
			     pf_is(c, "else_clause");
		d->conditional = saved || (branch && !pf_is(n, "with_statement"));
		if (pf_is(c, "block"))
			module_block(d, c);
		else if (pf_is(c, "elif_clause") || pf_is(c, "else_clause") ||
			 pf_is(c, "except_clause") || pf_is(c, "except_group_clause") ||
			 pf_is(c, "finally_clause"))
			compound(d, c);
	}
	d->conditional = saved;
}

static void
module_block(struct defs *d, TSNode block)
{
	for (uint32_t i = 0; i < pf_count(block); i++) {
		TSNode n = ts_node_named_child(block, i);
		if (pf_is(n, "decorated_definition"))
			decorated(d, n);
		else if (pf_is(n, "function_definition"))
			add_plain(d, n);
		else if (pf_is(n, "class_definition"))
			class_flows(d, n);
		else if (pf_is(n, "if_statement") || pf_is(n, "try_statement") ||
			 pf_is(n, "with_statement"))
			compound(d, n);
		else if (pf_is(n, "expression_statement") && pf_is(pf_first_named(n), "assignment"))
			assignment(d, pf_first_named(n));
	}
}

void
pf_find_definitions(struct pyflow_pass *pass)
{
	struct defs d = { pass, { NULL, 0, 0 }, { NULL, NULL, 0 }, NULL, NULL, 0, 0 };
	pf_walk(pass->root, visit_import, &d);
	module_block(&d, pass->root);
	pf_consts_release(&d.consts);
	free(d.plain);
	pass->imports = xmalloc(sizeof(*pass->imports));
	*pass->imports = d.imports;
}
