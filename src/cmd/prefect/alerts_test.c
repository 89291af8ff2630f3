/*
 * mahavishnu prefect alerts test: make the server call an alert's webhook
 * once, through the alert's own automation (its private test event), and
 * say what the webhook answered as the server recorded it.
 */
#include <stdlib.h>

#include "api/alerts.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cmd/prefect/alert_view.h"
#include "core/isotime.h"
#include "core/json.h"
#include "ui/panel.h"

#define POLL_SECONDS 1.0

struct outcome {
	long status;  /* the webhook's HTTP status; 0 when the call failed */
	char *reason; /* why it failed */
	double seconds;
};

static int
show(struct cmd_ctx *ctx, const json_t *view, const struct outcome *o)
{
	int ok = o->status >= 200 && o->status < 300;
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:O,s:b,s:o,s:s?,s:f}", "alert", view, "called",
					o->status != 0, "status",
					o->status ? json_integer(o->status) : json_null(), "reason",
					o->reason, "seconds", o->seconds);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return ok ? EXIT_OK : EXIT_ERROR;
	}
	struct buf v = BUF_INIT;
	struct panel *p = panel_new(ok        ? "✓ Webhook Called" :
				    o->status ? "✗ Webhook Answered With An Error" :
						"✗ Webhook Call Failed",
				    ok ? STYLE_SUCCESS : STYLE_FAILURE);
	panel_field(p, "Alert", json_str(view, "name"), STYLE_NAME);
	panel_field(p, "Webhook", json_str(view, "webhook"), STYLE_META);
	if (o->status)
		buf_addf(&v, "HTTP %ld", o->status);
	panel_field(p, o->status ? "Answer" : "Reason", o->status ? buf_str(&v) : o->reason,
		    ok ? STYLE_SUCCESS : STYLE_FAILURE);
	buf_reset(&v);
	buf_addf(&v, "%.1f s after the test event", o->seconds);
	panel_field(p, "Recorded", buf_str(&v), STYLE_DIM);
	buf_release(&v);
	cmd_print_panel(ctx, p);
	return ok ? EXIT_OK : EXIT_ERROR;
}

/* Poll what the server recorded until it has the result or timeout seconds pass. */
static int
await_result(struct cmd_ctx *ctx, const json_t *alert, const char *event_id, const char *since,
	     long timeout, struct outcome *o, struct error *err)
{
	double start = isotime_now();
	for (;;) {
		int rc = prefect_alert_test_result(ctx->api, alert, event_id, since, &o->status,
						   &o->reason, err);
		o->seconds = isotime_now() - start;
		if (rc != 0)
			return rc;
		if (o->seconds >= (double)timeout) {
			error_set(err, ERROR_TIMEOUT,
				  "the server recorded no call of the webhook within %ld s",
				  timeout);
			return error_hint(err, "automations run only on a server with its services "
					       "(not --no-services); see alerts in docs/alerts.md");
		}
		if (interrupt_sleep(POLL_SECONDS))
			return error_set(err, ERROR_INTERRUPTED,
					 "interrupted: the test event was "
					 "sent");
	}
}

static int
run_test(struct cmd_ctx *ctx, const json_t *alert, long timeout, struct error *err)
{
	char since[32], event_id[37];
	json_t *view = NULL;
	struct outcome o = { 0 };
	isotime_format_utc(isotime_now() - 1, since);
	int rc = alert_view_describe(ctx->api, alert, &view, err);
	if (rc == 0)
		rc = prefect_alert_fire_test(ctx->api, alert, event_id, err);
	if (rc == 0 && timeout == 0) {
		rc = alert_view_show(ctx, view, "✓ Test Event Sent", STYLE_SUCCESS,
				     "The server calls the webhook in a moment.");
	} else if (rc == 0 && await_result(ctx, alert, event_id, since, timeout, &o, err) == 1) {
		rc = show(ctx, view, &o);
	} else {
		rc = err->kind == ERROR_TIMEOUT ? (cmd_fail(ctx, err), EXIT_GAVE_UP) :
						  cmd_fail(ctx, err);
	}
	free(o.reason);
	json_decref(view);
	return rc;
}

static int
alerts_test_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	long timeout = 30;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_NUM(0, "timeout", &timeout, "SECONDS",
			"How long to wait for the server's record of the call (default 30; "
			"0: do not wait)", 0, 3600),
		OPT_POS("ALERT", &ref, "Alert name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *alert = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_alert_find(ctx->api, ref, &alert, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = run_test(ctx, alert, timeout, &err);
	json_decref(alert);
	return rc;
}

const struct cmd_entry cmd_prefect_alerts_test = {
	.path = "prefect alerts test",
	.summary = "Make the server call an alert's webhook once",
	.help = "Send the alert's private test event, so that the server runs the alert's own\n"
		"action once (no other automation reacts to it), then wait until the server\n"
		"records the call and show what the webhook answered. The message has\n"
		"\"test\": true. Exit 0 when the webhook answered 2xx, 1 when it answered an\n"
		"error or could not be called, 5 when nothing was recorded in --timeout.",
	.flags = CMD_API,
	.exec = alerts_test_exec,
};
