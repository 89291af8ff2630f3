/*
 * Unit tests for src/pyflow: the fixture flow files (every decorator
 * spelling, async flows, a diamond with a wait_for edge, no flow, duplicate
 * names, warnings, syntax errors) with their exact findings and positions,
 * syntax errors from a table of snippets, variable tracking for data
 * dependencies, file loading errors, --entrypoint checks, importing a
 * file with python3, parameter schemas, and every module-level flow form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "pyflow/pyflow.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Terminates the expected dependency lists below. */
#define END ((size_t)-1)

static void
analyse_fixture(struct pyflow_file *f, const char *name)
{
	struct error err = ERROR_INIT;
	char *path = fixture_path("flows/%s", name);
	memset(f, 0, sizeof(*f));
	assert_int_equal(pyflow_load(f, path, &err), 0);
	assert_int_equal(pyflow_analyze(f, &err), 0);
	pyflow_check(f);
	free(path);
}

static void
analyse_text(struct pyflow_file *f, const char *text)
{
	struct error err = ERROR_INIT;
	memset(f, 0, sizeof(*f));
	pyflow_load_text(f, "snippet.py", text, strlen(text));
	assert_int_equal(pyflow_analyze(f, &err), 0);
	pyflow_check(f);
}

static const struct pyflow_func *
func(const struct pyflow_file *f, const char *function, enum pyflow_kind kind, const char *name,
     unsigned line, unsigned column)
{
	const struct pyflow_func *fn = pyflow_find(f, function);
	assert_non_null(fn);
	assert_int_equal(fn->kind, kind);
	assert_string_equal(fn->name, name);
	assert_int_equal(fn->pos.line, line);
	assert_int_equal(fn->pos.column, column);
	return fn;
}

static void
param(const struct pyflow_func *fn, size_t i, const char *name, const char *dflt,
      const char *annotation)
{
	assert_true(i < fn->n_params);
	const struct pyflow_param *p = &fn->params[i];
	assert_string_equal(p->name, name);
	if (dflt)
		assert_string_equal(p->default_value, dflt);
	else
		assert_null(p->default_value);
	if (annotation)
		assert_string_equal(p->annotation, annotation);
	else
		assert_null(p->annotation);
}

static void
deps_equal(const struct pyflow_deps *d, const size_t *expected)
{
	size_t n = 0;
	while (expected[n] != END)
		n++;
	assert_int_equal(d->len, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(d->items[i], expected[i]);
}

struct call_spec {
	const char *function;
	enum pyflow_method method;
	int awaited;
	unsigned line, column;
	size_t inputs[4];
	size_t wait_for[4];
};

static void
calls_equal(const struct pyflow_file *f, const struct pyflow_func *fn, const struct call_spec *spec,
	    size_t n)
{
	assert_int_equal(fn->n_calls, n);
	for (size_t i = 0; i < n; i++) {
		const struct pyflow_call *c = &fn->calls[i];
		assert_string_equal(f->funcs[c->target].function, spec[i].function);
		assert_int_equal(c->method, spec[i].method);
		assert_int_equal(c->awaited, spec[i].awaited);
		assert_int_equal(c->pos.line, spec[i].line);
		assert_int_equal(c->pos.column, spec[i].column);
		deps_equal(&c->inputs, spec[i].inputs);
		deps_equal(&c->wait_for, spec[i].wait_for);
	}
}

static void
problem(const struct pyflow_file *f, size_t i, enum pyflow_severity severity, unsigned line,
	unsigned column, const char *message)
{
	assert_true(i < f->n_problems);
	assert_int_equal(f->problems[i].severity, severity);
	assert_int_equal(f->problems[i].pos.line, line);
	assert_int_equal(f->problems[i].pos.column, column);
	assert_string_equal(f->problems[i].message, message);
}

static size_t
count_kind(const struct pyflow_file *f, enum pyflow_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_funcs; i++)
		n += f->funcs[i].kind == kind;
	return n;
}

static void
test_spelling_plain(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_plain.py");
	assert_int_equal(f.n_problems, 0);
	const struct pyflow_func *flow = func(&f, "hello_world", PYFLOW_FLOW, "hello-world", 11, 5);
	func(&f, "say", PYFLOW_TASK, "say", 6, 5);
	assert_int_equal(flow->n_params, 1);
	param(flow, 0, "name", "\"world\"", "str");
	const struct call_spec calls[] = { { "say", PYFLOW_CALL, 0, 12, 5, { END }, { END } } };
	calls_equal(&f, flow, calls, ARRAY_LEN(calls));
	pyflow_release(&f);
}

