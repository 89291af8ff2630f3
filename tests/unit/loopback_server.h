/*
 * A tiny scripted HTTP/1.1 responder on 127.0.0.1 for the API client tests.
 * One thread accepts connections one after another and reads the requests
 * on each one at a time (keep-alive: several requests per connection),
 * records them and answers through the test's callback. It stands in only
 * for answers a real Prefect server will not give on demand (a smaller page
 * cap, a 503, a refused connection). Read the recorded requests only after
 * loopback_stop(), which joins the thread.
 */
#ifndef TESTS_LOOPBACK_SERVER_H
#define TESTS_LOOPBACK_SERVER_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"

#define LOOPBACK_MAX_REQUESTS 16

struct loopback_request {
	char method[16];
	char target[256];
	char headers[4096]; /* the header lines, each ending in "\r\n" */
	char body[4096];
	int connection; /* which accepted connection carried it, from 0 */
};

/*
 * Append to reply the whole HTTP response to request number index (from 0
 * over the server's life); leave reply empty to close the connection
 * without an answer.
 */
typedef void (*loopback_fn)(void *data, const struct loopback_request *req, size_t index,
			    struct buf *reply);

struct loopback {
	int listen_fd;
	int wake[2]; /* a byte written here stops the thread */
	pthread_t thread;
	loopback_fn respond;
	void *data;
	char url[64]; /* "http://127.0.0.1:PORT/api" */
	size_t count; /* requests seen (the first LOOPBACK_MAX_REQUESTS are kept) */
	int connections;
	struct loopback_request requests[LOOPBACK_MAX_REQUESTS];
};

/* A complete response with a JSON content type; extra_headers end in "\r\n". */
static void
loopback_reply(struct buf *reply, int status, const char *extra_headers, const char *body)
{
	buf_addf(reply,
		 "HTTP/1.1 %d Scripted\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\n%s\r\n%s",
		 status, strlen(body), extra_headers ? extra_headers : "", body);
}

/*
 * The value of header name (any case) in headers, lines ending in "\r\n",
 * copied into out; NULL when absent.
 */
static const char *
loopback_header(const char *headers, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	const char *line = headers, *eol;
	for (; (eol = strstr(line, "\r\n")) != NULL; line = eol + 2) {
		if ((size_t)(eol - line) <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
			continue;
		const char *v = line + nl + 1;
		v += strspn(v, " \t");
		snprintf(out, size, "%.*s", (int)(eol - v), v);
		return out;
	}
	return NULL;
}

/* Wait until fd is readable: 1, or 0 once the server is told to stop. */
static int
loopback_wait(struct loopback *lb, int fd)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { lb->wake[0], POLLIN, 0 } };
	for (;;) {
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || p[1].revents)
			return 0;
		if (p[0].revents)
			return 1;
	}
}

/* Read more of the connection into in: 0 on end of stream, error or stop. */
static int
loopback_read(struct loopback *lb, int fd, struct buf *in)
{
	char chunk[4096];
	if (!loopback_wait(lb, fd))
		return 0;
	ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
	if (n <= 0)
		return 0;
	buf_add(in, chunk, (size_t)n);
	return 1;
}

static int
loopback_send(int fd, const struct buf *reply)
{
	for (size_t off = 0; off < reply->len;) {
		ssize_t n = send(fd, reply->data + off, reply->len - off, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Answer the requests of one connection until the client closes it. */
static void
loopback_serve(struct loopback *lb, int fd)
{
	struct buf in = BUF_INIT, reply = BUF_INIT;
	for (;;) {
		const char *end;
		while (!(end = strstr(buf_str(&in), "\r\n\r\n")))
			if (!loopback_read(lb, fd, &in))
				goto done;
		struct loopback_request req;
		char length[32];
		const char *first_eol = strstr(buf_str(&in), "\r\n");
		size_t head_len = (size_t)(end - in.data) + 4, body_len = 0;
		memset(&req, 0, sizeof(req));
		sscanf(in.data, "%15s %255s", req.method, req.target);
		snprintf(req.headers, sizeof(req.headers), "%.*s", (int)(end - first_eol),
			 first_eol + 2);
		if (loopback_header(req.headers, "Content-Length", length, sizeof(length)))
			body_len = (size_t)strtoul(length, NULL, 10);
		while (in.len < head_len + body_len)
			if (!loopback_read(lb, fd, &in))
				goto done;
		snprintf(req.body, sizeof(req.body), "%.*s", (int)body_len, in.data + head_len);
		req.connection = lb->connections;
		if (lb->count < LOOPBACK_MAX_REQUESTS)
			lb->requests[lb->count] = req;

		buf_reset(&reply);
		lb->respond(lb->data, &req, lb->count++, &reply);
		if (!reply.len || loopback_send(fd, &reply) < 0)
			goto done;

		size_t used = head_len + body_len;
		memmove(in.data, in.data + used, in.len - used + 1);
		in.len -= used;
	}
done:
	close(fd);
	buf_release(&in);
	buf_release(&reply);
}

static void *
loopback_main(void *arg)
{
	struct loopback *lb = arg;
	while (loopback_wait(lb, lb->listen_fd)) {
		int fd = accept(lb->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		loopback_serve(lb, fd);
		lb->connections++;
	}
	return NULL;
}

/*
 * A socket bound to a free port of 127.0.0.1, its API URL written to url;
 * -1 on failure. Until listen() is called on it, connections to the port
 * are refused, and no other program can take the port while it is open.
 */
static int
loopback_bind(char *url, size_t size)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		close(fd);
		return -1;
	}
	snprintf(url, size, "http://127.0.0.1:%u/api", (unsigned)ntohs(addr.sin_port));
	return fd;
}

/* Start answering with respond(data, ...); NULL when the socket cannot be set up. */
static struct loopback *
loopback_start(loopback_fn respond, void *data)
{
	struct loopback *lb = xcalloc(1, sizeof(*lb));
	lb->respond = respond;
	lb->data = data;
	lb->listen_fd = loopback_bind(lb->url, sizeof(lb->url));
	if (lb->listen_fd < 0) {
		free(lb);
		return NULL;
	}
	if (listen(lb->listen_fd, 8) < 0 || pipe(lb->wake) < 0) {
		close(lb->listen_fd);
		free(lb);
		return NULL;
	}
	if (pthread_create(&lb->thread, NULL, loopback_main, lb) != 0) {
		close(lb->listen_fd);
		close(lb->wake[0]);
		close(lb->wake[1]);
		free(lb);
		return NULL;
	}
	return lb;
}

/* Stop the thread and close the sockets; the recorded requests stay readable. */
static void
loopback_stop(struct loopback *lb)
{
	ssize_t n = write(lb->wake[1], "x", 1);
	(void)n;
	pthread_join(lb->thread, NULL);
	close(lb->listen_fd);
	close(lb->wake[0]);
	close(lb->wake[1]);
}

#endif
