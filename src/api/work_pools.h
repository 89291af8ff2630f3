/* Prefect work pools and their workers. Objects are the server's JSON. */
#ifndef API_WORK_POOLS_H
#define API_WORK_POOLS_H

#include <jansson.h>

#include "api/client.h"

/* Every work pool, by name. */
int prefect_work_pool_list(struct api *api, json_t **out, struct error *err);
/* One pool by exact name; ERROR_NOT_FOUND when there is none. */
int prefect_work_pool_get(struct api *api, const char *name, json_t **out, struct error *err);
/*
 * Create a pool of type (e.g. "process") with the base job template the
 * server's worker metadata gives that type; concurrency_limit 0 means none.
 * A pool of that name is ERROR_CONFLICT. The name is looked up first, so a
 * conflict on a retry after a lost answer is known to be this call's own
 * pool, and is success.
 */
int prefect_work_pool_create(struct api *api, const char *name, const char *type,
			     long concurrency_limit, json_t **out, struct error *err);
/* The pool's concurrency limit: 1 and *out when it has one, 0 when runs are not limited. */
int prefect_work_pool_limit(const json_t *pool, long *out);
/* The pool's workers (name, status ONLINE/OFFLINE, last_heartbeat_time). */
int prefect_work_pool_workers(struct api *api, const char *pool, json_t **out, struct error *err);

#endif
