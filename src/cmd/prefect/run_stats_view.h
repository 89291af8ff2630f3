/*
 * How flow-runs stats shows its numbers: a summary panel, the slowest runs,
 * and a bar per period drawn with block characters (table output), or one
 * JSON document with the same numbers (-o json, jsonl, yaml).
 */
#ifndef CMD_PREFECT_RUN_STATS_VIEW_H
#define CMD_PREFECT_RUN_STATS_VIEW_H

#include <jansson.h>

#include "cmd/prefect/run_stats.h"
#include "core/buf.h"
#include "ui/term.h"

/* What the numbers are of: the window (ISO UTC times) and the flow and deployment asked for. */
struct run_stats_scope {
	const char *since, *until;
	const char *flow, *flow_id;             /* NULL: any flow */
	const char *deployment, *deployment_id; /* NULL: any deployment */
};

/* Append the table output of s (after run_stats_finish). */
void run_stats_view_render(struct buf *out, const struct run_stats *s,
			   const struct run_stats_scope *scope, const struct term *term);
/* The -o json document of s (a new reference). */
json_t *run_stats_view_json(const struct run_stats *s, const struct run_stats_scope *scope);
/* "2026-11-19 07:16 to 2026-11-26 07:16" (local times). */
void run_stats_view_window(struct buf *out, const struct run_stats_scope *scope);

#endif
