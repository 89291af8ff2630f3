/* The verdict on an analysed flow file beyond its syntax (see pyflow.h). */
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "core/xalloc.h"
#include "pyflow/pyflow.h"

/* Characters Prefect refuses in a flow name (prefect.types.BANNED_CHARACTERS). */
#define BANNED_IN_NAMES "/%&><"

static const struct pyflow_pos whole_file = { 0, 0 };

static size_t
count_kind(const struct pyflow_file *f, enum pyflow_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_funcs; i++)
		n += f->funcs[i].kind == kind;
	return n;
}

static void
check_names(struct pyflow_file *f, const struct pyflow_func *fn)
{
	size_t banned = strcspn(fn->name, BANNED_IN_NAMES);
	if (fn->name[banned])
		pyflow_add_problem(f, PYFLOW_ERROR, fn->pos,
				   "flow name '%s' contains '%c', which "
				   "Prefect does not allow in names (/ %% & > <)",
				   fn->name, fn->name[banned]);
	/* base.with_options() keeps base's name unless told otherwise: one flow, two handles */
	for (const struct pyflow_func *other = f->funcs; !fn->derived && other < fn; other++)
		if (other->kind == PYFLOW_FLOW && !strcmp(other->name, fn->name)) {
			pyflow_add_problem(f, PYFLOW_ERROR, fn->pos,
					   "flow name '%s' is already "
					   "used by function '%s' on line %u",
					   fn->name, other->function, other->pos.line);
			return;
		}
}

static void
check_parameters(struct pyflow_file *f, const struct pyflow_func *fn)
{
	for (size_t i = 0; i < fn->n_params; i++) {
		const struct pyflow_param *p = &fn->params[i];
		if (p->name[0] == '*' || p->default_value || p->annotation)
			continue;
		pyflow_add_problem(f, PYFLOW_WARNING, p->pos,
				   "parameter '%s' of flow '%s' has "
				   "neither a default value nor a type annotation",
				   p->name, fn->name);
	}
}

static void
check_func(struct pyflow_file *f, const struct pyflow_func *fn, int syntax_ok)
{
	const char *kind = fn->kind == PYFLOW_FLOW ? "flow" : "task";
	if (fn->decorator_unbound)
		pyflow_add_problem(f, PYFLOW_WARNING, fn->pos,
				   "@%s is used but never imported "
				   "(add 'from prefect import %s')",
				   kind, kind);
	if (fn->name_computed)
		pyflow_add_problem(f, PYFLOW_WARNING, fn->pos,
				   "the %s's name= is not a plain "
				   "string; its name is taken to be '%s'",
				   kind, fn->name);
	if (fn->kind == PYFLOW_TASK && !fn->called && syntax_ok)
		pyflow_add_problem(f, PYFLOW_WARNING, fn->pos,
				   "task '%s' is defined but never "
				   "called in this file",
				   fn->name);
	if (fn->kind == PYFLOW_FLOW) {
		check_names(f, fn);
		check_parameters(f, fn);
	}
}

void
pyflow_check(struct pyflow_file *f)
{
	int syntax_ok = !pyflow_count(f, PYFLOW_ERROR);
	if (syntax_ok && !count_kind(f, PYFLOW_FLOW))
		pyflow_add_problem(f, PYFLOW_ERROR, whole_file,
				   count_kind(f, PYFLOW_TASK) ?
					   "no flow found: tasks are defined but no function is "
					   "decorated with @flow" :
					   "no flow found: no function is decorated with @flow");
	for (size_t i = 0; i < f->n_funcs; i++)
		check_func(f, &f->funcs[i], syntax_ok);
}

static void
no_such_flow(struct pyflow_file *f, const char *function)
{
	size_t n = 0;
	const char **flows = xcalloc(f->n_funcs + 1, sizeof(*flows));
	for (size_t i = 0; i < f->n_funcs; i++)
		if (f->funcs[i].kind == PYFLOW_FLOW)
			flows[n++] = f->funcs[i].function;
	const char *near = suggest_nearest(function, flows, n);
	if (near)
		pyflow_add_problem(f, PYFLOW_ERROR, whole_file,
				   "no flow function '%s' in this "
				   "file (did you mean '%s'?)",
				   function, near);
	else
		pyflow_add_problem(f, PYFLOW_ERROR, whole_file,
				   "no flow function '%s' in this "
				   "file",
				   function);
	free(flows);
}

long
pyflow_check_entrypoint(struct pyflow_file *f, const char *function)
{
	const struct pyflow_func *fn = pyflow_find(f, function);
	if (!fn) {
		no_such_flow(f, function);
		return -1;
	}
	if (fn->kind != PYFLOW_FLOW) {
		pyflow_add_problem(f, PYFLOW_ERROR, fn->pos, "'%s' is a task, not a flow", function);
		return -1;
	}
	return fn - f->funcs;
}
