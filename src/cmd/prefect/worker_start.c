/*
 * mahavishnu prefect worker start: a Prefect process worker for a pool, in
 * the background, ready (registered with the server) when this returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/work_pools.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cmd/prefect/local_prefect.h"
#include "cmd/prefect/pool_prompt.h"
#include "core/daemon.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "ui/panel.h"

#define WORKER_WAIT_SECONDS 90.0

struct worker_args {
	const char *pool;
	const char *name;
	int create_pool;
};

static int
launch(struct cmd_ctx *ctx, const struct worker_args *a, const char *api_url, pid_t *pid,
       struct error *err)
{
	char *dir = local_state_dir(), *prefect = local_prefect_command(ctx);
	char *name = local_worker_name(a->pool);
	struct strlist env = STRLIST_INIT, args = STRLIST_INIT;
	local_prefect_env(ctx, api_url, &env);
	strlist_add_owned(&args, prefect);
	strlist_add(&args, "worker");
	strlist_add(&args, "start");
	strlist_add(&args, "--pool");
	strlist_add(&args, a->pool);
	strlist_add(&args, "--type");
	strlist_add(&args, "process");
	if (a->name) {
		strlist_add(&args, "--name");
		strlist_add(&args, a->name);
	}
	strlist_add_owned(&args, NULL);
	int rc = daemon_start(dir, name, args.items, env.items, a->pool, pid, err);
	strlist_release(&args);
	strlist_release(&env);
	free(name);
	free(dir);
	return rc;
}

static int
online_workers(struct api *api, const char *pool, struct error *err)
{
	json_t *workers = NULL, *w;
	size_t i;
	int n = 0;
	if (prefect_work_pool_workers(api, pool, &workers, err) < 0)
		return -1;
	json_array_foreach(workers, i, w) {
		const char *status = json_str(w, "status");
		n += status && !strcmp(status, "ONLINE");
	}
	json_decref(workers);
	return n;
}

/* Wait for a worker of the pool to come online, or for ours to die. */
static int
wait_online(struct api *api, const struct worker_args *a, struct error *err)
{
	char *dir = local_state_dir(), *name = local_worker_name(a->pool);
	double start = isotime_now();
	int rc = -1;
	interrupt_install();
	while (rc < 0) {
		struct daemon_status st;
		int online = online_workers(api, a->pool, err);
		daemon_status(dir, name, &st);
		if (online > 0)
			rc = 0;
		else if (online < 0 || !st.running) {
			char *tail = online < 0 ? NULL : daemon_log_tail(st.log_path, 5);
			if (tail)
				error_set(err, ERROR_IO, "the worker exited; the end of %s: %s",
					  st.log_path, tail);
			free(tail);
			daemon_status_release(&st);
			break;
		} else if (isotime_now() - start > WORKER_WAIT_SECONDS) {
			error_set(err, ERROR_IO,
				  "the worker did not come online within %.0f s; see %s",
				  WORKER_WAIT_SECONDS, st.log_path);
			daemon_status_release(&st);
			break;
		}
		daemon_status_release(&st);
		if (rc < 0 && interrupt_sleep(0.5)) {
			error_set(err, ERROR_INTERRUPTED,
				  "interrupted while waiting for the worker");
			break;
		}
	}
	free(name);
	free(dir);
	return rc;
}

static int
show(struct cmd_ctx *ctx, const struct worker_args *a, pid_t pid)
{
	char *dir = local_state_dir(), *name = local_worker_name(a->pool);
	char *log = xasprintf("%s/%s.log", dir, name);
	int rc = EXIT_OK;
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s,s:I,s:s}", "pool", a->pool, "pid", (json_int_t)pid,
					"log", log);
		rc = cmd_print_json(ctx, doc);
		json_decref(doc);
	} else {
		struct panel *p = panel_new("✓ Worker Started", STYLE_SUCCESS);
		struct buf out = BUF_INIT, v = BUF_INIT;
		buf_addf(&v, "%ld", (long)pid);
		panel_field(p, "Work Pool", a->pool, STYLE_NAME);
		panel_field(p, "Type", "process", STYLE_META);
		panel_field(p, "PID", buf_str(&v), STYLE_META);
		panel_field(p, "Log", log, STYLE_META);
		buf_reset(&v);
		buf_addf(&v, "Stop it with: mahavishnu prefect worker stop --pool %s", a->pool);
		panel_blank(p);
		panel_text(p, buf_str(&v), STYLE_INFO);
		panel_render(p, &ctx->term, &out);
		cmd_print(ctx, &out);
		buf_release(&v);
		buf_release(&out);
		panel_free(p);
	}
	free(log);
	free(name);
	free(dir);
	return rc;
}

static int
worker_start_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct worker_args a = { 0 };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NAME_REQ('p', "pool", &a.pool, "POOL", "Work pool to take runs from"),
		OPT_STR('n', "name", &a.name, "NAME", "Worker name (default: Prefect's)"),
		OPT_FLAG(0, "create-pool", &a.create_pool,
			 "Create the pool (type process) if it does not exist"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	pid_t pid = 0;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (pool_name_check(a.pool, "pool", &err) < 0 ||
	    pool_prompt_ensure(ctx, ctx->api, a.pool, a.create_pool, &err) < 0 ||
	    launch(ctx, &a, ctx->api_url, &pid, &err) < 0 || wait_online(ctx->api, &a, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = show(ctx, &a, pid);
	return rc;
}

const struct cmd_entry cmd_prefect_worker_start = {
	.path = "prefect worker start",
	.summary = "Start a process worker for a work pool in the background",
	.help = "Start a Prefect process worker (`prefect worker start --type process`) for\n"
		"POOL in the background, pointed at the configured API, and wait until it is\n"
		"online. A missing pool is created with --create-pool, or after asking on a\n"
		"terminal. Its log is under $XDG_STATE_HOME/mahavishnu.",
	.flags = CMD_API,
	.exec = worker_start_exec,
};
