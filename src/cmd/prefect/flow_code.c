/* Locating and checking a flow's code (see flow_code.h). */
#include "cmd/prefect/flow_code.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/prefect/flow_registry.h"
#include "core/xalloc.h"
#include "pyflow/pyflow.h"

static const char *
env_get(const char *name)
{
	return getenv(name);
}

static int
split(const char *entrypoint, struct flow_code *out, struct error *err)
{
	const char *colon = strrchr(entrypoint, ':');
	char resolved[PATH_MAX];
	if (!colon || colon == entrypoint || !colon[1])
		return error_set(err, ERROR_USAGE, "entrypoint '%s' is not FILE.py:FUNCTION",
				 entrypoint);
	char *file = xstrndup(entrypoint, (size_t)(colon - entrypoint));
	int ok = realpath(file, resolved) != NULL;
	free(file);
	if (!ok)
		return error_set(err, ERROR_INVALID, "entrypoint '%s': the file does not exist",
				 entrypoint);
	char *slash = strrchr(resolved, '/');
	out->directory = xstrndup(resolved, (size_t)(slash - resolved));
	out->file = xstrdup(slash + 1);
	out->function = xstrdup(colon + 1);
	out->entrypoint = xasprintf("%s:%s", resolved, out->function);
	return 0;
}

/* Parse the file and check that function is a flow in it. */
static int
inspect(struct flow_code *out, struct error *err)
{
	struct pyflow_file f = PYFLOW_FILE_INIT;
	char *path = xasprintf("%s/%s", out->directory, out->file);
	int rc = pyflow_load(&f, path, err);
	if (rc == 0)
		rc = pyflow_analyze(&f, err);
	if (rc < 0)
		error_prefix(err, "%s", path);
	/* a file that 'flow validate' refuses is never deployed or run: every run would crash */
	if (rc == 0 && f.n_problems && f.problems[0].severity == PYFLOW_ERROR) {
		const struct pyflow_problem *p = &f.problems[0];
		rc = error_set(err, ERROR_INVALID, "%s:%u:%u: %s", path, p->pos.line, p->pos.column,
			       p->message);
		error_hint(err, "'mahavishnu prefect flow validate %s' lists every error", path);
	}
	long index = rc == 0 ? pyflow_check_entrypoint(&f, out->function) : -1;
	if (rc == 0 && index < 0)
		rc = error_set(err, ERROR_INVALID, "%s: %s", path,
			       f.n_problems ? f.problems[0].message : "not a flow function");
	if (rc == 0) {
		out->flow_name = xstrdup(f.funcs[index].name);
		out->schema = json_incref(f.funcs[index].schema);
		for (size_t i = 0; i < f.funcs[index].inexact.len; i++)
			strlist_add(&out->inexact, f.funcs[index].inexact.items[i]);
	}
	pyflow_release(&f);
	free(path);
	return rc;
}

int
flow_code_find(const char *flow_name, const char *entrypoint, const char *api_url,
	       struct flow_code *out, struct error *err)
{
	char *registered = NULL;
	memset(out, 0, sizeof(*out));
	if (!entrypoint) {
		char *path = flow_registry_path(env_get);
		int found = flow_registry_lookup(path, api_url, flow_name, &registered, err);
		free(path);
		if (found <= 0)
			return found;
		entrypoint = registered;
	}
	int rc = split(entrypoint, out, err);
	if (rc == 0)
		rc = inspect(out, err);
	free(registered);
	if (rc < 0)
		flow_code_release(out);
	return rc < 0 ? -1 : 1;
}

int
flow_code_register(const char *flow_name, const char *api_url, const struct flow_code *code,
		   struct error *err)
{
	char *path = flow_registry_path(env_get);
	int rc = flow_registry_record(path, api_url, flow_name, code->entrypoint, err);
	free(path);
	return rc;
}

void
flow_code_release(struct flow_code *code)
{
	free(code->entrypoint);
	free(code->directory);
	free(code->file);
	free(code->function);
	free(code->flow_name);
	json_decref(code->schema);
	strlist_release(&code->inexact);
	memset(code, 0, sizeof(*code));
}
