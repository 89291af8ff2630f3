/*
 * Unit tests for the Prefect REST client (src/api/client.c): error bodies
 * of every shape Prefect sends turned into one line, and, against a
 * scripted loopback responder (loopback_server.h), paging past a smaller
 * page cap, retries, a refused connection, the headers sent, and the error
 * kinds of HTTP statuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/client.h"
#include "api/pages.h"
#include "core/json.h"
#include "loopback_server.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ITEMS 120
#define PAGE_CAP 50
#define MAX_STEPS 8

/* ---- error bodies ---- */

static void
test_error_text(void **state)
{
	/* clang-format off */
	static const struct {
		long status;
		const char *body;
		const char *out;
	} cases[] = {
		{ 404, "{\"detail\":\"Flow not found\"}", "Flow not found (HTTP 404)" },
		/* a tuple raised as detail arrives as a list of strings */
		{ 409, "{\"detail\":[\"one\",\"two\"]}", "one; two (HTTP 409)" },
		/* FastAPI validation errors */
		{ 422,
		  "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"field required\","
		  "\"type\":\"missing\"}]}",
		  "name: field required (HTTP 422)" },
		{ 422,
		  "{\"detail\":[{\"loc\":[\"body\",\"tags\",0],\"msg\":\"str type expected\"},"
		  "{\"loc\":[\"query\",\"limit\"],\"msg\":\"too big\"}]}",
		  "tags.0: str type expected; limit: too big (HTTP 422)" },
		{ 422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"Expecting value\"}]}",
		  "Expecting value (HTTP 422)" },
		{ 422, "{\"detail\":[{\"loc\":[\"body\",\"name\"]}]}",
		  "name: invalid value (HTTP 422)" },
		/* Prefect's own validation handler */
		{ 422,
		  "{\"exception_message\":\"Invalid request received.\",\"exception_detail\":"
		  "[{\"loc\":[\"body\",\"name\"],\"msg\":\"String should match pattern "
		  "'^[^/%&><]+$'\"}],\"request_body\":{}}",
		  "name: String should match pattern '^[^/%&><]+$' (HTTP 422)" },
		{ 422, "{\"exception_message\":\"Invalid request received.\",\"exception_detail\":[]}",
		  "Invalid request received. (HTTP 422)" },
		{ 500, "{\"exception_message\":\"Internal Server Error\"}",
		  "Internal Server Error (HTTP 500)" },
		/* not JSON: the text itself, on one line */
		{ 502, "Bad Gateway\n", "Bad Gateway (HTTP 502)" },
		{ 502, "<html>\r\n<b>Bad</b> gateway\r\n</html>\r\n",
		  "the server answered with an HTML page, not a Prefect API error (HTTP 502)" },
		{ 503, "[1, 2]", "[1, 2] (HTTP 503)" },
		/* nothing to show */
		{ 500, "", "the server gave no reason (HTTP 500)" },
		{ 500, "{}", "the server gave no reason (HTTP 500)" },
		{ 401, "{\"detail\":null}", "the server gave no reason (HTTP 401)" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "x: ");
		api_error_text(&b, cases[i].status, cases[i].body, strlen(cases[i].body));
		if (strcmp(buf_str(&b) + 3, cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_memory_equal(buf_str(&b), "x: ", 3);
		assert_string_equal(buf_str(&b) + 3, cases[i].out);
		buf_release(&b);
	}
}

static void
test_error_text_truncated(void **state)
{
	/* the first 400 bytes of the message at most, cut between characters */
	/* clang-format off */
	static const struct {
		const char *head;    /* before the filler */
		const char *fill;    /* repeated */
		size_t kept;         /* bytes of message before "…" */
	} cases[] = {
		{ "", "a", 400 },
		{ "", "é", 400 },
		{ "a", "é", 399 },
		{ "ab", "€", 398 },
		{ "a", "€", 400 },
		{ "", "🚀", 400 },
		{ "ab", "🚀", 398 },
		{ "abc", "🚀", 399 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf text = BUF_INIT, body = BUF_INIT, want = BUF_INIT, out = BUF_INIT;
		buf_adds(&text, cases[i].head);
		buf_repeat(&text, cases[i].fill, 1000);
		json_t *doc = json_pack("{s:s}", "detail", buf_str(&text));
		json_append(&body, doc, JSON_COMPACT);
		json_decref(doc);

		api_error_text(&out, 400, body.data, body.len);
		buf_add(&want, text.data, cases[i].kept);
		buf_adds(&want, "… (HTTP 400)");
		if (strcmp(buf_str(&out), buf_str(&want)) != 0)
			print_message("case %zu: %zu bytes\n", i, out.len);
		assert_string_equal(buf_str(&out), buf_str(&want));
		buf_release(&text);
		buf_release(&body);
		buf_release(&want);
		buf_release(&out);
	}

	/* exactly at the limit: nothing is cut */
	struct buf body = BUF_INIT, out = BUF_INIT;
	buf_repeat(&body, "z", 400);
	api_error_text(&out, 500, body.data, body.len);
	buf_adds(&body, " (HTTP 500)");
	assert_string_equal(buf_str(&out), buf_str(&body));
	buf_release(&body);
	buf_release(&out);
}

/* ---- the loopback server's scripts ---- */

/* One scripted answer; status 0 closes the connection without one. */
struct step {
	int status;
	const char *headers;
	const char *body;
};

/* Answer request n with step n, and every later request with the last step. */
struct script {
	struct step steps[MAX_STEPS];
	size_t len;
};

static void
respond_script(void *data, const struct loopback_request *req, size_t index, struct buf *reply)
{
	const struct script *s = data;
	const struct step *st = &s->steps[index < s->len ? index : s->len - 1];
	(void)req;
	if (st->status)
		loopback_reply(reply, st->status, st->headers, st->body);
}

/* A server whose page cap is PAGE_CAP, serving ITEMS flows by limit and offset. */
static void
respond_paged(void *data, const struct loopback_request *req, size_t index, struct buf *reply)
{
	json_t *filter = json_loads(req->body, 0, NULL);
	json_int_t limit = json_integer_value(json_object_get(filter, "limit"));
	json_int_t offset = json_integer_value(json_object_get(filter, "offset"));
	(void)data;
	(void)index;
	json_decref(filter);
	if (limit > PAGE_CAP) {
		loopback_reply(reply, 422, NULL,
			       "{\"detail\":\"Invalid limit: must be less than or equal to 50.\"}");
		return;
	}
	json_t *page = json_array();
	for (json_int_t i = offset; i < offset + limit && i < ITEMS; i++)
		json_array_append_new(page, json_pack("{s:I}", "n", i));
	struct buf body = BUF_INIT;
	json_append(&body, page, JSON_COMPACT);
	json_decref(page);
	loopback_reply(reply, 200, NULL, buf_str(&body));
	buf_release(&body);
}

static struct loopback *
start_server(loopback_fn respond, void *data)
{
	struct loopback *lb = loopback_start(respond, data);
	assert_non_null(lb);
	return lb;
}

static struct api *
api_for(const char *url, const char *api_key, const char *auth_string)
{
	struct api_settings s = {
		.base_url = url,
		.api_key = api_key,
		.auth_string = auth_string,
		.connect_timeout_s = 2,
		.timeout_s = 5,
		.max_retries = 2,
	};
	return api_new(&s);
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- paging ---- */

static void
test_list_past_smaller_page_cap(void **state)
{
	/* clang-format off */
	static const struct {
		size_t limit;
		size_t got;
		size_t pages;
		json_int_t asked[5][2];   /* limit, offset of each request */
	} cases[] = {
		/* 200 is refused; then 50-row pages until one comes back short */
		{ 0, ITEMS, 4, { { 200, 0 }, { 50, 0 }, { 50, 50 }, { 50, 100 } } },
		{ 75, 75, 3, { { 75, 0 }, { 50, 0 }, { 25, 50 } } },
		{ 50, 50, 1, { { 50, 0 } } },
		{ 10, 10, 1, { { 10, 0 } } },
		{ 500, ITEMS, 4, { { 200, 0 }, { 50, 0 }, { 50, 50 }, { 50, 100 } } },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct loopback *lb = start_server(respond_paged, NULL);
		struct api *api = api_for(lb->url, NULL, NULL);
		struct error err = ERROR_INIT;
		json_t *filter = json_pack("{s:{s:{s:[s]}}, s:s}", "flows", "tags", "all_", "etl",
					   "sort", "CREATED_DESC");
		json_t *before = json_deep_copy(filter);
		json_t *rows = NULL;

		int rc = api_list(api, "/flows/filter", filter, cases[i].limit, &rows, &err);
		api_close(api);
		loopback_stop(lb);
		if (rc != 0)
			print_message("case %zu: %s\n", i, err.message);
		assert_int_equal(rc, 0);
		assert_int_equal(json_array_size(rows), cases[i].got);
		for (size_t r = 0; r < json_array_size(rows); r++)
			assert_int_equal(json_integer_value(
						 json_object_get(json_array_get(rows, r), "n")),
					 r);
		/* the filter is borrowed, not changed */
		assert_true(json_equal(filter, before));

		assert_int_equal(lb->count, cases[i].pages);
		for (size_t p = 0; p < lb->count; p++) {
			const struct loopback_request *req = &lb->requests[p];
			json_t *sent = json_loads(req->body, 0, NULL);
			assert_string_equal(req->method, "POST");
			assert_string_equal(req->target, "/api/flows/filter");
			assert_int_equal(req->connection, 0);
			json_int_t limit = json_integer_value(json_object_get(sent, "limit"));
			json_int_t offset = json_integer_value(json_object_get(sent, "offset"));
			if (limit != cases[i].asked[p][0] || offset != cases[i].asked[p][1])
				print_message("case %zu, request %zu: limit %lld offset %lld\n", i,
					      p, (long long)limit, (long long)offset);
			assert_int_equal(limit, cases[i].asked[p][0]);
			assert_int_equal(offset, cases[i].asked[p][1]);
			json_object_del(sent, "limit");
			json_object_del(sent, "offset");
			assert_true(json_equal(sent, filter));
			json_decref(sent);
		}
		json_decref(rows);
		json_decref(filter);
		json_decref(before);
		free(lb);
	}
}

static void
test_list_errors(void **state)
{
	/* clang-format off */
	static const struct {
		struct script script;
		const char *message;
	} cases[] = {
		{ { { { 200, NULL, "{\"flows\":[]}" } }, 1 },
		  "the server did not answer /flows/filter with a list" },
		{ { { { 422, NULL,
			"{\"detail\":\"Invalid limit: must be less than or equal to 200.\"}" } }, 1 },
		  "Invalid limit: must be less than or equal to 200. (HTTP 422)" },
		{ { { { 400, NULL, "{\"detail\":\"Bad filter\"}" } }, 1 }, "Bad filter (HTTP 400)" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct loopback *lb = start_server(respond_script, (void *)&cases[i].script);
		struct api *api = api_for(lb->url, NULL, NULL);
		struct error err = ERROR_INIT;
		json_t *rows = json_null();

		assert_int_equal(api_list(api, "/flows/filter", NULL, 0, &rows, &err), -1);
		api_close(api);
		loopback_stop(lb);
		assert_null(rows);
		assert_string_equal(err.message, cases[i].message);
		/* a NULL filter sends only the page */
		assert_int_equal(lb->count, 1);
		assert_string_equal(lb->requests[0].body, "{\"limit\":200,\"offset\":0}");
		free(lb);
	}
}

/* ---- retries ---- */

static void
test_retries(void **state)
{
	/* clang-format off */
	static const struct {
		const char *method;
		unsigned flags;
		struct script script;
		int rc;
		size_t requests;
		const char *message;
	} cases[] = {
		/* a GET is retried after a 503, here with no wait */
		{ "GET", 0,
		  { { { 503, "Retry-After: 0\r\n", "{\"detail\":\"busy\"}" },
		      { 200, NULL, "{\"ok\":true}" } }, 2 },
		  0, 2, NULL },
		{ "GET", 0,
		  { { { 429, "Retry-After: 0\r\n", "slow down" }, { 502, "Retry-After: 0\r\n", "" },
		      { 200, NULL, "{\"ok\":true}" } }, 3 },
		  0, 3, NULL },
		/* a server that says it is busy is asked again until the deadline (here
		 * it says Retry-After: 0, so until the guard of 60 retries), however few
		 * retries max_retries allows, since SQLite stays busy for a while */
		{ "GET", 0, { { { 503, "Retry-After: 0\r\n", "{\"detail\":\"busy\"}" } }, 1 },
		  -1, 61, "GET /flows/: busy (HTTP 503); tried 61 times in 0 s" },
		/* ...other transient failures up to max_retries (2) times */
		{ "GET", 0, { { { 502, "Retry-After: 0\r\n", "Bad Gateway" } }, 1 },
		  -1, 3, "GET /flows/: Bad Gateway (HTTP 502); tried 3 times in 0 s" },
		/* a 503 (the server did nothing: SQLite was busy) is retried for any method */
		{ "POST", 0,
		  { { { 503, "Retry-After: 0\r\n", "Service Unavailable" },
		      { 200, NULL, "{\"ok\":true}" } }, 2 },
		  0, 2, NULL },
		/* after a 502 a proxy may have passed the POST on: retried only when safe */
		{ "POST", 0,
		  { { { 502, "Retry-After: 0\r\n", "Bad Gateway" },
		      { 200, NULL, "{\"ok\":true}" } }, 2 },
		  -1, 1, "Bad Gateway (HTTP 502)" },
		{ "POST", API_RETRY_SAFE,
		  { { { 502, "Retry-After: 0\r\n", "Bad Gateway" },
		      { 200, NULL, "{\"ok\":true}" } }, 2 },
		  0, 2, NULL },
		/* other errors are final */
		{ "GET", 0,
		  { { { 500, "Retry-After: 0\r\n",
			"{\"exception_message\":\"Internal Server Error\"}" },
		      { 200, NULL, "{\"ok\":true}" } }, 2 },
		  -1, 1, "Internal Server Error (HTTP 500)" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct loopback *lb = start_server(respond_script, (void *)&cases[i].script);
		struct api *api = api_for(lb->url, NULL, NULL);
		struct error err = ERROR_INIT;
		json_t *body = json_pack("{s:s}", "name", "x");
		json_t *doc = NULL;
		long status = 0;
		int get = !strcmp(cases[i].method, "GET");

		int rc = api_request(api, cases[i].method, "/flows/", get ? NULL : body,
				     cases[i].flags, &status, &doc, &err);
		api_close(api);
		loopback_stop(lb);
		if (rc != cases[i].rc || lb->count != cases[i].requests)
			print_message("case %zu: rc %d, %zu requests: %s\n", i, rc, lb->count,
				      err.message);
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(lb->count, cases[i].requests);
		if (rc == 0) {
			assert_int_equal(status, 200);
			assert_true(json_is_true(json_object_get(doc, "ok")));
		} else {
			assert_int_equal(err.kind, ERROR_API);
			assert_int_equal(err.http_status, cases[i].script.steps[0].status);
			assert_string_equal(err.message, cases[i].message);
			assert_null(doc);
		}
		/* the same request each time, on the kept-alive connection */
		for (size_t r = 0; r < lb->count && r < LOOPBACK_MAX_REQUESTS; r++) {
			assert_string_equal(lb->requests[r].method, cases[i].method);
			assert_string_equal(lb->requests[r].body, get ? "" : "{\"name\":\"x\"}");
			assert_int_equal(lb->requests[r].connection, 0);
		}
		json_decref(doc);
		json_decref(body);
		free(lb);
	}
}

static void
test_retry_after_empty_reply(void **state)
{
	static const struct script closes_once = {
		{ { 0, NULL, NULL }, { 200, NULL, "{\"ok\":true}" } }, 2
	};
	(void)state;

	/* a GET whose connection closes without an answer is sent again */
	struct loopback *lb = start_server(respond_script, (void *)&closes_once);
	struct api *api = api_for(lb->url, NULL, NULL);
	struct error err = ERROR_INIT;
	json_t *doc = NULL;
	assert_int_equal(api_request(api, "GET", "/health", NULL, 0, NULL, &doc, &err), 0);
	api_close(api);
	loopback_stop(lb);
	assert_true(json_is_true(json_object_get(doc, "ok")));
	assert_int_equal(lb->count, 2);
	assert_int_equal(lb->requests[1].connection, 1);
	json_decref(doc);
	free(lb);

	/* a POST is not: the server may have acted on it */
	lb = start_server(respond_script, (void *)&closes_once);
	api = api_for(lb->url, NULL, NULL);
	assert_int_equal(api_request(api, "POST", "/flows/", NULL, 0, NULL, NULL, &err), -1);
	api_close(api);
	loopback_stop(lb);
	assert_int_equal(lb->count, 1);
	assert_int_equal(err.kind, ERROR_NETWORK);
	free(lb);
}

static void
test_retry_after_values(void **state)
{
	char date[64];
	time_t later = time(NULL) + 30;
	struct tm tm;
	(void)state;

	assert_true(http_retry_after("120") == 120.0);
	assert_true(http_retry_after(" 5\r\n") == 5.0);
	assert_true(http_retry_after("0") == 0.0);
	assert_true(http_retry_after("1.5") == 1.5);
	assert_true(http_retry_after("0x10") == -1.0);
	assert_true(http_retry_after("1e999") == -1.0);
	assert_true(http_retry_after("5 s") == -1.0);
	assert_true(http_retry_after("-3") == -1.0);
	assert_true(http_retry_after("soon") == -1.0);
	assert_true(http_retry_after("") == -1.0);
	/* an HTTP-date: the seconds until then, 0 once it has passed */
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&later, &tm));
	double secs = http_retry_after(date);
	assert_true(secs > 25 && secs <= 30);
	assert_true(http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0);
}

static void
collect_line(void *userdata, const char *line)
{
	struct buf *lines = userdata;
	buf_adds(lines, line);
	buf_addc(lines, '\n');
}

static void
test_retry_traced_and_deadline_kept(void **state)
{
	static const struct script busy_once = {
		{ { 503, "Retry-After: 0\r\n", "{\"detail\":\"busy\"}" }, { 200, NULL, "{}" } }, 2
	};
	static const struct script wait_long = {
		{ { 429, "Retry-After: 100\r\n", "{\"detail\":\"slow down\"}" } }, 1
	};
	struct buf lines = BUF_INIT;
	struct error err = ERROR_INIT;
	(void)state;

	/* -v: each retry is a trace line naming the request, its wait and why */
	struct loopback *lb = start_server(respond_script, (void *)&busy_once);
	struct api_settings s = { .base_url = lb->url,
				  .connect_timeout_s = 2,
				  .timeout_s = 5,
				  .max_retries = 2,
				  .trace = collect_line,
				  .trace_userdata = &lines };
	struct api *api = api_new(&s);
	assert_int_equal(api_request(api, "GET", "/flows/x", NULL, 0, NULL, NULL, &err), 0);
	api_close(api);
	loopback_stop(lb);
	free(lb);
	assert_non_null(strstr(buf_str(&lines),
			       "* retry 1 of GET /flows/x in 0.00 s (Retry-After, HTTP 503; "));
	buf_release(&lines);

	/* a Retry-After past the deadline (5 s * (2 + 1)) is not waited out */
	lb = start_server(respond_script, (void *)&wait_long);
	api = api_for(lb->url, NULL, NULL);
	double started = now_seconds();
	assert_int_equal(api_request(api, "GET", "/flows/x", NULL, 0, NULL, NULL, &err), -1);
	assert_true(now_seconds() - started < 2);
	api_close(api);
	loopback_stop(lb);
	assert_int_equal(lb->count, 1);
	assert_string_equal(err.message,
			    "GET /flows/x: slow down (HTTP 429); the server asked to wait 100 s "
			    "more, past the 15 s deadline");
	assert_non_null(strstr(err.hint, "run the same command again"));
	free(lb);
}

static void
test_lost_answer_reported(void **state)
{
	static const struct script closes_once = {
		{ { 0, NULL, NULL }, { 200, NULL, "{\"ok\":true}" } }, 2
	};
	struct error err = ERROR_INIT;
	(void)state;

	/* a POST that is not safe to repeat: not sent again, and its answer is lost */
	struct loopback *lb = start_server(respond_script, (void *)&closes_once);
	struct api *api = api_for(lb->url, NULL, NULL);
	assert_int_equal(api_request(api, "POST", "/x/", NULL, 0, NULL, NULL, &err), -1);
	assert_true(api_answer_was_lost(api));
	/* the next request, answered, is not */
	assert_int_equal(api_request(api, "GET", "/y", NULL, 0, NULL, NULL, &err), 0);
	assert_false(api_answer_was_lost(api));
	api_close(api);
	loopback_stop(lb);
	free(lb);

	/* one safe to repeat is sent again, and still reports the loss */
	lb = start_server(respond_script, (void *)&closes_once);
	api = api_for(lb->url, NULL, NULL);
	assert_int_equal(api_request(api, "POST", "/x/", NULL, API_RETRY_SAFE, NULL, NULL, &err), 0);
	assert_true(api_answer_was_lost(api));
	api_close(api);
	loopback_stop(lb);
	assert_int_equal(lb->count, 2);
	free(lb);
}

/* ---- a server that is not there ---- */

static void
test_connection_refused(void **state)
{
	char url[64], prefix[128];
	struct error err = ERROR_INIT;
	json_t *rows = json_null();
	(void)state;

	int fd = loopback_bind(url, sizeof(url));
	assert_true(fd >= 0);
	snprintf(prefix, sizeof(prefix), "cannot reach the Prefect API at %s: ", url);
	struct api *api = api_for(url, NULL, NULL);
	assert_string_equal(api_display_url(api), url);

	/* no retry (with its backoff of 0.5s and more) before the first answer */
	double started = now_seconds();
	int rc = api_request(api, "GET", "/health", NULL, 0, NULL, NULL, &err);
	double took = now_seconds() - started;
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, ERROR_UNREACHABLE);
	assert_int_equal(error_exit_code(&err), EXIT_UNREACHABLE);
	assert_int_equal(err.http_status, 0);
	assert_memory_equal(err.message, prefix, strlen(prefix));
	assert_true(strlen(err.message) > strlen(prefix));
	assert_string_equal(err.hint, ""); /* what to try is the command layer's to say */
	assert_true(took < 0.45);

	error_clear(&err);
	assert_int_equal(api_list(api, "/flows/filter", NULL, 0, &rows, &err), -1);
	assert_null(rows);
	assert_int_equal(err.kind, ERROR_UNREACHABLE);
	assert_memory_equal(err.message, prefix, strlen(prefix));

	api_close(api);
	close(fd);
}

/* ---- headers ---- */

/*
 * "METHOD TARGET|Content-Type|Accept|X-PREFECT-API-VERSION|User-Agent up to
 * its '/'|Authorization", with "-" for a header not sent.
 */
static void
describe_headers(struct buf *out, const struct loopback_request *req)
{
	static const char *const names[] = { "Content-Type", "Accept", "X-PREFECT-API-VERSION",
					     "User-Agent", "Authorization" };
	buf_addf(out, "%s %s", req->method, req->target);
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char value[256];
		const char *v = loopback_header(req->headers, names[i], value, sizeof(value));
		if (v && !strcmp(names[i], "User-Agent") && strchr(v, '/'))
			value[strchr(v, '/') - v + 1] = '\0';
		buf_addf(out, "|%s", v ? v : "-");
	}
}

static void
test_headers(void **state)
{
	static const struct script ok = { { { 200, NULL, "{}" } }, 1 };
	/* clang-format off */
	static const struct {
		const char *api_key;
		const char *auth_string;
		const char *authorization;   /* NULL: none sent */
	} cases[] = {
		{ "KEY", NULL, "Bearer KEY" },
		{ "pnu_abc123", "", "Bearer pnu_abc123" },
		{ "KEY", "user:pass", "Basic dXNlcjpwYXNz" },
		{ NULL, "user:pass", "Basic dXNlcjpwYXNz" },
		{ NULL, "user:pas", "Basic dXNlcjpwYXM=" },
		{ NULL, "user:pa", "Basic dXNlcjpwYQ==" },
		{ NULL, NULL, NULL },
		{ "", "", NULL },
	};
	/* clang-format on */
	(void)state;

	struct loopback *lb = start_server(respond_script, (void *)&ok);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct api *api = api_for(lb->url, cases[i].api_key, cases[i].auth_string);
		struct error err = ERROR_INIT;
		assert_int_equal(api_request(api, "GET", "/health", NULL, 0, NULL, NULL, &err), 0);
		api_close(api);
	}
	loopback_stop(lb);

	assert_int_equal(lb->count, ARRAY_LEN(cases));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct loopback_request *req = &lb->requests[i];
		struct buf got = BUF_INIT, want = BUF_INIT;
		char value[256];
		describe_headers(&got, req);
		buf_addf(&want,
			 "GET /api/health|application/json|application/json|0.8.4|"
			 "mahavishnu/|%s",
			 cases[i].authorization ? cases[i].authorization : "-");
		if (strcmp(buf_str(&got), buf_str(&want)) != 0)
			print_message("case %zu\n", i);
		assert_string_equal(buf_str(&got), buf_str(&want));
		/* the rest of the User-Agent is the version */
		loopback_header(req->headers, "User-Agent", value, sizeof(value));
		assert_true(strlen(value) > strlen("mahavishnu/"));
		buf_release(&got);
		buf_release(&want);
	}
	free(lb);
}

