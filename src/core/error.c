/* Error values and their exit codes (see error.h). */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
{
	va_list ap;
	err->kind = kind;
	err->http_status = 0;
	err->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int
error_prefix(struct error *err, const char *fmt, ...)
{
	char old[sizeof(err->message)];
	va_list ap;
	memcpy(old, err->message, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	/* append ": <old message>", cut to fit */
	size_t used = strlen(err->message), room = sizeof(err->message) - used - 1;
	size_t n = strlen(old);
	if (room >= 2) {
		memcpy(err->message + used, ": ", 2);
		used += 2;
		room -= 2;
		memcpy(err->message + used, old, n < room ? n : room);
		err->message[used + (n < room ? n : room)] = '\0';
	}
	return -1;
}

int
error_suffix(struct error *err, const char *fmt, ...)
{
	size_t used = strlen(err->message);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message + used, sizeof(err->message) - used, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_hint(struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	return -1;
}

void
error_clear(struct error *err)
{
	err->kind = ERROR_NONE;
	err->http_status = 0;
	err->message[0] = '\0';
	err->hint[0] = '\0';
}

int
error_is_network(const struct error *err)
{
	return err->kind == ERROR_UNREACHABLE || err->kind == ERROR_TIMEOUT ||
	       err->kind == ERROR_NETWORK || err->kind == ERROR_TLS;
}

int
error_server_away(const struct error *err)
{
	long s = err->http_status;
	return error_is_network(err) || s >= 500 || s == 408 || s == 429;
}

int
error_exit_code(const struct error *err)
{
	if (error_is_network(err))
		return EXIT_UNREACHABLE;
	switch (err->kind) {
	case ERROR_NONE:
		return EXIT_OK;
	case ERROR_USAGE:
		return EXIT_USAGE;
	case ERROR_INTERRUPTED:
		return EXIT_INTERRUPTED;
	default:
		return EXIT_ERROR;
	}
}