static void
test_spelling_called(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_called.py");
	assert_int_equal(f.n_problems, 0);
	const struct pyflow_func *flow = func(&f, "crawl", PYFLOW_FLOW, "crawler", 11, 5);
	func(&f, "fetch", PYFLOW_TASK, "fetch-page", 6, 5);
	assert_int_equal(flow->n_params, 2);
	param(flow, 0, "urls", "[]", "list[str]");
	param(flow, 1, "depth", "1", "int");
	const struct call_spec calls[] = { { "fetch", PYFLOW_CALL, 0, 13, 9, { END }, { END } } };
	calls_equal(&f, flow, calls, ARRAY_LEN(calls));
	pyflow_release(&f);
}

static void
test_spelling_module(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_module.py");
	assert_int_equal(f.n_problems, 0);
	assert_int_equal(f.n_funcs, 3);
	func(&f, "ping", PYFLOW_TASK, "ping", 6, 5);
	const struct pyflow_func *monitor = func(&f, "monitor", PYFLOW_FLOW, "monitor", 11, 5);
	const struct pyflow_func *one = func(&f, "monitor_one", PYFLOW_FLOW, "monitor-once", 16, 5);
	param(monitor, 0, "hosts", "[\"a\", \"b\"]", "list");
	param(one, 0, "host", NULL, "str");
	const struct call_spec map[] = { { "ping", PYFLOW_MAP, 0, 12, 5, { END }, { END } } };
	calls_equal(&f, monitor, map, ARRAY_LEN(map));
	const struct call_spec call[] = { { "ping", PYFLOW_CALL, 0, 17, 5, { END }, { END } } };
	calls_equal(&f, one, call, ARRAY_LEN(call));
	pyflow_release(&f);
}

static void
test_spelling_alias(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_alias.py");
	assert_int_equal(f.n_problems, 0);
	assert_int_equal(f.n_funcs, 6);
	func(&f, "first", PYFLOW_TASK, "first", 9, 5);
	func(&f, "second", PYFLOW_TASK, "second-step", 14, 5);
	func(&f, "third", PYFLOW_TASK, "third", 19, 5);
	const struct pyflow_func *child = func(&f, "child", PYFLOW_FLOW, "child", 24, 5);
	const struct pyflow_func *parent = func(&f, "parent", PYFLOW_FLOW, "parent", 29, 5);
	func(&f, "other_parent", PYFLOW_FLOW, "aliased-parent", 36, 5);
	param(child, 0, "x", NULL, "int");
	param(parent, 0, "flag", "True", "bool");
	/* clang-format off */
	const struct call_spec calls[] = {
		{ "first", PYFLOW_CALL, 0, 30, 9, { END }, { END } },
		{ "second", PYFLOW_CALL, 0, 31, 9, { 0, END }, { END } },
		{ "child", PYFLOW_CALL, 0, 32, 5, { 1, END }, { END } },
	};
	/* clang-format on */
	calls_equal(&f, parent, calls, ARRAY_LEN(calls));
	assert_int_equal(f.funcs[parent->calls[2].target].kind, PYFLOW_FLOW);
	pyflow_release(&f);
}

static void
test_spelling_async(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_async.py");
	assert_int_equal(f.n_problems, 0);
	const struct pyflow_func *flow = func(&f, "fetch_all", PYFLOW_FLOW, "fetch-all", 18, 11);
	const struct pyflow_func *download = func(&f, "download", PYFLOW_TASK, "download", 8, 11);
	assert_true(flow->is_async);
	assert_true(download->is_async);
	assert_false(func(&f, "size", PYFLOW_TASK, "size", 13, 5)->is_async);
	param(flow, 0, "urls", "[\"https://example.com\"]", "list[str]");
	/* clang-format off */
	const struct call_spec calls[] = {
		{ "download", PYFLOW_CALL, 1, 19, 19, { END }, { END } },
		{ "download", PYFLOW_MAP, 0, 20, 15, { END }, { END } },
		{ "size", PYFLOW_MAP, 0, 21, 13, { 1, END }, { END } },
		{ "size", PYFLOW_SUBMIT, 0, 22, 13, { 0, END }, { 2, END } },
	};
	/* clang-format on */
	calls_equal(&f, flow, calls, ARRAY_LEN(calls));
	pyflow_release(&f);
}

