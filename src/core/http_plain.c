/*
 * HTTP/1.1 over a plain TCP connection (see http_plain.h): one connection,
 * kept open between requests while the server allows it, and opened again
 * once when a kept connection turns out to have been closed by the server
 * before it read the request (its idle timeout). Responses are read by
 * Content-Length, chunked, or to the end of the connection; the deadline
 * covers the whole request, the connect timeout the connection.
 */
#include "core/http_plain.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/url.h"
#include "core/xalloc.h"

#define HEADER_MAX (64 * 1024)

struct target {
	char host[256]; /* for getaddrinfo: an IPv6 literal without brackets */
	char port[8];
	char authority[280]; /* for the Host header, as written in the URL */
	const char *path;    /* from the first '/', or "/" */
};

struct plain {
	struct http_options opts;
	int fd;        /* -1: no connection */
	char key[280]; /* authority of the open connection */
	struct buf in; /* bytes read and not yet used */
};

/* A request in progress: the deadline and how the answer is coming along. */
struct exchange {
	struct plain *p;
	const char *url;
	double deadline;
	size_t received;
	struct http_response *resp;
};

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int
plain_handles(const char *url, const char *(*getenv_fn)(const char *))
{
	static const char *const proxies[] = { "http_proxy", "all_proxy", "ALL_PROXY" };
	if (strncasecmp(url, "http://", 7))
		return 0;
	const char *end = url + 7 + strcspn(url + 7, "/?#");
	if (memchr(url + 7, '@', (size_t)(end - url - 7)))
		return 0;
	for (size_t i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++) {
		const char *v = getenv_fn(proxies[i]);
		if (v && *v)
			return 0;
	}
	return 1;
}

/* Split http://host[:port]/path; -1 when the URL has no usable host. */
static int
parse_target(const char *url, struct target *t)
{
	const char *auth = url + 7, *end = auth + strcspn(auth, "/?#");
	size_t alen = (size_t)(end - auth);
	const char *colon = NULL;
	if (!alen || alen >= sizeof(t->authority))
		return -1;
	snprintf(t->authority, sizeof(t->authority), "%.*s", (int)alen, auth);
	if (auth[0] == '[') {
		const char *close = memchr(auth, ']', alen);
		if (!close)
			return -1;
		snprintf(t->host, sizeof(t->host), "%.*s", (int)(close - auth - 1), auth + 1);
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(auth, ':', alen);
		size_t hlen = colon ? (size_t)(colon - auth) : alen;
		snprintf(t->host, sizeof(t->host), "%.*s", (int)hlen, auth);
	}
	snprintf(t->port, sizeof(t->port), "%.*s", colon ? (int)(end - colon - 1) : 2,
		 colon ? colon + 1 : "80");
	t->path = *end == '/' ? end : "/";
	return t->host[0] && t->port[0] ? 0 : -1;
}

struct plain *
plain_open(const struct http_options *opts)
{
	struct plain *p = xcalloc(1, sizeof(*p));
	p->opts = *opts;
	p->fd = -1;
	buf_init(&p->in, 0);
	return p;
}

static void
disconnect(struct plain *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	buf_reset(&p->in);
}

void
plain_close(struct plain *p)
{
	if (!p)
		return;
	disconnect(p);
	buf_release(&p->in);
	free(p);
}

static void
trace(const struct plain *p, const char *fmt, const char *a, const char *b)
{
	char line[512];
	if (!p->opts.trace)
		return;
	snprintf(line, sizeof(line), fmt, a, b);
	p->opts.trace(p->opts.trace_userdata, line);
}

static int
fail(struct exchange *x, enum http_failure why, struct error *err, const char *fmt,
     const char *detail)
{
	enum error_kind kind = why == HTTP_FAIL_CONNECT ? ERROR_UNREACHABLE :
			       why == HTTP_FAIL_TIMEOUT ? ERROR_TIMEOUT :
							  ERROR_NETWORK;
	x->resp->failure = why;
	disconnect(x->p);
	return error_set(err, kind, fmt, detail);
}

static int
timed_out(struct exchange *x, struct error *err)
{
	char text[96];
	snprintf(text, sizeof(text), "%ld milliseconds with %zu bytes received",
		 x->p->opts.timeout_ms, x->received);
	return fail(x, HTTP_FAIL_TIMEOUT, err, "Operation timed out after %s", text);
}

/* Wait for events on the connection until deadline; 1 ready, 0 timed out. */
static int
wait_for(int fd, short events, double deadline)
{
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = { fd, events, 0 };
		int n = poll(&pfd, 1, left > 1e6 ? 1000000 : (int)left + 1);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 1; /* the next send or recv reports it */
	}
}

