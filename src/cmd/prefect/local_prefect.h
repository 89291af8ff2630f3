/*
 * Running Prefect itself on this machine (the embedded default): which
 * `prefect` program and Python to use, where local servers and workers keep
 * their state, and waiting for a server to answer.
 */
#ifndef CMD_PREFECT_LOCAL_PREFECT_H
#define CMD_PREFECT_LOCAL_PREFECT_H

#include "cli/command.h"

#define LOCAL_SERVER_NAME "server"
#define LOCAL_DEFAULT_PORT 4200

/*
 * The prefect program: config `prefect_command` (MAHAVISHNU_PREFECT_COMMAND),
 * else `prefect` on PATH. Caller frees.
 */
char *local_prefect_command(struct cmd_ctx *ctx);
/*
 * The Python that runs flows on this machine: config `python`, else the
 * python beside the prefect program, else `python3` on PATH. Caller frees.
 */
char *local_python(struct cmd_ctx *ctx);
/* mahavishnu's state directory (pid files, logs, server data); caller frees. */
char *local_state_dir(void);
/* The daemon name of a pool's worker: "worker-<pool>", made file-safe; caller frees. */
char *local_worker_name(const char *pool);
/*
 * The environment of a Prefect process this machine starts for the API at
 * api_url (a worker, a local flow run): PREFECT_API_URL, the credentials
 * (never on a command line), the TLS settings and the log level when set;
 * ends with NULL for execve.
 */
struct strlist;
void local_prefect_env(struct cmd_ctx *ctx, const char *api_url, struct strlist *env);
/* The port of the configured API URL when it points at this machine, else 4200. */
long local_configured_port(struct cmd_ctx *ctx);
/*
 * Wait until the server at api_url answers (a spinner on a terminal), at
 * most timeout seconds. *version receives its version (caller frees). When
 * the daemon `name` dies first, the error quotes the end of its log.
 */
int local_wait_healthy(struct cmd_ctx *ctx, const char *api_url, const char *name, double timeout,
		       char **version, struct error *err);

#endif
