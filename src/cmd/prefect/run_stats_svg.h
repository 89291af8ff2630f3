/*
 * flow-runs stats --svg: the runs per period as a standalone SVG document, a
 * stacked bar per period (completed, failed or crashed, cancelled, other),
 * with a title, a legend, and labelled axes. Written by hand; no library.
 */
#ifndef CMD_PREFECT_RUN_STATS_SVG_H
#define CMD_PREFECT_RUN_STATS_SVG_H

#include "cmd/prefect/run_stats.h"
#include "core/buf.h"

/* Append the chart of s's periods (after run_stats_finish) titled title (plain text). */
void run_stats_svg(struct buf *out, const struct run_stats *s, const char *title);

#endif
