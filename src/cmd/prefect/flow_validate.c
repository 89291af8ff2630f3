/*
 * mahavishnu prefect flow validate: check a flow file without running it
 * (src/pyflow parses it), report its flows, tasks and problems, and record
 * the flows of a valid file in the local flow registry so that `flow
 * execute` and `deploy` find their code. No request is made; with --import
 * the file is also imported by Python.
 */
#include <stdlib.h>
#include <string.h>

#include "api/parameters.h"
#include "cli/command.h"
#include "cmd/prefect/flow_registry.h"
#include "cmd/prefect/local_prefect.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "pyflow/pyflow.h"
#include "ui/panel.h"
#include "ui/style.h"
#include "ui/text.h"

/* How long --import may take: importing Prefect alone takes seconds. */
#define IMPORT_TIMEOUT_S 120
#define TAB_STOP 8

struct validation {
	struct pyflow_file file;
	const char *path;           /* as given */
	long entrypoint;            /* index of --entrypoint's flow, or -1 */
	char *python;               /* set when the file was imported */
	struct strlist recorded;    /* flow names ... */
	struct strlist entrypoints; /* ... and the entrypoints recorded for them */
};

static const char *
env_get(const char *name)
{
	return getenv(name);
}

static int
check_function_name(const char *name, struct error *err)
{
	int ok = *name && !(*name >= '0' && *name <= '9');
	for (const char *p = name; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9') || *p == '_' || (unsigned char)*p >= 0x80;
	if (ok)
		return 0;
	return error_set(err, ERROR_USAGE,
			 "option '--entrypoint': '%s' is not a Python "
			 "function name",
			 name);
}

/* Static checks, then --import when they found no error. */
static int
analyse(struct cmd_ctx *ctx, struct validation *v, const char *entrypoint, int import,
	struct error *err)
{
	struct error load_err = ERROR_INIT;
	if (pyflow_load(&v->file, v->path, &load_err) < 0) {
		pyflow_add_problem(&v->file, PYFLOW_ERROR, (struct pyflow_pos){ 0, 0 }, "%s",
				   load_err.message);
		return 0;
	}
	if (pyflow_analyze(&v->file, err) < 0)
		return -1;
	pyflow_check(&v->file);
	if (entrypoint)
		v->entrypoint = pyflow_check_entrypoint(&v->file, entrypoint);
	if (!import || pyflow_count(&v->file, PYFLOW_ERROR))
		return 0;
	v->python = local_python(ctx);
	int rc = pyflow_import(&v->file, v->python, IMPORT_TIMEOUT_S, err);
	if (rc < 0 && err->kind == ERROR_NOT_FOUND)
		error_hint(err, "set 'python' in your settings (or MAHAVISHNU_PYTHON) to a Python "
				"that has Prefect installed");
	return rc;
}

static int
record_flow(struct validation *v, const char *registry, const char *api_url, const char *abs,
	    const struct pyflow_func *fn, struct error *err)
{
	char *entry = xasprintf("%s:%s", abs, fn->function);
	int rc = flow_registry_record(registry, api_url, fn->name, entry, err);
	if (rc == 0) {
		strlist_add(&v->recorded, fn->name);
		strlist_add_owned(&v->entrypoints, entry);
	} else {
		free(entry);
	}
	return rc;
}

/* Record the file's flows (or only --entrypoint's) for the effective API URL. */
static int
record(struct cmd_ctx *ctx, struct validation *v, struct error *err)
{
	char *registry = NULL, *abs = realpath(v->path, NULL);
	int rc = abs ? 0 : error_set(err, ERROR_IO, "cannot resolve the path of '%s'", v->path);
	if (rc == 0)
		registry = flow_registry_path(env_get);
	for (size_t i = 0; rc == 0 && i < v->file.n_funcs; i++) {
		const struct pyflow_func *fn = &v->file.funcs[i];
		if (fn->kind == PYFLOW_FLOW && (v->entrypoint < 0 || (long)i == v->entrypoint))
			rc = record_flow(v, registry, ctx->api_url, abs, fn, err);
	}
	free(registry);
	free(abs);
	return rc;
}

static const char *
method_name(enum pyflow_method m)
{
	return m == PYFLOW_SUBMIT ? "submit" : m == PYFLOW_MAP ? "map" : "call";
}

static json_t *
pos_json(json_t *obj, struct pyflow_pos pos)
{
	json_object_set_new(obj, "line", pos.line ? json_integer(pos.line) : json_null());
	json_object_set_new(obj, "column", pos.line ? json_integer(pos.column) : json_null());
	return obj;
}

static json_t *
deps_json(const struct pyflow_deps *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->len; i++)
		json_array_append_new(a, json_integer((json_int_t)d->items[i]));
	return a;
}

