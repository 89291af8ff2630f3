/*
 * How flow-run commands show a run: the list's columns and rows, the details
 * panel, and the JSON shape, so that every run command agrees. Runs carry
 * "flow_name" and "deployment_name" from prefect_flow_run_add_names().
 */
#ifndef CMD_PREFECT_RUN_VIEW_H
#define CMD_PREFECT_RUN_VIEW_H

#include <jansson.h>

#include "cli/command.h"
#include "ui/table.h"

void run_view_columns(struct table *t);
void run_view_row(struct table *t, const json_t *run);
/* Print one run as the details panel, or as JSON; returns EXIT_OK. */
int run_view_show(struct cmd_ctx *ctx, const json_t *run, const char *ui_url);

/* Append one log line: "12:00:01.123 INFO     logger - message" (sanitised). */
void run_view_log_line(struct buf *out, const json_t *log, int color);
/* A --level word or number as a Prefect log level (10..50), or -1. */
int run_view_log_level(const char *word);

#endif
