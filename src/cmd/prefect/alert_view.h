/*
 * How alerts commands (create, list, test, delete) show an alert: one
 * description made from the automation and what it refers to (the
 * webhook's origin, the deployment's name), one panel and one table row.
 */
#ifndef CMD_PREFECT_ALERT_VIEW_H
#define CMD_PREFECT_ALERT_VIEW_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/style.h"
#include "ui/table.h"

/*
 * The alert as shown, and its -o json shape: "id", "name", "enabled", "on"
 * (["failed", ...]), "flow" (a name glob or null), "deployment"
 * ("FLOW/NAME" or null), "webhook" (the URL's origin only: its path may hold
 * a token). New reference in *out.
 */
int alert_view_describe(struct api *api, const json_t *alert, json_t **out, struct error *err);
/* "failed, crashed" */
void alert_view_on(const json_t *view, struct buf *out);
/* "flow etl-*", "deployment etl/prod", "flow etl, deployment etl/prod" or "any flow" */
void alert_view_scope(const json_t *view, struct buf *out);
/* Print one described alert as a panel titled title (with a hint below), or as JSON. */
int alert_view_show(struct cmd_ctx *ctx, const json_t *view, const char *title, enum style style,
		    const char *hint);
/* The columns of `alerts list`, and one row of it (a described alert). */
void alert_view_columns(struct table *t);
void alert_view_row(struct table *t, const json_t *view, void *unused);

#endif