/* a -> b, a -> c, b + c -> d, and notify waits for d. */
static void
test_diamond(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "diamond.py");
	assert_int_equal(f.n_problems, 0);
	assert_int_equal(count_kind(&f, PYFLOW_FLOW), 1);
	assert_int_equal(count_kind(&f, PYFLOW_TASK), 5);
	const struct pyflow_func *flow = func(&f, "diamond", PYFLOW_FLOW, "diamond-etl", 31, 5);
	func(&f, "extract", PYFLOW_TASK, "extract", 6, 5);
	func(&f, "transform", PYFLOW_TASK, "transform-rows", 11, 5);
	func(&f, "validate", PYFLOW_TASK, "validate", 16, 5);
	const struct pyflow_func *load = func(&f, "load", PYFLOW_TASK, "load", 21, 5);
	func(&f, "notify", PYFLOW_TASK, "notify", 26, 5);
	assert_int_equal(flow->n_params, 3);
	param(flow, 0, "source", "\"s3://bucket\"", "str");
	param(flow, 1, "limit", "10", "int");
	param(flow, 2, "dry_run", "False", NULL);
	assert_int_equal(load->n_params, 2);
	param(load, 1, "ok", NULL, NULL);
	/* clang-format off */
	const struct call_spec calls[] = {
		{ "extract", PYFLOW_CALL, 0, 32, 11, { END }, { END } },
		{ "transform", PYFLOW_SUBMIT, 0, 33, 12, { 0, END }, { END } },
		{ "validate", PYFLOW_SUBMIT, 0, 34, 10, { 0, END }, { END } },
		{ "load", PYFLOW_CALL, 0, 35, 12, { 1, 2, END }, { END } },
		{ "notify", PYFLOW_CALL, 0, 36, 5, { END }, { 3, END } },
	};
	/* clang-format on */
	calls_equal(&f, flow, calls, ARRAY_LEN(calls));
	pyflow_release(&f);
}

static void
test_not_prefect(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "not_prefect.py");
	assert_int_equal(f.n_funcs, 0);
	assert_int_equal(f.n_problems, 1);
	problem(&f, 0, PYFLOW_ERROR, 0, 0, "no flow found: no function is decorated with @flow");
	pyflow_release(&f);
}

static void
test_no_flow(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "no_flow.py");
	assert_int_equal(f.n_problems, 2);
	problem(&f, 0, PYFLOW_ERROR, 0, 0,
		"no flow found: tasks are defined but no function is decorated with @flow");
	problem(&f, 1, PYFLOW_WARNING, 6, 5,
		"task 'lonely' is defined but never called in this file");
	pyflow_release(&f);
}

static void
test_duplicate_names(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "duplicate_names.py");
	assert_int_equal(f.n_problems, 1);
	problem(&f, 0, PYFLOW_ERROR, 11, 5,
		"flow name 'daily-report' is already used by "
		"function 'daily_report' on line 6");
	pyflow_release(&f);
}

static void
test_warnings(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "with_warnings.py");
	assert_int_equal(pyflow_count(&f, PYFLOW_ERROR), 0);
	assert_int_equal(f.n_problems, 2);
	problem(&f, 0, PYFLOW_WARNING, 11, 5,
		"task 'unused' is defined but never called in this file");
	problem(&f, 1, PYFLOW_WARNING, 16, 19,
		"parameter 'x' of flow 'with-warnings' has neither "
		"a default value nor a type annotation");
	const struct pyflow_func *flow = pyflow_find(&f, "with_warnings");
	assert_int_equal(flow->n_params, 5);
	param(flow, 3, "*args", NULL, NULL);
	param(flow, 4, "**kwargs", NULL, NULL);
	pyflow_release(&f);
}

static void
test_syntax_fixtures(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "syntax_unclosed.py");
	assert_int_equal(f.n_problems, 1);
	problem(&f, 0, PYFLOW_ERROR, 12, 16, "'(' was never closed");
	pyflow_release(&f);
	analyse_fixture(&f, "syntax_many.py");
	assert_int_equal(f.n_problems, 3);
	problem(&f, 0, PYFLOW_ERROR, 6, 22, "expected ':'");
	problem(&f, 1, PYFLOW_ERROR, 12, 5, "missing parentheses in call to 'print'");
	problem(&f, 2, PYFLOW_ERROR, 17, 19, "unmatched ']'");
	pyflow_release(&f);
}

struct syntax_case {
	const char *source;
	unsigned line, column;
	const char *message;
};

