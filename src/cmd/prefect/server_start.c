/*
 * mahavishnu prefect server start: a local Prefect server in the
 * background (SQLite, data and log under the state directory, or the
 * database of --database), ready when this returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/server.h"
#include "cli/command.h"
#include "cmd/prefect/local_database.h"
#include "cmd/prefect/local_prefect.h"
#include "core/daemon.h"
#include "core/xalloc.h"
#include "ui/panel.h"

struct started {
	char *url;
	char *version;
	pid_t pid;
	char *home;
	char *log;
	char *database; /* summary, no password */
};

static int
show(struct cmd_ctx *ctx, const struct started *s, const char *title)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s,s:s?,s:I,s:s,s:s,s:s?}", "api_url", s->url, "version",
					s->version, "pid", (json_int_t)s->pid, "data_dir", s->home,
					"log", s->log, "database", s->database);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new(title, STYLE_SUCCESS);
	struct buf pid = BUF_INIT;
	buf_addf(&pid, "%ld", (long)s->pid);
	panel_field(p, "API URL", s->url, STYLE_NAME);
	panel_field(p, "Version", s->version, STYLE_META);
	panel_field(p, "PID", buf_str(&pid), STYLE_META);
	panel_field(p, "Data", s->home, STYLE_META);
	panel_field(p, "Database", s->database, STYLE_META);
	panel_field(p, "Log", s->log, STYLE_META);
	panel_blank(p);
	panel_text(p, "Stop it with: mahavishnu prefect server stop", STYLE_INFO);
	cmd_print_panel(ctx, p);
	buf_release(&pid);
	return EXIT_OK;
}

/*
 * The database the server will use: --database, else one set in our own
 * environment for Prefect (the server inherits it), else Prefect's default
 * SQLite file in its home. Only the summary is kept for people.
 */
static char *
database_summary(const struct local_database *db, const char *home)
{
	if (db->url)
		return xstrdup(db->summary);
	const char *name = LOCAL_DATABASE_ENV_NEW, *inherited = getenv(name);
	if (!inherited || !*inherited)
		inherited = getenv(name = LOCAL_DATABASE_ENV);
	if (!inherited || !*inherited)
		return xasprintf("sqlite: %s/prefect.db", home);
	struct local_database env_db;
	struct error ignored = ERROR_INIT;
	char *summary = local_database_parse(inherited, &env_db, &ignored) == 0 ?
				xasprintf("%s (from %s)", env_db.summary, name) :
				xasprintf("as %s says", name);
	local_database_release(&env_db);
	return summary;
}

static int
launch(struct cmd_ctx *ctx, const char *host, long port, const struct local_database *db,
       struct started *s, struct error *err)
{
	char *dir = local_state_dir(), *prefect = local_prefect_command(ctx), port_text[16];
	snprintf(port_text, sizeof(port_text), "%ld", port);
	s->home = xasprintf("%s/prefect-home", dir);
	s->log = xasprintf("%s/%s.log", dir, LOCAL_SERVER_NAME);
	char *home_env = xasprintf("PREFECT_HOME=%s", s->home);
	char analytics[] = "PREFECT_SERVER_ANALYTICS_ENABLED=false";
	/* both names: the newer one wins in Prefect when both are set, as one may be inherited */
	char *db_env = db->url ? xasprintf("%s=%s", LOCAL_DATABASE_ENV, db->url) : NULL;
	char *db_env_new = db->url ? xasprintf("%s=%s", LOCAL_DATABASE_ENV_NEW, db->url) : NULL;
	char *env[] = { home_env, analytics, db_env, db_env_new, NULL };
	char a1[] = "server", a2[] = "start", a3[] = "--host", a5[] = "--port",
	     a7[] = "--analytics-off";
	char *argv[] = { prefect, a1, a2, a3, (char *)host, a5, port_text, a7, NULL };
	s->database = database_summary(db, s->home);
	int rc = daemon_start(dir, LOCAL_SERVER_NAME, argv, env, s->url, &s->pid, err);
	if (rc < 0 && err->kind == ERROR_IO)
		error_hint(err, "install Prefect ('scripts/bootstrap' in the source tree, or "
				"'pip install prefect'), or set prefect_command in your settings");
	if (rc == 0)
		local_database_remember(dir, s->database);
	free(db_env);
	free(db_env_new);
	free(home_env);
	free(prefect);
	free(dir);
	return rc;
}

