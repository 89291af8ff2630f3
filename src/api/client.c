/*
 * Prefect REST client (see client.h): request headers, retry policy, error
 * bodies and paging.
 */
#include "api/client.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"
#include "core/url.h"
#include "core/xalloc.h"

#define BODY_CAP (256u * 1024 * 1024)
/* Retries of a request the server said it was too busy for, and the longest wait between. */
#define BUSY_RETRIES 20
#define BACKOFF_MAX_SECONDS 5.0
#define ERROR_TEXT_MAX 400

/* A clone's trace callback and the one it serialises. */
struct locked_trace {
	http_trace_fn fn;
	void *userdata;
};

struct api {
	struct api_settings s;
	char *base_url;
	char *display_url;
	char *auth_header;
	struct http *http;
	int had_success;            /* a request has been answered in this run */
	struct locked_trace *trace; /* a clone's trace, serialised */
};

static char *
base64(const char *in)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(in);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)in[i + 2];
		buf_addc(&b, tbl[(v >> 18) & 63]);
		buf_addc(&b, tbl[(v >> 12) & 63]);
		buf_addc(&b, i + 1 < len ? tbl[(v >> 6) & 63] : '=');
		buf_addc(&b, i + 2 < len ? tbl[v & 63] : '=');
	}
	return buf_detach(&b);
}

struct api *
api_new(const struct api_settings *settings)
{
	struct api *api = xcalloc(1, sizeof(*api));
	api->s = *settings;
	api->base_url = xstrdup(settings->base_url);
	api->display_url = url_redact(settings->base_url);
	if (settings->auth_string && *settings->auth_string) {
		char *enc = base64(settings->auth_string);
		api->auth_header = xasprintf("Authorization: Basic %s", enc);
		free(enc);
	} else if (settings->api_key && *settings->api_key) {
		api->auth_header = xasprintf("Authorization: Bearer %s", settings->api_key);
	}
	api->s.base_url = api->base_url;
	return api;
}

/* Trace lines from clones working in other threads, one line at a time. */
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;

static void
trace_locked(void *userdata, const char *line)
{
	const struct locked_trace *t = userdata;
	pthread_mutex_lock(&trace_lock);
	t->fn(t->userdata, line);
	pthread_mutex_unlock(&trace_lock);
}

struct api *
api_clone(const struct api *api)
{
	struct api *clone = api_new(&api->s);
	clone->had_success = api->had_success;
	if (api->s.trace) {
		clone->trace = xmalloc(sizeof(*clone->trace));
		clone->trace->fn = api->s.trace;
		clone->trace->userdata = api->s.trace_userdata;
		clone->s.trace = trace_locked;
		clone->s.trace_userdata = clone->trace;
	}
	return clone;
}

void
api_close(struct api *api)
{
	if (!api)
		return;
	http_close(api->http);
	free(api->base_url);
	free(api->display_url);
	free(api->auth_header);
	free(api->trace);
	free(api);
}

const char *
api_display_url(const struct api *api)
{
	return api->display_url;
}

void
api_hurry(struct api *api, long timeout_s)
{
	api->s.connect_timeout_s = timeout_s;
	api->s.timeout_s = timeout_s;
	api->s.max_retries = 0;
}

/* The client's HTTP connection, set up on the first request. */
static void
api_connect(struct api *api)
{
	if (api->http)
		return;
	struct http_options o = {
		.connect_timeout_ms = api->s.connect_timeout_s * 1000,
		.timeout_ms = api->s.timeout_s * 1000,
		.ca_file = api->s.ca_file,
		.insecure = api->s.insecure,
		.user_agent = "mahavishnu/" MAHAVISHNU_VERSION,
		.max_body = BODY_CAP,
		.trace = api->s.trace,
		.trace_userdata = api->s.trace_userdata,
	};
	api->http = http_open(&o);
}

/* ---- error bodies ---- */

static void
append_loc(struct buf *out, const json_t *loc)
{
	size_t i, n = 0;
	json_t *part;
	json_array_foreach(loc, i, part) {
		if (i == 0 && json_is_string(part) &&
		    (!strcmp(json_string_value(part), "body") ||
		     !strcmp(json_string_value(part), "query") ||
		     !strcmp(json_string_value(part), "path")))
			continue;
		if (n++)
			buf_addc(out, '.');
		if (json_is_string(part))
			buf_adds(out, json_string_value(part));
		else if (json_is_integer(part))
			buf_addf(out, "%lld", (long long)json_integer_value(part));
	}
	if (n)
		buf_adds(out, ": ");
}

