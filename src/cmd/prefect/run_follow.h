/*
 * Following a flow run until it ends: polls the run (and its logs), reports
 * state changes on stderr (a live line on a terminal, one line per change
 * otherwise), prints or collects logs, and stops at a final state, at the
 * timeout, on Ctrl-C, or when the caller's stop hook says so. A server that
 * goes away (down, restarting, stalled, 5xx) does not end it: polls go on
 * until it is back or the timeout passes (server_watch.h). Shared by
 * `flow-runs logs --follow`, `flow execute --wait` and the `l` key of
 * `flow-runs watch`.
 */
#ifndef CMD_PREFECT_RUN_FOLLOW_H
#define CMD_PREFECT_RUN_FOLLOW_H

#include <jansson.h>

#include "api/client.h"
#include "cli/command.h"
#include "core/buf.h"

struct run_follow {
	/* what to do */
	int show_states;    /* report state changes on stderr */
	int show_logs;      /* fetch logs as they arrive */
	int logs_to_stderr; /* print them on stderr (else stdout) */
	int collect_logs;   /* keep them in `logs` instead of printing */
	int min_level;      /* 10 DEBUG .. 50 CRITICAL */
	double timeout;     /* seconds; 0: wait as long as it takes */
	/* asked at every poll (may be NULL): nonzero ends the follow as an interruption */
	int (*stop)(void *userdata);
	void *stop_userdata;
	/* what happened */
	json_t *run;  /* the run as last seen (owned) */
	json_t *logs; /* collected logs (owned), when collect_logs */
	int timed_out;
	int interrupted;
	int server_away;      /* at the end, the server had not answered the last polls */
	struct buf away_text; /* then " with the Prefect API at URL not answering for 7s (why)" */
};

/* clang-format off */
#define RUN_FOLLOW_INIT { 0, 0, 0, 0, 20, 0, NULL, NULL, NULL, NULL, 0, 0, 0, BUF_INIT }
/* clang-format on */

/* Follow run_id; returns 0 (see timed_out / interrupted) or -1 with err. */
int run_follow(struct cmd_ctx *ctx, struct api *api, const char *run_id, struct run_follow *f,
	       struct error *err);
void run_follow_release(struct run_follow *f);

/* Whether a state type is final: COMPLETED, FAILED, CANCELLED, CRASHED. */
int run_state_is_final(const char *state_type);
/*
 * The exit code for how a followed run ended: 0 Completed, 1 Failed,
 * 3 Crashed, 4 Cancelled, 5 timed out, 130 interrupted.
 */
int run_follow_exit_code(const struct run_follow *f);

#endif
