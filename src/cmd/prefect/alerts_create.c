/*
 * mahavishnu prefect alerts create: a Prefect automation that calls a
 * webhook when runs fail, crash or are late (api/alerts.h).
 */
#include <string.h>

#include "api/alerts.h"
#include "api/deployments.h"
#include "api/refs.h"
#include "cli/command.h"
#include "cmd/prefect/alert_view.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/url.h"

struct create_args {
	struct strlist on;
	const char *flow, *deployment, *webhook, *email, *name;
};

static const struct {
	const char *word;
	unsigned bit;
	const char *runs; /* for the default name */
} on_words[] = {
	{ "failed", PREFECT_ALERT_FAILED, "failed" },
	{ "crashed", PREFECT_ALERT_CRASHED, "crashed" },
	{ "late", PREFECT_ALERT_LATE, "late" },
};
#define ON_WORDS (sizeof(on_words) / sizeof(on_words[0]))

static int
parse_on(const struct strlist *values, unsigned *on, struct error *err)
{
	struct strlist words = STRLIST_INIT;
	*on = 0;
	for (size_t i = 0; i < values->len; i++)
		strlist_split(&words, values->items[i], ',');
	for (size_t i = 0; i < words.len; i++) {
		size_t k = 0;
		while (k < ON_WORDS && strcmp(words.items[i], on_words[k].word))
			k++;
		if (k == ON_WORDS) {
			error_set(err, ERROR_USAGE,
				  "option '--on': '%s' is not failed, crashed or late",
				  words.items[i]);
			break;
		}
		*on |= on_words[k].bit;
	}
	strlist_release(&words);
	if (err->kind != ERROR_NONE)
		return -1;
	if (!*on)
		return error_set(err, ERROR_USAGE,
				 "give --on failed, crashed or late: what the "
				 "alert is for");
	return 0;
}

/* What every value says before anything is sent. */
static int
check_args(const struct create_args *a, struct error *err)
{
	struct buf why = BUF_INIT;
	if (a->email) {
		error_set(err, ERROR_USAGE,
			  "option '--email': Prefect's open-source server has no e-mail action "
			  "(no SMTP; only SendGrid through a notification block)");
		return error_hint(err, "use --webhook URL with a mail gateway or a chat "
				       "webhook (see docs/alerts.md)");
	}
	if (!a->webhook)
		return error_set(err, ERROR_USAGE, "give --webhook URL: where the alert is sent");
	if (!url_check_http(a->webhook, &why)) {
		error_set(err, ERROR_USAGE, "option '--webhook': %s", buf_str(&why));
		buf_release(&why);
		return -1;
	}
	if (a->flow && !prefect_name_is_valid(a->flow))
		return error_set(err, ERROR_USAGE,
				 "option '--flow': '%s' is not a flow name (it must not be empty "
				 "or contain / %% & > <)",
				 a->flow);
	if (a->name && !*a->name)
		return error_set(err, ERROR_USAGE, "option '--name': the name is empty");
	return 0;
}

/* "mahavishnu: failed or crashed runs of deployment etl/prod" */
static void
default_name(unsigned on, const char *flow, const char *deployment, struct buf *out)
{
	int n = 0;
	buf_adds(out, "mahavishnu: ");
	for (size_t k = 0; k < ON_WORDS; k++)
		if (on & on_words[k].bit)
			buf_addf(out, "%s%s", n++ ? " or " : "", on_words[k].runs);
	buf_adds(out, " runs of ");
	if (flow)
		buf_addf(out, "flow %s%s", flow, deployment ? ", " : "");
	if (deployment)
		buf_addf(out, "deployment %s", deployment);
	if (!flow && !deployment)
		buf_adds(out, "any flow");
}

static int
create(struct cmd_ctx *ctx, const struct create_args *a, unsigned on, struct error *err)
{
	json_t *deployment = NULL, *alert = NULL, *view = NULL;
	struct buf name = BUF_INIT, label = BUF_INIT, hint = BUF_INIT;
	int existed = 0, rc = 0;
	if (a->deployment && prefect_deployment_find(ctx->api, a->deployment, &deployment, err) < 0)
		return cmd_fail(ctx, err);
	if (deployment)
		buf_addf(&label, "%s/%s", json_str(deployment, "flow_name"),
			 json_str(deployment, "name"));
	default_name(on, a->flow, deployment ? buf_str(&label) : NULL, &name);
	struct prefect_alert_spec spec = {
		.name = a->name ? a->name : buf_str(&name),
		.description = "Made by mahavishnu prefect alerts create: calls a webhook when "
			       "flow runs reach these states.",
		.on = on,
		.flow_name = a->flow,
		.deployment_id = deployment ? json_str(deployment, "id") : NULL,
		.webhook_url = a->webhook,
	};
	if (prefect_alert_create(ctx->api, &spec, &alert, &existed, err) < 0 ||
	    alert_view_describe(ctx->api, alert, &view, err) < 0) {
		rc = cmd_fail(ctx, err);
	} else {
		buf_addf(&hint, "Try it: mahavishnu prefect alerts test %s", json_str(view, "id"));
		rc = alert_view_show(ctx, view,
				     existed ? "Alert Already Exists (nothing changed)" :
					       "✓ Alert Created",
				     existed ? STYLE_INFO : STYLE_SUCCESS, buf_str(&hint));
	}
	buf_release(&hint);
	buf_release(&label);
	buf_release(&name);
	json_decref(view);
	json_decref(alert);
	json_decref(deployment);
	return rc;
}

static int
alerts_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct create_args a = { .on = STRLIST_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_MULTI(0, "on", &a.on, "STATES",
			  "failed, crashed, late (comma-separated or repeated; required)"),
		{ OPT_STRING, 'f', "flow", &a.flow, "FLOW",
		  "Only runs of this flow (a name, or a pattern such as 'etl-*')", OPT_PLAIN, 0, 0,
		  NULL },
		OPT_STR(0, "deployment", &a.deployment, "DEPLOYMENT",
			"Only runs of this deployment (FLOW/NAME, NAME or ID)"),
		OPT_STR(0, "webhook", &a.webhook, "URL", "Where the server POSTs the alert (JSON)"),
		OPT_STR(0, "email", &a.email, "ADDRESS",
			"Not available: the open-source server cannot send e-mail"),
		{ OPT_STRING, 'n', "name", &a.name, "NAME",
		  "Name of the automation (default: what it watches)", OPT_PLAIN, 0, 0, NULL },
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	unsigned on = 0;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		if (parse_on(&a.on, &on, &err) < 0 || check_args(&a, &err) < 0)
			rc = cmd_fail(ctx, &err);
		else
			rc = create(ctx, &a, on, &err);
	}
	strlist_release(&a.on);
	return rc;
}

const struct cmd_entry cmd_prefect_alerts_create = {
	.path = "prefect alerts create",
	.summary = "Alert a webhook when flow runs fail, crash or are late",
	.help = "Create a Prefect automation that POSTs a JSON message to --webhook when a\n"
		"flow run ends Failed (or TimedOut), Crashed, or turns Late (a scheduled run\n"
		"15 s past its start), for runs of --flow, --deployment, or any flow. The\n"
		"server itself sends it: the URL must be reachable from the server. The URL\n"
		"is kept in a Webhook block, secret; only its origin is shown. Running the\n"
		"same command again changes nothing. The server must run its services (not\n"
		"`prefect server start --no-services`).",
	.flags = CMD_API,
	.exec = alerts_create_exec,
};
