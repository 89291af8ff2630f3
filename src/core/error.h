/*
 * Errors that travel up to the command layer, and the exit codes they map to.
 * Below src/cmd nothing prints or exits: fallible functions take a
 * caller-owned struct error *err last and return -1 after error_set().
 * The exit codes are documented in docs/exit-codes.md.
 */
#ifndef CORE_ERROR_H
#define CORE_ERROR_H

enum exit_code {
	EXIT_OK = 0,
	EXIT_ERROR = 1,         /* any failure, validation failure, Failed run */
	EXIT_USAGE = 2,         /* unknown command or option, bad option value */
	EXIT_RUN_CRASHED = 3,   /* --wait: the run ended Crashed */
	EXIT_RUN_CANCELLED = 4, /* --wait: the run ended Cancelled */
	EXIT_GAVE_UP = 5,       /* --wait: --timeout passed; the run goes on */
	EXIT_UNREACHABLE = 6,   /* the Prefect API could not be reached */
	EXIT_INTERRUPTED = 130, /* Ctrl-C */
	EXIT_TERMINATED = 143,  /* SIGTERM, handled as Ctrl-C is */
};

enum error_kind {
	ERROR_NONE = 0,
	ERROR_USAGE,       /* bad command line: exit 2 */
	ERROR_CONFIG,      /* unreadable or invalid configuration */
	ERROR_INVALID,     /* bad input found before any request */
	ERROR_UNREACHABLE, /* nothing was sent: connection refused, DNS: exit 6 */
	ERROR_TIMEOUT,     /* no answer in time: exit 6 */
	ERROR_NETWORK,     /* any other network failure (reset): exit 6 */
	ERROR_TLS,         /* the server's certificate was refused: exit 6 */
	ERROR_API,         /* the server answered with an error */
	ERROR_NOT_FOUND,   /* a named thing does not exist */
	ERROR_AMBIGUOUS,   /* a name or ID prefix matches several things */
	ERROR_CONFLICT,    /* it already exists */
	ERROR_IO,          /* local files */
	ERROR_INTERRUPTED, /* Ctrl-C: exit 130 */
};

struct error {
	enum error_kind kind;
	long http_status; /* 0 unless the server answered */
	char message[512];
	char hint[256]; /* "" for none */
};

/* clang-format off */
#define ERROR_INIT { ERROR_NONE, 0, "", "" }
/* clang-format on */

/* Set the error; always returns -1 so callers can `return error_set(...)`. */
int error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Put context in front of the message: "cannot create flow 'x': <message>". */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add text at the end of the message, cut to fit; returns -1. */
int error_suffix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Attach a hint line (shown as "hint: ..."); returns -1. */
int error_hint(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_clear(struct error *err);
/* Whether the error is one of the network kinds (the API could not be reached). */
int error_is_network(const struct error *err);
/*
 * Whether the server is away rather than refusing: it could not be reached
 * or did not answer (the network kinds), or answered that it cannot now
 * (5xx, 408, 429). A waiter keeps waiting through these.
 */
int error_server_away(const struct error *err);
/* The process exit code for an error. */
int error_exit_code(const struct error *err);

#endif
