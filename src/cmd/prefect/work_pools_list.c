/* mahavishnu prefect work-pools list: the work pools and their state. */
#include <string.h>

#include "api/work_pools.h"
#include "cli/command.h"
#include "cli/list.h"
#include "core/json.h"
#include "ui/table.h"

static enum style
status_style(const char *status)
{
	if (!status)
		return STYLE_NONE;
	return !strcmp(status, "READY")  ? STYLE_SUCCESS :
	       !strcmp(status, "PAUSED") ? STYLE_PROGRESS :
					   STYLE_FAILURE;
}

static void
row(struct table *t, const json_t *pool, void *unused)
{
	struct buf v = BUF_INIT;
	long limit;
	(void)unused;
	table_add_row(t);
	table_cell(t, json_str(pool, "name"), STYLE_NAME);
	table_cell(t, json_str(pool, "type"), STYLE_META);
	table_cell(t, json_str(pool, "status") ? json_str(pool, "status") : "-",
		   status_style(json_str(pool, "status")));
	if (prefect_work_pool_limit(pool, &limit))
		buf_addf(&v, "%ld", limit);
	else
		buf_adds(&v, "-");
	table_cell(t, buf_str(&v), STYLE_NONE);
	table_cell(t, json_is_true(json_object_get(pool, "is_paused")) ? "Yes" : "No", STYLE_NONE);
	buf_release(&v);
}

static void
columns(struct table *t)
{
	table_add_column(t, "Name", ALIGN_LEFT, COLUMN_WHOLE);
	table_add_column(t, "Type", ALIGN_LEFT, 0);
	table_column_fit(t, 2, 0);
	table_add_column(t, "Status", ALIGN_LEFT, 0);
	table_add_column(t, "Concurrency", ALIGN_RIGHT, 0);
	table_column_fit(t, 3, 0);
	table_add_column(t, "Paused", ALIGN_CENTER, 0);
	table_column_fit(t, 1, 0);
}

static const struct list_view view = {
	.title = "Work Pools", .noun = "work pools", .columns = columns, .row = row
};

static int
work_pools_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec options[] = { OPT_TABLE_END };
	struct error err = ERROR_INIT;
	json_t *pools = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_work_pool_list(ctx->api, &pools, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = cmd_print_list(ctx, &view, pools);
	json_decref(pools);
	return rc;
}

const struct cmd_entry cmd_prefect_work_pools_list = {
	.path = "prefect work-pools list",
	.summary = "List work pools",
	.help = "List the work pools with their type, status (READY when a worker polls it),\n"
		"concurrency limit and whether they are paused.",
	.flags = CMD_API,
	.exec = work_pools_list_exec,
};