/*
 * Requests leave in one send and answers are awaited at once, so Nagle's
 * delay (holding a small segment until the last is acknowledged, which a
 * delayed ACK makes 40 ms) only ever costs time; curl turns it off too.
 */
static void
set_no_delay(int fd)
{
	int on = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

/* One address: a non-blocking connect within the connect timeout; fd or -1 (errno set). */
static int
connect_one(const struct addrinfo *ai, double deadline)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 || errno == EINPROGRESS) {
		int so = ETIMEDOUT;
		socklen_t len = sizeof(so);
		if (wait_for(fd, POLLOUT, deadline) &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len) == 0 && so == 0) {
			set_no_delay(fd);
			return fd;
		}
		errno = so;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

static int
open_connection(struct exchange *x, const struct target *t, struct error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG }, *ais;
	double connect_deadline = now_ms() + (double)x->p->opts.connect_timeout_ms;
	if (connect_deadline > x->deadline)
		connect_deadline = x->deadline;
	if (getaddrinfo(t->host, t->port, &hints, &ais) != 0)
		return fail(x, HTTP_FAIL_CONNECT, err, "Could not resolve host: %s", t->host);
	int fd = -1, why = ECONNREFUSED;
	for (const struct addrinfo *ai = ais; ai && fd < 0; ai = ai->ai_next)
		if ((fd = connect_one(ai, connect_deadline)) < 0)
			why = errno;
	freeaddrinfo(ais);
	if (fd < 0) {
		char detail[400];
		snprintf(detail, sizeof(detail), "%s port %s: %s", t->host, t->port, strerror(why));
		return fail(x, why == ETIMEDOUT ? HTTP_FAIL_TIMEOUT : HTTP_FAIL_CONNECT, err,
			    "Failed to connect to %s", detail);
	}
	x->p->fd = fd;
	snprintf(x->p->key, sizeof(x->p->key), "%s", t->authority);
	trace(x->p, "* Connected to %s port %s", t->host, t->port);
	return 0;
}

/* The request's head: request line, Host, User-Agent, the caller's headers, length. */
static void
request_head(struct buf *out, const struct plain *p, const char *method, const struct target *t,
	     const char *const *headers, const char *body, size_t body_len)
{
	buf_addf(out, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, t->path, t->authority);
	if (p->opts.user_agent)
		buf_addf(out, "User-Agent: %s\r\n", p->opts.user_agent);
	for (size_t i = 0; headers && headers[i]; i++)
		buf_addf(out, "%s\r\n", headers[i]);
	if (body || strcmp(method, "GET"))
		buf_addf(out, "Content-Length: %zu\r\n", body ? body_len : 0);
	buf_adds(out, "\r\n");
}

static void
trace_head(const struct plain *p, char prefix, const char *head)
{
	if (!p->opts.trace)
		return;
	http_trace_lines(p->opts.trace, p->opts.trace_userdata, prefix, head, strlen(head));
}

