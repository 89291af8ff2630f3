/*
 * mahavishnu prefect schedule create: add a cron, interval or RRULE schedule
 * to a flow's deployment. The schedules sub-resource takes one new schedule and
 * leaves the others alone (a deployment PATCH would replace them all). The
 * expression, zone and parameters are checked before the first request.
 */
#include <string.h>
#include <time.h>

#include "api/deployments.h"
#include "api/flows.h"
#include "api/schedules.h"
#include "cli/command.h"
#include "cli/param_args.h"
#include "cmd/prefect/schedule_view.h"
#include "core/json.h"
#include "plan/when.h"
#include "ui/fields.h"

struct create_args {
	const char *flow;
	const char *type;
	const char *cron;
	const char *rrule;
	long interval;
	const char *anchor;
	const char *timezone;
	const char *deployment;
	struct param_args params;
	int inactive;
};

struct creation {
	struct sched engine;
	int have_engine;
	struct prefect_schedule schedule;
	json_t *params;
	json_t *flow;
	json_t *deployment;
	json_t *created;
	char *rrule; /* the rule as sent: Prefect's client adds a DTSTART */
};

static int
usage(struct error *err, const char *fmt, const char *what)
{
	return error_set(err, ERROR_USAGE, fmt, what);
}

/* The option --type TYPE needs, and the ones that go with another type. */
static int
check_options(const struct create_args *a, struct error *err)
{
	static const struct {
		const char *type, *needs;
	} kinds[] = { { "cron", "--cron EXPRESSION" },
		      { "interval", "--interval SECONDS" },
		      { "rrule", "--rrule TEXT" } };
	int given[] = { a->cron != NULL, a->interval != 0, a->rrule != NULL };
	for (int k = 0; k < 3; k++) {
		if (strcmp(a->type, kinds[k].type))
			continue;
		if (!given[k])
			return error_set(err, ERROR_USAGE, "--type %s needs %s", a->type,
					 kinds[k].needs);
		for (int o = 0; o < 3; o++)
			if (o != k && given[o])
				return error_set(err, ERROR_USAGE, "--type %s takes %s, not %.*s",
						 a->type, kinds[k].needs,
						 (int)strcspn(kinds[o].needs, " "), kinds[o].needs);
		if (a->anchor && k != 1)
			return usage(err, "--anchor goes with --type interval, not --type %s",
				     a->type);
	}
	return 0;
}

/* The anchor of an interval schedule: --anchor in the zone, else now to the second. */
static int
anchor_of(const struct create_args *a, const struct tz *tz, int64_t *out, struct error *err)
{
	struct when w;
	*out = (int64_t)time(NULL);
	if (!a->anchor)
		return 0;
	if (when_parse(&w, a->anchor, err) < 0)
		return error_prefix(err, "option '--anchor'");
	*out = when_first(&w, tz);
	return 0;
}

/* The engine for the options, which checks them the way Prefect would. */
static int
engine(const struct create_args *a, struct creation *c, const char *zone, int64_t anchor,
       struct error *err)
{
	if (a->cron && sched_cron(&c->engine, a->cron, 1, zone, err) < 0)
		return cmd_option_error(err, "cron");
	if (a->rrule && sched_rrule(&c->engine, a->rrule, zone, err) < 0)
		return cmd_option_error(err, "rrule");
	if (a->interval && sched_interval(&c->engine, a->interval, anchor, zone, err) < 0)
		return cmd_option_error(err, "interval");
	c->have_engine = 1;
	return 0;
}

static int
build_engine(const struct create_args *a, struct creation *c, struct error *err)
{
	const char *zone = a->timezone ? a->timezone : "UTC";
	struct tz *tz = NULL;
	int64_t anchor = 0;
	int rc;
	/* the zone first, so that a bad one is blamed on --timezone, not --cron or --interval */
	if (tz_load(&tz, zone, err) < 0)
		return cmd_option_error(err, "timezone");
	rc = a->interval ? anchor_of(a, tz, &anchor, err) : 0;
	tz_free(tz);
	if (rc < 0 || engine(a, c, zone, anchor, err) < 0)
		return -1;
	if (a->cron) {
		prefect_schedule_cron(&c->schedule, a->cron, zone);
	} else if (a->rrule) {
		/* As Prefect's client: DeploymentScheduleCreate normalises the rule. */
		if (sched_rrule_normalize(a->rrule, zone, (int64_t)time(NULL), &c->rrule, err) < 0)
			return cmd_option_error(err, "rrule");
		prefect_schedule_rrule(&c->schedule, c->rrule, zone);
	} else {
		prefect_schedule_interval(&c->schedule, a->interval, anchor, zone);
	}
	return 0;
}

/* The deploy command that would create a deployment with this schedule. */
static int
no_deployment(const struct create_args *a, const char *flow, struct error *err)
{
	struct buf cmd = BUF_INIT;
	buf_addf(&cmd, "mahavishnu prefect deploy %s --name NAME", flow);
	if (a->cron)
		buf_addf(&cmd, " --cron '%s'", a->cron);
	else if (a->interval)
		buf_addf(&cmd, " --interval %ld", a->interval);
	if (a->timezone && !a->rrule)
		buf_addf(&cmd, " --timezone %s", a->timezone);
	error_set(err, ERROR_INVALID, "flow '%s' has no deployment to add a schedule to", flow);
	if (a->rrule) /* deploy takes no rule: deploy first, then add it */
		error_hint(err, "deploy it first (%s), then add the schedule", buf_str(&cmd));
	else
		error_hint(err, "deploy it with the schedule: %s", buf_str(&cmd));
	buf_release(&cmd);
	return -1;
}

