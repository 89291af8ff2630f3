/*
 * Unit tests for the schedule and bulk-run calls (src/api/schedules.c)
 * against a scripted loopback responder, for answers the test server will
 * not give on demand: a server from before Prefect 3.6.16 without the bulk
 * route (the runs are then created one request each), a bulk answer that
 * reports runs it did not create (they are sent again one by one), a run
 * the server refuses, and the body of a schedule PATCH (it must resend the
 * parameters, which the server would otherwise wipe).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/schedules.h"
#include "core/json.h"
#include "loopback_server.h"

#define DEP "8d5a6ad0-0000-4000-8000-000000000001"
#define BULK_PATH "/api/deployments/" DEP "/create_flow_run/bulk"
#define ONE_PATH "/api/deployments/" DEP "/create_flow_run"

/* How the scripted server answers. */
struct behaviour {
	int has_bulk;          /* else 404 {"detail":"Not Found"} to the bulk route */
	int bulk_fails_second; /* the bulk answer says FAILED for the second run */
	int single_status;     /* answer to single creates */
};

static void
respond(void *data, const struct loopback_request *req, size_t index, struct buf *reply)
{
	const struct behaviour *b = data;
	(void)index;
	if (!strcmp(req->target, BULK_PATH)) {
		if (!b->has_bulk) {
			loopback_reply(reply, 404, NULL, "{\"detail\":\"Not Found\"}");
			return;
		}
		loopback_reply(
			reply, 200, NULL,
			b->bulk_fails_second ?
				"{\"results\":[{\"flow_run_id\":\"r1\",\"status\":\"CREATED\","
				"\"error\":null},{\"flow_run_id\":null,\"status\":\"FAILED\","
				"\"error\":\"database is locked\"}]}" :
				"{\"results\":[{\"flow_run_id\":\"r1\",\"status\":\"CREATED\","
				"\"error\":null},{\"flow_run_id\":\"r2\",\"status\":\"CREATED\","
				"\"error\":null}]}");
		return;
	}
	if (!strcmp(req->target, ONE_PATH)) {
		loopback_reply(
			reply, b->single_status, NULL,
			b->single_status < 300 ?
				"{\"id\":\"r\"}" :
				"{\"detail\":\"Error creating flow run: 'x' is a required property\"}");
		return;
	}
	loopback_reply(reply, 204, NULL, "");
}

static struct api *
api_for(const char *url)
{
	struct api_settings s = {
		.base_url = url,
		.connect_timeout_s = 2,
		.timeout_s = 5,
		.max_retries = 1,
	};
	return api_new(&s);
}

static json_t *
two_runs(void)
{
	return json_pack("[{s:s,s:s},{s:s,s:s}]", "name", "backfill-2024-01-01", "idempotency_key",
			 "k1", "name", "backfill-2024-01-02", "idempotency_key", "k2");
}

/* Run create_runs against a server behaving as b; returns the loopback (stopped). */
static struct loopback *
create(struct behaviour *b, int *bulk, int *rc, struct error *err)
{
	struct loopback *lb = loopback_start(respond, b);
	assert_non_null(lb);
	struct api *api = api_for(lb->url);
	json_t *runs = two_runs();
	*rc = prefect_deployment_create_runs(api, DEP, runs, bulk, err);
	json_decref(runs);
	api_close(api);
	loopback_stop(lb);
	return lb;
}

static void
assert_request(const struct loopback *lb, size_t i, const char *method, const char *target,
	       const char *key)
{
	assert_true(i < lb->count);
	assert_string_equal(lb->requests[i].method, method);
	assert_string_equal(lb->requests[i].target, target);
	if (key) {
		json_t *body = json_loads(lb->requests[i].body, 0, NULL);
		assert_string_equal(json_str(body, "idempotency_key"), key);
		json_decref(body);
	}
}

static void
test_bulk(void **state)
{
	struct behaviour b = { 1, 0, 201 };
	struct error err = ERROR_INIT;
	int bulk = 1, rc;
	(void)state;
	struct loopback *lb = create(&b, &bulk, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(bulk, 1);
	assert_int_equal(lb->count, 1);
	assert_request(lb, 0, "POST", BULK_PATH, NULL);
	json_t *body = json_loads(lb->requests[0].body, 0, NULL);
	assert_int_equal(json_array_size(body), 2);
	json_decref(body);
	free(lb);
}

static void
test_no_bulk_route(void **state)
{
	struct behaviour b = { 0, 0, 201 };
	struct error err = ERROR_INIT;
	int bulk = 1, rc;
	(void)state;
	struct loopback *lb = create(&b, &bulk, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(bulk, 0);
	assert_int_equal(lb->count, 3);
	assert_request(lb, 0, "POST", BULK_PATH, NULL);
	assert_request(lb, 1, "POST", ONE_PATH, "k1");
	assert_request(lb, 2, "POST", ONE_PATH, "k2");
	free(lb);

	/* once known, the bulk route is not tried again; 200 (existed) is fine too */
	b.single_status = 200;
	lb = create(&b, &bulk, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(lb->count, 2);
	assert_request(lb, 0, "POST", ONE_PATH, "k1");
	free(lb);
}

static void
test_bulk_failures_sent_again(void **state)
{
	struct behaviour b = { 1, 1, 201 };
	struct error err = ERROR_INIT;
	int bulk = 1, rc;
	(void)state;
	struct loopback *lb = create(&b, &bulk, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(bulk, 1);
	assert_int_equal(lb->count, 2);
	assert_request(lb, 1, "POST", ONE_PATH, "k2");
	free(lb);
}

static void
test_refused_run(void **state)
{
	struct behaviour b = { 0, 0, 409 };
	struct error err = ERROR_INIT;
	int bulk = 1, rc;
	(void)state;
	struct loopback *lb = create(&b, &bulk, &rc, &err);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_non_null(strstr(err.message, "run 'backfill-2024-01-01'"));
	assert_non_null(strstr(err.message, "is a required property"));
	assert_int_equal(lb->count, 2); /* the second run is not tried */
	free(lb);
}

static void
test_pause_resends_parameters(void **state)
{
	struct behaviour b = { 1, 0, 201 };
	struct error err = ERROR_INIT;
	(void)state;
	json_t *schedule = json_pack("{s:s,s:s,s:{s:s,s:s},s:b,s:{s:s},s:n,s:n}", "id", "S1",
				     "deployment_id", DEP, "schedule", "cron", "0 0 * * *",
				     "timezone", "UTC", "active", 1, "parameters", "env", "prod",
				     "slug", "max_scheduled_runs");
	struct loopback *lb = loopback_start(respond, &b);
	struct api *api = api_for(lb->url);
	assert_int_equal(prefect_schedule_set_active(api, schedule, 0, &err), 0);
	api_close(api);
	loopback_stop(lb);
	assert_request(lb, 0, "PATCH", "/api/deployments/" DEP "/schedules/S1", NULL);
	json_t *body = json_loads(lb->requests[0].body, 0, NULL);
	json_t *want = json_pack("{s:b,s:{s:s,s:s},s:{s:s}}", "active", 0, "schedule", "cron",
				 "0 0 * * *", "timezone", "UTC", "parameters", "env", "prod");
	assert_true(json_equal(body, want));
	json_decref(want);
	json_decref(body);
	json_decref(schedule);
	free(lb);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_no_bulk_route),
		cmocka_unit_test(test_bulk_failures_sent_again),
		cmocka_unit_test(test_refused_run),
		cmocka_unit_test(test_pause_resends_parameters),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
