/*
 * Fuzz target for the Python flow analysis (src/pyflow/): tree-sitter's
 * parse of a file, the flows, tasks, parameters and calls found in it, the
 * verdict's checks, and the task graph of each flow (src/graph/) as Mermaid
 * and DOT. Feeds: the input as the contents of a .py file, read as
 * `flow validate` reads one. Checks: no sanitizer report; problems are
 * sorted errors first and point into the file; every call's target is a
 * function of the file and its dependencies are calls of the same flow, in
 * ascending order; the graphs' text has no control characters but newlines.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"
#include "graph/graph.h"
#include "pyflow/pyflow.h"
#include "scratch.h"

static void
check_deps(const struct pyflow_deps *d, size_t n_calls)
{
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i] >= n_calls || (i && d->items[i] <= d->items[i - 1]))
			abort();
}

static void
check_flow(const struct pyflow_file *f, size_t flow)
{
	const struct pyflow_func *fn = &f->funcs[flow];
	for (size_t c = 0; c < fn->n_calls; c++) {
		if (fn->calls[c].target >= f->n_funcs)
			abort();
		check_deps(&fn->calls[c].inputs, fn->n_calls);
		check_deps(&fn->calls[c].wait_for, fn->n_calls);
	}

	struct graph g;
	struct buf out = BUF_INIT;
	graph_init(&g, fn->name);
	graph_from_flow(&g, f, flow);
	graph_write_mermaid(&g, fn->name, &out);
	graph_write_dot(&g, fn->function, &out);
	for (size_t i = 0; i < out.len; i++)
		if (((unsigned char)out.data[i] < 0x20 && out.data[i] != '\n') ||
		    out.data[i] == 0x7f)
			abort();
	buf_release(&out);
	graph_release(&g);
}

static void
check_problems(const struct pyflow_file *f)
{
	for (size_t i = 0; i < f->n_problems; i++) {
		const struct pyflow_problem *p = &f->problems[i];
		size_t len;
		if (!p->message || p->pos.line > f->n_lines ||
		    (p->pos.line && !pyflow_line(f, p->pos.line, &len)))
			abort();
		if (i && p->severity < f->problems[i - 1].severity)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = scratch_file("flow.py", data, size);
	struct pyflow_file f = PYFLOW_FILE_INIT;
	struct error err = ERROR_INIT;

	if (pyflow_load(&f, path, &err) == 0 && pyflow_analyze(&f, &err) == 0) {
		pyflow_check(&f);
		for (size_t i = 0; i < f.n_funcs; i++) {
			if (pyflow_find(&f, f.funcs[i].function) == NULL)
				abort();
			if (f.funcs[i].kind == PYFLOW_FLOW)
				check_flow(&f, i);
		}
		pyflow_check_entrypoint(&f, "main");
		check_problems(&f);
	}
	pyflow_release(&f);
	return 0;
}