static void
test_syntax_snippets(void **state)
{
	/* clang-format off */
	static const struct syntax_case cases[] = {
		{ "def f(a, b:\n    return a\n", 1, 6, "'(' was never closed" },
		{ "x = (1, 2\ny = 3\n", 1, 5, "'(' was never closed" },
		{ "if True\n    pass\n", 1, 8, "expected ':'" },
		{ "def f()\n    return 1\n", 1, 8, "expected ':'" },
		{ "async def f()\n    pass\n", 1, 14, "expected ':'" },
		{ "def f(:\n    pass\n", 1, 7, "expected ')'" },
		{ "s = \"abc\ny = 1\n", 1, 5, "unterminated string literal" },
		{ "x = \"\"\"abc\ny = 1\n", 1, 5, "unterminated string literal" },
		{ "x = 1)\n", 1, 6, "unmatched ')'" },
		{ "print(x]\n", 1, 8, "closing bracket ']' does not match opening bracket '(' "
		  "on line 1" },
		{ "x = = 1\n", 1, 5, "invalid syntax: unexpected '='" },
		{ "x = $\n", 1, 5, "invalid syntax: unexpected '$'" },
		{ "x = foo(1, 2) 3\n", 1, 15, "invalid syntax: unexpected '3'" },
		{ "def f(a b):\n    pass\n", 1, 9, "invalid syntax: unexpected 'b'" },
		{ "def class():\n    pass\n", 1, 5, "invalid syntax: unexpected keyword 'class'" },
		{ "print \"hello\"\n", 1, 1, "missing parentheses in call to 'print'" },
		{ "def f():\n    x = 1\n      y = 2\n", 3, 7, "unexpected indent" },
		{ "def f():\n    if x:\n        y = 1\n      z = 2\n", 4, 7,
		  "unindent does not match any outer indentation level" },
		{ "  x = 1\n", 1, 3, "unexpected indent" },
		{ "def f():\nreturn 1\n", 1, 9, "expected an indented block" },
		{ "def f():\n    # nothing\n", 1, 9, "expected an indented block" },
		{ "s = \"\xc3\xa9\xc3\xa9\" + $\n", 1, 12, "invalid syntax: unexpected '$'" },
		{ "\xef\xbb\xbfx = (1,\n", 1, 5, "'(' was never closed" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct pyflow_file f;
		analyse_text(&f, cases[i].source);
		if (!f.n_problems || f.problems[0].pos.line != cases[i].line ||
		    f.problems[0].pos.column != cases[i].column ||
		    strcmp(f.problems[0].message, cases[i].message))
			print_error("case %zu: %s\n", i, cases[i].source);
		problem(&f, 0, PYFLOW_ERROR, cases[i].line, cases[i].column, cases[i].message);
		pyflow_release(&f);
	}
}

static void
test_syntax_error_cap(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_text(&f, "a = $\nb = $\nc = $\nd = $\ne = $\nf = $\ng = $\n");
	assert_int_equal(pyflow_count(&f, PYFLOW_ERROR), PYFLOW_MAX_SYNTAX_ERRORS);
	for (size_t i = 0; i < PYFLOW_MAX_SYNTAX_ERRORS; i++)
		problem(&f, i, PYFLOW_ERROR, (unsigned)i + 1, 5, "invalid syntax: unexpected '$'");
	pyflow_release(&f);
}

static void
test_names_and_decorators(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_text(&f, "import prefect\nNAME = 'x'\n\n"
			 "@flow\ndef bare(): pass\n"
			 "@prefect.flow(name=NAME)\ndef computed(): pass\n"
			 "@prefect.flow(name='caf\\u00e9-\\x41' 'b')\ndef escaped(): pass\n"
			 "@prefect.flow(name='a/b')\ndef banned(): pass\n"
			 "@prefect.flow(name=None)\ndef defaulted(): pass\n"
			 "@other\n@prefect.task\ndef stacked(): pass\n");
	func(&f, "bare", PYFLOW_FLOW, "bare", 5, 5);
	func(&f, "computed", PYFLOW_FLOW, "computed", 7, 5);
	func(&f, "escaped", PYFLOW_FLOW, "caf\xc3\xa9-Ab", 9, 5);
	func(&f, "banned", PYFLOW_FLOW, "a/b", 11, 5);
	func(&f, "defaulted", PYFLOW_FLOW, "defaulted", 13, 5);
	func(&f, "stacked", PYFLOW_TASK, "stacked", 16, 5);
	assert_int_equal(f.n_problems, 4);
	problem(&f, 0, PYFLOW_ERROR, 11, 5,
		"flow name 'a/b' contains '/', which Prefect does "
		"not allow in names (/ % & > <)");
	problem(&f, 1, PYFLOW_WARNING, 5, 5,
		"@flow is used but never imported (add 'from "
		"prefect import flow')");
	problem(&f, 2, PYFLOW_WARNING, 7, 5,
		"the flow's name= is not a plain string; its name "
		"is taken to be 'computed'");
	problem(&f, 3, PYFLOW_WARNING, 16, 5,
		"task 'stacked' is defined but never called in "
		"this file");
	pyflow_release(&f);
}

/* Variables carry call results through reassignment, unpacking and loops. */
static void
test_data_flow(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_text(&f, "from prefect import flow, task\n"
			 "@task\ndef a(): pass\n"
			 "@task\ndef b(*x): pass\n"
			 "@flow\ndef g():\n"
			 "    x, y = a(), 1\n" /* 8: call 0 */
			 "    x = 2\n"
			 "    b(x)\n"     /* 10: call 1, x forgot call 0 */
			 "    z = a()\n"  /* 11: call 2 */
			 "    z += a()\n" /* 12: call 3, z = {2, 3} */
			 "    for item in [z]:\n"
			 "        b(item)\n"                  /* 14: call 4 <- 2, 3 */
			 "    b(b(a()))\n"                    /* 15: calls 5, 6, 7 */
			 "    b.with_options(retries=2)(z)\n" /* 16: call 8 */
			 "    def inner():\n"
			 "        a()\n"
			 "    b.fn(1)\n");
	const struct pyflow_func *flow = pyflow_find(&f, "g");
	/* clang-format off */
	const struct call_spec calls[] = {
		{ "a", PYFLOW_CALL, 0, 8, 12, { END }, { END } },
		{ "b", PYFLOW_CALL, 0, 10, 5, { END }, { END } },
		{ "a", PYFLOW_CALL, 0, 11, 9, { END }, { END } },
		{ "a", PYFLOW_CALL, 0, 12, 10, { END }, { END } },
		{ "b", PYFLOW_CALL, 0, 14, 9, { 2, 3, END }, { END } },
		{ "a", PYFLOW_CALL, 0, 15, 9, { END }, { END } },
		{ "b", PYFLOW_CALL, 0, 15, 7, { 5, END }, { END } },
		{ "b", PYFLOW_CALL, 0, 15, 5, { 6, END }, { END } },
		{ "b", PYFLOW_CALL, 0, 16, 5, { 2, 3, END }, { END } },
	};
	/* clang-format on */
	calls_equal(&f, flow, calls, ARRAY_LEN(calls));
	pyflow_release(&f);
}

static void
test_entrypoint(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_fixture(&f, "spelling_module.py");
	assert_int_equal(pyflow_check_entrypoint(&f, "monitor_one"), 2);
	assert_int_equal(f.n_problems, 0);
	assert_int_equal(pyflow_check_entrypoint(&f, "ping"), -1);
	problem(&f, 0, PYFLOW_ERROR, 6, 5, "'ping' is a task, not a flow");
	assert_int_equal(pyflow_check_entrypoint(&f, "monitr"), -1);
	problem(&f, 0, PYFLOW_ERROR, 0, 0,
		"no flow function 'monitr' in this file (did you mean "
		"'monitor'?)");
	assert_int_equal(pyflow_check_entrypoint(&f, "zzz"), -1);
	problem(&f, 1, PYFLOW_ERROR, 0, 0, "no flow function 'zzz' in this file");
	pyflow_release(&f);
}

static char *
temp_file(const char *suffix, const char *content, size_t len)
{
	char *path = xasprintf("/tmp/mahavishnu-test-pyflow-%ld%s", (long)getpid(), suffix);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(content, 1, len, fp), len);
	fclose(fp);
	return path;
}

