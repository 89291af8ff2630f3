/*
 * pyflow_import: import a flow file with a real Python interpreter, in a
 * child process, to catch what static analysis cannot (a missing module, an
 * exception in module-level code). The child runs a small script that loads
 * the file with importlib under a name other than __main__ (so `if __name__
 * == "__main__":` blocks do not run) and writes one JSON object describing
 * the outcome on a private copy of its stdout; the module's own output goes
 * to /dev/null. A successful import also reports the name of each flow, which
 * settles the names computed at import time. pyflow_prefect_schema runs the same way a script that asks
 * Prefect for a flow's parameter schema.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/pyflow.h"

extern char **environ;

/* The child's report is small; more than this is not read. */
#define MAX_REPORT (64u << 10)

static const char import_script[] =
	"import importlib.util, json, os, sys, traceback\n"
	"out = os.fdopen(os.dup(1), 'w')\n"
	"os.dup2(2, 1)\n"
	"path = sys.argv[1]\n"
	"sys.argv = [path]\n"
	"sys.path.insert(0, os.path.dirname(path))\n"
	"result = {'ok': True}\n"
	"try:\n"
	"    spec = importlib.util.spec_from_file_location('__mahavishnu_import__', path)\n"
	"    module = importlib.util.module_from_spec(spec)\n"
	"    sys.modules[spec.name] = module\n"
	"    spec.loader.exec_module(module)\n"
	"except BaseException as e:\n"
	"    line, column = 0, 0\n"
	"    if isinstance(e, SyntaxError) and e.filename == path:\n"
	"        line, column = e.lineno or 0, e.offset or 0\n"
	"    for frame in traceback.extract_tb(e.__traceback__):\n"
	"        if frame.filename == path:\n"
	"            line, column = frame.lineno or 0, 0\n"
	"    text = traceback.format_exception_only(type(e), e)[-1].strip()\n"
	"    result = {'ok': False, 'line': line, 'column': column, 'message': text}\n"
	"if result['ok']:\n"
	"    try:\n"
	"        from prefect import Flow\n"
	"        result['flows'] = {k: v.name for k, v in vars(module).items()\n"
	"                           if isinstance(v, Flow)}\n"
	"    except BaseException:\n"
	"        pass\n"
	"json.dump(result, out)\n"
	"out.flush()\n";

/* As `prefect deploy` does: load the flow object, then parameter_schema(flow). */
static const char schema_script[] =
	"import importlib.util, json, os, sys\n"
	"out = os.fdopen(os.dup(1), 'w')\n"
	"os.dup2(2, 1)\n"
	"path, name = sys.argv[1], sys.argv[2]\n"
	"sys.argv = [path]\n"
	"sys.path.insert(0, os.path.dirname(path))\n"
	"try:\n"
	"    from prefect.utilities.callables import parameter_schema\n"
	"    spec = importlib.util.spec_from_file_location('__mahavishnu_import__', path)\n"
	"    module = importlib.util.module_from_spec(spec)\n"
	"    sys.modules[spec.name] = module\n"
	"    spec.loader.exec_module(module)\n"
	"    schema = parameter_schema(getattr(module, name)).model_dump_for_openapi()\n"
	"    result = {'ok': True, 'schema': schema}\n"
	"except BaseException as e:\n"
	"    result = {'ok': False, 'message': '%s: %s' % (type(e).__name__, e)}\n"
	"json.dump(result, out, default=str)\n"
	"out.flush()\n";

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
start(pid_t *pid, int *out_fd, char *const argv[], struct error *err)
{
	int fds[2], rc;
	posix_spawn_file_actions_t actions;
	if (pipe(fds) < 0)
		return error_set(err, ERROR_IO, "cannot run '%s': %s", argv[0], strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return error_set(err, rc == ENOENT ? ERROR_NOT_FOUND : ERROR_INVALID,
				 "cannot run '%s': %s", argv[0], strerror(rc));
	}
	*out_fd = fds[0];
	return 0;
}

/* Read the child's report until EOF or the deadline; 0 on EOF, -1 on timeout. */
static int
read_report(int fd, struct buf *out, double deadline)
{
	char chunk[4096];
	for (;;) {
		double left = deadline - now_s();
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0)
			return -1;
		int ready = poll(&p, 1, left > INT_MAX / 1000 ? INT_MAX : (int)(left * 1000) + 1);
		if (ready < 0 && errno == EINTR)
			continue;
		ssize_t n = ready > 0 ? read(fd, chunk, sizeof(chunk)) : 0;
		if (ready > 0 && n <= 0)
			return 0;
		if (n > 0 && out->len < MAX_REPORT)
			buf_add(out, chunk, (size_t)n);
	}
}

