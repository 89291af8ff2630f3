/*
 * Unit tests for core/http_plain.c, the HTTP/1.1 client for http:// URLs:
 * which URLs it takes, bodies framed by Content-Length, chunks or the end of
 * the connection, a kept connection that the server closed (the request is
 * sent again on a new one), HTTP/1.0, the body cap, a bad status line, a
 * server that never answers, and a refused connection. A raw responder on
 * 127.0.0.1 writes the exact bytes of each answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/http.h"
#include "core/http_plain.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TURNS 4

/* One answer: the raw bytes, then whether to close the connection. */
struct turn {
	const char *bytes; /* NULL: read the request, answer nothing, hold on */
	int close_after;
};

struct raw_server {
	int fd;
	int port;
	pthread_t thread;
	const struct turn *turns;
	size_t nturns;
	int connections; /* accepted so far */
};

/* Read one request (head and Content-Length body); 0 at the end of the connection. */
static int
read_request(int fd)
{
	char buf[8192];
	size_t len = 0;
	while (len < sizeof(buf) - 1) {
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n <= 0)
			return 0;
		len += (size_t)n;
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		const char *cl = strstr(buf, "Content-Length: ");
		size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
		if (end && len >= (size_t)(end - buf) + 4 + body)
			return 1;
	}
	return 0;
}

static void *
serve(void *arg)
{
	struct raw_server *s = arg;
	int conn = -1;
	for (size_t i = 0; i < s->nturns; i++) {
		if (conn < 0) {
			conn = accept(s->fd, NULL, NULL);
			s->connections++;
		}
		if (!read_request(conn)) { /* the client closed this one: take the next */
			close(conn);
			conn = -1;
			i--;
			continue;
		}
		if (!s->turns[i].bytes) {
			sleep(1);
			break;
		}
		send(conn, s->turns[i].bytes, strlen(s->turns[i].bytes), MSG_NOSIGNAL);
		if (s->turns[i].close_after) {
			close(conn);
			conn = -1;
		}
	}
	if (conn >= 0)
		close(conn);
	return NULL;
}

static void
start(struct raw_server *s, const struct turn *turns, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	memset(s, 0, sizeof(*s));
	s->turns = turns;
	s->nturns = n;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 4), 0);
	getsockname(s->fd, (struct sockaddr *)&a, &len);
	s->port = ntohs(a.sin_port);
	pthread_create(&s->thread, NULL, serve, s);
}

static void
stop(struct raw_server *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
}

static struct http *
client(size_t max_body, long timeout_ms)
{
	struct http_options o = { .connect_timeout_ms = 1000,
				  .timeout_ms = timeout_ms,
				  .user_agent = "test",
				  .max_body = max_body };
	return http_open(&o);
}

/* GET url of the server n times; the last response and error in *resp and *err. */
static int
get(struct raw_server *s, struct http *h, int n, struct http_response *resp, struct error *err)
{
	char url[64];
	int rc = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/x", s->port);
	for (int i = 0; i < n && rc == 0; i++)
		rc = http_request(h, "GET", url, NULL, NULL, 0, resp, err);
	return rc;
}

