/*
 * Starting programs without a shell: in the background (a browser, a
 * server), to their end (a quiet check), or in this process's place (man).
 */
#ifndef CORE_SPAWN_H
#define CORE_SPAWN_H

#include <sys/types.h>

#include "core/error.h"

/*
 * Start argv[0] (a path, or a name looked up on PATH) with argv in a new
 * session, standard input on /dev/null and standard output and error on
 * out_fd, with env_add ("NAME=value", NULL-terminated, may be NULL) added to
 * the environment. Does not wait for it: returns 0 once exec succeeded,
 * with its PID in *pid, or -1 when it could not be started.
 */
int spawn_process(char *const argv[], char *const env_add[], int out_fd, pid_t *pid,
		  struct error *err);

/* Whether name (a path, or a name looked up on PATH as execvp would) can be run. */
int spawn_program_exists(const char *name);

/* spawn_process with output discarded, for programs nobody waits for. */
int spawn_detached(char *const argv[], struct error *err);

/* Run argv to its end with its output discarded: its exit status, or -1 when it did not run. */
int spawn_run_quiet(char *const argv[]);

/* Become argv (a name looked up on PATH), standard streams kept; returns -1 only when exec failed. */
int spawn_replace(char *const argv[], struct error *err);

#endif
