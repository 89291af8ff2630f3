/*
 * Every command, sorted by path, and a line of description for every group.
 * A test (tests/unit/test_dispatch.c) checks the order and that every
 * group of a command path is described here.
 */
#include "cli/command_table.h"

extern const struct cmd_entry cmd_completion;
extern const struct cmd_entry cmd_config_show;
extern const struct cmd_entry cmd_help;
extern const struct cmd_entry cmd_prefect_alerts_create;
extern const struct cmd_entry cmd_prefect_alerts_delete;
extern const struct cmd_entry cmd_prefect_alerts_list;
extern const struct cmd_entry cmd_prefect_alerts_test;
extern const struct cmd_entry cmd_prefect_backfill;
extern const struct cmd_entry cmd_prefect_dashboard;
extern const struct cmd_entry cmd_prefect_deploy;
extern const struct cmd_entry cmd_prefect_deployments_get;
extern const struct cmd_entry cmd_prefect_deployments_list;
extern const struct cmd_entry cmd_prefect_flow_create;
extern const struct cmd_entry cmd_prefect_flow_delete;
extern const struct cmd_entry cmd_prefect_flow_execute;
extern const struct cmd_entry cmd_prefect_flow_get;
extern const struct cmd_entry cmd_prefect_flow_list;
extern const struct cmd_entry cmd_prefect_flow_validate;
extern const struct cmd_entry cmd_prefect_flow_runs_cancel;
extern const struct cmd_entry cmd_prefect_flow_runs_delete;
extern const struct cmd_entry cmd_prefect_flow_runs_get;
extern const struct cmd_entry cmd_prefect_flow_runs_list;
extern const struct cmd_entry cmd_prefect_flow_runs_logs;
extern const struct cmd_entry cmd_prefect_flow_runs_retry;
extern const struct cmd_entry cmd_prefect_flow_runs_stats;
extern const struct cmd_entry cmd_prefect_flow_runs_watch;
extern const struct cmd_entry cmd_prefect_schedule_create;
extern const struct cmd_entry cmd_prefect_schedule_delete;
extern const struct cmd_entry cmd_prefect_schedule_list;
extern const struct cmd_entry cmd_prefect_schedule_pause;
extern const struct cmd_entry cmd_prefect_schedule_preview;
extern const struct cmd_entry cmd_prefect_schedule_resume;
extern const struct cmd_entry cmd_prefect_server_start;
extern const struct cmd_entry cmd_prefect_server_status;
extern const struct cmd_entry cmd_prefect_server_stop;
extern const struct cmd_entry cmd_prefect_undeploy;
extern const struct cmd_entry cmd_prefect_visualize;
extern const struct cmd_entry cmd_prefect_work_pools_create;
extern const struct cmd_entry cmd_prefect_work_pools_list;
extern const struct cmd_entry cmd_prefect_worker_start;
extern const struct cmd_entry cmd_prefect_worker_stop;
extern const struct cmd_entry cmd_repos_get;
extern const struct cmd_entry cmd_repos_list;
extern const struct cmd_entry cmd_sweep;
extern const struct cmd_entry cmd_sweep_status;

/* clang-format off */
const struct cmd_entry *const command_table[] = {
	&cmd_completion,
	&cmd_config_show,
	&cmd_help,
	&cmd_prefect_alerts_create,
	&cmd_prefect_alerts_delete,
	&cmd_prefect_alerts_list,
	&cmd_prefect_alerts_test,
	&cmd_prefect_backfill,
	&cmd_prefect_dashboard,
	&cmd_prefect_deploy,
	&cmd_prefect_deployments_get,
	&cmd_prefect_deployments_list,
	&cmd_prefect_flow_create,
	&cmd_prefect_flow_delete,
	&cmd_prefect_flow_execute,
	&cmd_prefect_flow_get,
	&cmd_prefect_flow_list,
	&cmd_prefect_flow_validate,
	&cmd_prefect_flow_runs_cancel,
	&cmd_prefect_flow_runs_delete,
	&cmd_prefect_flow_runs_get,
	&cmd_prefect_flow_runs_list,
	&cmd_prefect_flow_runs_logs,
	&cmd_prefect_flow_runs_retry,
	&cmd_prefect_flow_runs_stats,
	&cmd_prefect_flow_runs_watch,
	&cmd_prefect_schedule_create,
	&cmd_prefect_schedule_delete,
	&cmd_prefect_schedule_list,
	&cmd_prefect_schedule_pause,
	&cmd_prefect_schedule_preview,
	&cmd_prefect_schedule_resume,
	&cmd_prefect_server_start,
	&cmd_prefect_server_status,
	&cmd_prefect_server_stop,
	&cmd_prefect_undeploy,
	&cmd_prefect_visualize,
	&cmd_prefect_work_pools_create,
	&cmd_prefect_work_pools_list,
	&cmd_prefect_worker_start,
	&cmd_prefect_worker_stop,
	&cmd_repos_get,
	&cmd_repos_list,
	&cmd_sweep,
	&cmd_sweep_status,
};
/* clang-format on */
const size_t command_table_len = sizeof(command_table) / sizeof(command_table[0]);

/* clang-format off */
const struct cmd_group command_groups[] = {
	{ "config", "Show the effective configuration and where it comes from" },
	{ "prefect", "Work with a Prefect server or Prefect Cloud" },
	{ "prefect alerts", "Webhook alerts on failed, crashed or late flow runs (Prefect automations)" },
	{ "prefect deployments", "List and inspect deployments" },
	{ "prefect flow", "Create, validate, run, list, inspect and delete flows" },
	{ "prefect flow-runs", "List, inspect, follow, cancel, retry and delete flow runs; run statistics" },
	{ "prefect schedule", "Add, list, preview, pause, resume and delete deployment schedules" },
	{ "prefect server", "Run a local Prefect server in the background" },
	{ "prefect work-pools", "List and create work pools" },
	{ "prefect worker", "Run a process worker in the background" },
	{ "repos", "List and inspect the repository registry" },
	{ "sweep", "Run a deployment over the repositories with a tag, and follow it" },
};
/* clang-format on */
const size_t command_groups_len = sizeof(command_groups) / sizeof(command_groups[0]);