static void
test_bodies(void **state)
{
	/* clang-format off */
	static const struct {
		struct turn turn;
		const char *body;
	} cases[] = {
		{ { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0 }, "hello" },
		{ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n", 0 }, "Wikipedia" },
		{ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", 0 }, "" },
		{ { "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end", 1 }, "to the end" },
		{ { "HTTP/1.0 200 OK\r\n\r\nold", 1 }, "old" },
		{ { "HTTP/1.1 204 No Content\r\n\r\n", 0 }, "" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct raw_server s;
		struct http_response resp;
		struct error err = ERROR_INIT;
		struct http *h = client(1024, 2000);
		start(&s, &cases[i].turn, 1);
		http_response_init(&resp, 1024);
		assert_int_equal(get(&s, h, 1, &resp, &err), 0);
		assert_string_equal(buf_str(&resp.body), cases[i].body);
		http_close(h);
		stop(&s);
		http_response_release(&resp);
	}
}

static void
test_connection_kept_and_reopened(void **state)
{
	static const struct turn kept[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", 0 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nRetry-After: 7\r\n\r\nb", 0 },
	};
	/* the server drops a kept connection after answering (its idle timeout): a
	 * request safe to repeat is sent again on a new one, whether the end was
	 * seen before sending or only after */
	static const struct turn dropped[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", 1 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc", 0 },
	};
	struct raw_server s;
	struct http_response resp;
	struct error err = ERROR_INIT;
	(void)state;
	for (int round = 0; round < 2; round++) {
		struct http *h = client(1024, 2000);
		start(&s, round ? dropped : kept, 2);
		http_response_init(&resp, 1024);
		resp.replayable = 1;
		assert_int_equal(get(&s, h, 2, &resp, &err), 0);
		assert_string_equal(buf_str(&resp.body), round ? "c" : "b");
		if (!round)
			assert_true(resp.retry_after == 7);
		http_close(h);
		stop(&s);
		assert_int_equal(s.connections, round ? 2 : 1);
		http_response_release(&resp);
	}
}

static void
test_failures(void **state)
{
	/* clang-format off */
	static const struct {
		struct turn turn;
		size_t max_body;
		enum error_kind kind;
		const char *message;
	} cases[] = {
		{ { "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789", 0 }, 10,
		  ERROR_API, "larger than 10 bytes" },
		{ { "SSH-2.0-OpenSSH\r\n\r\n", 1 }, 100, ERROR_NETWORK, "Unsupported HTTP response" },
		{ { "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", 1 }, 100, ERROR_NETWORK,
		  "Transfer closed with 4 bytes remaining" },
		{ { "", 1 }, 100, ERROR_NETWORK, "Empty reply from server" },
		{ { NULL, 0 }, 100, ERROR_TIMEOUT, "Operation timed out after 300 milliseconds" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct raw_server s;
		struct http_response resp;
		struct error err = ERROR_INIT;
		struct http *h = client(cases[i].max_body, 300);
		start(&s, &cases[i].turn, 1);
		http_response_init(&resp, cases[i].max_body);
		assert_int_equal(get(&s, h, 1, &resp, &err), -1);
		if (err.kind != cases[i].kind || !strstr(err.message, cases[i].message))
			print_message("case %zu: %d %s\n", i, err.kind, err.message);
		assert_int_equal(err.kind, cases[i].kind);
		assert_non_null(strstr(err.message, cases[i].message));
		http_close(h);
		stop(&s);
		http_response_release(&resp);
	}
}

static void
test_refused(void **state)
{
	struct raw_server s;
	struct http_response resp;
	struct error err = ERROR_INIT;
	struct http *h = client(100, 1000);
	static const struct turn none[] = { { "", 1 } };
	(void)state;
	start(&s, none, 0);
	close(s.fd); /* nothing listens on the port any more */
	pthread_join(s.thread, NULL);
	http_response_init(&resp, 100);
	assert_int_equal(get(&s, h, 1, &resp, &err), -1);
	assert_int_equal(err.kind, ERROR_UNREACHABLE);
	assert_int_equal(resp.failure, HTTP_FAIL_CONNECT);
	assert_non_null(strstr(err.message, "Failed to connect to 127.0.0.1 port"));
	http_close(h);
	http_response_release(&resp);
}

static const char *proxy_env;

static const char *
env_with_proxy(const char *name)
{
	return !strcmp(name, "http_proxy") ? proxy_env : NULL;
}

static void
test_which_urls(void **state)
{
	/* clang-format off */
	static const struct {
		const char *url;
		const char *proxy;
		int plain;
	} cases[] = {
		{ "http://127.0.0.1:4200/api/flows/filter", NULL, 1 },
		{ "HTTP://localhost/api", NULL, 1 },
		{ "http://[::1]:4200/api", NULL, 1 },
		{ "https://api.prefect.cloud/api/x", NULL, 0 },
		{ "http://user:pass@host:4200/api", NULL, 0 },
		{ "http://host/api?next=a@b", NULL, 1 },
		{ "http://127.0.0.1:4200/api", "http://proxy:3128", 0 },
		{ "http://127.0.0.1:4200/api", "", 1 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		proxy_env = cases[i].proxy;
		assert_int_equal(plain_handles(cases[i].url, env_with_proxy), cases[i].plain);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_which_urls),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_connection_kept_and_reopened),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
