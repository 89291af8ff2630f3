/* Local Prefect programs and their state (see local_prefect.h). */
#include "cmd/prefect/local_prefect.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/server.h"
#include "cli/interrupt.h"
#include "core/daemon.h"
#include "core/isotime.h"
#include "core/strlist.h"
#include "core/xalloc.h"

static const char *
env_get(const char *name)
{
	return getenv(name);
}

char *
local_state_dir(void)
{
	return daemon_state_dir(env_get);
}

char *
local_prefect_command(struct cmd_ctx *ctx)
{
	const char *configured = config_get(&ctx->config, CFG_PREFECT_COMMAND);
	return xstrdup(configured ? configured : "prefect");
}

char *
local_python(struct cmd_ctx *ctx)
{
	const char *configured = config_get(&ctx->config, CFG_PYTHON);
	if (configured)
		return xstrdup(configured);
	char *prefect = local_prefect_command(ctx);
	char *slash = strrchr(prefect, '/');
	char *beside = slash ? xasprintf("%.*s/python", (int)(slash - prefect), prefect) : NULL;
	free(prefect);
	if (beside && access(beside, X_OK) == 0)
		return beside;
	free(beside);
	return xstrdup("python3");
}

char *
local_worker_name(const char *pool)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789._-";
	char *name = xasprintf("worker-%s", pool);
	for (char *p = name; *p; p++)
		if (!strchr(safe, *p))
			*p = '_';
	return name;
}

void
local_prefect_env(struct cmd_ctx *ctx, const char *api_url, struct strlist *env)
{
	const char *key = config_get(&ctx->config, CFG_API_KEY);
	const char *auth = config_get(&ctx->config, CFG_AUTH_STRING);
	const char *ca_file = config_get(&ctx->config, CFG_SSL_CERT_FILE);
	strlist_addf(env, "PREFECT_API_URL=%s", api_url);
	if (ctx->config.values[CFG_LOG_LEVEL].source != SOURCE_DEFAULT)
		strlist_addf(env, "PREFECT_LOGGING_LEVEL=%s",
			     config_get(&ctx->config, CFG_LOG_LEVEL));
	if (key)
		strlist_addf(env, "PREFECT_API_KEY=%s", key);
	if (auth)
		strlist_addf(env, "PREFECT_API_AUTH_STRING=%s", auth);
	if (ca_file)
		strlist_addf(env, "PREFECT_API_SSL_CERT_FILE=%s", ca_file);
	if (config_get_bool(&ctx->config, CFG_TLS_INSECURE))
		strlist_add(env, "PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true");
	strlist_add_owned(env, NULL);
}

long
local_configured_port(struct cmd_ctx *ctx)
{
	const char *url = config_get(&ctx->config, CFG_API_URL);
	const char *host = url ? strstr(url, "://") : NULL;
	if (!host)
		return LOCAL_DEFAULT_PORT;
	host += 3;
	if (strncmp(host, "127.0.0.1:", 10) && strncmp(host, "localhost:", 10))
		return LOCAL_DEFAULT_PORT;
	long port = strtol(strchr(host, ':') + 1, NULL, 10);
	return port > 0 && port < 65536 ? port : LOCAL_DEFAULT_PORT;
}

static int
died(const char *name, struct error *err)
{
	char *dir = local_state_dir();
	struct daemon_status st;
	daemon_status(dir, name, &st);
	int gone = !st.running;
	if (gone) {
		char *tail = daemon_log_tail(st.log_path, 5);
		error_set(err, ERROR_IO, "%s exited before answering; the end of %s: %s", name,
			  st.log_path, tail);
		free(tail);
	}
	daemon_status_release(&st);
	free(dir);
	return gone;
}

int
local_wait_healthy(struct cmd_ctx *ctx, const char *api_url, const char *name, double timeout,
		   char **version, struct error *err)
{
	struct api *api = cmd_api_at(ctx, api_url);
	double start = isotime_now();
	int rc = -1;
	interrupt_install();
	for (unsigned tick = 0;; tick++) {
		double elapsed = isotime_now() - start;
		if (prefect_server_check(api, version, err) == 0) {
			rc = 0;
			break;
		}
		if (died(name, err))
			break;
		if (elapsed > timeout) {
			error_set(err, ERROR_NETWORK,
				  "the Prefect server at %s did not answer within "
				  "%.0f s",
				  api_url, timeout);
			break;
		}
		char *text = xasprintf("waiting for the Prefect server at %s", api_url);
		cmd_progress(ctx, text, elapsed, tick);
		free(text);
		if (interrupt_sleep(0.25)) {
			error_set(err, ERROR_INTERRUPTED,
				  "interrupted while waiting for the server");
			break;
		}
	}
	cmd_progress_clear(ctx);
	api_close(api);
	return rc;
}
