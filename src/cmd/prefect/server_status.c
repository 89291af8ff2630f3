/* mahavishnu prefect server status: is the local server up, and since when. */
#include <stdlib.h>

#include "api/server.h"
#include "cli/command.h"
#include "cmd/prefect/local_database.h"
#include "cmd/prefect/local_prefect.h"
#include "core/daemon.h"
#include "core/isotime.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "ui/panel.h"
#include "ui/timefmt.h"

struct server_state {
	char *url;
	char *shown_url; /* url with any password masked */
	char *version;
	char *database; /* what `server start` remembered of its database, no password */
	struct daemon_status daemon;
	int answering;
	int unreachable; /* not answering because nothing could be reached */
};

static void
probe(struct cmd_ctx *ctx, struct server_state *s)
{
	struct error err = ERROR_INIT;
	char *dir = local_state_dir();
	daemon_status(dir, LOCAL_SERVER_NAME, &s->daemon);
	if (s->daemon.running)
		s->database = local_database_recall(dir);
	free(dir);
	if (s->daemon.running && s->daemon.info)
		s->url = xstrdup(s->daemon.info);
	else if (config_api_url(&ctx->config, &s->url, &err) < 0)
		s->url = xstrdup(config_get(&ctx->config, CFG_API_URL));
	s->shown_url = url_redact(s->url);
	struct api *api = cmd_api_at(ctx, s->url);
	s->answering = prefect_server_check(api, &s->version, &err) == 0;
	s->unreachable = !s->answering && error_is_network(&err);
	api_close(api);
}

/* 0 answering, 6 nothing reached, 1 reached but not a working server. */
static int
exit_code(const struct server_state *s)
{
	return s->answering ? EXIT_OK : s->unreachable ? EXIT_UNREACHABLE : EXIT_ERROR;
}

static int
show_json(struct cmd_ctx *ctx, const struct server_state *s)
{
	json_t *doc = json_pack("{s:s,s:b,s:s?,s:b}", "api_url", s->shown_url, "answering",
				s->answering, "version", s->version, "started_by_mahavishnu",
				s->daemon.running);
	if (s->daemon.running) {
		json_object_set_new(doc, "pid", json_integer(s->daemon.pid));
		json_object_set_new(doc, "uptime_seconds",
				    json_real(isotime_now() - s->daemon.started));
		json_object_set_new(doc, "log", json_string(s->daemon.log_path));
		if (s->database)
			json_object_set_new(doc, "database", json_string(s->database));
	}
	cmd_print_json(ctx, doc);
	json_decref(doc);
	return exit_code(s);
}

static int
show(struct cmd_ctx *ctx, const struct server_state *s)
{
	if (ctx->term.format == OUTPUT_JSON)
		return show_json(ctx, s);
	struct panel *p = panel_new("Prefect Server", s->answering ? STYLE_SUCCESS : STYLE_FAILURE);
	struct buf v = BUF_INIT;
	panel_field(p, "API URL", s->shown_url, STYLE_NAME);
	panel_field(p, "Status", s->answering ? "✓ answering" : "✗ not answering",
		    s->answering ? STYLE_SUCCESS : STYLE_FAILURE);
	panel_field(p, "Version", s->version, STYLE_META);
	if (s->daemon.running) {
		buf_addf(&v, "%ld", (long)s->daemon.pid);
		panel_field(p, "PID", buf_str(&v), STYLE_META);
		buf_reset(&v);
		timefmt_duration(&v, isotime_now() - s->daemon.started);
		panel_field(p, "Uptime", buf_str(&v), STYLE_META);
		panel_field(p, "Log", s->daemon.log_path, STYLE_META);
		panel_field(p, "Database", s->database, STYLE_META);
	} else {
		panel_field(p, "Started By", s->answering ? "someone else (not mahavishnu)" : NULL,
			    STYLE_META);
	}
	cmd_print_panel(ctx, p);
	buf_release(&v);
	return exit_code(s);
}

static int
server_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec options[] = { OPT_TABLE_END };
	struct server_state s = { 0 };
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	probe(ctx, &s);
	rc = show(ctx, &s);
	daemon_status_release(&s.daemon);
	free(s.url);
	free(s.shown_url);
	free(s.version);
	free(s.database);
	return rc;
}

const struct cmd_entry cmd_prefect_server_status = {
	.path = "prefect server status",
	.summary = "Show whether the local Prefect server is up",
	.help = "Show the local server's API URL, whether it answers, its version, and for a\n"
		"server started by 'mahavishnu prefect server start' its PID, uptime, log and\n"
		"database (kind, host and name; never the password).\n"
		"Exit code 0 when it answers, 6 when nothing answers there, 1 when something\n"
		"answers but is not a working Prefect server.",
	.exec = server_status_exec,
};
