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
/* The first backoff ceiling and the longest wait between attempts. */
#define BACKOFF_BASE_SECONDS 0.5
/* Less time than this left before the deadline is not worth another attempt. */
#define DEADLINE_SLACK_SECONDS 0.1
/* How long a request is still retried once a stop (Ctrl-C) is asked for. */
#define STOP_GRACE_SECONDS 5.0
/* A guard for a server that keeps answering busy with "Retry-After: 0". */
#define BUSY_RETRIES_MAX 60
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
	int answer_lost;            /* the last request had an attempt whose answer was lost */
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

int
api_answer_was_lost(const struct api *api)
{
	return api->answer_lost;
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

/* A proxy's or a web server's page, where a Prefect API would answer JSON. */
static int
looks_like_html(const char *body, size_t len)
{
	while (len && (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')) {
		body++;
		len--;
	}
	return len && *body == '<';
}

void
api_error_text(struct buf *out, long status, const char *body, size_t len)
{
	size_t start = out->len;
	json_t *doc = len ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
	if (!doc && looks_like_html(body, len)) {
		buf_adds(out, "the server answered with an HTML page, not a Prefect API error");
	} else if (!json_is_object(doc) || append_known_shape(out, doc) < 0) {
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
 * The retry policy. Each request has a deadline of timeout * (max_retries
 * + 1) seconds from its first attempt. An answer that says the server did
 * nothing because it was busy (408, 429, 503: Prefect's answer when SQLite
 * was locked and the transaction rolled back) is asked again until the
 * deadline (BUSY_RETRIES_MAX times at most), for any method. A fault after which the server may have done
 * the request (a reset or a timeout after sending, 502 or 504 from a proxy)
 * is retried up to max_retries times, only for requests that are safe to
 * repeat; for others the answer is lost (api_answer_was_lost). A refused
 * connection (nothing sent) is retried for any method once the server has
 * answered in this run, so a wrong URL or a stopped server fails at once.
 * Waits grow exponentially with full jitter, the last one cut to end at the
 * deadline; Retry-After is honoured while it fits in the deadline. max_retries 0 means no retries at all.
 */
enum retry_reason {
	RETRY_NEVER,
	RETRY_BUSY,  /* the server did nothing: until the deadline */
	RETRY_FAULT, /* counted against max_retries */
};

struct attempts {
	int n;          /* attempts made */
	int faults;     /* retries for faults */
	double started; /* monotonic seconds */
	double deadline;
	int lost;            /* an attempt was sent and its answer lost */
	int gave_up;         /* the last failure was one to retry, but no more */
	double refused_wait; /* a Retry-After that did not fit the deadline, or -1 */
	int stopping;        /* a stop was asked for: the deadline is cut short */
};

static int
status_is_busy(long status)
{
	return status == 408 || status == 429 || status == 503;
}

static int
answer_lost(const struct http_response *resp, int rc)
{
	if (rc == 0)
		return resp->status == 502 || resp->status == 504;
	return resp->failure == HTTP_FAIL_BROKEN || resp->failure == HTTP_FAIL_TIMEOUT;
}

static enum retry_reason
retry_reason(const struct api *api, const struct http_response *resp, int rc, int safe)
{
	if (rc == 0 && status_is_busy(resp->status))
		return RETRY_BUSY;
	if (rc < 0 && resp->failure == HTTP_FAIL_CONNECT)
		return api->had_success ? RETRY_FAULT : RETRY_NEVER;
	return safe && answer_lost(resp, rc) ? RETRY_FAULT : RETRY_NEVER;
}

/* Full jitter: a wait drawn evenly from zero to the exponential ceiling. */
static double
backoff_seconds(int attempt)
{
	double ceiling = fmin(BACKOFF_BASE_SECONDS * pow(2.0, attempt), BACKOFF_MAX_SECONDS);
	return ceiling * ((double)rand() / RAND_MAX);
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

/* What the failed attempt got, for -v and for the final error. */
static void
describe_failure(struct buf *out, const struct http_response *resp, int rc, const struct error *err)
{
	if (rc == 0)
		buf_addf(out, "HTTP %ld", resp->status);
	else
		buf_adds(out, err->message);
}

static void
trace_retry(const struct api *api, const char *method, const char *url, const struct attempts *a,
	    double wait, const struct http_response *resp, int rc, const struct error *err)
{
	if (!api->s.trace)
		return;
	struct buf line = BUF_INIT;
	buf_addf(&line, "* retry %d of %s %s in %.2f s (%s", a->n, method,
		 url + strlen(api->base_url), wait, resp->retry_after >= 0 ? "Retry-After, " : "");
	describe_failure(&line, resp, rc, err);
	buf_addf(&line, "; %.0f s left of the deadline)", a->deadline - now_seconds());
	api->s.trace(api->s.trace_userdata, buf_str(&line));
	buf_release(&line);
}

/*
 * How long to wait before the next attempt, or -1 to stop: the policy says
 * no, the retries are spent, or the wait would pass the deadline.
 */
static double
next_wait(const struct api *api, struct attempts *a, const struct http_response *resp, int rc,
	  int safe)
{
	enum retry_reason why = retry_reason(api, resp, rc, safe);
	if (why == RETRY_NEVER || api->s.max_retries == 0)
		return -1;
	a->gave_up = 1;
	if (why == RETRY_FAULT && a->faults++ >= api->s.max_retries)
		return -1;
	if (why == RETRY_BUSY && a->n > BUSY_RETRIES_MAX)
		return -1;
	double left = a->deadline - now_seconds();
	if (resp->retry_after > left) {
		a->refused_wait = resp->retry_after;
		return -1;
	}
	if (left < DEADLINE_SLACK_SECONDS)
		return -1;
	a->gave_up = 0;
	/* the last wait is cut to the deadline, so that the time allowed is used */
	return resp->retry_after >= 0 ? resp->retry_after : fmin(backoff_seconds(a->n - 1), left);
}

/*
 * Once a stop is asked for (Ctrl-C), a request is retried for a few seconds
 * more at most: enough for the reads a command makes to say how far it got,
 * short enough that the command ends soon.
 */
static void
shorten_when_stopping(const struct api *api, struct attempts *a)
{
	if (a->stopping || !api->s.stop_requested || !api->s.stop_requested())
		return;
	a->stopping = 1;
	a->deadline = fmin(a->deadline, now_seconds() + STOP_GRACE_SECONDS);
}

static int
send_with_retries(struct api *api, const char *method, const char *url, const char *const *headers,
		  const char *body, unsigned flags, struct http_response *resp, struct attempts *a,
		  struct error *err)
{
	int safe = !strcmp(method, "GET") || (flags & API_RETRY_SAFE);
	resp->replayable = safe;
	a->started = now_seconds();
	a->deadline = a->started + (double)api->s.timeout_s * (api->s.max_retries + 1);
	for (;;) {
		error_clear(err);
		int rc = http_request(api->http, method, url, headers, body,
				      body ? strlen(body) : 0, resp, err);
		a->n++;
		if (rc == 0 && resp->status < 500)
			api->had_success = 1;
		if (answer_lost(resp, rc) || resp->resent)
			a->lost = 1;
		shorten_when_stopping(api, a);
		double wait = next_wait(api, a, resp, rc, safe);
		if (wait < 0)
			return rc;
		trace_retry(api, method, url, a, wait, resp, rc, err);
		sleep_seconds(wait);
	}
}

/*
 * After retries that did not help, say which request it was and how long it
 * was tried, so that "the server is busy" reads as a state of the server,
 * not a one-off.
 */
static void
note_attempts(struct error *err, const struct attempts *a, const char *method, const char *path)
{
	if (!a->gave_up)
		return;
	double spent = now_seconds() - a->started;
	error_prefix(err, "%s %s", method, path);
	if (a->refused_wait >= 0)
		error_suffix(err,
			     "; the server asked to wait %.0f s more, past the %.0f s deadline",
			     a->refused_wait, a->deadline - a->started);
	else
		error_suffix(err, "; tried %d times in %.0f s", a->n, spent);
	if (!err->hint[0])
		error_hint(err, "the server is busy or restarting; run the same command again, "
				"or allow longer waits with the settings timeout and max_retries");
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

/* Say which of "not there", "not trusted" and "not answering" it was. */
static void
network_error(const struct api *api, struct error *err)
{
	if (err->kind == ERROR_UNREACHABLE)
		error_prefix(err, "cannot reach the Prefect API at %s", api->display_url);
	else if (err->kind == ERROR_TLS)
		error_prefix(err, "cannot connect securely to the Prefect API at %s",
			     api->display_url);
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
	if (!*json_out && looks_like_html(body->data, body->len)) {
		error_set(err, ERROR_API, "the server answered with an HTML page, not JSON");
		return error_hint(err, "is the URL a Prefect API? It ends in /api, "
				       "e.g. http://127.0.0.1:4200/api");
	}
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
	struct attempts tries = { .refused_wait = -1 };
	http_response_init(&resp, BODY_CAP);
	int rc = send_with_retries(api, method, url, headers, payload, flags, &resp, &tries, err);
	api->answer_lost = tries.lost;
	if (rc < 0 && error_is_network(err))
		network_error(api, err);
	if (rc == 0 && (resp.status < 200 || resp.status > 299))
		rc = no_such_route(api, resp.status, &resp.body, err) ?
			     -1 :
			     status_error(resp.status, &resp.body, err);
	if (rc < 0)
		note_attempts(err, &tries, method, path);
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