static json_t *
calls_json(const struct pyflow_file *f, const struct pyflow_func *fn)
{
	json_t *a = json_array();
	for (size_t i = 0; i < fn->n_calls; i++) {
		const struct pyflow_call *c = &fn->calls[i];
		const struct pyflow_func *t = &f->funcs[c->target];
		json_array_append_new(
			a,
			pos_json(json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:o,s:o}", "index",
					   (json_int_t)i, "name", t->name, "function", t->function,
					   "type", t->kind == PYFLOW_FLOW ? "flow" : "task",
					   "method", method_name(c->method), "await", c->awaited,
					   "depends_on", deps_json(&c->inputs), "wait_for",
					   deps_json(&c->wait_for)),
				 c->pos));
	}
	return a;
}

static json_t *
params_json(const struct pyflow_func *fn)
{
	json_t *a = json_array();
	for (size_t i = 0; i < fn->n_params; i++) {
		const struct pyflow_param *p = &fn->params[i];
		json_array_append_new(a,
				      json_pack("{s:s,s:o,s:o}", "name", p->name, "default",
						json_string_or_null(p->default_value), "annotation",
						json_string_or_null(p->annotation)));
	}
	return a;
}

static json_t *
func_json(const struct pyflow_file *f, const struct pyflow_func *fn)
{
	json_t *o = pos_json(json_pack("{s:s,s:s}", "name", fn->name, "function", fn->function),
			     fn->pos);
	json_object_set_new(o, "parameters", params_json(fn));
	if (fn->kind == PYFLOW_FLOW) {
		json_t *inexact = json_array();
		for (size_t i = 0; i < fn->inexact.len; i++)
			json_array_append_new(inexact, json_string(fn->inexact.items[i]));
		json_object_set(o, PREFECT_SCHEMA_FIELD, fn->schema);
		json_object_set_new(o, "name_unknown", json_boolean(fn->name_computed));
		json_object_set_new(o, "conditional", json_boolean(fn->conditional));
		json_object_set_new(o, "inexact_parameters", inexact);
		json_object_set_new(o, "calls", calls_json(f, fn));
	}
	json_object_set_new(o, "async", json_boolean(fn->is_async));
	return o;
}

static json_t *
problems_json(const struct pyflow_file *f, enum pyflow_severity severity)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->n_problems; i++)
		if (f->problems[i].severity == severity)
			json_array_append_new(a, pos_json(json_pack("{s:s}", "message",
								    f->problems[i].message),
							  f->problems[i].pos));
	return a;
}

static json_t *
recorded_json(const struct validation *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->recorded.len; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "flow", v->recorded.items[i],
						   "entrypoint", v->entrypoints.items[i]));
	return a;
}

/* The path as given; bytes that are not UTF-8 become U+FFFD. */
static json_t *
path_json(const char *path)
{
	json_t *s = json_string(path);
	if (!s) {
		char *clean = text_sanitize_dup(path, 1);
		s = json_string(clean);
		free(clean);
	}
	return s;
}

static int
show_json(struct cmd_ctx *ctx, const struct validation *v)
{
	const struct pyflow_file *f = &v->file;
	json_t *flows = json_array(), *tasks = json_array();
	for (size_t i = 0; i < f->n_funcs; i++)
		json_array_append_new(f->funcs[i].kind == PYFLOW_FLOW ? flows : tasks,
				      func_json(f, &f->funcs[i]));
	json_t *doc = json_pack("{s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:b}", "path", path_json(v->path),
				"valid", !pyflow_count(f, PYFLOW_ERROR), "flows", flows, "tasks",
				tasks, "errors", problems_json(f, PYFLOW_ERROR), "warnings",
				problems_json(f, PYFLOW_WARNING), "recorded", recorded_json(v),
				"imported", v->python != NULL);
	int rc = cmd_print_json(ctx, doc);
	json_decref(doc);
	return rc;
}

/* Deeper schemas are shown as "...". */
#define BRIEF_DEPTH 6

static void brief(struct buf *out, const json_t *root, const json_t *s, int depth);

static void
brief_list(struct buf *out, const json_t *root, const json_t *list, const char *sep, int depth)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		buf_adds(out, i ? sep : "");
		brief(out, root, e, depth + 1);
	}
}

static void
brief_values(struct buf *out, const json_t *values)
{
	char *text = json_dumps(values, JSON_ENCODE_ANY | JSON_COMPACT);
	buf_addf(out, "one of %s", text ? text : "?");
	free(text);
}

