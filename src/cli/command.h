/*
 * Commands: the entry every command file exports, and the per-run context
 * handed to it.
 *
 * Adding a command:
 *   1. copy the nearest src/cmd/<group>/<noun>_<verb>.c and rename its entry;
 *   2. declare what it needs in the entry's flags (CMD_API, CMD_API_URL);
 *   3. list the entry in src/cli/command_table.c (kept sorted by path);
 *   4. put any new REST call or request body in src/api/, never in the
 *      command file;
 *   5. add integration tests under tests/integration/ (success, server
 *      error, bad input) and document it in docs/commands.md.
 * A command's exec parses its options with cmd_parse(), calls src/api/, and
 * renders through src/ui/; it returns an exit code (core/error.h). What it
 * needs from the run (the Prefect API) it declares in its entry's flags.
 */
#ifndef CLI_COMMAND_H
#define CLI_COMMAND_H

#include <jansson.h>
#include <stdio.h>

#include "cli/options.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "ui/term.h"

struct api;

/* What a command needs, set up by cmd_parse() once the configuration is loaded. */
enum cmd_flags {
	CMD_API_URL = 1 << 0, /* ctx->api_url: the effective Prefect API URL */
	CMD_API = 1 << 1 |
		  CMD_API_URL, /* and ctx->api, a client for it (it connects on first use) */
};

struct cmd_ctx {
	const char *path; /* "prefect flow create" */
	const char *help; /* the entry's long help */
	unsigned flags;   /* the entry's CMD_* flags */
	struct term term;
	struct config config;
	int config_loaded;
	char *api_url;   /* with CMD_API_URL */
	struct api *api; /* with CMD_API */
	/* global options */
	const char *output; /* "table" | "wide" | "json" | "jsonl" | "yaml" (or NULL: table) */
	const char *api_url_flag;
	const char *config_flag;
	int no_color;
	int verbose;
	double progress_logged; /* when progress last wrote a line to a pipe (0: not yet) */
	FILE *out;              /* stdout */
	FILE *err;              /* stderr */
	/*
	 * Set only to read a command's options (cli/introspect.h): cmd_parse()
	 * hands them to describe and returns CMD_DONE without parsing.
	 */
	void (*describe)(void *data, const struct opt_spec *specs, const struct opt_spec *globals);
	void *describe_data;
};

struct cmd_entry {
	const char *path;    /* words after the program name */
	const char *summary; /* one line for group listings */
	const char *help;    /* paragraphs shown by --help (may be NULL) */
	unsigned flags;      /* CMD_* */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

/*
 * Parse a command's options (plus the global ones), then load the
 * configuration, settle the output format and set up what the entry's
 * flags ask for. Returns EXIT_OK to go on, EXIT_USAGE after printing a
 * usage error, or CMD_DONE after printing --help (the command then returns
 * EXIT_OK). Config errors print and return their exit code.
 */
#define CMD_DONE (-1)
/* (With ctx->describe set, it only describes the options; see above.) */
int cmd_parse(struct cmd_ctx *ctx, const struct opt_spec *specs, int argc, char **argv);

/* Write rendered output to stdout; returns EXIT_OK. */
int cmd_print(struct cmd_ctx *ctx, const struct buf *text);
/* Write progress text to stderr as it is (no newline added). */
void cmd_print_err(struct cmd_ctx *ctx, const struct buf *text);
/* Render a panel or table to stdout and free it; returns EXIT_OK. */
struct panel;
struct table;
int cmd_print_panel(struct cmd_ctx *ctx, struct panel *p);
int cmd_print_table(struct cmd_ctx *ctx, struct table *t);
/*
 * Progress of long work, in the one style of ui/progress.h: on a terminal the
 * line on stderr (re)drawn; in a pipe a plain line every 10 s (none for work
 * shorter than that); nothing with -o json, jsonl or yaml. tick turns the
 * spinner.
 */
void cmd_progress(struct cmd_ctx *ctx, const char *text, double elapsed, unsigned tick);
/* The same for counted work: a bar, done/total, the rate and the time left. */
void cmd_progress_count(struct cmd_ctx *ctx, const char *label, size_t done, size_t total,
			double elapsed, unsigned tick);
/* The work is over: on a terminal, erase the line. */
void cmd_progress_clear(struct cmd_ctx *ctx);
/* Write a JSON document (the -o json output) to stdout; returns EXIT_OK. */
int cmd_print_json(struct cmd_ctx *ctx, const json_t *doc);
/*
 * Ask "question [y/N] " on the terminal. Returns 1 for yes, 0 for no; when
 * stdin is not a terminal, or MAHAVISHNU_NO_PROMPT is set, returns -1 (the
 * caller names its flag, --yes). MAHAVISHNU_YES set answers yes, saying so.
 */
int cmd_confirm(struct cmd_ctx *ctx, const char *question);

/*
 * Before deleting what (e.g. "flow 'etl'"): unless yes (--yes), ask
 * question on the terminal. 0 to go on; a usage error when stdin is not a
 * terminal (naming --yes), an error when the answer is no.
 */
int cmd_confirm_delete(struct cmd_ctx *ctx, const char *what, const char *question, int yes,
		       struct error *err);

/* A separate API client for base_url with this run's settings; api_close() it. */
struct api *cmd_api_at(struct cmd_ctx *ctx, const char *base_url);

/* The value of option --NAME is wrong: err becomes a usage error saying so; returns -1. */
int cmd_option_error(struct error *err, const char *name);
/* Print err (and its hint) to stderr; returns its exit code. */
int cmd_fail(struct cmd_ctx *ctx, const struct error *err);
/* Print "mahavishnu: warning: ..." to stderr. */
void cmd_warn(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
