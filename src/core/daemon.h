/*
 * Background processes that outlive the command that started them (a local
 * Prefect server, a worker): started detached in their own session with
 * their output in a log file, tracked by files under a state directory:
 *   DIR/NAME.pid   the process ID and its start time (a reused PID is not it)
 *   DIR/NAME.log   standard output and error
 *   DIR/NAME.info  one line of text the starter wants to remember (a URL)
 */
#ifndef CORE_DAEMON_H
#define CORE_DAEMON_H

#include <sys/types.h>

#include "core/error.h"

struct daemon_status {
	int running;
	pid_t pid;
	double started; /* epoch seconds the pid file was written */
	char *info;     /* contents of NAME.info, or NULL; caller frees */
	char *log_path; /* caller frees */
};

/* $XDG_STATE_HOME/mahavishnu (default ~/.local/state/mahavishnu); caller frees. */
char *daemon_state_dir(const char *(*getenv_fn)(const char *name));

/*
 * Start argv (argv[0] a path or a name on PATH) with env_add ("NAME=value"
 * strings, NULL-terminated, may be NULL) added to the environment, in dir
 * (created if needed) as NAME. Fails if NAME is already running.
 */
int daemon_start(const char *dir, const char *name, char *const argv[], char *const env_add[],
		 const char *info, pid_t *pid_out, struct error *err);
/* What is known about NAME; never fails (not running when in doubt). */
void daemon_status(const char *dir, const char *name, struct daemon_status *out);
void daemon_status_release(struct daemon_status *st);
/*
 * Stop NAME: SIGTERM to its process group, then SIGKILL after grace
 * seconds. *was_running tells whether there was anything to stop.
 */
int daemon_stop(const char *dir, const char *name, double grace, int *was_running,
		struct error *err);

/* The last lines of a log file (at most max_lines, ~4 KiB); caller frees. */
char *daemon_log_tail(const char *path, int max_lines);

#endif
