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
	int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->message))
		snprintf(err->message + n, sizeof(err->message) - (size_t)n, ": %s", old);
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
error_exit_code(const struct error *err)
{
	switch (err->kind) {
	case ERROR_NONE:
		return EXIT_OK;
	case ERROR_USAGE:
		return EXIT_USAGE;
	case ERROR_NETWORK:
		return EXIT_UNREACHABLE;
	case ERROR_INTERRUPTED:
		return EXIT_INTERRUPTED;
	default:
		return EXIT_ERROR;
	}
}
