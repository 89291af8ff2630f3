/* mahavishnu prefect flow create: register a new flow on the server. */
#include <stdlib.h>
#include <string.h>

#include "api/flows.h"
#include "cli/command.h"
#include "cmd/prefect/flow_code.h"
#include "cmd/prefect/flow_view.h"
#include "core/json.h"
#include "core/strlist.h"

static int
check_input(const char *name, const struct strlist *tags, struct error *err)
{
	if (!prefect_name_is_valid(name))
		return error_set(err, ERROR_USAGE,
				 "option '--name': '%s' is not a valid flow name "
				 "(it must not be empty or contain / %% & > <)",
				 name);
	for (size_t i = 0; i < tags->len; i++)
		if (strlen(tags->items[i]) > 255)
			return error_set(err, ERROR_USAGE,
					 "option '--tags': tag '%.40s…' is "
					 "longer than 255 characters",
					 tags->items[i]);
	return 0;
}

static int
flow_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *description = NULL, *tags_arg = NULL, *entrypoint = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NAME_REQ('n', "name", &name, "NAME", "Flow name"),
		OPT_STR('d', "description", &description, "TEXT",
			"Flow description (kept in the flow's labels)"),
		OPT_STR('t', "tags", &tags_arg, "TAGS", "Comma-separated tags"),
		OPT_STR(0, "entrypoint", &entrypoint, "FILE.py:FUNC",
			"Remember the flow's code in the local flow registry"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct strlist tags = STRLIST_INIT;
	struct error err = ERROR_INIT;
	struct flow_code code = { 0 };
	json_t *flow = NULL;
	int created = 0, rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (tags_arg)
		strlist_split(&tags, tags_arg, ',');
	if (check_input(name, &tags, &err) < 0 ||
	    (entrypoint && flow_code_find(name, entrypoint, ctx->api_url, &code, &err) < 0) ||
	    prefect_flow_create(ctx->api, name, &tags, description, &flow, &created, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else if (!created) {
		error_set(&err, ERROR_CONFLICT,
			  "flow '%s' already exists (ID %s); it was left unchanged", name,
			  json_str(flow, "id"));
		error_hint(&err, "see it with 'mahavishnu prefect flow get %s'", name);
		rc = cmd_fail(ctx, &err);
	} else if (entrypoint && flow_code_register(name, ctx->api_url, &code, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		rc = flow_view_show(ctx, flow, "✓ Flow Created");
	}
	flow_code_release(&code);
	json_decref(flow);
	strlist_release(&tags);
	return rc;
}

const struct cmd_entry cmd_prefect_flow_create = {
	.path = "prefect flow create",
	.summary = "Create a new flow",
	.help = "Create a new Prefect flow. Prefect flows have no description or version\n"
		"field: the description is kept as the flow label 'description', and the\n"
		"version shown is the latest deployment's ('-' until the flow is deployed).\n"
		"A name that already exists is an error; the existing flow is not changed.\n"
		"--entrypoint records where the flow's code is (after checking that the file\n"
		"defines that flow function), so 'flow execute' and 'deploy' can find it.",
	.flags = CMD_API,
	.exec = flow_create_exec,
};
