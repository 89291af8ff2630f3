/*
 * HTTP/1.1 over a plain TCP connection, for http:// URLs: what a local or
 * in-cluster Prefect server speaks. It needs no library, so a command that
 * talks to such a server does not load libcurl and its thirty libraries
 * (about 6 MB of memory and 5 ms at start); https://, proxies and user info
 * in the URL go through libcurl (core/http.c decides). Private to core/http.c.
 */
#ifndef CORE_HTTP_PLAIN_H
#define CORE_HTTP_PLAIN_H

#include "core/http.h"

struct plain;

/* Whether url can go over a plain connection: http://, no user info, no proxy in env. */
int plain_handles(const char *url, const char *(*getenv_fn)(const char *));

struct plain *plain_open(const struct http_options *opts);
void plain_close(struct plain *p);

/* As http_request; the connection is kept for the next request when the server allows. */
int plain_request(struct plain *p, const char *method, const char *url, const char *const *headers,
		  const char *body, size_t body_len, struct http_response *resp, struct error *err);

#endif