/* Column of the first non-blank character of a line (1 when none). */
static unsigned
first_column(const struct pyflow_file *f, unsigned line)
{
	size_t len;
	const char *text = pyflow_line(f, line, &len);
	unsigned col = 1;
	for (size_t i = 0; text && i < len && (text[i] == ' ' || text[i] == '\t'); i++)
		col++;
	return col;
}

/* Names the import settled: a computed name= becomes the flow's name, its warning goes. */
static void
settle_names(struct pyflow_file *f, const json_t *flows)
{
	for (size_t i = 0; i < f->n_funcs; i++) {
		struct pyflow_func *fn = &f->funcs[i];
		const char *name = json_string_value(json_object_get(flows, fn->function));
		if (fn->kind != PYFLOW_FLOW || !fn->name_computed || !name)
			continue;
		free(fn->name);
		fn->name = xstrdup(name);
		fn->name_computed = 0;
		for (size_t k = f->n_problems; k-- > 0;) {
			struct pyflow_problem *pr = &f->problems[k];
			if (pr->pos.line != fn->pos.line || pr->pos.column != fn->pos.column ||
			    !strstr(pr->message, "name= is not a plain string"))
				continue;
			free(pr->message);
			memmove(pr, pr + 1, (f->n_problems - k - 1) * sizeof(*pr));
			f->n_problems--;
		}
	}
}

static void
add_outcome(struct pyflow_file *f, const struct buf *report, int status)
{
	json_t *doc = json_loads(buf_str(report), 0, NULL);
	json_t *ok = json_object_get(doc, "ok");
	const char *message = json_string_value(json_object_get(doc, "message"));
	json_int_t line = json_integer_value(json_object_get(doc, "line"));
	json_int_t column = json_integer_value(json_object_get(doc, "column"));
	struct pyflow_pos pos = { 0, 0 };
	if (line > 0 && (size_t)line <= f->n_lines) {
		pos.line = (unsigned)line;
		pos.column = column > 0 ? (unsigned)column : first_column(f, pos.line);
	}
	if (!json_is_boolean(ok))
		pyflow_add_problem(f, PYFLOW_ERROR, pos,
				   "importing the file failed: Python "
				   "ended (%s %d) without reporting a result",
				   WIFSIGNALED(status) ? "signal" : "exit status",
				   WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	else if (!json_is_true(ok))
		pyflow_add_problem(f, PYFLOW_ERROR, pos, "importing the file failed: %s",
				   message ? message : "an exception was raised");
	else
		settle_names(f, json_object_get(doc, "flows"));
	json_decref(doc);
}

/*
 * Run python with argv (python and NULL filled in here) and read its
 * report. Returns 1 when it finished, 0 when it was killed at the deadline,
 * -1 when it could not be started.
 */
static int
run_child(const char *python, char **argv, int timeout_s, struct buf *report, int *status,
	  struct error *err)
{
	int fd = -1;
	pid_t pid = 0;
	argv[0] = (char *)python;
	if (start(&pid, &fd, argv, err) < 0)
		return -1;
	int finished = read_report(fd, report, now_s() + timeout_s) == 0;
	close(fd);
	if (!finished)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return finished;
}

int
pyflow_prefect_schema(const char *path, const char *function, const char *python, int timeout_s,
		      json_t **out, struct error *err)
{
	char *argv[] = { NULL,         (char *)"-c",     (char *)schema_script,
			 (char *)path, (char *)function, NULL };
	struct buf report = BUF_INIT;
	int status = 0;
	*out = NULL;
	int finished = run_child(python, argv, timeout_s, &report, &status, err);
	json_t *doc = finished > 0 ? json_loads(buf_str(&report), 0, NULL) : NULL;
	const char *message = json_string_value(json_object_get(doc, "message"));
	int rc = 0;
	if (finished < 0)
		rc = -1;
	else if (!finished)
		rc = error_set(err, ERROR_INVALID, "%s did not finish within %d s", python,
			       timeout_s);
	else if (!json_is_object(json_object_get(doc, "schema")))
		rc = error_set(err, ERROR_INVALID, "%s could not load the flow: %s", python,
			       message ? message : "it reported no schema");
	else
		*out = json_incref(json_object_get(doc, "schema"));
	json_decref(doc);
	buf_release(&report);
	return rc;
}

int
pyflow_import(struct pyflow_file *f, const char *python, int timeout_s, struct error *err)
{
	char *path = realpath(f->path, NULL);
	char *argv[] = { NULL, (char *)"-c", (char *)import_script, path ? path : f->path, NULL };
	struct buf report = BUF_INIT;
	int status = 0;
	int finished = run_child(python, argv, timeout_s, &report, &status, err);
	if (finished > 0)
		add_outcome(f, &report, status);
	else if (finished == 0)
		pyflow_add_problem(f, PYFLOW_ERROR, (struct pyflow_pos){ 0, 0 },
				   "importing the "
				   "file did not finish within %d s",
				   timeout_s);
	buf_release(&report);
	free(path);
	return finished < 0 ? -1 : 0;
}
