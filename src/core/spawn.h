/* Starting a program in the background without a shell (e.g. a browser). */
#ifndef CORE_SPAWN_H
#define CORE_SPAWN_H

#include "core/error.h"

/*
 * Start argv[0] (looked up on PATH) with argv, detached in its own session
 * with its standard streams on /dev/null, and do not wait for it. Returns 0
 * once the program is running, or -1 when it could not be started.
 */
int spawn_detached(char *const argv[], struct error *err);

#endif
