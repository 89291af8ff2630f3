/*
 * mahavishnu completion bash|zsh|fish: the shell's completion script. The
 * script asks `mahavishnu completion --words -- WORDS...` what may follow
 * the words typed (cli/complete.h) and shows the answer; names of flows,
 * deployments, work pools and runs come from the server within a second,
 * and nothing at all (no error) when it cannot be reached.
 */
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/deployments.h"
#include "api/flow_runs.h"
#include "api/flows.h"
#include "api/work_pools.h"
#include "cli/command.h"
#include "cli/complete.h"
#include "cmd/completion/scripts.h"
#include "core/xalloc.h"
#include "ui/text.h"

/* The most names a live lookup offers. */
#define NAMES_MAX 100
/* Seconds a live lookup may take. */
#define LOOKUP_SECONDS 1

/* "name\tdescription" with nothing in either that a terminal would act on. */
static void
add_name(struct strlist *out, const char *name, const char *description)
{
	if (!name || !*name)
		return;
	char *n = text_sanitize_dup(name, 1), *d = text_sanitize_dup(description, 1);
	strlist_addf(out, "%s\t%s", n, d);
	free(n);
	free(d);
}

static int
flow_page(json_t *rows, void *userdata, struct error *err)
{
	(void)err;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		add_name(userdata, json_string_value(json_object_get(row, "name")), "flow");
	return 0;
}

static void
add_deployments(struct api *api, struct strlist *out, struct error *err)
{
	json_t *list = NULL, *d;
	size_t i;
	if (prefect_deployment_list(api, NULL, NAMES_MAX, &list, err) < 0)
		return;
	json_array_foreach(list, i, d) {
		const char *flow = json_string_value(json_object_get(d, "flow_name"));
		const char *name = json_string_value(json_object_get(d, "name"));
		char *both = flow && name ? xasprintf("%s/%s", flow, name) : NULL;
		add_name(out, both, "deployment");
		free(both);
	}
	json_decref(list);
}

static void
add_pools(struct api *api, struct strlist *out, struct error *err)
{
	json_t *list = NULL, *p;
	size_t i;
	if (prefect_work_pool_list(api, &list, err) < 0)
		return;
	json_array_foreach(list, i, p)
		add_name(out, json_string_value(json_object_get(p, "name")),
			 json_string_value(json_object_get(p, "type")));
	json_decref(list);
}

static void
add_runs(struct api *api, struct strlist *out, struct error *err)
{
	struct flow_run_filter f = FLOW_RUN_FILTER_INIT;
	json_t *list = NULL, *r;
	size_t i;
	if (prefect_flow_run_list(api, &f, NAMES_MAX, &list, err) < 0)
		return;
	json_array_foreach(list, i, r) {
		const char *flow = json_string_value(json_object_get(r, "flow_name"));
		const char *state = json_string_value(json_object_get(r, "state_name"));
		char *what = flow ? xasprintf("%s, %s", flow, state ? state : "-") :
				    xstrdup(state ? state : "-");
		add_name(out, json_string_value(json_object_get(r, "name")), what);
		free(what);
	}
	json_decref(list);
}

static void
lookup(void *data, enum complete_kind kind, struct strlist *out)
{
	struct api *api = data;
	struct error err = ERROR_INIT;
	if (kind == COMPLETE_FLOWS)
		prefect_flow_stream(api, NAMES_MAX, 0, flow_page, out, &err);
	else if (kind == COMPLETE_DEPLOYMENTS)
		add_deployments(api, out, &err);
	else if (kind == COMPLETE_POOLS)
		add_pools(api, out, &err);
	else if (kind == COMPLETE_RUNS)
		add_runs(api, out, &err);
}

/* A client for the configured server in a hurry, or NULL when there is none. */
static struct api *
quick_api(struct cmd_ctx *ctx)
{
	char *url = NULL;
	struct error err = ERROR_INIT;
	if (config_api_url(&ctx->config, &url, &err) < 0)
		return NULL;
	struct api *api = cmd_api_at(ctx, url);
	api_hurry(api, LOOKUP_SECONDS);
	free(url);
	return api;
}

/*
 * --words: one candidate a line ("value" or "value<TAB>description"), or
 * the one line ":files" or ":dirs" for the shell to complete paths itself.
 * Quiet whatever happens: a broken setting only takes the live names away.
 */
static int
complete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec none[] = { OPT_TABLE_END };
	FILE *quiet = fopen("/dev/null", "w");
	FILE *err = ctx->err;
	if (quiet)
		ctx->err = quiet;
	int skip = argc > 0 && !strcmp(argv[0], "--");
	char *empty[] = { NULL };
	struct api *api = cmd_parse(ctx, none, 0, empty) == EXIT_OK ? quick_api(ctx) : NULL;
	struct completion c;
	complete_words(argv + skip, (size_t)(argc - skip), api ? lookup : NULL, api, &c);
	struct buf out = BUF_INIT;
	if (c.kind == COMPLETE_FILES || c.kind == COMPLETE_DIRS)
		buf_adds(&out, c.kind == COMPLETE_FILES ? ":files\n" : ":dirs\n");
	for (size_t i = 0; c.kind == COMPLETE_WORDS && i < c.items.len; i++)
		buf_addf(&out, "%s\n", c.items.items[i]);
	cmd_print(ctx, &out);
	buf_release(&out);
	completion_release(&c);
	api_close(api);
	ctx->err = err;
	if (quiet)
		fclose(quiet);
	return EXIT_OK;
}

static int
completion_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *shell = NULL;
	if (argc > 0 && !strcmp(argv[0], "--words"))
		return complete_exec(ctx, argc - 1, argv + 1);
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_POS("SHELL", &shell, "bash, zsh or fish"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	const char *script = completion_script(shell);
	if (!script) {
		struct error err = ERROR_INIT;
		error_set(&err, ERROR_USAGE, "no completion for the shell '%s'", shell);
		error_hint(&err, "the shells are bash, zsh and fish");
		return cmd_fail(ctx, &err);
	}
	struct buf out = BUF_INIT;
	buf_adds(&out, script);
	cmd_print(ctx, &out);
	buf_release(&out);
	return EXIT_OK;
}

const struct cmd_entry cmd_completion = {
	.path = "completion",
	.summary = "Print the shell completion script for bash, zsh or fish",
	.help = "Print a script that makes SHELL complete mahavishnu's commands, options,\n"
		"option values, file names, and the names of flows, deployments, work\n"
		"pools and runs on the server (asked for within a second; nothing is shown\n"
		"when it cannot be reached). Load it in the current shell, or install it:\n"
		"\n"
		"  bash:  source <(mahavishnu completion bash)\n"
		"         (or save it as ~/.local/share/bash-completion/completions/mahavishnu)\n"
		"  zsh:   source <(mahavishnu completion zsh)   (after compinit)\n"
		"  fish:  mahavishnu completion fish > ~/.config/fish/completions/mahavishnu.fish\n"
		"\n"
		"The scripts ask 'mahavishnu completion --words -- WORDS...' what may come\n"
		"next; that form is theirs, not for scripts of yours.",
	.flags = 0,
	.exec = completion_exec,
};