/* A schema in a few words: "array[integer] | null", "Color (enum)", "string (date-time)". */
static void
brief(struct buf *out, const json_t *root, const json_t *s, int depth)
{
	const char *ref = json_string_value(json_object_get(s, "$ref"));
	const char *type = json_string_value(json_object_get(s, "type"));
	const json_t *items = json_object_get(s, "items"),
		     *extra = json_object_get(s, "additionalProperties");
	if (depth > BRIEF_DEPTH) {
		buf_adds(out, "...");
	} else if (ref && strrchr(ref, '/')) {
		const json_t *def = json_object_get(json_object_get(root, "definitions"),
						    strrchr(ref, '/') + 1);
		buf_addf(out, "%s (%s)", strrchr(ref, '/') + 1,
			 json_object_get(def, "enum") ? "enum" : "model");
	} else if (json_object_get(s, "anyOf")) {
		brief_list(out, root, json_object_get(s, "anyOf"), " | ", depth);
	} else if (json_object_get(s, "enum")) {
		brief_values(out, json_object_get(s, "enum"));
	} else if (json_object_get(s, "const")) {
		json_t *one = json_pack("[O]", json_object_get(s, "const"));
		brief_values(out, one);
		json_decref(one);
	} else if (json_object_get(s, "prefixItems")) {
		buf_adds(out, "tuple[");
		brief_list(out, root, json_object_get(s, "prefixItems"), ", ", depth);
		buf_adds(out, "]");
	} else if (type && !strcmp(type, "array") && json_object_size(items)) {
		buf_adds(out, json_is_true(json_object_get(s, "uniqueItems")) ? "set[" : "array[");
		brief(out, root, items, depth + 1);
		buf_adds(out, "]");
	} else if (type && !strcmp(type, "object") && json_object_size(extra)) {
		buf_adds(out, "object[string, ");
		brief(out, root, extra, depth + 1);
		buf_adds(out, "]");
	} else if (type) {
		buf_adds(out, type);
		if (json_is_string(json_object_get(s, "format")))
			buf_addf(out, " (%s)", json_string_value(json_object_get(s, "format")));
	} else {
		buf_adds(out, "any");
	}
}

/* "integer = 3", "string, required", with "(inexact)" when it may differ. */
static void
param_brief(struct buf *out, const struct pyflow_func *fn, const char *name, const json_t *prop)
{
	const json_t *def = json_object_get(prop, "default");
	size_t i;
	json_t *r;
	int required = 0;
	json_array_foreach(json_object_get(fn->schema, "required"), i, r)
		required = required ||
			   !strcmp(json_string_value(r) ? json_string_value(r) : "", name);
	brief(out, fn->schema, prop, 0);
	if (def) {
		char *text = json_dumps(def, JSON_ENCODE_ANY | JSON_COMPACT);
		buf_addf(out, " = %s", text ? text : "?");
		free(text);
	}
	if (required)
		buf_adds(out, ", required");
	if (strlist_contains(&fn->inexact, name))
		buf_adds(out, " (not known statically)");
}

/* The flows and tasks a flow calls, once each, in the order of their first call. */
static void
callees(struct buf *out, const struct pyflow_file *f, const struct pyflow_func *fn)
{
	struct strlist seen = STRLIST_INIT;
	for (size_t i = 0; i < fn->n_calls; i++) {
		const struct pyflow_func *t = &f->funcs[fn->calls[i].target];
		if (strlist_contains(&seen, t->name))
			continue;
		buf_addf(out, "%s%s%s", seen.len ? ", " : "", t->name,
			 t->kind == PYFLOW_FLOW ? " (subflow)" : "");
		strlist_add(&seen, t->name);
	}
	if (!seen.len)
		buf_adds(out, "none");
	strlist_release(&seen);
}

static void
field(struct panel *p, const char *label, struct buf *value, enum style style)
{
	panel_field(p, label, buf_str(value), style);
	buf_reset(value);
}

static void
flow_fields(struct panel *p, const struct pyflow_file *f, const struct pyflow_func *fn)
{
	struct buf v = BUF_INIT;
	buf_addf(&v, "%s (%sfunction %s, line %u)", fn->name, fn->is_async ? "async " : "",
		 fn->function, fn->pos.line);
	field(p, "Flow", &v, STYLE_NAME);
	const char *name;
	const json_t *prop;
	size_t n = json_object_size(json_object_get(fn->schema, "properties"));
	buf_addf(&v, n ? "%zu" : "none", n);
	field(p, "Parameters", &v, STYLE_NONE);
	json_object_foreach(json_object_get(fn->schema, "properties"), name, prop) {
		char *label = xasprintf("  %s", name);
		param_brief(&v, fn, name, prop);
		field(p, label, &v, STYLE_NONE);
		free(label);
	}
	callees(&v, f, fn);
	field(p, "Calls", &v, STYLE_NONE);
	buf_release(&v);
}

