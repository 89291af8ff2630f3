/* mahavishnu prefect work-pools list: the work pools and their state. */
#include <string.h>

#include "api/work_pools.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/table.h"

static enum style
status_style(const char *status)
{
	if (!status)
		return STYLE_NONE;
	return !strcmp(status, "READY") ? STYLE_SUCCESS :
	       !strcmp(status, "PAUSED") ? STYLE_PROGRESS : STYLE_FAILURE;
}

static void
add_row(struct table *t, const json_t *pool)
{
	struct buf v = BUF_INIT;
	const json_t *limit = json_object_get(pool, "concurrency_limit");
	table_add_row(t);
	table_cell(t, json_str(pool, "name"), STYLE_NAME);
	table_cell(t, json_str(pool, "type"), STYLE_META);
	table_cell(t, json_str(pool, "status") ? json_str(pool, "status") : "-",
		   status_style(json_str(pool, "status")));
	if (json_is_integer(limit))
		buf_addf(&v, "%lld", (long long)json_integer_value(limit));
	else
		buf_adds(&v, "-");
	table_cell(t, buf_str(&v), STYLE_NONE);
	table_cell(t, json_is_true(json_object_get(pool, "is_paused")) ? "Yes" : "No", STYLE_NONE);
	buf_release(&v);
}

static int
render(struct cmd_ctx *ctx, const json_t *pools)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, pools);
	struct table *t = table_new_counted("Work Pools", json_array_size(pools));
	size_t i;
	json_t *pool;
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_SHRINK);
	table_add_column(t, "Type", ALIGN_LEFT, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_add_column(t, "Concurrency", ALIGN_RIGHT, 0);
	table_add_column(t, "Paused", ALIGN_CENTER, 0);
	json_array_foreach(pools, i, pool)
		add_row(t, pool);
	cmd_print_table(ctx, t);
	return EXIT_OK;
}

static int
work_pools_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec options[] = { OPT_TABLE_END };
	struct error err = ERROR_INIT;
	json_t *pools = NULL;
	struct api *api;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (!(api = cmd_api(ctx, &err)) || prefect_work_pool_list(api, &pools, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = render(ctx, pools);
	json_decref(pools);
	return rc;
}

const struct cmd_entry cmd_prefect_work_pools_list = {
	.path = "prefect work-pools list",
	.summary = "List work pools",
	.help = "List the work pools with their type, status (READY when a worker polls it),\n"
		"concurrency limit and whether they are paused.",
	.exec = work_pools_list_exec,
};
