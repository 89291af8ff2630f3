/*
 * The options that select flow runs by state and by time, read the same way
 * by flow-runs list, stats and the bulk actions (cancel, retry, delete).
 */
#ifndef CMD_PREFECT_RUN_FILTER_OPTIONS_H
#define CMD_PREFECT_RUN_FILTER_OPTIONS_H

#include "api/flow_runs.h"
#include "core/error.h"
#include "core/strlist.h"

/*
 * Every --state value (comma-separated or repeated) into the filter; a blank
 * item ("", ",", "failed,,late") or an unknown state is a usage error.
 */
int run_filter_add_states(struct flow_run_filter *f, const struct strlist *states,
			  struct error *err);

/*
 * The value of option --NAME (a date, a date-time, or an age before now such
 * as 30m, 6h, 2d) as epoch seconds in *t; one that is not, or is outside the
 * years 0001..9999, is a usage error naming the option.
 */
int run_filter_time(const char *option, const char *value, double now, double *t, struct error *err);

/* run_filter_time, as the ISO UTC text a filter takes. */
int run_filter_time_iso(const char *option, const char *value, char iso[32], struct error *err);

#endif
