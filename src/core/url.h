/* URLs as shown to people: a password in the user-info part is masked. */
#ifndef CORE_URL_H
#define CORE_URL_H

/* "http://bob:hunter2@host/api" -> "http://bob:****@host/api"; caller frees. */
char *url_redact(const char *url);

/* "http://bob:hunter2@host/api" -> "http://host/api"; caller frees. */
char *url_without_userinfo(const char *url);

#endif