static void
summary_fields(struct panel *p, const struct validation *v)
{
	const struct pyflow_file *f = &v->file;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < f->n_funcs; i++)
		if (f->funcs[i].kind == PYFLOW_TASK)
			buf_addf(&b, "%s%s", b.len ? ", " : "", f->funcs[i].name);
	if (!b.len)
		buf_adds(&b, "none");
	field(p, "Tasks", &b, STYLE_NONE);
	size_t warnings = pyflow_count(f, PYFLOW_WARNING);
	if (warnings) {
		buf_addf(&b, "%zu (listed below)", warnings);
		field(p, "Warnings", &b, STYLE_PROGRESS);
	}
	if (v->python) {
		buf_addf(&b, "imported with %s: no errors", v->python);
		field(p, "Import", &b, STYLE_SUCCESS);
	}
	for (size_t i = 0; i < v->recorded.len; i++) {
		buf_addf(&b, "%s → %s", v->recorded.items[i], v->entrypoints.items[i]);
		field(p, "Recorded", &b, STYLE_META);
	}
	buf_release(&b);
}

static void
valid_panel(struct buf *out, const struct cmd_ctx *ctx, const struct validation *v)
{
	struct panel *p = panel_new("✓ Flow is Valid", STYLE_SUCCESS);
	panel_blank(p);
	panel_text(p, "No errors found.", STYLE_NONE);
	panel_blank(p);
	panel_field(p, "File", v->path, STYLE_NONE);
	for (size_t i = 0; i < v->file.n_funcs; i++)
		if (v->file.funcs[i].kind == PYFLOW_FLOW)
			flow_fields(p, &v->file, &v->file.funcs[i]);
	summary_fields(p, v);
	panel_render(p, &ctx->term, out);
	panel_free(p);
}

static void
invalid_panel(struct buf *out, const struct cmd_ctx *ctx, const struct validation *v)
{
	struct panel *p = panel_new("✗ Flow is Invalid", STYLE_FAILURE);
	size_t errors = pyflow_count(&v->file, PYFLOW_ERROR);
	size_t warnings = pyflow_count(&v->file, PYFLOW_WARNING);
	struct buf b = BUF_INIT;
	buf_addf(&b, "%zu error%s", errors, errors == 1 ? "" : "s");
	if (warnings)
		buf_addf(&b, " and %zu warning%s", warnings, warnings == 1 ? "" : "s");
	buf_adds(&b, " found (listed below).");
	panel_blank(p);
	panel_text(p, buf_str(&b), STYLE_NONE);
	panel_blank(p);
	panel_field(p, "File", v->path, STYLE_NONE);
	if (v->python) {
		buf_reset(&b);
		buf_addf(&b, "failed with %s (listed below)", v->python);
		panel_field(p, "Import", buf_str(&b), STYLE_FAILURE);
	}
	panel_render(p, &ctx->term, out);
	panel_free(p);
	buf_release(&b);
}

/* Characters of text (len bytes) with tabs expanded; up to `upto` characters. */
static char *
expand_tabs(const char *text, size_t len, size_t upto)
{
	struct buf b = BUF_INIT;
	size_t chars = 0, col = 0;
	for (size_t i = 0; i < len; i++) {
		int starts = ((unsigned char)text[i] & 0xc0) != 0x80;
		if (starts && chars++ == upto)
			break;
		if (text[i] == '\t') {
			text_pad(&b, TAB_STOP - col % TAB_STOP);
			col += TAB_STOP - col % TAB_STOP;
		} else {
			buf_addc(&b, text[i]);
			col += starts;
		}
	}
	return buf_detach(&b);
}

/* The offending line, and a caret under the problem's column. */
static void
source_excerpt(struct buf *out, const struct pyflow_file *f, struct pyflow_pos pos,
	       enum style style, int color)
{
	size_t len;
	const char *line = pyflow_line(f, pos.line, &len);
	if (!line)
		return;
	char *shown = expand_tabs(line, len, (size_t)-1);
	char *before = expand_tabs(line, len, pos.column - 1);
	char *clean = text_sanitize_dup(shown, 1), *clean_before = text_sanitize_dup(before, 1);
	buf_addf(out, "    %s\n    ", clean);
	text_pad(out, text_width(clean_before));
	style_add(out, "^", style, color);
	buf_addc(out, '\n');
	free(shown);
	free(before);
	free(clean);
	free(clean_before);
}