/* A server that already answers there (ours or not) is reported, not doubled. */
static int
already_answering(struct cmd_ctx *ctx, struct started *s)
{
	struct error err = ERROR_INIT;
	struct daemon_status st;
	struct api *api = cmd_api_at(ctx, s->url);
	int up = prefect_server_check(api, &s->version, &err) == 0;
	api_close(api);
	if (!up)
		return 0;
	char *dir = local_state_dir();
	daemon_status(dir, LOCAL_SERVER_NAME, &st);
	s->pid = st.running ? st.pid : 0;
	s->home = st.running ? xasprintf("%s/prefect-home", dir) :
			       xstrdup("(not started by mahavishnu)");
	s->log = st.running ? xstrdup(st.log_path) : xstrdup("-");
	s->database = st.running ? local_database_recall(dir) : NULL;
	daemon_status_release(&st);
	free(dir);
	return 1;
}

static int
server_start_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	long port = 0, wait = 120;
	const char *host = "127.0.0.1", *database = NULL;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NUM('p', "port", &port, "PORT", "Port (default: the configured API URL's, else 4200)",
			1, 65535),
		OPT_STR(0, "host", &host, "HOST", "Address to listen on (default 127.0.0.1)"),
		OPT_NUM(0, "wait", &wait, "SECONDS", "How long to wait for it to answer (default 120)",
			1, 3600),
		OPT_STR(0, "database", &database, "URL",
			"Its database: postgresql://USER:PASSWORD@HOST:PORT/DB or sqlite:///PATH"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	struct started s = { 0 };
	struct local_database db = { 0 };
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (!*host || host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"0123456789.-_:")]) {
		error_set(&err, ERROR_USAGE, "option '--host': '%s' is not a host name or address",
			  host);
		return cmd_fail(ctx, &err);
	}
	/* before anything starts, and quoting the URL with its password masked */
	if (database && local_database_parse(database, &db, &err) < 0) {
		cmd_option_error(&err, "database");
		rc = cmd_fail(ctx, &err);
		local_database_release(&db);
		return rc;
	}
	if (!port)
		port = local_configured_port(ctx);
	s.url = xasprintf("http://%s:%ld/api", host, port);
	if (already_answering(ctx, &s)) {
		if (db.url)
			cmd_warn(ctx, "a server already answers at %s: --database was not applied",
				 s.url);
		rc = show(ctx, &s, "Prefect Server Already Running");
	} else if (launch(ctx, host, port, &db, &s, &err) < 0 ||
		   local_wait_healthy(ctx, s.url, LOCAL_SERVER_NAME, (double)wait, &s.version,
				      &err) < 0) {
		/* the end of the server's log may quote the database URL */
		local_database_scrub(&db, err.message, sizeof(err.message));
		local_database_scrub(&db, err.hint, sizeof(err.hint));
		rc = cmd_fail(ctx, &err);
	} else {
		rc = show(ctx, &s, "✓ Prefect Server Started");
	}
	local_database_release(&db);
	free(s.database);
	free(s.url);
	free(s.version);
	free(s.home);
	free(s.log);
	return rc;
}

const struct cmd_entry cmd_prefect_server_start = {
	.path = "prefect server start",
	.summary = "Start a local Prefect server in the background",
	.help = "Start a Prefect server on this machine in the background and wait until it\n"
		"answers. It runs the `prefect` program from settings (prefect_command), else\n"
		"this source tree's .venv, else PATH, with its SQLite data and log under\n"
		"$XDG_STATE_HOME/mahavishnu (~/.local/state/mahavishnu). The port is the\n"
		"configured API URL's when that points at this machine, else 4200.\n"
		"\n"
		"--database URL puts its data in PostgreSQL (postgresql://USER:PASSWORD@HOST:PORT/DB,\n"
		"given to Prefect as postgresql+asyncpg://, its PREFECT_API_DATABASE_CONNECTION_URL)\n"
		"or in another SQLite file (sqlite:///PATH). The password is never shown.",
	.exec = server_start_exec,
};
