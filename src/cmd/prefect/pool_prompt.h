/*
 * A work pool that must exist before something uses it: created without
 * asking when the user said so (--create-pool), after asking on a terminal,
 * or else an error with the command that creates it (a usage error naming
 * --create-pool when there is no terminal to ask); and the check, before
 * any request, that a pool's name is one Prefect takes.
 */
#ifndef CMD_PREFECT_POOL_PROMPT_H
#define CMD_PREFECT_POOL_PROMPT_H

#include "api/client.h"
#include "cli/command.h"

/* A usage error naming option (without "--") unless pool is a name Prefect takes. */
int pool_name_check(const char *pool, const char *option, struct error *err);

int pool_prompt_ensure(struct cmd_ctx *ctx, struct api *api, const char *pool, int create,
		       struct error *err);

#endif
