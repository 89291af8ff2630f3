/*
 * What a sweep is before any run exists: the repositories carrying the tag,
 * the parameters each run gets (checked against the deployment's schema),
 * and the sweep's identity. A sweep is one run of the deployment per
 * repository, each created with an idempotency key made of the sweep's ID
 * and the repository's name and tagged
 *
 *   sweep   repo:<name>   sweep:<id>   sweep-plan:<plan>
 *
 * where <plan> is a hash of what was asked (deployment, tag, repositories,
 * parameters) and <id> is "<plan>-<UTC time it began>". A sweep of the same
 * plan whose runs are not all there (it was interrupted) is resumed: the
 * same keys create only the missing runs. Once all exist, the next sweep of
 * that plan is a new one.
 */
#ifndef CMD_SWEEP_SWEEP_PLAN_H
#define CMD_SWEEP_SWEEP_PLAN_H

#include <jansson.h>

#include "api/client.h"
#include "cli/param_args.h"
#include "core/repos.h"

#define SWEEP_TAG "sweep"

struct sweep_repo {
	const char *name;
	const char *path;
	json_t *params; /* what its run is given (owned) */
	char *key;      /* idempotency key (owned) */
	json_t *run;    /* the run as last read; NULL until it exists (owned) */
	int reported;   /* off a terminal, its end was reported */
};

struct sweep {
	const char *tag;
	json_t *deployment; /* (owned) */
	struct sweep_repo *repos;
	size_t len;
	char plan[17];
	char *id;
	size_t existed; /* runs there before this command created any */
};

/* The parameter names a sweep fills (sweep.name_param, ...). */
struct sweep_param_names {
	const char *name, *path, *tag;
};

/* The repositories of r carrying tag, in the registry's order; none is an error. */
int sweep_plan_repos(struct sweep *s, const struct repo_registry *r, const char *tag,
		     struct error *err);
/*
 * Every run's parameters: the user's (a) over the deployment's defaults, with
 * the repository's name and path and the tag under names; each checked
 * against the deployment's schema. ERROR_INVALID naming what is wrong.
 */
int sweep_plan_params(struct sweep *s, const struct param_args *a,
		      const struct sweep_param_names *names, struct error *err);
/*
 * The sweep's ID and keys: an unfinished sweep of the same plan on the
 * server is resumed, else a new ID is made from now.
 */
int sweep_plan_identity(struct api *api, struct sweep *s, struct error *err);
/* What follows "<prefix>:" in one of a run's tags ("sweep" gives the ID), or NULL. */
const char *sweep_plan_tag_value(const json_t *run, const char *prefix);
/* The tags of repository i's run. */
void sweep_plan_tags(const struct sweep *s, size_t i, struct strlist *out);
void sweep_release(struct sweep *s);

#endif
