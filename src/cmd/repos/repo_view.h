/*
 * The repository registry as the repos and sweep commands read it (from the
 * configured repos_path or settings/), and how they show a repository.
 */
#ifndef CMD_REPOS_REPO_VIEW_H
#define CMD_REPOS_REPO_VIEW_H

#include "cli/command.h"
#include "core/repos.h"
#include "ui/table.h"

/* Read the registry this run's configuration names; 0, or -1 with err. */
int repo_view_load(struct cmd_ctx *ctx, struct repo_registry *r, struct error *err);
/* The repository called name; ERROR_NOT_FOUND naming the file (and a near name). */
int repo_view_find(const struct repo_registry *r, const char *name, const struct repo **out,
		   struct error *err);
/* The columns of `repos list`, and one row of it (item: repo_json's object). */
void repo_view_columns(struct table *t);
void repo_view_row(struct table *t, const json_t *item, void *unused);

#endif