/* Validation lists: [{"loc": [...], "msg": "..."}] or plain strings. */
static void
append_detail_list(struct buf *out, const json_t *list)
{
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		if (i)
			buf_adds(out, "; ");
		if (json_is_string(item)) {
			buf_adds(out, json_string_value(item));
			continue;
		}
		append_loc(out, json_object_get(item, "loc"));
		const char *msg = json_str(item, "msg");
		buf_adds(out, msg ? msg : "invalid value");
	}
}

static int
append_known_shape(struct buf *out, const json_t *doc)
{
	const json_t *detail = json_object_get(doc, "detail");
	const json_t *exc_detail = json_object_get(doc, "exception_detail");
	const char *exc = json_str(doc, "exception_message");
	if (json_is_string(detail)) {
		buf_adds(out, json_string_value(detail));
	} else if (json_is_array(detail) && json_array_size(detail)) {
		append_detail_list(out, detail);
	} else if (json_is_array(exc_detail) && json_array_size(exc_detail)) {
		append_detail_list(out, exc_detail);
	} else if (exc) {
		buf_adds(out, exc);
	} else {
		return -1;
	}
	return 0;
}

static void
append_raw_text(struct buf *out, const char *body, size_t len)
{
	while (len && (body[len - 1] == '\n' || body[len - 1] == '\r' || body[len - 1] == ' '))
		len--;
	for (size_t i = 0; i < len; i++)
		buf_addc(out, body[i] == '\n' || body[i] == '\r' ? ' ' : body[i]);
}

void
api_error_text(struct buf *out, long status, const char *body, size_t len)
{
	size_t start = out->len;
	json_t *doc = len ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
	if (!json_is_object(doc) || append_known_shape(out, doc) < 0) {
		if (len && !json_is_object(doc))
			append_raw_text(out, body, len);
		else
			buf_adds(out, "the server gave no reason");
	}
	json_decref(doc);
	if (out->len - start > ERROR_TEXT_MAX) {
		out->len = start + ERROR_TEXT_MAX;
		/* do not cut a UTF-8 sequence in two */
		while (out->len > start && ((unsigned char)out->data[out->len] & 0xC0) == 0x80)
			out->len--;
		out->data[out->len] = '\0';
		buf_adds(out, "…");
	}
	buf_addf(out, " (HTTP %ld)", status);
}

/* ---- requests and retries ---- */

/*
 * 408, 429 and 503 mean the server did not do the request (Prefect answers
 * 503 when SQLite was busy and the transaction was rolled back), so any
 * request may be repeated; after 502 or 504 a proxy may have passed it on,
 * so only requests that are safe to repeat are.
 */
static int
status_is_transient(long status, int safe)
{
	if (status == 408 || status == 429 || status == 503)
		return 1;
	return safe && (status == 502 || status == 504);
}

static double
backoff_seconds(int attempt, double retry_after)
{
	double jitter = 1.0 + 0.2 * ((double)rand() / RAND_MAX);
	if (retry_after >= 0)
		return fmin(retry_after, 60.0) * jitter;
	return fmin(0.5 * pow(2.0, attempt), BACKOFF_MAX_SECONDS) * jitter;
}

/*
 * How many times a failed attempt may be repeated: max_retries, but a
 * server that said it is busy (408, 429, 503: it did nothing) is asked
 * again up to BUSY_RETRIES times within the deadline, since Prefect on
 * SQLite can stay busy for many seconds while its own services write.
 * max_retries 0 means no retries at all.
 */
static int
retries_allowed(const struct api *api, const struct http_response *resp, int rc)
{
	int busy = rc == 0 && (resp->status == 408 || resp->status == 429 || resp->status == 503);
	if (!busy || api->s.max_retries == 0)
		return api->s.max_retries;
	return api->s.max_retries > BUSY_RETRIES ? api->s.max_retries : BUSY_RETRIES;
}

