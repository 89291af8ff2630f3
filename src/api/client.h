/*
 * The Prefect REST client: base URL, auth and version headers, retries with
 * backoff, and error bodies turned into one readable line (paging past the
 * server's 200-row cap is api/pages.h). It never prints and never exits.
 */
#ifndef API_CLIENT_H
#define API_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/http.h"

#define API_VERSION_HEADER "X-PREFECT-API-VERSION: 0.8.4"
#define API_PAGE_MAX 200

struct api_settings {
	const char *base_url;    /* e.g. http://127.0.0.1:4200/api, no trailing slash */
	const char *api_key;     /* Bearer token, or NULL */
	const char *auth_string; /* "user:pass" for Basic auth (wins over api_key), or NULL */
	const char *ca_file;
	int insecure;
	long connect_timeout_s;
	long timeout_s;
	int max_retries;
	http_trace_fn trace;
	void *trace_userdata;
	/* nonzero when the command was asked to stop (Ctrl-C): retries end within
	 * a few seconds; may be NULL */
	int (*stop_requested)(void);
};

enum api_flags {
	API_RETRY_SAFE = 1 << 0, /* repeating the request cannot do harm */
};

struct api;

/* Cheap: the connection is opened on the first request. Free with api_close(). */
struct api *api_new(const struct api_settings *settings);
void api_close(struct api *api);
/*
 * A second client with the same settings and its own connection, for
 * another thread; its trace lines are serialised with every other clone's.
 */
struct api *api_clone(const struct api *api);
/*
 * Before the first request: give each request at most timeout_s seconds
 * (connecting included) and no retries, for answers only worth having
 * at once (shell completion).
 */
void api_hurry(struct api *api, long timeout_s);
/*
 * Whether an attempt of the last request was sent and its answer lost (a
 * reset or a timeout after sending, 502 or 504): the server may have done
 * it. A create that was not repeated, or was repeated and found its object
 * already there, checks whether the object is its own (see flow create).
 */
int api_answer_was_lost(const struct api *api);
/* The base URL as shown to people (a password in it masked). */
const char *api_display_url(const struct api *api);

/*
 * Send method path (relative to the base URL, e.g. "/flows/filter") with an
 * optional JSON body (borrowed). On a 2xx answer *status_out (may be NULL) is
 * set and *json_out (may be NULL) receives the decoded body (new reference;
 * JSON null for an empty body). Other answers become errors: 404
 * ERROR_NOT_FOUND, 409 ERROR_CONFLICT, else ERROR_API, with http_status set
 * and the server's message as the text. Retries follow the policy at the
 * top of client.c: answers that say the server was busy are asked again
 * until the deadline; faults after which the server may have acted are
 * retried for GETs and API_RETRY_SAFE requests only. With -v each retry
 * is traced with its wait.
 */
int api_request(struct api *api, const char *method, const char *path, const json_t *body,
		unsigned flags, long *status_out, json_t **json_out, struct error *err);
/* The same, handing over the answer's bytes undecoded in *raw (replacing what it held). */
int api_request_raw(struct api *api, const char *method, const char *path, const json_t *body,
		    unsigned flags, long *status_out, struct buf *raw, struct error *err);
/* Decode an answer's bytes (JSON null when there are none); ERROR_API when malformed. */
int api_decode(const struct buf *raw, json_t **out, struct error *err);

/*
 * POST a /count endpoint (e.g. "/flow_runs/count") with a filter (borrowed)
 * and read the number it answers.
 */
int api_count(struct api *api, const char *path, const json_t *filter, long *out, struct error *err);

/*
 * One readable line from an error response: the "detail" string or list,
 * "exception_message" with "exception_detail" locations, or the raw text.
 * Appended to out; control characters are left for the printer to handle.
 */
void api_error_text(struct buf *out, long status, const char *body, size_t len);

#endif
