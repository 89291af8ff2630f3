/*
 * HTTP over libcurl, loaded at run time (see http.h for why). Only the few
 * libcurl entry points used here are resolved; the headers supply types and
 * constants at build time.
 */
#include "core/http.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/http_plain.h"
#include "core/url.h"
#include "core/xalloc.h"

struct curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

struct http {
	struct plain *plain; /* http:// requests, without libcurl */
	CURL *curl;          /* the others, once one comes */
	const struct curl_api *api;
	struct http_options opts;
	struct http_response *current;
	char errbuf[CURL_ERROR_SIZE];
};

static struct curl_api curl_api;
static int curl_loaded;

static int
resolve(void *lib, const char *name, void *slot)
{
	void *sym = dlsym(lib, name);
	if (!sym)
		return -1;
	memcpy(slot, &sym, sizeof(sym));
	return 0;
}

static int
load_curl(struct error *err)
{
	if (curl_loaded)
		return 0;
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return error_set(err, ERROR_IO, "cannot load libcurl: %s", dlerror());
	if (resolve(lib, "curl_global_init", &curl_api.global_init) ||
	    resolve(lib, "curl_easy_init", &curl_api.easy_init) ||
	    resolve(lib, "curl_easy_setopt", &curl_api.easy_setopt) ||
	    resolve(lib, "curl_easy_perform", &curl_api.easy_perform) ||
	    resolve(lib, "curl_easy_getinfo", &curl_api.easy_getinfo) ||
	    resolve(lib, "curl_easy_cleanup", &curl_api.easy_cleanup) ||
	    resolve(lib, "curl_easy_strerror", &curl_api.easy_strerror) ||
	    resolve(lib, "curl_slist_append", &curl_api.slist_append) ||
	    resolve(lib, "curl_slist_free_all", &curl_api.slist_free_all))
		return error_set(err, ERROR_IO, "cannot load libcurl: %s", dlerror());
	if (curl_api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error_set(err, ERROR_IO, "cannot initialise libcurl");
	/* The library stays loaded for the life of the process. */
	curl_loaded = 1;
	return 0;
}

static size_t
on_body(char *data, size_t size, size_t n, void *userdata)
{
	struct http *h = userdata;
	if (buf_add(&h->current->body, data, size * n) < 0)
		return 0; /* over the cap: libcurl reports a write error */
	return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *userdata)
{
	struct http *h = userdata;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof(name) - 1 && !strncasecmp(data, name, sizeof(name) - 1)) {
		char value[64];
		size_t vlen = len - (sizeof(name) - 1);
		if (vlen >= sizeof(value))
			vlen = sizeof(value) - 1;
		memcpy(value, data + sizeof(name) - 1, vlen);
		value[vlen] = '\0';
		h->current->retry_after = http_retry_after(value);
	}
	return len;
}

double
http_retry_after(const char *value)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value >= '0' && *value <= '9') {
		/* delta-seconds; a fraction too, as Prefect's own client reads it */
		size_t n = strspn(value, "0123456789."), tail = strspn(value + n, " \t\r\n");
		const char *dot = memchr(value, '.', n);
		if (value[n + tail] || (dot && memchr(dot + 1, '.', n - (size_t)(dot - value) - 1)))
			return -1;
		double secs = strtod(value, NULL);
		return secs < 1e9 ? secs : -1;
	}
	/* an HTTP-date: "Wed, 21 Oct 2015 07:28:00 GMT" */
	struct tm tm = { 0 };
	const char *end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end)
		return -1;
	double secs = difftime(timegm(&tm), time(NULL));
	return secs > 0 ? secs : 0;
}

static int
is_secret_header(const char *line, size_t len)
{
	static const char *const names[] = { "authorization:", "cookie:", "prefect-csrf-token:",
					     "proxy-authorization:" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t nl = strlen(names[i]);
		if (len >= nl && !strncasecmp(line, names[i], nl))
			return (int)nl;
	}
	return 0;
}

