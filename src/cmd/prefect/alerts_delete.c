/* mahavishnu prefect alerts delete: an alert, and its webhook block when no other uses it. */
#include "api/alerts.h"
#include "cli/command.h"
#include "core/json.h"
#include "ui/panel.h"

static int
show(struct cmd_ctx *ctx, const json_t *alert)
{
	if (ctx->term.format == OUTPUT_JSON) {
		json_t *doc = json_pack("{s:s?,s:s?,s:b}", "id", json_str(alert, "id"), "name",
					json_str(alert, "name"), "deleted", 1);
		cmd_print_json(ctx, doc);
		json_decref(doc);
		return EXIT_OK;
	}
	struct panel *p = panel_new("✓ Alert Deleted", STYLE_SUCCESS);
	panel_field(p, "Name", json_str(alert, "name"), STYLE_NAME);
	panel_field(p, "ID", json_str(alert, "id"), STYLE_NAME);
	return cmd_print_panel(ctx, p);
}

static int
alerts_delete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *ref = NULL;
	int yes = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG('y', "yes", &yes, "Do not ask for confirmation"),
		OPT_POS("ALERT", &ref, "Alert name, ID, or unique ID prefix"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct error err = ERROR_INIT;
	json_t *alert = NULL;
	char what[300], question[400];
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (prefect_alert_find(ctx->api, ref, &alert, &err) == 0) {
		snprintf(what, sizeof(what), "alert '%s'", json_str(alert, "name"));
		snprintf(question, sizeof(question), "Delete alert '%s' (%s)?",
			 json_str(alert, "name"), json_str(alert, "id"));
	}
	if (alert && cmd_confirm_delete(ctx, what, question, yes, &err) == 0 &&
	    prefect_alert_delete(ctx->api, alert, &err) == 0)
		rc = show(ctx, alert);
	else
		rc = cmd_fail(ctx, &err);
	json_decref(alert);
	return rc;
}

const struct cmd_entry cmd_prefect_alerts_delete = {
	.path = "prefect alerts delete",
	.summary = "Delete an alert",
	.help = "Delete an alert made by `alerts create`, and its webhook block unless\n"
		"another alert calls the same URL. Automations made otherwise are refused.\n"
		"Asks first on a terminal; --yes does not ask.",
	.flags = CMD_API,
	.exec = alerts_delete_exec,
};
