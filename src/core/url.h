/*
 * URLs as shown to people (a password in the user-info part masked, or only
 * the origin of one whose path may hold a token) and checked before use.
 */
#ifndef CORE_URL_H
#define CORE_URL_H

/* "http://bob:hunter2@host/api" -> "http://bob:****@host/api"; caller frees. */
char *url_redact(const char *url);

/* "http://bob:hunter2@host/api" -> "http://host/api"; caller frees. */
char *url_without_userinfo(const char *url);

/*
 * Whether text is an http:// or https:// URL with a host and, if any, a port
 * in 1..65535; when not, 0 and why holds "'<url>' is not an http(s) URL"
 * (its password masked).
 */
struct buf;
int url_check_http(const char *text, struct buf *why);
/* "https://bob:pw@hooks.example.com:8443/T0/secret?x" -> "https://hooks.example.com:8443". */
char *url_origin(const char *url);

#endif