void
http_trace_lines(http_trace_fn fn, void *userdata, char prefix, const char *data, size_t size)
{
	struct buf line = BUF_INIT;
	const char *p = data, *end = data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len) {
			buf_reset(&line);
			buf_addc(&line, prefix);
			buf_addc(&line, ' ');
			int secret = is_secret_header(p, len);
			if (secret) {
				buf_add(&line, p, (size_t)secret);
				buf_adds(&line, " [redacted]");
			} else {
				buf_add(&line, p, len);
			}
			fn(userdata, buf_str(&line));
		}
		p = nl ? nl + 1 : end;
	}
	buf_release(&line);
}

static int
on_debug(CURL *curl, curl_infotype type, char *data, size_t size, void *userdata)
{
	struct http *h = userdata;
	(void)curl;
	char prefix = type == CURLINFO_HEADER_OUT ? '>' :
		      type == CURLINFO_HEADER_IN  ? '<' :
		      type == CURLINFO_TEXT       ? '*' :
						    0;
	if (prefix)
		http_trace_lines(h->opts.trace, h->opts.trace_userdata, prefix, data, size);
	return 0;
}

static void
set_common_options(struct http *h)
{
	const struct curl_api *c = h->api;
	CURL *e = h->curl;
	c->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	c->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	c->easy_setopt(e, CURLOPT_WRITEDATA, h);
	c->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	c->easy_setopt(e, CURLOPT_HEADERDATA, h);
	c->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
	c->easy_setopt(e, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
	c->easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	c->easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	c->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (h->opts.user_agent)
		c->easy_setopt(e, CURLOPT_USERAGENT, h->opts.user_agent);
	if (h->opts.ca_file)
		c->easy_setopt(e, CURLOPT_CAINFO, h->opts.ca_file);
	if (h->opts.insecure) {
		c->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		c->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (h->opts.trace) {
		c->easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		c->easy_setopt(e, CURLOPT_DEBUGDATA, h);
		c->easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
}

struct http *
http_open(const struct http_options *opts)
{
	struct http *h = xcalloc(1, sizeof(*h));
	h->opts = *opts;
	h->plain = plain_open(opts);
	return h;
}

/* The libcurl handle, loading libcurl on the first request that needs it. */
static int
curl_handle(struct http *h, struct error *err)
{
	if (h->curl)
		return 0;
	if (load_curl(err) < 0)
		return -1;
	h->curl = curl_api.easy_init();
	if (!h->curl)
		die_oom();
	h->api = &curl_api;
	set_common_options(h);
	return 0;
}

void
http_close(struct http *h)
{
	if (!h)
		return;
	if (h->curl)
		h->api->easy_cleanup(h->curl);
	plain_close(h->plain);
	free(h);
}

static void
set_method(struct http *h, const char *method, const char *body, size_t body_len)
{
	const struct curl_api *c = h->api;
	if (body || !strcmp(method, "POST")) {
		c->easy_setopt(h->curl, CURLOPT_POSTFIELDS, body ? body : "");
		c->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			       (curl_off_t)(body ? body_len : 0));
		c->easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST,
			       strcmp(method, "POST") ? method : NULL);
	} else {
		c->easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
		c->easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST,
			       strcmp(method, "GET") ? method : NULL);
	}
}

static enum http_failure
classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_FAIL_TIMEOUT;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return HTTP_FAIL_BROKEN;
	default:
		return HTTP_FAIL_OTHER;
	}
}

/* libcurl's why without its "SSL certificate problem: " or "SSL: " prefix. */
static const char *
tls_reason(const char *why)
{
	static const char *const prefixes[] = { "SSL certificate problem: ", "SSL: " };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(why, prefixes[i], n))
			return why + n;
	}
	return why;
}

/*
 * The server's certificate was refused, or the CA bundle given to check it
 * could not be used: say which, and where the bundle is configured.
 */
