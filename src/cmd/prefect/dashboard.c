/*
 * mahavishnu prefect dashboard: the Prefect UI's URL, after checking that
 * the server answers; --open starts a browser on it (no shell involved).
 */
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
#include "cli/command.h"
#include "core/spawn.h"
#include "core/strlist.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "ui/panel.h"

/* $BROWSER: the first of a colon-separated list, split on blanks. */
static int
open_with_browser_env(const char *env, const char *url, struct error *err)
{
	struct strlist words = STRLIST_INIT;
	char *first = xstrndup(env, strcspn(env, ":"));
	strlist_split(&words, first, ' ');
	free(first);
	strlist_add(&words, url);
	strlist_add_owned(&words, NULL);
	int rc = spawn_detached(words.items, err);
	strlist_release(&words);
	return rc;
}

/* $BROWSER, else xdg-open, else open; never through a shell. */
static int
open_browser(const char *url, struct error *err)
{
	const char *env = getenv("BROWSER");
	char xdg_open[] = "xdg-open", mac_open[] = "open";
	char *xdg[] = { xdg_open, (char *)url, NULL };
	char *mac[] = { mac_open, (char *)url, NULL };
	int rc;
	if (env && strspn(env, " :") < strlen(env))
		rc = open_with_browser_env(env, url, err);
	else if ((rc = spawn_detached(xdg, err)) < 0 && (rc = spawn_detached(mac, err)) < 0)
		error_set(err, ERROR_IO,
			  "cannot open a browser: neither 'xdg-open' nor 'open' "
			  "could be started");
	if (rc < 0)
		error_hint(err, "set BROWSER to your browser's command, or open the URL by hand");
	return rc;
}

/* What --open did: not asked, opened, or the browser could not be started. */
enum browser { BROWSER_NOT_ASKED, BROWSER_OPENED, BROWSER_FAILED };

static int
show(struct cmd_ctx *ctx, const char *url, const char *api_url, const char *version,
     enum browser browser)
{
	int opened = browser == BROWSER_OPENED;
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s,s:s,s:b,s:s?,s:b}", "url", url, "api_url", api_url,
					"reachable", 1, "server_version", version, "opened",
					opened);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("Prefect Dashboard", STYLE_INFO);
	panel_field(p, "URL", url, STYLE_NAME);
	panel_field(p, "API", api_url, STYLE_NAME);
	panel_field(p, "Server", version ? version : "answering (version not reported)",
		    STYLE_SUCCESS);
	panel_blank(p);
	panel_text(p,
		   opened ? "Opened in your browser." :
		   browser == BROWSER_FAILED ?
			    "No browser could be started: open the URL by hand." :
			    "Tip: Use --open flag to open in browser",
		   STYLE_INFO);
	cmd_print_panel(ctx, p);
	return EXIT_OK;
}

static int
show_redacted(struct cmd_ctx *ctx, const char *url, const struct api *api, const char *version,
	      enum browser browser)
{
	char *shown = url_redact(url);
	int rc = show(ctx, shown, api_display_url(api), version, browser);
	free(shown);
	return rc;
}

static int
dashboard_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int open = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('o', "open", &open, "Open the dashboard in a browser"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	char *url = NULL, *version = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (config_ui_url(&ctx->config, &url, &err) < 0 ||
	    prefect_server_check(ctx->api, &version, &err) < 0) {
		rc = cmd_fail(ctx, &err);
	} else {
		/* the URL is shown whatever the browser does, so it can be opened by hand */
		enum browser browser = !open                        ? BROWSER_NOT_ASKED :
				       open_browser(url, &err) == 0 ? BROWSER_OPENED :
								      BROWSER_FAILED;
		rc = show_redacted(ctx, url, ctx->api, version, browser);
		if (browser == BROWSER_FAILED)
			rc = cmd_fail(ctx, &err);
	}
	free(version);
	free(url);
	return rc;
}

const struct cmd_entry cmd_prefect_dashboard = {
	.path = "prefect dashboard",
	.summary = "Show the Prefect UI's URL and check the server answers",
	.help = "Print the URL of the Prefect UI: ui_url when configured, else the API URL\n"
		"without '/api', else the Prefect Cloud app URL of the workspace. The server\n"
		"is asked for its health and version first. --open starts $BROWSER (else\n"
		"xdg-open, else open) on the URL.",
	.flags = CMD_API,
	.exec = dashboard_exec,
};
