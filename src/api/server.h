/* The server itself: is it answering, and which Prefect version is it. */
#ifndef API_SERVER_H
#define API_SERVER_H

#include "api/client.h"

/*
 * GET /health, then GET /admin/version. *version (caller frees) is the
 * Prefect version such as "3.9.1", or NULL when the server does not say
 * (Prefect Cloud has no admin endpoint).
 */
int prefect_server_check(struct api *api, char **version, struct error *err);

#endif