static int
tls_error(const struct http *h, CURLcode rc, const char *why, struct error *err)
{
	const char *file = h->opts.ca_file;
	if (rc == CURLE_SSL_CACERT_BADFILE && !file)
		return error_set(err, ERROR_CONFIG, "cannot load the system CA bundle: %s", why);
	if (rc == CURLE_SSL_CACERT_BADFILE) {
		error_set(err, ERROR_CONFIG, "cannot use the CA bundle '%s': %s", file,
			  access(file, R_OK) < 0 ? strerror(errno) : "it holds no PEM certificate");
		return error_hint(err, "ssl_cert_file (PREFECT_API_SSL_CERT_FILE) must name a PEM "
				       "file of CA certificates");
	}
	error_set(err, ERROR_TLS, "TLS certificate refused: %s", tls_reason(why));
	if (strstr(why, "host name"))
		return error_hint(err, "the certificate must name the host of the API URL; if the "
				       "name is right, its CA goes in ssl_cert_file "
				       "(PREFECT_API_SSL_CERT_FILE)");
	if (strstr(why, "expired") || strstr(why, "not yet valid"))
		return error_hint(err, "the server's certificate is outside its validity dates: "
				       "renew it, or check this machine's clock");
	return error_hint(err, "if the server's certificate is from a private CA, set "
			       "ssl_cert_file (PREFECT_API_SSL_CERT_FILE) to that CA's PEM file");
}

static int
transport_error(struct http *h, CURLcode rc, const char *url, struct error *err)
{
	h->current->failure = classify(rc);
	const char *why = h->errbuf[0] ? h->errbuf : h->api->easy_strerror(rc);
	enum error_kind kind = h->current->failure == HTTP_FAIL_CONNECT ? ERROR_UNREACHABLE :
			       h->current->failure == HTTP_FAIL_TIMEOUT ? ERROR_TIMEOUT :
									  ERROR_NETWORK;
	if (rc == CURLE_WRITE_ERROR) {
		char *shown = url_redact(url);
		error_set(err, ERROR_API, "response from %s is larger than %zu bytes", shown,
			  h->opts.max_body);
		free(shown);
		return -1;
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT)
		kind = ERROR_CONFIG;
	if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
		return tls_error(h, rc, why, err);
	return error_set(err, kind, "%s", why);
}

static const char *
env_get(const char *name)
{
	return getenv(name);
}

static int curl_request(struct http *h, const char *method, const char *url,
			const char *const *headers, const char *body, size_t body_len,
			struct http_response *resp, struct error *err);

int
http_request(struct http *h, const char *method, const char *url, const char *const *headers,
	     const char *body, size_t body_len, struct http_response *resp, struct error *err)
{
	if (plain_handles(url, env_get))
		return plain_request(h->plain, method, url, headers, body, body_len, resp, err);
	if (curl_handle(h, err) < 0)
		return -1;
	return curl_request(h, method, url, headers, body, body_len, resp, err);
}

static int
curl_request(struct http *h, const char *method, const char *url, const char *const *headers,
	     const char *body, size_t body_len, struct http_response *resp, struct error *err)
{
	const struct curl_api *c = h->api;
	struct curl_slist *list = NULL;
	for (size_t i = 0; headers && headers[i]; i++) {
		list = c->slist_append(list, headers[i]);
		if (!list)
			die_oom();
	}
	buf_reset(&resp->body);
	resp->status = 0;
	resp->failure = HTTP_FAIL_NONE;
	resp->retry_after = -1;
	resp->resent = 0;
	h->current = resp;
	h->errbuf[0] = '\0';
	c->easy_setopt(h->curl, CURLOPT_URL, url);
	c->easy_setopt(h->curl, CURLOPT_HTTPHEADER, list);
	set_method(h, method, body, body_len);
	CURLcode rc = c->easy_perform(h->curl);
	c->easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	c->slist_free_all(list);
	if (rc != CURLE_OK) {
		transport_error(h, rc, url, err);
		h->current = NULL;
		return -1;
	}
	h->current = NULL;
	c->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	return 0;
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p)) {
			buf_addc(&b, (char)*p);
		} else {
			char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_add(&b, enc, 3);
		}
	}
	return buf_detach(&b);
}

void
http_response_init(struct http_response *resp, size_t cap)
{
	resp->status = 0;
	resp->failure = HTTP_FAIL_NONE;
	resp->retry_after = -1;
	resp->replayable = 0;
	resp->resent = 0;
	buf_init(&resp->body, cap);
}

void
http_response_release(struct http_response *resp)
{
	buf_release(&resp->body);
}
