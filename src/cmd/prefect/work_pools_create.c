/* mahavishnu prefect work-pools create: a process work pool. */
#include <strings.h>

#include "api/refs.h"
#include "api/work_pools.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/panel.h"

static int
show(struct cmd_ctx *ctx, const json_t *pool)
{
	if (ctx->term.format == OUTPUT_JSON)
		return cmd_print_json(ctx, pool);
	struct panel *p = panel_new("✓ Work Pool Created", STYLE_SUCCESS);
	struct buf limit = BUF_INIT;
	long n;
	if (prefect_work_pool_limit(pool, &n))
		buf_addf(&limit, "%ld", n);
	panel_field(p, "Name", json_str(pool, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(pool, "id"), STYLE_NAME);
	panel_field(p, "Type", json_str(pool, "type"), STYLE_META);
	panel_field(p, "Concurrency", buf_str(&limit), STYLE_META);
	panel_blank(p);
	buf_reset(&limit);
	buf_addf(&limit, "Start a worker: mahavishnu prefect worker start --pool %s",
		 json_str(pool, "name"));
	panel_text(p, buf_str(&limit), STYLE_INFO);
	cmd_print_panel(ctx, p);
	buf_release(&limit);
	return EXIT_OK;
}

static int
check_name(const char *name, struct error *err)
{
	if (!prefect_name_is_valid(name))
		return error_set(err, ERROR_USAGE,
				 "'%s' is not a valid work pool name (it must not "
				 "be empty or contain / %% & > <)",
				 name);
	if (!strncasecmp(name, "prefect", 7))
		return error_set(err, ERROR_USAGE,
				 "work pool names may not start with 'prefect' "
				 "(Prefect reserves them)");
	return 0;
}

static int
work_pools_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL;
	long limit = -1;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NUM('c', "concurrency-limit", &limit, "N",
			"Runs at once in the pool (default: max_concurrent_flows)", 1, 100000),
		OPT_POS_NAME("NAME", &name, "Name of the new pool"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *pool = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (limit < 0)
		limit = config_get_long(&ctx->config, CFG_MAX_CONCURRENT_FLOWS);
	if (check_name(name, &err) < 0 ||
	    prefect_work_pool_create(ctx->api, name, "process", limit, &pool, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, pool);
	json_decref(pool);
	return rc;
}

const struct cmd_entry cmd_prefect_work_pools_create = {
	.path = "prefect work-pools create",
	.summary = "Create a process work pool",
	.help = "Create a work pool of type 'process', whose workers run flows as local\n"
		"subprocesses. Its concurrency limit is --concurrency-limit, else the\n"
		"max_concurrent_flows setting (default 10).",
	.flags = CMD_API,
	.exec = work_pools_create_exec,
};
