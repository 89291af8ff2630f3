/*
 * A small HTTP client with one kept connection: http:// URLs go over a plain
 * socket (core/http_plain.c), https:// and proxied ones through libcurl,
 * which is loaded with dlopen on the first request that needs it, so that
 * commands talking to a local server, or making no request at all, never
 * pay for loading it and its dependencies. Nothing here knows about
 * Prefect; nothing here prints.
 */
#ifndef CORE_HTTP_H
#define CORE_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* Called with one line of trace (request and response lines, headers with
 * secrets redacted); may be NULL. */
typedef void (*http_trace_fn)(void *userdata, const char *line);

struct http_options {
	long connect_timeout_ms;
	long timeout_ms;     /* whole transfer */
	const char *ca_file; /* NULL: system bundle */
	int insecure;        /* skip TLS verification */
	const char *user_agent;
	size_t max_body; /* response body cap in bytes */
	http_trace_fn trace;
	void *trace_userdata;
};

enum http_failure {
	HTTP_FAIL_NONE = 0,
	HTTP_FAIL_CONNECT, /* nothing was sent: refused, DNS, unreachable */
	HTTP_FAIL_TIMEOUT, /* connect or transfer timed out */
	HTTP_FAIL_BROKEN,  /* sent, then reset or an empty reply */
	HTTP_FAIL_OTHER,   /* TLS, protocol, local errors */
};

struct http_response {
	long status;               /* 0 when no response arrived */
	enum http_failure failure; /* why there is no status */
	struct buf body;
	double retry_after; /* seconds from Retry-After, -1 if absent */
	/* set by the caller: the request may be sent twice (a kept connection
	 * that dies under it is then tried again at once); kept across requests */
	int replayable;
	/* the request was sent again after its first answer was lost */
	int resent;
};

struct http;

/* Cheap: nothing is connected or loaded until the first request. Free with http_close(). */
struct http *http_open(const struct http_options *opts);
void http_close(struct http *h);

/*
 * Send one request. headers is a NULL-terminated list of "Name: value"
 * lines (may be NULL); body may be NULL. resp must be initialised with
 * http_response_init and is reset first. A transport failure is
 * ERROR_UNREACHABLE when nothing was sent (DNS, connect), ERROR_TIMEOUT when
 * the server did not answer in time, else ERROR_NETWORK (reset, TLS); any
 * HTTP status is success here.
 */
int http_request(struct http *h, const char *method, const char *url, const char *const *headers,
		 const char *body, size_t body_len, struct http_response *resp, struct error *err);

/* Pass each line of data (a request or response head) to fn as "P line", secrets replaced. */
void http_trace_lines(http_trace_fn fn, void *userdata, char prefix, const char *data, size_t size);

/*
 * Seconds to wait from a Retry-After value (delta-seconds, with a fraction
 * as Prefect's client allows, or an HTTP-date; 0 for a date already past),
 * -1 when it is neither.
 */
double http_retry_after(const char *value);

/* Percent-encode s for use in a URL path segment; the caller frees it. */
char *http_escape(const char *s);

void http_response_init(struct http_response *resp, size_t cap);
void http_response_release(struct http_response *resp);

#endif