/* ---- statuses and bodies ---- */

static void
test_status_errors(void **state)
{
	/* clang-format off */
	static const struct {
		struct step step;
		enum error_kind kind;
		const char *message;
	} cases[] = {
		{ { 404, NULL, "{\"detail\":\"Flow not found\"}" }, ERROR_NOT_FOUND,
		  "Flow not found (HTTP 404)" },
		{ { 409, NULL, "{\"detail\":\"Data integrity conflict.\"}" }, ERROR_CONFLICT,
		  "Data integrity conflict. (HTTP 409)" },
		{ { 422, NULL,
		    "{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"field required\"}]}" },
		  ERROR_API, "name: field required (HTTP 422)" },
		{ { 401, NULL, "{\"detail\":\"Unauthorized\"}" }, ERROR_API, "Unauthorized (HTTP 401)" },
		{ { 500, NULL, "" }, ERROR_API, "the server gave no reason (HTTP 500)" },
		{ { 302, "Location: /elsewhere\r\n", "" }, ERROR_API,
		  "the server gave no reason (HTTP 302)" },
	};
	/* clang-format on */
	struct script script = { .len = ARRAY_LEN(cases) };
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		script.steps[i] = cases[i].step;
	struct loopback *lb = start_server(respond_script, &script);
	struct api *api = api_for(lb->url, NULL, NULL);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		json_t *doc = json_null();
		long status = -1;
		int rc = api_request(api, "GET", "/flows/name/x", NULL, 0, &status, &doc, &err);
		if (rc != -1 || strcmp(err.message, cases[i].message) != 0)
			print_message("case %zu: %s\n", i, err.message);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, cases[i].kind);
		assert_int_equal(err.http_status, cases[i].step.status);
		assert_string_equal(err.message, cases[i].message);
		assert_int_equal(error_exit_code(&err), EXIT_ERROR);
		assert_null(doc);
		assert_int_equal(status, -1);
	}
	api_close(api);
	loopback_stop(lb);
	assert_int_equal(lb->count, ARRAY_LEN(cases));
	free(lb);
}

