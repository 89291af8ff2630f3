/*
 * The database of the local Prefect server (`server start --database URL`):
 * the URL as Prefect wants it, the same URL with its password masked, and a
 * one-line summary that `server status` shows. The password never leaves
 * `url`: everything meant for people is built from the masked form.
 */
#ifndef CMD_PREFECT_LOCAL_DATABASE_H
#define CMD_PREFECT_LOCAL_DATABASE_H

#include "core/error.h"

/* Prefect's setting, and the newer name of it (which wins when both are set). */
#define LOCAL_DATABASE_ENV "PREFECT_API_DATABASE_CONNECTION_URL"
#define LOCAL_DATABASE_ENV_NEW "PREFECT_SERVER_DATABASE_CONNECTION_URL"

struct local_database {
	char *url;              /* postgresql+asyncpg://... or sqlite+aiosqlite:///...; secret */
	char *shown;            /* url with the password masked */
	char *kind;             /* "postgresql" or "sqlite" */
	char *password;         /* the password alone (to scrub it from text), or NULL */
	char *password_decoded; /* the same with %XX decoded */
	char *summary;          /* "postgresql: prefect on 127.0.0.1:5432", "sqlite: /x.db" */
};

/*
 * Read a database URL: postgresql+asyncpg://, postgresql:// or postgres://
 * (the scheme becomes postgresql+asyncpg://, the async driver Prefect
 * needs), or sqlite+aiosqlite:///PATH, sqlite:///PATH. A PostgreSQL URL
 * needs a database name and a host (or ?host=/socket/dir). Errors quote the
 * masked URL only.
 */
int local_database_parse(const char *text, struct local_database *db, struct error *err);
void local_database_release(struct local_database *db);

/* Replace every occurrence of db's password in text (a NUL-terminated buffer of size n) with ****. */
void local_database_scrub(const struct local_database *db, char *text, size_t n);

/* Remember the summary of the running server's database in DIR (NULL forgets it). */
void local_database_remember(const char *dir, const char *summary);
/* The remembered summary, or NULL; caller frees. */
char *local_database_recall(const char *dir);

#endif
