/* Masking passwords in URLs (see url.h). */
#include "core/url.h"

#include <string.h>

#include "core/xalloc.h"

char *
url_redact(const char *url)
{
	const char *scheme = strstr(url, "://");
	if (!scheme)
		return xstrdup(url);
	const char *auth = scheme + 3;
	size_t host_part = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + host_part; p++)
		if (*p == '@')
			at = p; /* the last '@' ends the user info, as Python's urlsplit has it */
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return xstrdup(url);
	return xasprintf("%.*s:****%s", (int)(colon - url), url, at);
}
