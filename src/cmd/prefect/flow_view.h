/*
 * How flow commands (create, get, list, delete) show a flow: one JSON shape
 * and one panel, so every command agrees. The flow objects may carry the
 * fields added by prefect_flow_overview(); missing ones count as none.
 */
#ifndef CMD_PREFECT_FLOW_VIEW_H
#define CMD_PREFECT_FLOW_VIEW_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/table.h"

/*
 * The -o json shape: the server's fields plus "description" (from the
 * label), "version" (latest deployment's, or null), "deployed",
 * "deployment_count", "latest_deployment" and "last_run". New reference.
 */
json_t *flow_view_json(const json_t *flow);
/* Print one flow as a panel titled title, or as JSON; returns EXIT_OK. */
int flow_view_show(struct cmd_ctx *ctx, const json_t *flow, const char *title);
/* The columns of `flow list`, and one row of it. */
void flow_view_columns(struct table *t);
void flow_view_row(struct table *t, const json_t *flow, double now);

#endif