/* The flow's deployment: the one named, or its only one. */
static int
pick_deployment(struct api *api, const struct create_args *a, struct creation *c, struct error *err)
{
	int found = prefect_flow_deployment(api, c->flow, a->deployment, &c->deployment, err);
	if (found < 0 && err->kind == ERROR_AMBIGUOUS)
		error_hint(err, "choose one with --deployment NAME");
	if (found == 0)
		return no_deployment(a, json_str(c->flow, "name"), err);
	return found < 0 ? -1 : 0;
}

/* Adding a schedule the deployment has, with the same parameters, would double its runs. */
static int
check_duplicate(const struct creation *c, struct error *err)
{
	const json_t *same = prefect_schedule_like(c->deployment, &c->schedule, c->params);
	if (!same)
		return 0;
	struct buf id = BUF_INIT;
	fields_short_id(&id, json_str(same, "id"));
	error_set(err, ERROR_CONFLICT, "deployment '%s/%s' already has this schedule (%s)",
		  json_str(c->deployment, "flow_name"), json_str(c->deployment, "name"),
		  buf_str(&id));
	buf_release(&id);
	return error_hint(err, "'mahavishnu prefect schedule list' shows it; "
			       "'schedule resume ID' turns a paused one on");
}

static int
create(struct api *api, const struct create_args *a, struct creation *c, struct error *err)
{
	if (prefect_flow_find(api, a->flow, &c->flow, err) < 0 ||
	    pick_deployment(api, a, c, err) < 0 ||
	    param_args_build(&a->params, prefect_deployment_schema(c->deployment),
			     prefect_deployment_parameters(c->deployment), &c->params, err) < 0 ||
	    check_duplicate(c, err) < 0)
		return -1;
	return prefect_schedule_create(api, json_str(c->deployment, "id"), &c->schedule,
				       !a->inactive, c->params, &c->created, err);
}

static void
creation_release(struct creation *c)
{
	if (c->have_engine)
		sched_release(&c->engine);
	json_decref(c->params);
	json_decref(c->flow);
	json_decref(c->deployment);
	json_decref(c->created);
	free(c->rrule);
}

static const char *const types[] = { "cron", "interval", "rrule", NULL };

static int
schedule_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct create_args a = { .params = PARAM_ARGS_INIT };
	/* clang-format off */
	const struct opt_spec options[] = {
		{ OPT_CHOICE, 't', "type", &a.type, "TYPE", "Schedule type",
		  OPT_REQUIRED, 0, 0, types },
		OPT_STR('c', "cron", &a.cron, "CRON", "Cron expression (--type cron), e.g. \"0 2 * * *\""),
		OPT_STR('r', "rrule", &a.rrule, "TEXT",
			"RFC 5545 rule (--type rrule), e.g. \"FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9\""),
		OPT_NUM('i', "interval", &a.interval, "SECONDS", "Seconds between runs (--type interval)",
			1, 100L * 365 * 86400),
		OPT_STR(0, "anchor", &a.anchor, "DATETIME",
			"Interval start in the zone, e.g. 2024-01-01T06:00 (default: now)"),
		OPT_STR(0, "timezone", &a.timezone, "TZ", "IANA time zone of the schedule (default UTC)"),
		PARAM_OPTIONS(&a.params, "Parameter for this schedule's runs",
			      "Parameters as one JSON object"),
		OPT_STR(0, "deployment", &a.deployment, "DEPLOYMENT",
			"The flow's deployment (required when it has several)"),
		OPT_FLAG(0, "inactive", &a.inactive, "Create it paused (no runs until resumed)"),
		OPT_POS("FLOW", &a.flow, "Flow name or ID"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	struct creation c = { 0 };
	struct error err = ERROR_INIT;
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc == EXIT_OK) {
		if (check_options(&a, &err) < 0 || build_engine(&a, &c, &err) < 0 ||
		    param_args_check(&a.params, &err) < 0 || create(ctx->api, &a, &c, &err) < 0) {
			rc = cmd_fail(ctx, &err);
		} else {
			rc = schedule_view_show(ctx, c.created, c.deployment, "✓ Schedule Created");
			if (!a.inactive)
				schedule_view_warn_dst(ctx, &c.engine, (int64_t)time(NULL));
		}
	}
	creation_release(&c);
	param_args_release(&a.params);
	return rc == CMD_DONE ? EXIT_OK : rc;
}

const struct cmd_entry cmd_prefect_schedule_create = {
	.path = "prefect schedule create",
	.summary = "Add a cron, interval or RRULE schedule to a flow's deployment",
	.help = "Add a schedule to FLOW's deployment (--deployment when it has several); the\n"
		"schedules it has are kept. Cron expressions have 5 fields (names such as MON\n"
		"and JAN, ranges, steps, lists) or @hourly, @daily, @weekly, @monthly, @yearly.\n"
		"RRULE text is RFC 5545 as Prefect reads it (FREQ, INTERVAL, COUNT, UNTIL, BY...,\n"
		"DTSTART, RDATE, EXDATE lines); without a DTSTART one is added, as Prefect's\n"
		"client does.\n"
		"Times are computed in --timezone (an IANA name, default UTC) as Prefect computes\n"
		"them; the Next Run shown is the first one the server's scheduler will create.\n"
		"A warning says when a daylight-saving change in the coming year moves, repeats\n"
		"or drops runs. --param values are checked against the deployment's parameters\n"
		"and override its defaults for this schedule's runs only. Adding a schedule the\n"
		"deployment already has, with the same parameters, is refused.",
	.flags = CMD_API,
	.exec = schedule_create_exec,
};
