/*
 * One action on many flow runs (flow-runs cancel|retry|delete by filter or
 * with IDs on standard input): the selection (--flow, --deployment, --state,
 * --tag, --since, --until, --older-than, or "-" as RUN), checked before any
 * request; --dry-run's list of exactly what would change; the confirmation;
 * the action, a batch of runs per request on a few connections at once with
 * a progress line on a terminal; and the summary of what was done and what
 * failed (exit 1 when anything failed). A run that needs nothing (already
 * cancelled, already gone, already retried) counts as done, so running the
 * same command again after an interruption does the rest and nothing twice.
 */
#ifndef CMD_PREFECT_RUN_BULK_H
#define CMD_PREFECT_RUN_BULK_H

#include <jansson.h>
#include <stdio.h>

#include "cli/command.h"
#include "core/buf.h"
#include "core/strlist.h"

struct run_bulk_args {
	const char *flow;
	const char *deployment;
	const char *since;
	const char *until;
	const char *older_than;
	struct strlist states;
	struct strlist tags;
	int dry_run;
	int yes;
};

/* clang-format off */
#define RUN_BULK_ARGS_INIT { NULL, NULL, NULL, NULL, NULL, STRLIST_INIT, STRLIST_INIT, 0, 0 }

/* The selection's options, --dry-run and --yes, for a command's option table. */
#define RUN_BULK_OPTIONS(a)                                                                    \
	OPT_STR('f', "flow", &(a)->flow, "FLOW", "Runs of this flow (name or ID)"),            \
	OPT_STR(0, "deployment", &(a)->deployment, "DEPLOYMENT",                               \
		"Runs of this deployment (NAME, FLOW/NAME or ID)"),                            \
	OPT_MULTI('s', "state", &(a)->states, "STATE",                                         \
		  "Runs in these states, e.g. failed,crashed (repeatable)"),                   \
	OPT_MULTI('t', "tag", &(a)->tags, "TAG", "Runs with this tag (repeatable: all of them)"), \
	OPT_STR(0, "since", &(a)->since, "WHEN",                                               \
		"Runs started (or due) since WHEN: a date, a date-time, or an age (6h, 2d)"),  \
	OPT_STR(0, "until", &(a)->until, "WHEN", "Runs started (or due) until WHEN"),          \
	OPT_STR(0, "older-than", &(a)->older_than, "AGE",                                      \
		"Runs started (or due) more than AGE ago: 90s, 30m, 6h, 7d, 2w"),              \
	OPT_FLAG('n', "dry-run", &(a)->dry_run, "List the runs it would change; change nothing"), \
	OPT_FLAG('y', "yes", &(a)->yes, "Go on without asking (needed off a terminal)")
/* clang-format on */

/* What one run came to. */
struct run_bulk_result {
	const char *outcome; /* "cancelled", "already cancelled", "failed", ... (static text) */
	int failed;
	char *reason; /* a failure's one line (owned) */
	json_t *made; /* retry: the run that retries it (owned), or NULL */
};

struct run_bulk_action {
	const char *verb;  /* "cancel": in the question, the titles and messages */
	const char *doing; /* "cancelling": the progress line */
	const char *done;  /* "cancelled": "no runs were cancelled" */
	size_t batch;      /* runs per job: 1, or up to PREFECT_FLOW_RUN_BULK_MAX */
	int absent_done;   /* an ID given that no run has counts as done (delete) */
	/*
	 * May be NULL (every run is acted on). Before any change, in the main
	 * thread, in the selection's order: 1 when run is to be acted on;
	 * 0 when it is left as it is (r->outcome says why, r->failed when that
	 * is a failure, with r->reason).
	 */
	int (*check)(const json_t *run, struct run_bulk_result *r, void *data);
	/*
	 * Act on runs[0..n-1] in a worker (api is its own), filling
	 * results[0..n-1]; -1 with err only when the server cannot be reached
	 * or asked: the rest is then not attempted.
	 */
	int (*act)(struct api *api, json_t *const *runs, size_t n, struct run_bulk_result *results,
		   void *data, struct error *err);
	void *data;
};

/* Whether the command line asks for the bulk form: a filter, "-" as RUN, or --dry-run. */
int run_bulk_wanted(const struct run_bulk_args *a, const char *ref);
/* Select, list (--dry-run), confirm, act and summarise; returns the exit code. */
int run_bulk(struct cmd_ctx *ctx, const struct run_bulk_args *a, const char *ref,
	     const struct run_bulk_action *action);
void run_bulk_args_release(struct run_bulk_args *a);
/*
 * The whole of a command that takes the bulk options and an optional RUN
 * (cancel, delete): one(ctx, ref, yes) for a single run, run_bulk else.
 */
int run_bulk_command(struct cmd_ctx *ctx, int argc, char **argv,
		     const struct run_bulk_action *action,
		     int (*one)(struct cmd_ctx *ctx, const char *ref, int yes));

/* Set r to a failure with this reason; returns 0 (the run is left as it is). */
int run_bulk_fail(struct run_bulk_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An age such as "90s", "30m", "6h", "7d", "2w" in seconds; 0, or -1 when it is not one. */
int run_bulk_parse_age(const char *s, double *seconds);
/*
 * The run references of in, one a line (blanks around them, empty lines and
 * lines starting with '#' skipped; a repeat kept once), appended to ids.
 */
void run_bulk_read_refs(FILE *in, struct strlist *ids);

#endif