static void
test_success_bodies(void **state)
{
	static const struct script script = { { { 201, NULL, "{\"id\":\"abc\"}" },
						{ 204, NULL, "" },
						{ 200, NULL, "[1,2]" },
						{ 200, NULL, "not json" } },
					      4 };
	struct error err = ERROR_INIT;
	json_t *doc = NULL;
	long status = 0;
	(void)state;

	struct loopback *lb = start_server(respond_script, (void *)&script);
	struct api *api = api_for(lb->url, NULL, NULL);
	json_t *body = json_pack("{s:s, s:[s], s:n}", "name", "é \"q\"", "tags", "a", "x");

	assert_int_equal(api_request(api, "POST", "/flows/", body, 0, &status, &doc, &err), 0);
	assert_int_equal(status, 201);
	assert_string_equal(json_string_value(json_object_get(doc, "id")), "abc");
	json_decref(doc);

	assert_int_equal(api_request(api, "DELETE", "/flows/abc", NULL, 0, &status, &doc, &err), 0);
	assert_int_equal(status, 204);
	assert_true(json_is_null(doc));
	json_decref(doc);

	assert_int_equal(api_request(api, "PATCH", "/flows/abc", body, 0, NULL, NULL, &err), 0);

	assert_int_equal(api_request(api, "GET", "/flows/abc", NULL, 0, NULL, &doc, &err), -1);
	assert_null(doc);
	assert_int_equal(err.kind, ERROR_API);
	assert_memory_equal(err.message, "the server sent malformed JSON: ",
			    strlen("the server sent malformed JSON: "));

	api_close(api);
	loopback_stop(lb);
	json_decref(body);

	/* clang-format off */
	static const struct {
		const char *method, *target, *body;
	} sent[] = {
		{ "POST", "/api/flows/", "{\"name\":\"é \\\"q\\\"\",\"tags\":[\"a\"],\"x\":null}" },
		{ "DELETE", "/api/flows/abc", "" },
		{ "PATCH", "/api/flows/abc", "{\"name\":\"é \\\"q\\\"\",\"tags\":[\"a\"],\"x\":null}" },
		{ "GET", "/api/flows/abc", "" },
	};
	/* clang-format on */
	assert_int_equal(lb->count, ARRAY_LEN(sent));
	for (size_t i = 0; i < ARRAY_LEN(sent); i++) {
		assert_string_equal(lb->requests[i].method, sent[i].method);
		assert_string_equal(lb->requests[i].target, sent[i].target);
		assert_string_equal(lb->requests[i].body, sent[i].body);
		assert_int_equal(lb->requests[i].connection, 0);
	}
	free(lb);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_error_text_truncated),
		cmocka_unit_test(test_list_past_smaller_page_cap),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_retries),
		cmocka_unit_test(test_retry_after_empty_reply),
		cmocka_unit_test(test_retry_after_values),
		cmocka_unit_test(test_retry_traced_and_deadline_kept),
		cmocka_unit_test(test_lost_answer_reported),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_status_errors),
		cmocka_unit_test(test_success_bodies),
	};
	/* clang-format on */

	/* requests to 127.0.0.1 must never go through a proxy from the environment */
	setenv("no_proxy", "*", 1);
	setenv("NO_PROXY", "*", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
