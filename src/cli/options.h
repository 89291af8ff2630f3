/*
 * Declarative option parsing. A command lists its options and positional
 * arguments in a local table pointing at local variables; the parser fills
 * them, checks types, ranges, choices and required values, and generates
 * the usage and --help text from the same table.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include "core/buf.h"
#include "core/error.h"
#include "core/strlist.h"

enum opt_type {
	OPT_END = 0,
	OPT_BOOL,   /* int *: set to 1 */
	OPT_STRING, /* const char **: points into argv */
	OPT_INT,    /* long *: checked against min..max */
	OPT_CHOICE, /* const char **: one of choices */
	OPT_LIST,   /* struct strlist *: repeatable */
	OPT_ARG,    /* const char **: positional argument */
};

enum opt_flags {
	OPT_REQUIRED = 1 << 0,
	OPT_HIDDEN = 1 << 1, /* accepted but not listed in --help */
	OPT_PLAIN = 1 << 2,  /* a name the server keeps: no control characters */
};

struct opt_spec {
	enum opt_type type;
	char short_name;       /* 0 for none */
	const char *long_name; /* without "--"; for OPT_ARG the placeholder */
	void *value;
	const char *value_name; /* "NAME" in "--name NAME" */
	const char *help;
	unsigned flags;
	long min, max;              /* OPT_INT range */
	const char *const *choices; /* OPT_CHOICE, NULL-terminated */
};

/* clang-format off */
#define OPT_FLAG(s, l, v, h) { OPT_BOOL, s, l, v, NULL, h, 0, 0, 0, NULL }
#define OPT_STR(s, l, v, vn, h) { OPT_STRING, s, l, v, vn, h, 0, 0, 0, NULL }
#define OPT_STR_REQ(s, l, v, vn, h) { OPT_STRING, s, l, v, vn, h, OPT_REQUIRED, 0, 0, NULL }
#define OPT_NUM(s, l, v, vn, h, lo, hi) { OPT_INT, s, l, v, vn, h, 0, lo, hi, NULL }
#define OPT_ONE_OF(s, l, v, vn, h, c) { OPT_CHOICE, s, l, v, vn, h, 0, 0, 0, c }
#define OPT_MULTI(s, l, v, vn, h) { OPT_LIST, s, l, v, vn, h, 0, 0, 0, NULL }
#define OPT_NAME_REQ(s, l, v, vn, h) { OPT_STRING, s, l, v, vn, h, OPT_REQUIRED | OPT_PLAIN, 0, 0, NULL }
#define OPT_POS(name, v, h) { OPT_ARG, 0, name, v, NULL, h, OPT_REQUIRED, 0, 0, NULL }
#define OPT_POS_NAME(name, v, h) { OPT_ARG, 0, name, v, NULL, h, OPT_REQUIRED | OPT_PLAIN, 0, 0, NULL }
#define OPT_POS_OPTIONAL(name, v, h) { OPT_ARG, 0, name, v, NULL, h, 0, 0, 0, NULL }
#define OPT_TABLE_END { OPT_END, 0, NULL, NULL, NULL, NULL, 0, 0, 0, NULL }
/* clang-format on */

/*
 * Parse argv (the words after the command path) against the command's
 * specs and then the global specs; a command's own option wins over a
 * global one with the same name. *help_out is set when -h/--help is seen
 * (parsing stops there). Returns 0, or -1 with an ERROR_USAGE err whose
 * message names the option or value at fault.
 */
int opt_parse(const struct opt_spec *specs, const struct opt_spec *globals, int argc, char **argv,
	      int *help_out, struct error *err);

/* "usage: mahavishnu PATH --name NAME [options] FLOW" */
void opt_usage(struct buf *out, const char *path, const struct opt_spec *specs);
/* Usage, the help text, then option lists for specs and globals. */
void opt_help(struct buf *out, const char *path, const char *help, const struct opt_spec *specs,
	      const struct opt_spec *globals);

#endif