/* "path:line:col: error: message", then the line and a caret. */
static void
problem_list(struct buf *out, const struct cmd_ctx *ctx, const struct validation *v)
{
	int color = ctx->term.color;
	char *path = text_sanitize_dup(v->path, 1);
	for (size_t i = 0; i < v->file.n_problems; i++) {
		const struct pyflow_problem *pr = &v->file.problems[i];
		int error = pr->severity == PYFLOW_ERROR;
		enum style style = error ? STYLE_FAILURE : STYLE_PROGRESS;
		struct buf where = BUF_INIT;
		buf_adds(&where, path);
		if (pr->pos.line)
			buf_addf(&where, ":%u:%u", pr->pos.line, pr->pos.column);
		buf_addc(&where, ':');
		style_add_bold(out, buf_str(&where), STYLE_NONE, color);
		buf_addc(out, ' ');
		style_add_bold(out, error ? "error:" : "warning:", style, color);
		buf_addc(out, ' ');
		text_sanitize(out, pr->message, 1);
		buf_addc(out, '\n');
		source_excerpt(out, &v->file, pr->pos, style, color);
		buf_release(&where);
	}
	free(path);
}

static int
show_table(struct cmd_ctx *ctx, const struct validation *v)
{
	struct buf out = BUF_INIT;
	if (pyflow_count(&v->file, PYFLOW_ERROR))
		invalid_panel(&out, ctx, v);
	else
		valid_panel(&out, ctx, v);
	problem_list(&out, ctx, v);
	int rc = cmd_print(ctx, &out);
	buf_release(&out);
	return rc;
}

static int
flow_validate_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *path = NULL, *entrypoint = NULL;
	int import = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("PATH", &path, "The flow file to check (a .py file)"),
		OPT_STR(0, "entrypoint", &entrypoint, "FUNC",
			"Check that FUNC is a flow of the file; record only it"),
		OPT_FLAG(0, "import", &import,
			 "Also import the file with Python (runs its top-level code)"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct validation v = { PYFLOW_FILE_INIT, NULL, -1, NULL, STRLIST_INIT, STRLIST_INIT };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	v.path = path;
	if (entrypoint && check_function_name(entrypoint, &err) < 0) {
		error_hint(&err, "see 'mahavishnu %s --help'", ctx->path);
		return cmd_fail(ctx, &err);
	}
	int valid = 0;
	if (analyse(ctx, &v, entrypoint, import, &err) < 0 ||
	    ((valid = !pyflow_count(&v.file, PYFLOW_ERROR)) && record(ctx, &v, &err) < 0))
		rc = cmd_fail(ctx, &err);
	else
		rc = ctx->term.format == OUTPUT_JSON ? show_json(ctx, &v) : show_table(ctx, &v);
	if (rc == EXIT_OK && !valid)
		rc = EXIT_ERROR;
	pyflow_release(&v.file);
	free(v.python);
	strlist_release(&v.recorded);
	strlist_release(&v.entrypoints);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_validate = {
	.path = "prefect flow validate",
	.summary = "Check a flow file without running it",
	.help = "Check a Python flow file without running it: it must parse and define at\n"
		"least one flow (a function decorated with Prefect's @flow). Reports syntax\n"
		"errors, files with no flow, two flows with one name, a missing or non-Python\n"
		"file, and warns about flow parameters with neither default nor annotation\n"
		"and tasks never called, each as PATH:LINE:COLUMN with the line and a caret.\n"
		"Lists the flows (name, parameters, the tasks and subflows each calls) and\n"
		"tasks found: decorated functions, x = flow(fn), x = base.with_options(...),\n"
		"flows made by a factory of the file, also inside module-level if, try and\n"
		"with blocks. Each flow's parameter schema is the one Prefect writes\n"
		"(-o json: parameter_openapi_schema), with the parameters it cannot resolve\n"
		"statically listed as inexact. The flows of a valid file are recorded in\n"
		"the local flow registry (flow name to FILE.py:FUNCTION, per API URL) for\n"
		"'flow execute' and 'deploy'. No request is made, and nothing is executed\n"
		"unless --import is given: it imports the file with the configured Python\n"
		"(setting 'python', or MAHAVISHNU_PYTHON; else the one beside 'prefect'; else\n"
		"python3), the file's directory first on sys.path, to catch import errors.\n"
		"Exit status: 0 valid, 1 invalid, 2 usage error.",
	.flags = CMD_API_URL,
	.exec = flow_validate_exec,
};
