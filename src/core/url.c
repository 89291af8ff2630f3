/* URLs as shown to people, and checked (see url.h). */
#include "core/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/xalloc.h"

/* Where the user info starts (after "://") and its '@', or NULL when there is none. */
static const char *
userinfo_at(const char *url, const char **auth)
{
	const char *scheme = strstr(url, "://");
	if (!scheme)
		return NULL;
	*auth = scheme + 3;
	size_t host_part = strcspn(*auth, "/?#");
	const char *at = NULL;
	for (const char *p = *auth; p < *auth + host_part; p++)
		if (*p == '@')
			at = p; /* the last '@' ends the user info, as Python's urlsplit has it */
	return at;
}

char *
url_redact(const char *url)
{
	const char *auth = NULL, *at = userinfo_at(url, &auth);
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return xstrdup(url);
	return xasprintf("%.*s:****%s", (int)(colon - url), url, at);
}

char *
url_without_userinfo(const char *url)
{
	const char *auth = NULL, *at = userinfo_at(url, &auth);
	if (!at)
		return xstrdup(url);
	return xasprintf("%.*s%s", (int)(auth - url), url, at + 1);
}

/*
 * The authority of a URL (between "//" and the path): [user@]host[:port].
 * 1 when well formed; 0 when not, or when the port is not 1..65535 (*port_out
 * then holds it, else -1).
 */
static int
authority_ok(const char *s, size_t n, long *port_out)
{
	const char *end = s + n, *host = s, *port;
	for (const char *p = s; p < end; p++)
		if (*p == '@')
			host = p + 1;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));
		if (!close || close == host + 1 || (close + 1 < end && close[1] != ':'))
			return 0;
		port = close + 1;
	} else {
		port = memchr(host, ':', (size_t)(end - host));
		if (!port)
			port = end;
		if (port == host)
			return 0;
	}
	*port_out = -1;
	if (port == end)
		return 1;
	if (++port == end)
		return 0;
	long value = 0;
	for (; port < end; port++) {
		if (!isdigit((unsigned char)*port))
			return 0;
		value = value > 65535 ? value : value * 10 + (*port - '0');
	}
	if (value < 1 || value > 65535) {
		*port_out = value;
		return 0;
	}
	return 1;
}

int
url_check_http(const char *text, struct buf *why)
{
	size_t skip = !strncasecmp(text, "http://", 7)  ? 7 :
		      !strncasecmp(text, "https://", 8) ? 8 :
							  0;
	const char *rest = text + skip;
	long port = -1;
	if (skip && !strchr(text, ' ') && authority_ok(rest, strcspn(rest, "/?#"), &port))
		return 1;
	char *shown = url_redact(text);
	if (port >= 0)
		buf_addf(why, "'%s' has a port outside 1..65535", shown);
	else
		buf_addf(why, "'%s' is not an http(s) URL", shown);
	free(shown);
	return 0;
}

char *
url_origin(const char *url)
{
	char *plain = url_without_userinfo(url);
	const char *scheme = strstr(plain, "://");
	size_t end = scheme ? (size_t)(scheme + 3 - plain) + strcspn(scheme + 3, "/?#") : 0;
	plain[end] = '\0';
	return plain;
}
