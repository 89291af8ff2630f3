/*
 * A work pool that must exist before something uses it: created without
 * asking when the user said so (--create-pool), after asking on a terminal,
 * or else an error with the command that creates it.
 */
#ifndef CMD_PREFECT_POOL_PROMPT_H
#define CMD_PREFECT_POOL_PROMPT_H

#include "api/client.h"
#include "cli/command.h"

int pool_prompt_ensure(struct cmd_ctx *ctx, struct api *api, const char *pool, int create,
		       struct error *err);

#endif
