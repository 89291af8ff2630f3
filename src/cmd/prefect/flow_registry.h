/*
 * The local flow registry: which Python function is the code of a flow.
 * A Prefect flow on the server has no code location (a deployment has one),
 * so mahavishnu remembers, per API URL (without any user:password part) and
 * flow name, an absolute "file.py:function" entrypoint. `flow validate` and `flow create
 * --entrypoint` write it; `flow execute` and `deploy` read it.
 *
 * The file is $XDG_DATA_HOME/mahavishnu/flows.json (default
 * ~/.local/share/mahavishnu/flows.json): {"flows": [{"api_url", "flow",
 * "entrypoint", "recorded"}]}. Writers lock it and replace it atomically.
 */
#ifndef CMD_PREFECT_FLOW_REGISTRY_H
#define CMD_PREFECT_FLOW_REGISTRY_H

#include "core/error.h"

/* The registry file's path; the caller frees it. getenv_fn as in config. */
char *flow_registry_path(const char *(*getenv_fn)(const char *name));

/*
 * Look up the entrypoint of flow_name for api_url. Returns 1 and sets *out
 * (caller frees) when found, 0 when not, -1 on a read error (a missing
 * file is "not found", not an error).
 */
int flow_registry_lookup(const char *path, const char *api_url, const char *flow_name, char **out,
			 struct error *err);

/* Record (or replace) the entrypoint of flow_name for api_url. */
int flow_registry_record(const char *path, const char *api_url, const char *flow_name,
			 const char *entrypoint, struct error *err);

#endif
