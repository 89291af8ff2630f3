/* The local Prefect server's database URL (see local_database.h). */
#include "cmd/prefect/local_database.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/url.h"
#include "core/xalloc.h"

#define SUMMARY_FILE "server.database"

/* Scheme prefixes accepted, and what Prefect is given instead. */
static const struct {
	const char *given, *kind, *prefect;
} schemes[] = {
	{ "postgresql+asyncpg://", "postgresql", "postgresql+asyncpg://" },
	{ "postgresql://", "postgresql", "postgresql+asyncpg://" },
	{ "postgres://", "postgresql", "postgresql+asyncpg://" },
	{ "sqlite+aiosqlite://", "sqlite", "sqlite+aiosqlite://" },
	{ "sqlite://", "sqlite", "sqlite+aiosqlite://" },
};

static int
hex(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* %XX decoded; caller frees. */
static char *
percent_decoded(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			buf_addf(&b, "%c",
				 (char)(hex((unsigned char)s[i + 1]) * 16 +
					hex((unsigned char)s[i + 2])));
			i += 2;
		} else {
			buf_addf(&b, "%c", s[i]);
		}
	}
	return buf_detach(&b);
}

/* The value of NAME= in a query string, or NULL; caller frees. */
static char *
query_value(const char *query, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL)
		if (strncmp(p, name, len) == 0 && p[len] == '=')
			return xstrndup(p + len + 1, strcspn(p + len + 1, "&#"));
	return NULL;
}

static int
parse_postgres(const char *rest, struct local_database *db, struct error *err)
{
	size_t authority = strcspn(rest, "/?#");
	const char *at = NULL;
	for (const char *p = rest; p < rest + authority; p++)
		if (*p == '@')
			at = p;
	const char *host = at ? at + 1 : rest;
	size_t host_len = (size_t)(rest + authority - host);
	if (at) {
		const char *colon = memchr(rest, ':', (size_t)(at - rest));
		if (colon && colon + 1 < at) {
			db->password = xstrndup(colon + 1, (size_t)(at - colon - 1));
			db->password_decoded = percent_decoded(colon + 1, (size_t)(at - colon - 1));
		}
	}
	const char *path = rest + authority;
	const char *query = strchr(path, '?');
	char *name = NULL, *socket = query ? query_value(query + 1, "host") : NULL;
	if (*path == '/')
		name = percent_decoded(path + 1, strcspn(path + 1, "?#"));
	int rc = 0;
	if (!name || !*name)
		rc = error_set(
			err, ERROR_USAGE,
			"'%s' names no database (postgresql://USER:PASSWORD@HOST:PORT/DATABASE)",
			db->shown);
	else if (!host_len && !socket)
		rc = error_set(err, ERROR_USAGE,
			       "'%s' names no host (postgresql://USER:PASSWORD@HOST:PORT/DATABASE)",
			       db->shown);
	else {
		struct buf s = BUF_INIT;
		buf_addf(&s, "postgresql: %s on ", name);
		if (host_len)
			buf_addf(&s, "%.*s", (int)host_len, host);
		else
			buf_addf(&s, "%s", socket);
		db->summary = buf_detach(&s);
	}
	free(name);
	free(socket);
	return rc;
}

int
local_database_parse(const char *text, struct local_database *db, struct error *err)
{
	memset(db, 0, sizeof(*db));
	db->shown = url_redact(text); /* errors quote the URL as given, masked */
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].given);
		if (strncasecmp(text, schemes[i].given, n) != 0)
			continue;
		const char *rest = text + n;
		int rc = 0;
		db->kind = xstrdup(schemes[i].kind);
		db->url = xasprintf("%s%s", schemes[i].prefect, rest);
		if (strcmp(db->kind, "postgresql") == 0)
			rc = parse_postgres(rest, db, err);
		else if (rest[0] != '/' || !rest[1]) /* sqlite:///relative or sqlite:////absolute */
			rc = error_set(err, ERROR_USAGE, "'%s' names no file (sqlite:///PATH)",
				       db->shown);
		else
			db->summary = xasprintf("sqlite: %s", rest + 1);
		free(db->shown);
		db->shown = url_redact(db->url); /* from here on, what Prefect gets */
		return rc;
	}
	return error_set(err, ERROR_USAGE,
			 "'%s' is not a PostgreSQL or SQLite URL "
			 "(postgresql://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:///PATH)",
			 db->shown);
}

void
local_database_release(struct local_database *db)
{
	free(db->url);
	free(db->shown);
	free(db->kind);
	free(db->password);
	free(db->password_decoded);
	free(db->summary);
	memset(db, 0, sizeof(*db));
}

static void
scrub_one(const char *secret, char *text, size_t n)
{
	if (!secret || !*secret)
		return;
	size_t len = strlen(secret);
	for (char *p = strstr(text, secret); p; p = strstr(p, secret)) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%.*s****%s", (int)(p - text), text, p + len);
		snprintf(text, n, "%s", buf_str(&b));
		p = text + (p - text) + 4;
		buf_release(&b);
		if ((size_t)(p - text) >= n)
			break;
	}
}

void
local_database_scrub(const struct local_database *db, char *text, size_t n)
{
	scrub_one(db->password, text, n);
	scrub_one(db->password_decoded, text, n);
}

static char *
summary_path(const char *dir)
{
	return xasprintf("%s/%s", dir, SUMMARY_FILE);
}

void
local_database_remember(const char *dir, const char *summary)
{
	char *path = summary_path(dir);
	FILE *f = summary ? fopen(path, "w") : NULL;
	if (f) {
		fprintf(f, "%s\n", summary);
		fclose(f);
	} else if (!summary) {
		unlink(path);
	}
	free(path);
}

char *
local_database_recall(const char *dir)
{
	char *path = summary_path(dir), line[1024];
	FILE *f = fopen(path, "r");
	char *text = f && fgets(line, sizeof(line), f) ? xstrdup(line) : NULL;
	if (f)
		fclose(f);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	free(path);
	return text;
}