static void
load_fails(const char *path, const char *message)
{
	struct pyflow_file f = PYFLOW_FILE_INIT;
	struct error err = ERROR_INIT;
	assert_int_equal(pyflow_load(&f, path, &err), -1);
	assert_string_equal(err.message, message);
	pyflow_release(&f);
}

static void
test_load_errors(void **state)
{
	static const char latin1[] = "x = 1\n# caf\xe9\n";
	static const char nul[] = "x = 1\ny = \0\n";
	(void)state;
	load_fails("/nonexistent/flow.py", "no such file");
	load_fails("/tmp", "a directory, not a Python file");
	char *path = temp_file(".txt", "x = 1\n", 6);
	load_fails(path, "not a Python file: its name does not end in .py");
	unlink(path);
	free(path);
	path = temp_file(".py", latin1, sizeof(latin1) - 1);
	load_fails(path, "not UTF-8 text: byte 0xE9 at line 2, column 6 is not valid UTF-8");
	unlink(path);
	free(path);
	path = temp_file(".py", nul, sizeof(nul) - 1);
	load_fails(path, "not a text file: it contains a NUL byte (line 2, column 5)");
	unlink(path);
	free(path);
}

static void
test_lines(void **state)
{
	struct pyflow_file f = PYFLOW_FILE_INIT;
	size_t len;
	(void)state;
	pyflow_load_text(&f, "x.py",
			 "\xef\xbb\xbf"
			 "a = 1\r\nb = 2\n",
			 16);
	assert_int_equal(f.n_lines, 2);
	const char *line = pyflow_line(&f, 1, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(line, "a = 1", len);
	line = pyflow_line(&f, 2, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(line, "b = 2", len);
	assert_null(pyflow_line(&f, 3, &len));
	assert_null(pyflow_line(&f, 0, &len));
	pyflow_release(&f);
}

static void
test_import(void **state)
{
	static const char bad[] = "import os\n\nimport module_that_does_not_exist_xyz\n";
	static const char good[] = "print('noise on stdout')\nvalue = 1\n";
	static const char slow[] = "import time\ntime.sleep(30)\n";
	struct pyflow_file f = PYFLOW_FILE_INIT;
	struct error err = ERROR_INIT;
	(void)state;
	char *path = temp_file(".py", bad, sizeof(bad) - 1);
	assert_int_equal(pyflow_load(&f, path, &err), 0);
	assert_int_equal(pyflow_import(&f, "python3", 60, &err), 0);
	problem(&f, 0, PYFLOW_ERROR, 3, 1,
		"importing the file failed: ModuleNotFoundError: "
		"No module named 'module_that_does_not_exist_xyz'");
	pyflow_release(&f);
	unlink(path);
	free(path);
	path = temp_file(".py", good, sizeof(good) - 1);
	assert_int_equal(pyflow_load(&f, path, &err), 0);
	assert_int_equal(pyflow_import(&f, "python3", 60, &err), 0);
	assert_int_equal(f.n_problems, 0);
	assert_int_equal(pyflow_import(&f, "/nonexistent/python", 60, &err), -1);
	assert_string_equal(err.message, "cannot run '/nonexistent/python': No such file or "
					 "directory");
	pyflow_release(&f);
	unlink(path);
	free(path);
	path = temp_file(".py", slow, sizeof(slow) - 1);
	assert_int_equal(pyflow_load(&f, path, &err), 0);
	assert_int_equal(pyflow_import(&f, "python3", 1, &err), 0);
	problem(&f, 0, PYFLOW_ERROR, 0, 0, "importing the file did not finish within 1 s");
	pyflow_release(&f);
	unlink(path);
	free(path);
}

/* Asking a Python for Prefect's schema: each way it can fail is an error, none a crash. */
static void
test_prefect_schema_failures(void **state)
{
	static const char bad[] = "import module_that_does_not_exist_xyz\n";
	struct error err = ERROR_INIT;
	json_t *schema = NULL;
	(void)state;
	char *path = temp_file(".py", bad, sizeof(bad) - 1);
	assert_int_equal(pyflow_prefect_schema(path, "f", "/nonexistent/python", 60, &schema, &err),
			 -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
	assert_null(schema);
	error_clear(&err);
	assert_int_equal(pyflow_prefect_schema(path, "f", "python3", 60, &schema, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_non_null(strstr(err.message, "could not load the flow: ModuleNotFoundError"));
	assert_null(schema);
	unlink(path);
	free(path);
}

/* ---- parameter schemas (the oracle, tests/oracle/schema_oracle.py, checks them against Prefect) */

/* The schema entry of parameter x (title and position removed), as compact sorted JSON. */
static char *
schema_of_x(const char *imports, const char *param, int *inexact)
{
	struct pyflow_file f;
	char *text = xasprintf("from prefect import flow\n%s\n\n@flow\ndef f(%s):\n    pass\n",
			       imports, param);
	analyse_text(&f, text);
	const struct pyflow_func *fn = pyflow_find(&f, "f");
	assert_non_null(fn);
	json_t *prop =
		json_deep_copy(json_object_get(json_object_get(fn->schema, "properties"), "x"));
	assert_non_null(prop);
	json_object_del(prop, "title");
	json_object_del(prop, "position");
	*inexact = strlist_contains(&fn->inexact, "x");
	char *out = json_dumps(prop, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(prop);
	pyflow_release(&f);
	free(text);
	return out;
}

static void
test_schema_types(void **state)
{
	/* clang-format off */
	static const struct {
		const char *imports, *param, *schema;
		int inexact;
	} cases[] = {
		{ "", "x: int", "{\"type\":\"integer\"}", 0 },
		{ "", "x: float = 1", "{\"default\":1,\"type\":\"number\"}", 0 },
		{ "", "x: str = 'a' 'b'", "{\"default\":\"ab\",\"type\":\"string\"}", 0 },
		{ "", "x=-2.5", "{\"default\":-2.5}", 0 },
		{ "", "x: list[int] | None = None",
		  "{\"anyOf\":[{\"items\":{\"type\":\"integer\"},\"type\":\"array\"},{\"type\":\"null\"}],"
		  "\"default\":null}", 0 },
		{ "from typing import Optional, Union", "x: Optional[Union[int, str]] = None",
		  "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"},{\"type\":\"null\"}],"
		  "\"default\":null}", 0 },
		{ "from typing import Union", "x: Union[int, None, str] = None",
		  "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"},{\"type\":\"null\"}],"
		  "\"default\":null}", 0 },
		{ "from typing import Literal", "x: Literal['a']", "{\"const\":\"a\",\"type\":\"string\"}", 0 },
		{ "from typing import Literal", "x: Literal['a', 1]", "{\"enum\":[\"a\",1]}", 0 },
		{ "", "x: dict[str, int] = {'k': 1}",
		  "{\"additionalProperties\":{\"type\":\"integer\"},\"default\":{\"k\":1},\"type\":\"object\"}", 0 },
		{ "", "x: tuple[int, ...] = (1, 2)",
		  "{\"default\":[1,2],\"items\":{\"type\":\"integer\"},\"type\":\"array\"}", 0 },
		{ "", "x: set[int] = {3, 1}",
		  "{\"default\":[1,3],\"items\":{\"type\":\"integer\"},\"type\":\"array\",\"uniqueItems\":true}", 0 },
		{ "import datetime as dt", "x: dt.timedelta = dt.timedelta(days=1, hours=2)",
		  "{\"default\":\"P1DT2H\",\"format\":\"duration\",\"type\":\"string\"}", 0 },
		{ "from datetime import date", "x: date = date(2024, 2, 29)",
		  "{\"default\":\"2024-02-29\",\"format\":\"date\",\"type\":\"string\"}", 0 },
		{ "from decimal import Decimal", "x: Decimal = Decimal('1.50')",
		  "{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"string\"}],\"default\":\"1.50\"}", 0 },
		{ "import typing as t", "x: t.Dict[str, float] = {}",
		  "{\"additionalProperties\":{\"type\":\"number\"},\"default\":{},\"type\":\"object\"}", 0 },
		{ "from enum import Enum\nclass C(str, Enum):\n    A = 'a'", "x: C = C.A",
		  "{\"$ref\":\"#/definitions/C\",\"default\":\"a\"}", 0 },
		{ "from pydantic import BaseModel\nclass M(BaseModel):\n    n: int = 1", "x: M = M(n=2)",
		  "{\"$ref\":\"#/definitions/M\",\"default\":{\"n\":2}}", 0 },
		/* what is not known statically is listed, not guessed */
		{ "from somewhere import Thing", "x: Thing", "{}", 1 },
		{ "LIMIT = 5", "x: int = LIMIT", "{\"type\":\"integer\"}", 1 },
		{ "", "x: 'int' = 1", "{\"default\":1}", 1 },
		{ "import pydantic", "x: int = pydantic.Field(3, ge=1, description='d')",
		  "{\"default\":3,\"description\":\"d\",\"type\":\"integer\"}", 0 },
		{ "from pydantic import Field", "x: int = Field(default_factory=list)",
		  "{\"type\":\"integer\"}", 1 },
		{ "", "x: dict[int, str] = {1: 'a'}",
		  "{\"additionalProperties\":{\"type\":\"string\"},\"type\":\"object\"}", 1 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int inexact = -1;
		char *got = schema_of_x(cases[i].imports, cases[i].param, &inexact);
		if (strcmp(got, cases[i].schema) || inexact != cases[i].inexact)
			print_message("case %zu (%s): %s inexact %d\n", i, cases[i].param, got,
				      inexact);
		assert_string_equal(got, cases[i].schema);
		assert_int_equal(inexact, cases[i].inexact);
		free(got);
	}
}

static void
test_schema_whole(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_text(&f, "from prefect import flow\n"
			 "from pydantic import BaseModel\n\n"
			 "class Cfg(BaseModel):\n"
			 "    \"\"\"A config.\"\"\"\n"
			 "    max_count: int\n\n"
			 "@flow\n"
			 "def f(self, a: int, cfg: Cfg | None = None, *rest: int, **kw):\n"
			 "    \"\"\"Do it.\n\n"
			 "    Args:\n"
			 "        a (int): the a,\n"
			 "            on two lines\n"
			 "        cfg: a model\n"
			 "    \"\"\"\n");
	const struct pyflow_func *fn = pyflow_find(&f, "f");
	char *got = json_dumps(fn->schema, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(
		got,
		"{\"definitions\":{\"Cfg\":{\"description\":\"A config.\",\"properties\":{\"max_count\":"
		"{\"title\":\"Max Count\",\"type\":\"integer\"}},\"required\":[\"max_count\"],\"title\":"
		"\"Cfg\",\"type\":\"object\"}},\"properties\":{\"a\":{\"description\":\"the a,\\non two "
		"lines\",\"position\":1,\"title\":\"a\",\"type\":\"integer\"},\"cfg\":{\"anyOf\":[{\"$ref\":"
		"\"#/definitions/Cfg\"},{\"type\":\"null\"}],\"default\":null,\"description\":\"a model\","
		"\"position\":2,\"title\":\"cfg\"},\"kw\":{\"additionalProperties\":true,\"default\":{},"
		"\"position\":4,\"title\":\"kw\",\"type\":\"object\"},\"rest\":{\"default\":[],\"items\":"
		"{\"type\":\"integer\"},\"position\":3,\"title\":\"rest\",\"type\":\"array\"}},\"required\":"
		"[\"a\"],\"title\":\"Parameters\",\"type\":\"object\"}");
	assert_int_equal(fn->inexact.len, 0);
	free(got);
	pyflow_release(&f);
}

/* Every module-level form Prefect loads, with the attribute and name of each flow. */
static void
test_flow_forms(void **state)
{
	static const char *const expected[][2] = {
		{ "plain_flow", "plain-flow" }, { "wrapped", "helper" },  { "named", "named-call" },
		{ "variant", "variant" },       { "same", "plain-flow" }, { "in_if", "in-if" },
		{ "in_else", "in-else" },       { "in_try", "etl-v2" },   { "in_with", "in-with" },
		{ "made", "made-one" },
	};
	struct pyflow_file f;
	(void)state;
	analyse_text(&f,
		     "import contextlib\nimport prefect as p\nfrom prefect import flow as fl\n"
		     "PREFIX = 'etl'\nVERSION = 2\n\n"
		     "@p.flow\ndef plain_flow(n: int = 1):\n    pass\n\n"
		     "def helper(x: int):\n    pass\n\n"
		     "wrapped = fl(helper)\n"
		     "named = fl(name='named-call')(helper)\n"
		     "variant = plain_flow.with_options(name='variant')\n"
		     "same = plain_flow.with_options(retries=2)\n"
		     "if PREFIX:\n    @fl\n    def in_if():\n        pass\n"
		     "else:\n    @fl\n    def in_else():\n        pass\n"
		     "try:\n    @fl(name=f'{PREFIX}-v{VERSION}')\n    def in_try():\n        pass\n"
		     "finally:\n    pass\n"
		     "with contextlib.suppress(Exception):\n    @fl\n    def in_with():\n"
		     "        pass\n\n"
		     "def factory(label):\n    @fl(name=f'made-{label}')\n    def inner(c: int = 1):\n"
		     "        pass\n    return inner\n\n"
		     "made = factory('one')\n\n"
		     /* calls that make no flow */
		     "cwd = contextlib.nullcontext()\nconfig = fl(name='a')\n"
		     "w = fl(undefined)\nu = unknown.with_options(name='q')\n"
		     "class Holder:\n    @fl\n    def method(self):\n        pass\n");
	size_t flows = 0;
	for (size_t i = 0; i < f.n_funcs; i++)
		flows += f.funcs[i].kind == PYFLOW_FLOW;
	assert_int_equal(flows, ARRAY_LEN(expected));
	for (size_t i = 0; i < ARRAY_LEN(expected); i++) {
		const struct pyflow_func *fn = pyflow_find(&f, expected[i][0]);
		assert_non_null(fn);
		assert_string_equal(fn->name, expected[i][1]);
	}
	assert_int_equal(pyflow_find(&f, "in_else")->conditional, 1);
	assert_int_equal(pyflow_find(&f, "in_try")->conditional, 0);
	assert_non_null(
		json_object_get(json_object_get(pyflow_find(&f, "made")->schema, "properties"),
				"c"));
	assert_non_null(
		json_object_get(json_object_get(pyflow_find(&f, "wrapped")->schema, "properties"),
				"x"));
	/* one error-free verdict; the class-level flow is named as not supported */
	assert_int_equal(pyflow_count(&f, PYFLOW_ERROR), 0);
	int said = 0;
	for (size_t i = 0; i < f.n_problems; i++)
		said |= strstr(f.problems[i].message, "'Holder.method'") &&
			strstr(f.problems[i].message, "not supported");
	assert_true(said);
	pyflow_release(&f);
}

/* An f-string of something other than constants is an unknown name, said so. */
static void
test_unknown_fstring_name(void **state)
{
	struct pyflow_file f;
	(void)state;
	analyse_text(&f, "import os\nfrom prefect import flow\n\n"
			 "@flow(name=f'x-{os.getpid()}')\ndef dyn():\n    pass\n");
	assert_int_equal(pyflow_find(&f, "dyn")->name_computed, 1);
	pyflow_release(&f);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spelling_plain),
		cmocka_unit_test(test_spelling_called),
		cmocka_unit_test(test_spelling_module),
		cmocka_unit_test(test_spelling_alias),
		cmocka_unit_test(test_spelling_async),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_not_prefect),
		cmocka_unit_test(test_no_flow),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_syntax_fixtures),
		cmocka_unit_test(test_syntax_snippets),
		cmocka_unit_test(test_syntax_error_cap),
		cmocka_unit_test(test_names_and_decorators),
		cmocka_unit_test(test_data_flow),
		cmocka_unit_test(test_prefect_schema_failures),
		cmocka_unit_test(test_schema_types),
		cmocka_unit_test(test_schema_whole),
		cmocka_unit_test(test_flow_forms),
		cmocka_unit_test(test_unknown_fstring_name),
		cmocka_unit_test(test_entrypoint),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_import),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