/* Send all of data; -1 with errno when the connection breaks. */
static int
send_all(struct exchange *x, const char *data, size_t len, struct error *err)
{
	for (size_t off = 0; off < len;) {
		if (!wait_for(x->p->fd, POLLOUT, x->deadline))
			return timed_out(x, err);
		ssize_t n = send(x->p->fd, data + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return fail(x, HTTP_FAIL_BROKEN, err, "Send failure: %s", strerror(errno));
		off += (size_t)n;
	}
	return 0;
}

/* Read more into p->in: 1 read, 0 end of connection, -1 with err. */
static int
read_more(struct exchange *x, struct error *err)
{
	char chunk[16384];
	for (;;) {
		if (!wait_for(x->p->fd, POLLIN, x->deadline))
			return timed_out(x, err);
		ssize_t n = recv(x->p->fd, chunk, sizeof(chunk), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return fail(x, HTTP_FAIL_BROKEN, err, "Recv failure: %s", strerror(errno));
		buf_add(&x->p->in, chunk, (size_t)n);
		x->received += (size_t)n;
		return n > 0;
	}
}

/* Take n bytes off the front of p->in. */
static void
consume(struct plain *p, size_t n)
{
	memmove(p->in.data, p->in.data + n, p->in.len - n + 1);
	p->in.len -= n;
}

/* What the response head says about the body and the connection. */
struct head {
	long length; /* -1: none given */
	int chunked;
	int close;
};

/* The value of header line `line` (len bytes) when it is `name`, else NULL. */
static const char *
header_value(const char *line, size_t len, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	const char *v = line + n + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	snprintf(out, size, "%.*s", (int)(line + len - v), v);
	return out;
}

/* Whether a Transfer-Encoding value ends in chunked (any case). */
static int
has_chunked(char *value)
{
	for (char *c = value; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return strstr(value, "chunked") != NULL;
}

static void
read_header(struct exchange *x, struct head *h, const char *line, size_t len)
{
	char v[64];
	if (header_value(line, len, "Content-Length", v, sizeof(v)))
		h->length = strtol(v, NULL, 10);
	else if (header_value(line, len, "Transfer-Encoding", v, sizeof(v)))
		h->chunked = has_chunked(v);
	else if (header_value(line, len, "Connection", v, sizeof(v)))
		h->close = !strcasecmp(v, "close");
	else if (header_value(line, len, "Retry-After", v, sizeof(v)))
		x->resp->retry_after = http_retry_after(v);
}

/* Parse the status line and headers in head (NUL-terminated, CRLF lines). */
static int
parse_head(struct exchange *x, const char *head, struct head *h, struct error *err)
{
	int minor = 0;
	long status = 0;
	if (sscanf(head, "HTTP/1.%d %ld", &minor, &status) != 2 || status < 100 || status > 999)
		return fail(x, HTTP_FAIL_OTHER, err, "Unsupported HTTP response: %.40s", head);
	x->resp->status = status;
	h->close = minor == 0;
	for (const char *line = strstr(head, "\r\n"); line && line[2]; line = strstr(line, "\r\n")) {
		line += 2;
		const char *eol = strstr(line, "\r\n");
		read_header(x, h, line, eol ? (size_t)(eol - line) : strlen(line));
	}
	return 0;
}

/* Read the response head; 1 when the connection ended before any byte of it. */
static int
read_head(struct exchange *x, struct head *h, struct error *err)
{
	char *end;
	while (!(end = strstr(buf_str(&x->p->in), "\r\n\r\n"))) {
		if (x->p->in.len > HEADER_MAX)
			return fail(x, HTTP_FAIL_OTHER, err, "%s", "response header too large");
		int rc = read_more(x, err);
		if (rc < 0)
			return -1;
		if (rc == 0 && !x->p->in.len)
			return 1;
		if (rc == 0)
			return fail(x, HTTP_FAIL_BROKEN, err, "%s", "Transfer closed in the header");
	}
	size_t head_len = (size_t)(end - x->p->in.data) + 4;
	char *head = xstrndup(x->p->in.data, head_len - 2);
	consume(x->p, head_len);
	trace_head(x->p, '<', head);
	int rc = parse_head(x, head, h, err);
	free(head);
	return rc;
}

static int
add_body(struct exchange *x, const char *data, size_t n, struct error *err)
{
	if (buf_add(&x->resp->body, data, n) == 0)
		return 0;
	char *shown = url_redact(x->url);
	error_set(err, ERROR_API, "response from %s is larger than %zu bytes", shown,
		  x->p->opts.max_body);
	free(shown);
	disconnect(x->p);
	return -1;
}

/* Make sure p->in holds n bytes; -1 when the connection ends first. */
static int
have(struct exchange *x, size_t n, struct error *err)
{
	while (x->p->in.len < n) {
		int rc = read_more(x, err);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			char left[32];
			snprintf(left, sizeof(left), "%zu", n - x->p->in.len);
			return fail(x, HTTP_FAIL_BROKEN, err,
				    "Transfer closed with %s bytes remaining", left);
		}
	}
	return 0;
}

static int
read_exact(struct exchange *x, size_t n, struct error *err)
{
	if (have(x, n, err) < 0 || add_body(x, x->p->in.data, n, err) < 0)
		return -1;
	consume(x->p, n);
	return 0;
}

/* The line at the front of p->in (without CRLF) into line, consumed. */
static int
read_line(struct exchange *x, char *line, size_t size, struct error *err)
{
	char *eol;
	while (!(eol = strstr(buf_str(&x->p->in), "\r\n"))) {
		if (x->p->in.len > HEADER_MAX)
			return fail(x, HTTP_FAIL_OTHER, err, "%s", "bad chunk: no end of line");
		if (have(x, x->p->in.len + 1, err) < 0)
			return -1;
	}
	size_t len = (size_t)(eol - x->p->in.data);
	snprintf(line, size, "%.*s", (int)len, x->p->in.data);
	consume(x->p, len + 2);
	return 0;
}

static int
read_chunked(struct exchange *x, struct error *err)
{
	char line[256];
	for (;;) {
		if (read_line(x, line, sizeof(line), err) < 0)
			return -1;
		char *end;
		unsigned long n = strtoul(line, &end, 16);
		if (end == line)
			return fail(x, HTTP_FAIL_OTHER, err, "bad chunk size: %.40s", line);
		if (n == 0)
			break;
		if (read_exact(x, n, err) < 0 || read_line(x, line, sizeof(line), err) < 0)
			return -1;
	}
	do /* trailer lines, up to the empty one */
		if (read_line(x, line, sizeof(line), err) < 0)
			return -1;
	while (line[0]);
	return 0;
}

static int
read_to_end(struct exchange *x, struct error *err)
{
	for (;;) {
		if (add_body(x, x->p->in.data, x->p->in.len, err) < 0)
			return -1;
		buf_reset(&x->p->in);
		int rc = read_more(x, err);
		if (rc <= 0)
			return rc;
	}
}

static int
read_body(struct exchange *x, const char *method, struct head *h, struct error *err)
{
	long status = x->resp->status;
	if (!strcmp(method, "HEAD") || status < 200 || status == 204 || status == 304)
		return 0;
	if (h->chunked)
		return read_chunked(x, err);
	if (h->length >= 0)
		return read_exact(x, (size_t)h->length, err);
	h->close = 1;
	return read_to_end(x, err);
}

/* Send the request on the connection there is, or on a new one. */
static int
send_request(struct exchange *x, const struct target *t, const struct buf *head, const char *body,
	     size_t body_len, struct error *err)
{
	if (x->p->fd < 0 && open_connection(x, t, err) < 0)
		return -1;
	trace_head(x->p, '>', buf_str(head));
	struct buf all = BUF_INIT; /* one send: head and body in the same segments */
	buf_add(&all, head->data, head->len);
	if (body)
		buf_add(&all, body, body_len);
	int rc = send_all(x, all.data, all.len, err);
	buf_release(&all);
	return rc;
}

/*
 * Whether a kept connection can carry another request: a server that closed
 * it while it was idle has left an end (or a reset) to read, so it is
 * dropped before anything is sent on it.
 */
static int
still_open(const struct plain *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	return poll(&pfd, 1, 0) == 0;
}

/*
 * One attempt: 1 when a kept connection was found closed before the server
 * could act on the request, so the caller tries once more on a new one: the
 * send failed; 2 (the same, but the answer counts as lost: resp->resent)
 * when, for a request that is safe to repeat (resp->replayable), not one
 * byte came back (an end, or a reset when the request reached a socket the
 * server had just closed, or a server that died on it). For any other
 * request that is a lost answer (HTTP_FAIL_BROKEN).
 */
static int
attempt(struct exchange *x, const struct target *t, const char *method, const struct buf *head,
	const char *body, size_t body_len, struct error *err)
{
	if (x->p->fd >= 0 && !still_open(x->p))
		disconnect(x->p);
	int reused = x->p->fd >= 0, replay = reused && x->resp->replayable;
	struct head h = { -1, 0, 0 };
	x->received = 0;
	if (send_request(x, t, head, body, body_len, err) < 0)
		return reused && x->resp->failure == HTTP_FAIL_BROKEN ? 1 : -1;
	int rc = read_head(x, &h, err);
	if (rc < 0 && replay && !x->received && x->resp->failure == HTTP_FAIL_BROKEN) {
		disconnect(x->p);
		return 2;
	}
	if (rc == 1) {
		disconnect(x->p);
		if (replay)
			return 2;
		return fail(x, HTTP_FAIL_BROKEN, err, "%s", "Empty reply from server");
	}
	if (rc < 0 || read_body(x, method, &h, err) < 0)
		return -1;
	if (h.close)
		disconnect(x->p);
	return 0;
}

int
plain_request(struct plain *p, const char *method, const char *url, const char *const *headers,
	      const char *body, size_t body_len, struct http_response *resp, struct error *err)
{
	struct target t;
	struct exchange x = { p, url, now_ms() + (double)p->opts.timeout_ms, 0, resp };
	buf_reset(&resp->body);
	resp->status = 0;
	resp->failure = HTTP_FAIL_NONE;
	resp->retry_after = -1;
	resp->resent = 0;
	if (parse_target(url, &t) < 0)
		return error_set(err, ERROR_CONFIG, "URL using bad/illegal format: %s", url);
	if (p->fd >= 0 && strcmp(p->key, t.authority))
		disconnect(p);
	struct buf head = BUF_INIT;
	request_head(&head, p, method, &t, headers, body, body_len);
	int rc = attempt(&x, &t, method, &head, body, body_len, err);
	if (rc > 0) {
		resp->resent = rc == 2;
		trace(p, "* %s%s", "the kept connection was closed; connecting again", "");
		error_clear(err);
		resp->failure = HTTP_FAIL_NONE;
		rc = attempt(&x, &t, method, &head, body, body_len, err);
	}
	buf_release(&head);
	return rc;
}
