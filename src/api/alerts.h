/*
 * Alerts: Prefect automations that call a webhook when flow runs fail,
 * crash or are late. The open-source server runs automations itself (its
 * triggers and actions services, on by default; not with --no-services).
 * An alert is two server objects: a Webhook block document holding the URL
 * (Prefect keeps it secret), shared by the alerts that call the same URL, and
 * an automation tagged "mahavishnu" whose trigger expects the runs' state
 * events and, for `alerts test`, a private test event no other automation
 * expects. What the webhook receives is one JSON object (docs/alerts.md).
 */
#ifndef API_ALERTS_H
#define API_ALERTS_H

#include <jansson.h>

#include "api/client.h"

/* The tag on every automation mahavishnu makes; others are not touched. */
#define PREFECT_ALERT_TAG "mahavishnu"

enum prefect_alert_on {
	PREFECT_ALERT_FAILED = 1 << 0,  /* Failed, and TimedOut (a FAILED state) */
	PREFECT_ALERT_CRASHED = 1 << 1, /* Crashed */
	PREFECT_ALERT_LATE = 1 << 2,    /* Late: Scheduled runs 15 s past their start */
};

/* What an alert watches and whom it calls. */
struct prefect_alert_spec {
	const char *name;          /* the automation's name */
	const char *description;   /* shown in Prefect's UI */
	unsigned on;               /* PREFECT_ALERT_* */
	const char *flow_name;     /* runs of flows whose name matches this glob, or NULL */
	const char *deployment_id; /* runs of this deployment, or NULL */
	const char *webhook_url;   /* http(s) URL the server POSTs to */
};

/*
 * Make the alert: its webhook block (or the one already holding that URL),
 * then the automation. An alert of the same name made by mahavishnu with the
 * same trigger and webhook is this alert made before: *out is that one and
 * *existed is 1. One of that name that differs is ERROR_CONFLICT. Re-running
 * after an interruption therefore ends with one alert.
 */
int prefect_alert_create(struct api *api, const struct prefect_alert_spec *spec, json_t **out,
			 int *existed, struct error *err);
/* The automations tagged PREFECT_ALERT_TAG, oldest first. */
int prefect_alert_list(struct api *api, json_t **out, struct error *err);
/* One of them by full ID, unique ID prefix or exact name. */
int prefect_alert_find(struct api *api, const char *ref, json_t **out, struct error *err);
/* Delete the automation, then its webhook block unless another alert uses it. */
int prefect_alert_delete(struct api *api, const json_t *alert, struct error *err);
/*
 * Fire the alert's action once: send its private test event, with the
 * identifier of that event in event_id (37 bytes).
 */
int prefect_alert_fire_test(struct api *api, const json_t *alert, char event_id[37],
			    struct error *err);
/*
 * What the server recorded of the action that event_id triggered, since
 * since (ISO-8601): 1 with *status the webhook's HTTP status (0 when the call
 * failed, *reason then says why; the caller frees it), 0 when nothing is
 * recorded yet (the server writes events every few seconds).
 */
int prefect_alert_test_result(struct api *api, const json_t *alert, const char *event_id,
			      const char *since, long *status, char **reason, struct error *err);

/* Accessors. */
unsigned prefect_alert_on(const json_t *alert);
/* The flow name glob, or NULL. */
const char *prefect_alert_flow(const json_t *alert);
/* The deployment ID, or NULL. */
const char *prefect_alert_deployment(const json_t *alert);
int prefect_alert_enabled(const json_t *alert);
/* The webhook's origin ("https://hooks.example.com"; the path may hold a token); caller frees. */
int prefect_alert_webhook(struct api *api, const json_t *alert, char **origin, struct error *err);

#endif
