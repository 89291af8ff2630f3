/*
 * A flow's code on this machine: where it is (--entrypoint, or the local
 * flow registry), that it really defines the flow function (parsed, never
 * run), and the parameter schema Prefect would write for it (src/pyflow).
 */
#ifndef CMD_PREFECT_FLOW_CODE_H
#define CMD_PREFECT_FLOW_CODE_H

#include <jansson.h>

#include "cli/command.h"
#include "core/strlist.h"

struct flow_code {
	char *entrypoint; /* "/abs/dir/file.py:function" */
	char *directory;  /* "/abs/dir" */
	char *file;       /* "file.py", relative to directory */
	char *function;
	char *flow_name;        /* the @flow name in the file */
	json_t *schema;         /* the parameter schema Prefect writes, computed statically */
	struct strlist inexact; /* parameters the static schema may get wrong */
};

/*
 * Find and check the code of flow_name: entrypoint ("FILE.py:FUNC", any
 * path) when given, else the registry's entry for (api_url, flow_name).
 * Returns 1 when found and valid, 0 when there is none (entrypoint NULL and
 * nothing registered), -1 on error (a file that is missing, does not parse,
 * or has no such flow function).
 */
int flow_code_find(const char *flow_name, const char *entrypoint, const char *api_url,
		   struct flow_code *out, struct error *err);
/* Remember the code of flow_name in the registry. */
int flow_code_register(const char *flow_name, const char *api_url, const struct flow_code *code,
		       struct error *err);
void flow_code_release(struct flow_code *code);

#endif
