/* Masking passwords in URLs (see url.h). */
#include "core/url.h"

#include <string.h>

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
