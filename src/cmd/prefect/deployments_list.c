/*
 * mahavishnu prefect deployments list: deployments with flow, pool and
 * schedule, printed a page at a time as the pages arrive.
 */
#include "api/deployments.h"
#include "api/flows.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/deployment_view.h"
#include "core/isotime.h"
#include "core/json.h"

struct listing {
	struct api *api;
	const char *flow_id;
	size_t limit;
	double now;
	struct list_out *out;
};

static void
row(struct table *t, const json_t *deployment, void *userdata)
{
	const struct listing *l = userdata;
	deployment_view_row(t, deployment, l->now);
}

static int
count(void *userdata, long *out, struct error *err)
{
	struct listing *l = userdata;
	return prefect_deployment_count(l->api, l->flow_id, out, err);
}

static int
print_page(json_t *deployments, void *userdata, struct error *err)
{
	struct listing *l = userdata;
	return list_add_page(l->out, deployments, l->limit, count, l, err);
}

static int
list_deployments(struct cmd_ctx *ctx, struct listing *l, struct error *err)
{
	const struct list_view view = { .title = "Deployments",
					.noun = "deployments",
					.columns = deployment_view_columns,
					.row = row,
					.data = l };
	l->out = list_start(ctx, &view);
	if (prefect_deployment_stream(ctx->api, l->flow_id, l->limit, print_page, l, err) < 0) {
		list_abort(l->out);
		return -1;
	}
	return list_finish(l->out);
}

static int
deployments_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *flow_ref = NULL;
	long limit = LIST_DEFAULT_LIMIT;
	int all = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('f', "flow", &flow_ref, "FLOW", "Only deployments of this flow (name or ID)"),
		LIST_LIMIT_OPTIONS(&limit, &all, "deployments"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *flow = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	struct listing l = { ctx->api, NULL, list_limit(limit, all), isotime_now(), NULL };
	if (flow_ref && prefect_flow_find(ctx->api, flow_ref, &flow, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		l.flow_id = flow ? json_str(flow, "id") : NULL;
		rc = list_deployments(ctx, &l, &err) < 0 ? cmd_fail(ctx, &err) : EXIT_OK;
	}
	json_decref(flow);
	return rc;
}

const struct cmd_entry cmd_prefect_deployments_list = {
	.path = "prefect deployments list",
	.summary = "List deployments",
	.help = "List deployments by name with their flow, work pool, status (ready when a\n"
		"worker polls its pool, paused, or not ready), schedules and age. --limit 0\n"
		"or --all lists every one; a list cut by --limit says so (\"50 of 57\").",
	.flags = CMD_API,
	.exec = deployments_list_exec,
};
