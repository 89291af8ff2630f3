/*
 * mahavishnu prefect flow-runs watch: the latest flow runs, read again
 * every --interval seconds. On a terminal, a live screen with keys
 * (run_watch_screen.h); elsewhere (a pipe, a file, -o json) one table per
 * interval, as watch(1) would print them, until Ctrl-C or --count tables.
 */
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cmd/prefect/run_watch.h"
#include "cmd/prefect/run_watch_screen.h"

#define DEFAULT_INTERVAL 2

struct watch_args {
	const char *flow;
	const char *deployment;
	struct strlist states;
	long interval;
	long limit;
	long count;
};

/* What goes between two frames: a blank line; "---" between YAML documents; nothing in JSON Lines. */
static void
separate(struct cmd_ctx *ctx, struct buf *out)
{
	if (ctx->term.format != OUTPUT_JSON || ctx->term.json_style == JSON_INDENTED)
		buf_addc(out, '\n');
	else if (ctx->term.json_style == JSON_YAML)
		buf_adds(out, "---\n");
}

static void
print_frame(struct run_watch *w, int first)
{
	struct cmd_ctx *ctx = w->ctx;
	struct buf text = BUF_INIT;
	if (!first)
		separate(ctx, &text);
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = run_watch_json(w);
		cmd_print(ctx, &text);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		buf_reset(&text);
		cmd_print(ctx, &text); /* flushed: a reader at the other end sees the frame now */
	} else {
		run_watch_header(w, &text, (size_t)ctx->term.width, ctx->term.color);
		cmd_print(ctx, &text);
		cmd_print_table(ctx, run_watch_table(w, 0, json_array_size(w->runs)));
	}
	buf_release(&text);
}

/* One frame per interval; a refresh that meets the server away prints none (stderr says why). */
static int
print_frames(struct run_watch *w, long count, struct error *err)
{
	long printed = 1;
	print_frame(w, 1);
	while (!count || printed < count) {
		if (interrupt_sleep((double)w->interval))
			return EXIT_INTERRUPTED;
		if (run_watch_refresh(w, err) < 0)
			return -1;
		if (!server_watch_away(&w->watch)) {
			print_frame(w, 0);
			printed++;
		}
	}
	return EXIT_OK;
}

static int
watch(struct cmd_ctx *ctx, const struct watch_args *a, struct error *err)
{
	struct run_watch w;
	int rc = run_watch_init(&w, ctx, a->flow, a->deployment, &a->states, err);
	w.limit = (size_t)a->limit;
	w.interval = a->interval;
	if (rc == 0)
		rc = run_watch_refresh(&w, err);
	if (rc == 0) {
		interrupt_install();
		int live = ctx->term.format == OUTPUT_TABLE && ctx->term.out_tty &&
			   ctx->term.in_tty;
		rc = live ? run_watch_screen(&w, a->count, err) : print_frames(&w, a->count, err);
	}
	run_watch_release(&w);
	return rc;
}

static int
flow_runs_watch_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct watch_args a = { .states = STRLIST_INIT, .interval = DEFAULT_INTERVAL, .limit = 50 };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_STR('f', "flow", &a.flow, "FLOW", "Only runs of this flow (name or ID)"),
		OPT_STR(0, "deployment", &a.deployment, "DEPLOYMENT",
			"Only runs of this deployment (NAME, FLOW/NAME or ID)"),
		OPT_MULTI('s', "state", &a.states, "STATE",
			  "Only runs in these states, e.g. failed,late (repeatable)"),
		OPT_NUM('n', "interval", &a.interval, "SECONDS",
			"Seconds between refreshes (default 2)", 1, 3600),
		OPT_NUM('l', "limit", &a.limit, "N", "Most runs to read at each refresh (default 50)",
			1, 200),
		OPT_NUM(0, "count", &a.count, "N",
			"Stop after N tables (default: until q or Ctrl-C)", 1, 1000000000),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		rc = watch(ctx, &a, &err);
		rc = rc < 0 ? cmd_fail(ctx, &err) : interrupt_exit_code(rc);
	}
	strlist_release(&a.states);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_flow_runs_watch = {
	.path = "prefect flow-runs watch",
	.summary = "Watch the latest flow runs, live",
	.help = "Show the latest flow runs (as flow-runs list does, with the number in each\n"
		"state above them) and read them again every --interval seconds.\n"
		"On a terminal the table is redrawn in place on the alternate screen:\n"
		"  Up/Down (k/j), Page Up/Down, Home/End   select a run\n"
		"  l        follow the selected run's logs (q or Ctrl-C comes back)\n"
		"  c        cancel the selected run (asks y/n first)\n"
		"  f        next state filter: the --state given, all, running, pending, ...\n"
		"  r        read the runs now\n"
		"  q        quit (Ctrl-C too)\n"
		"Elsewhere (a pipe, a file, -o json|jsonl|yaml) one table per interval is\n"
		"printed, separated by a blank line, until Ctrl-C or --count tables.\n"
		"A server that goes away for a while keeps the last table on the screen with\n"
		"a line saying so (in a pipe, a line on stderr), and the watch goes on.",
	.flags = CMD_API,
	.exec = flow_runs_watch_exec,
};