static void
sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };
	/* a signal (Ctrl-C while a command waits) cuts the backoff short, so the
	 * command sees it after one more attempt instead of after the whole wait */
	nanosleep(&ts, NULL);
}

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Whether a failed attempt may be tried again. A refused connection is
 * retried only once the server has answered in this run, so a wrong URL or
 * a stopped server fails fast (as Prefect's own client does).
 */
static int
should_retry(const struct api *api, const struct http_response *resp, int rc, unsigned flags,
	     int is_get)
{
	int safe = is_get || (flags & API_RETRY_SAFE);
	if (rc == 0)
		return status_is_transient(resp->status, safe);
	switch (resp->failure) {
	case HTTP_FAIL_CONNECT:
		return api->had_success;
	case HTTP_FAIL_BROKEN:
		return safe;
	default:
		return 0;
	}
}

static int
send_with_retries(struct api *api, const char *method, const char *url, const char *const *headers,
		  const char *body, unsigned flags, struct http_response *resp, struct error *err)
{
	int is_get = !strcmp(method, "GET");
	double deadline = now_seconds() + (double)api->s.timeout_s * (api->s.max_retries + 1);
	for (int attempt = 0;; attempt++) {
		int rc = http_request(api->http, method, url, headers, body,
				      body ? strlen(body) : 0, resp, err);
		if (rc == 0 && resp->status < 500)
			api->had_success = 1;
		if (attempt >= retries_allowed(api, resp, rc) ||
		    !should_retry(api, resp, rc, flags, is_get))
			return rc;
		double wait = backoff_seconds(attempt, resp->retry_after);
		if (now_seconds() + wait > deadline)
			return rc;
		sleep_seconds(wait);
	}
}

/*
 * FastAPI answers a path it has no route for with exactly {"detail":
 * "Not Found"}; Prefect's own "not found" errors name the object. The
 * former means the API URL is wrong, not that something is missing.
 */
static int
no_such_route(const struct api *api, long status, const struct buf *body, struct error *err)
{
	if (status != 404 || strcmp(buf_str(body), "{\"detail\":\"Not Found\"}"))
		return 0;
	error_set(err, ERROR_API, "%s is not a Prefect API: it has no such route (HTTP 404)",
		  api->display_url);
	err->http_status = status;
	error_hint(err, "a Prefect API URL ends in /api, e.g. http://127.0.0.1:4200/api");
	return 1;
}

static int
status_error(long status, const struct buf *body, struct error *err)
{
	struct buf text = BUF_INIT;
	api_error_text(&text, status, body->data, body->len);
	enum error_kind kind = status == 404 ? ERROR_NOT_FOUND :
			       status == 409 ? ERROR_CONFLICT :
					       ERROR_API;
	error_set(err, kind, "%s", buf_str(&text));
	err->http_status = status;
	buf_release(&text);
	return -1;
}

/* Say which of "not there" and "not answering" it was. */
static void
network_error(const struct api *api, struct error *err)
{
	if (err->kind == ERROR_UNREACHABLE)
		error_prefix(err, "cannot reach the Prefect API at %s", api->display_url);
	else
		error_prefix(err, "no answer from the Prefect API at %s", api->display_url);
}

int
api_decode(const struct buf *body, json_t **json_out, struct error *err)
{
	if (!json_out)
		return 0;
	if (!body->len) {
		*json_out = json_null();
		return 0;
	}
	json_error_t jerr;
	*json_out = json_loadb(body->data, body->len, JSON_DECODE_ANY, &jerr);
	if (!*json_out)
		return error_set(err, ERROR_API, "the server sent malformed JSON: %s (line %d)",
				 jerr.text, jerr.line);
	return 0;
}

int
api_request_raw(struct api *api, const char *method, const char *path, const json_t *body,
		unsigned flags, long *status_out, struct buf *raw, struct error *err)
{
	api_connect(api);
	char *url = xasprintf("%s%s", api->base_url, path);
	char *payload = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (body && !payload)
		die_oom();
	const char *headers[] = { "Content-Type: application/json", "Accept: application/json",
				  API_VERSION_HEADER, api->auth_header, NULL };
	struct http_response resp;
	http_response_init(&resp, BODY_CAP);
	int rc = send_with_retries(api, method, url, headers, payload, flags, &resp, err);
	if (rc < 0 && error_is_network(err))
		network_error(api, err);
	if (rc == 0 && (resp.status < 200 || resp.status > 299))
		rc = no_such_route(api, resp.status, &resp.body, err) ?
			     -1 :
			     status_error(resp.status, &resp.body, err);
	if (rc == 0 && status_out)
		*status_out = resp.status;
	if (rc == 0)
		buf_swap(raw, &resp.body);
	http_response_release(&resp);
	free(payload);
	free(url);
	return rc;
}

int
api_request(struct api *api, const char *method, const char *path, const json_t *body,
	    unsigned flags, long *status_out, json_t **json_out, struct error *err)
{
	struct buf raw = BUF_INIT;
	if (json_out)
		*json_out = NULL;
	int rc = api_request_raw(api, method, path, body, flags, status_out, &raw, err);
	if (rc == 0)
		rc = api_decode(&raw, json_out, err);
	buf_release(&raw);
	return rc;
}

int
api_count(struct api *api, const char *path, const json_t *filter, long *out, struct error *err)
{
	json_t *n = NULL;
	int rc = api_request(api, "POST", path, filter, API_RETRY_SAFE, NULL, &n, err);
	if (rc == 0 && !json_is_integer(n))
		rc = error_set(err, ERROR_API, "the server did not answer %s with a number", path);
	if (rc == 0)
		*out = (long)json_integer_value(n);
	json_decref(n);
	return rc;
}
