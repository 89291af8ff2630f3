/*
 * How deployment commands (deploy, deployments list/get, undeploy) show a
 * deployment, so that they agree. Deployments carry "flow_name" from
 * prefect_deployment_add_flow_names().
 */
#ifndef CMD_PREFECT_DEPLOYMENT_VIEW_H
#define CMD_PREFECT_DEPLOYMENT_VIEW_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/table.h"

void deployment_view_columns(struct table *t);
void deployment_view_row(struct table *t, const json_t *deployment, double now);
/* Print one deployment as a panel titled title, or as JSON; returns EXIT_OK. */
int deployment_view_show(struct cmd_ctx *ctx, const json_t *deployment, const char *title);

#endif
