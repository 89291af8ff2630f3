/*
 * Static analysis of Prefect flow files, parsed with tree-sitter's Python
 * grammar (no regular expressions):
 *
 *   pyflow_load      read a .py file (missing, non-Python and non-UTF-8
 *                    files are errors)
 *   pyflow_analyze   its syntax errors; the module-level flows and tasks in
 *                    every form Prefect loads: functions decorated in every
 *                    spelling (@flow, @flow(...), @prefect.flow, names bound
 *                    by `from prefect import flow as f` or `import prefect as
 *                    p`), x = flow(fn), x = flow(...)(fn), x =
 *                    base.with_options(...), x = factory(...) for a factory
 *                    of the file, also inside module-level if, try and with
 *                    blocks; f-string names of constants; their
 *                    Prefect names, parameters, and the calls each flow makes
 *                    to tasks and subflows with the data and wait_for
 *                    dependencies between those calls
 *                    and the parameter schema Prefect would write for each
 *                    flow (schema.c)
 *   pyflow_check     the rest of the verdict: no flow, two flows with one
 *                    name, and warnings worth knowing
 *   pyflow_import    opt-in: import the file with a Python interpreter
 *
 * Nothing here prints or touches the network, and only pyflow_import runs
 * any Python. Positions are 1-based; columns count characters (code points),
 * not bytes; line 0 stands for the whole file.
 */
#ifndef PYFLOW_PYFLOW_H
#define PYFLOW_PYFLOW_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strlist.h"

/* At most this many syntax errors are reported, the first in the file. */
#define PYFLOW_MAX_SYNTAX_ERRORS 5

struct pyflow_pos {
	unsigned line;
	unsigned column;
};

/* A set of call indices (into the same flow's calls), ascending. */
struct pyflow_deps {
	size_t *items;
	size_t len;
	size_t alloc;
};

struct pyflow_param {
	char *name;          /* "x"; "*args" and "**kwargs" keep their stars */
	char *default_value; /* source text, or NULL */
	char *annotation;    /* source text, or NULL */
	struct pyflow_pos pos;
};

enum pyflow_method {
	PYFLOW_CALL = 0, /* task(x), or task.with_options(...)(x) */
	PYFLOW_SUBMIT,   /* task.submit(x) */
	PYFLOW_MAP,      /* task.map(xs) */
};

/* One call of a task or subflow in a flow's body, in evaluation order. */
struct pyflow_call {
	size_t target; /* index into pyflow_file.funcs */
	enum pyflow_method method;
	int awaited;                 /* await task(...) */
	struct pyflow_pos pos;       /* of the call expression */
	struct pyflow_deps inputs;   /* calls whose results reach an argument */
	struct pyflow_deps wait_for; /* calls named in wait_for=[...] */
};

enum pyflow_kind {
	PYFLOW_FLOW = 0,
	PYFLOW_TASK,
};

struct pyflow_func {
	enum pyflow_kind kind;
	char *name;            /* Prefect's name: a literal name=, else derived */
	char *function;        /* the Python function's name */
	struct pyflow_pos pos; /* of the function's name in its def */
	int is_async;
	int name_computed;     /* name= is given but is not a plain string */
	int decorator_unbound; /* @flow or @task used without importing it */
	int called;            /* called somewhere in the file outside itself */
	int conditional;       /* defined in an if branch or an except clause */
	int derived;           /* made by with_options from another flow of the file */
	struct pyflow_param *params;
	size_t n_params;
	struct pyflow_call *calls; /* flows only */
	size_t n_calls;
	/*
	 * Flows only: the parameter schema Prefect writes for the flow
	 * (prefect.utilities.callables.parameter_schema), and the parameters
	 * whose annotation or default could not be resolved statically (their
	 * entries in the schema are a best effort).
	 */
	json_t *schema;
	struct strlist inexact;
};

enum pyflow_severity {
	PYFLOW_ERROR = 0,
	PYFLOW_WARNING,
};

struct pyflow_problem {
	enum pyflow_severity severity;
	struct pyflow_pos pos; /* line 0: the whole file */
	char *message;
};

struct pyflow_file {
	char *path;
	char *source; /* the text, without a leading byte-order mark */
	size_t source_len;
	size_t *line_starts; /* byte offset of each line in source */
	size_t n_lines;
	struct pyflow_func *funcs; /* flows and tasks, in source order */
	size_t n_funcs;
	/* kept sorted: errors before warnings, each by position */
	struct pyflow_problem *problems;
	size_t n_problems;
};

/* clang-format off */
#define PYFLOW_FILE_INIT { 0 }
/* clang-format on */

/*
 * Read path into f (zeroed or PYFLOW_FILE_INIT). A file that is missing, not
 * a regular file, not named *.py, or not UTF-8 text is an error whose message
 * does not name the file. Release f with pyflow_release either way.
 */
int pyflow_load(struct pyflow_file *f, const char *path, struct error *err);
/* Use text (len bytes) as the source of a file named path (for tests). */
void pyflow_load_text(struct pyflow_file *f, const char *path, const char *text, size_t len);

/*
 * Parse f's source and fill funcs and the syntax errors. Fails only when
 * the grammar cannot be used by the tree-sitter library (ABI mismatch).
 */
int pyflow_analyze(struct pyflow_file *f, struct error *err);
/*
 * Add the verdict's other problems to an analysed file. Errors: no flow
 * (when there is no syntax error), two flows with one name, a name Prefect
 * refuses. Warnings: a flow parameter with neither default nor annotation,
 * a task never called in the file, a computed name=, @flow or @task used
 * without being imported.
 */
void pyflow_check(struct pyflow_file *f);
/*
 * Check that function is a flow function of f. Returns its index in funcs,
 * or -1 after adding an error problem.
 */
long pyflow_check_entrypoint(struct pyflow_file *f, const char *function);
/*
 * Import the file with python (a command looked up on PATH) in a child
 * process, with the file's directory first on sys.path, for at most
 * timeout_s seconds. An exception raised by the import, or a timeout, is
 * added to f as an error problem; after a successful import, the flows
 * whose name= was computed get the name Prefect gave them. Returns -1 only
 * when python could not be run at all.
 */
int pyflow_import(struct pyflow_file *f, const char *python, int timeout_s, struct error *err);
/*
 * Prefect's own parameter schema for the flow bound to function in the file
 * at path (absolute), as `prefect deploy` computes it
 * (parameter_schema(flow).model_dump_for_openapi()), asked of python in a
 * child process for at most timeout_s seconds; *out is a new reference.
 * ERROR_NOT_FOUND when python cannot be run, ERROR_INVALID when it cannot
 * load the flow (no Prefect, an import error) or does not answer in time.
 */
int pyflow_prefect_schema(const char *path, const char *function, const char *python, int timeout_s,
			  json_t **out, struct error *err);

/* The flow or task defined by the Python function named function, or NULL. */
const struct pyflow_func *pyflow_find(const struct pyflow_file *f, const char *function);
/* Number of problems of a severity. */
size_t pyflow_count(const struct pyflow_file *f, enum pyflow_severity severity);
/* Line n of the source (1-based) without its line ending, or NULL; sets *len. */
const char *pyflow_line(const struct pyflow_file *f, unsigned n, size_t *len);
/* Add a problem, keeping problems sorted. */
void pyflow_add_problem(struct pyflow_file *f, enum pyflow_severity severity, struct pyflow_pos pos,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void pyflow_release(struct pyflow_file *f);

#endif
