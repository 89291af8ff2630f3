/* mahavishnu prefect alerts list: the alerts mahavishnu made on this server. */
#include "api/alerts.h"
#include "cli/command.h"
#include "cli/list.h"
#include "cmd/prefect/alert_view.h"

static const struct list_view view = {
	.title = "Alerts", .noun = "alerts", .columns = alert_view_columns, .row = alert_view_row
};

/* Each automation described: what it watches, and the webhook's origin. */
static int
describe_all(struct api *api, const json_t *alerts, json_t **out, struct error *err)
{
	size_t i;
	const json_t *alert;
	*out = json_array();
	json_array_foreach(alerts, i, alert) {
		json_t *one = NULL;
		if (alert_view_describe(api, alert, &one, err) < 0)
			return -1;
		json_array_append_new(*out, one);
	}
	return 0;
}

static int
alerts_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt_spec options[] = { OPT_TABLE_END };
	struct error err = ERROR_INIT;
	json_t *alerts = NULL, *views = NULL;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_alert_list(ctx->api, &alerts, &err) < 0 ||
	    describe_all(ctx->api, alerts, &views, &err) < 0)
		rc = cmd_fail(ctx, &err);
	else
		rc = cmd_print_list(ctx, &view, views);
	json_decref(views);
	json_decref(alerts);
	return rc;
}

const struct cmd_entry cmd_prefect_alerts_list = {
	.path = "prefect alerts list",
	.summary = "List the alerts made by mahavishnu",
	.help = "List the automations that `alerts create` made (tagged 'mahavishnu'): what\n"
		"each is for, which runs it watches, the origin of its webhook (the rest of\n"
		"the URL stays secret) and whether it is enabled. Automations made in\n"
		"Prefect's UI are not listed.",
	.flags = CMD_API,
	.exec = alerts_list_exec,
};
