/*
 * Command context: global options, configuration loading, the API client,
 * and error reporting shared by every command (see command.h, context.h).
 */
#include "cli/context.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/client.h"
#include "cli/interrupt.h"
#include "core/isotime.h"
#include "core/xalloc.h"
#include "ui/fields.h"
#include "ui/message.h"
#include "ui/panel.h"
#include "ui/progress.h"
#include "ui/table.h"
#include "ui/text.h"
#include "ui/yaml_out.h"

static const char *const output_choices[] = { "table", "wide", "json", "jsonl", "yaml", NULL };

static const char *
env_get(const char *name)
{
	return getenv(name);
}

/* clang-format off */
#define GLOBAL_OPTIONS(ctx)                                                                 \
	{                                                                                   \
		OPT_ONE_OF('o', "output", &(ctx)->output, "FORMAT", "Output format",       \
			   output_choices),                                                 \
		OPT_STR(0, "api-url", &(ctx)->api_url_flag, "URL",                          \
			"Prefect API URL, e.g. http://127.0.0.1:4200/api"),                \
		OPT_STR(0, "config", &(ctx)->config_flag, "FILE",                           \
			"Settings file used instead of settings/*.yaml"),                  \
		OPT_FLAG(0, "no-color", &(ctx)->no_color, "Never colour the output"),       \
		OPT_FLAG('v', "verbose", &(ctx)->verbose,                                   \
			 "Trace HTTP requests on stderr (secrets redacted)"),               \
		OPT_TABLE_END,                                                              \
	}
/* clang-format on */

/* The global options without a run, to read their names from. */
static struct cmd_ctx names_only;
static const struct opt_spec global_names[] = GLOBAL_OPTIONS(&names_only);
#define GLOBAL_COUNT (sizeof(global_names) / sizeof(global_names[0]) - 1)

/* The global option arg names ("-o", "--output"), or NULL. */
static const struct opt_spec *
global_named(const char *arg)
{
	for (size_t i = 0; i < GLOBAL_COUNT; i++) {
		const struct opt_spec *o = &global_names[i];
		if ((arg[0] == '-' && arg[1] && arg[1] == o->short_name && !arg[2]) ||
		    (!strncmp(arg, "--", 2) && !strcmp(arg + 2, o->long_name)))
			return o;
	}
	return NULL;
}

int
context_global_takes_value(const char *arg)
{
	const struct opt_spec *o = global_named(arg);
	return o && o->type != OPT_BOOL;
}

int
context_global_known(const char *arg)
{
	static const char *const always[] = { "-h", "--help", "--version" };
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (!strcmp(arg, always[i]))
			return 1;
	if (global_named(arg))
		return 1;
	/* --output=json */
	const char *eq = strchr(arg, '=');
	for (size_t i = 0; eq && !strncmp(arg, "--", 2) && i < GLOBAL_COUNT; i++)
		if (global_names[i].type != OPT_BOOL &&
		    !strncmp(arg + 2, global_names[i].long_name, (size_t)(eq - arg - 2)) &&
		    !global_names[i].long_name[eq - arg - 2])
			return 1;
	return 0;
}

const char *
context_global_long_form(const char *arg)
{
	static char long_forms[GLOBAL_COUNT][32];
	const struct opt_spec *o = global_named(arg);
	if (!o || arg[1] == '-')
		return arg;
	char *form = long_forms[o - global_names];
	snprintf(form, sizeof(long_forms[0]), "--%s", o->long_name);
	return form;
}

void
context_global_help(struct buf *out)
{
	const struct opt_spec *globals = global_names;
	const struct opt_spec none[] = { OPT_TABLE_END };
	struct buf all = BUF_INIT;
	opt_help(&all, "", NULL, none, globals);
	/* keep only the option lists, not the usage line */
	const char *lists = strstr(buf_str(&all), "\nGlobal options:");
	buf_adds(out, lists ? lists : "");
	buf_adds(out, "      --version             Print the version\n");
	buf_release(&all);
}

int
context_stderr_color(void)
{
	struct term t;
	term_detect(&t, 0, stdout, stderr, stdin, env_get);
	return t.color_err;
}

int
cmd_option_error(struct error *err, const char *name)
{
	err->kind = ERROR_USAGE;
	return error_prefix(err, "option '--%s'", name);
}

/* What to try when the API could not be reached, unless the error says already. */
static void
add_network_hint(struct error *err)
{
	if (err->hint[0])
		return;
	if (err->kind == ERROR_UNREACHABLE)
		error_hint(err, "is the server running? Check 'mahavishnu config show --sources', "
				"or start one with 'mahavishnu prefect server start'");
	else if (err->kind == ERROR_TIMEOUT)
		error_hint(err,
			   "the server may be busy; 'timeout' in your settings allows it longer");
}

int
cmd_fail(struct cmd_ctx *ctx, const struct error *err)
{
	struct error shown = *err;
	add_network_hint(&shown);
	message_error(ctx->err, ctx->term.color_err, &shown);
	return error_exit_code(&shown);
}

void
cmd_warn(struct cmd_ctx *ctx, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	message_warning(ctx->err, ctx->term.color_err, text);
}

int
cmd_print(struct cmd_ctx *ctx, const struct buf *text)
{
	message_write(ctx->out, text);
	fflush(ctx->out);
	return EXIT_OK;
}

void
cmd_print_err(struct cmd_ctx *ctx, const struct buf *text)
{
	message_write(ctx->err, text);
	fflush(ctx->err);
}

int
cmd_print_panel(struct cmd_ctx *ctx, struct panel *p)
{
	struct buf out = BUF_INIT;
	panel_render(p, &ctx->term, &out);
	cmd_print(ctx, &out);
	buf_release(&out);
	panel_free(p);
	return EXIT_OK;
}

int
cmd_print_table(struct cmd_ctx *ctx, struct table *t)
{
	struct buf out = BUF_INIT;
	table_render(t, &ctx->term, &out);
	cmd_print(ctx, &out);
	buf_release(&out);
	table_free(t);
	return EXIT_OK;
}

/* Seconds between progress lines when stderr is not a terminal. */
#define PROGRESS_PIPE_EVERY 10.0

/*
 * Whether a pipe is due its next progress line: the first comes
 * PROGRESS_PIPE_EVERY seconds after the work began, so short work writes none.
 */
static int
progress_line_due(struct cmd_ctx *ctx)
{
	double now = isotime_now();
	if (!ctx->progress_logged) {
		ctx->progress_logged = now;
		return 0;
	}
	if (now - ctx->progress_logged < PROGRESS_PIPE_EVERY)
		return 0;
	ctx->progress_logged = now;
	return 1;
}

/* Draw text (already the indicator's words) as the terminal line or a pipe's line. */
static void
progress_show(struct cmd_ctx *ctx, const struct buf *text, double elapsed, unsigned tick)
{
	struct buf line = BUF_INIT;
	if (ctx->term.format == OUTPUT_JSON)
		return; /* machine output: nothing beside it */
	if (ctx->term.err_tty) {
		progress_frame(&line, buf_str(text), elapsed, tick);
	} else if (progress_line_due(ctx)) {
		text_sanitize(&line, buf_str(text), 1);
		buf_addf(&line, " · %.0fs\n", elapsed);
	}
	if (line.len)
		cmd_print_err(ctx, &line);
	buf_release(&line);
}

void
cmd_progress(struct cmd_ctx *ctx, const char *text, double elapsed, unsigned tick)
{
	struct buf words = BUF_INIT;
	buf_adds(&words, text);
	progress_show(ctx, &words, elapsed, tick);
	buf_release(&words);
}

void
cmd_progress_count(struct cmd_ctx *ctx, const char *label, size_t done, size_t total,
		   double elapsed, unsigned tick)
{
	struct buf words = BUF_INIT;
	progress_counts(&words, label, done, total, elapsed, ctx->term.err_tty);
	progress_show(ctx, &words, elapsed, tick);
	buf_release(&words);
}

void
cmd_progress_clear(struct cmd_ctx *ctx)
{
	struct buf line = BUF_INIT;
	ctx->progress_logged = 0;
	if (!ctx->term.err_tty || ctx->term.format == OUTPUT_JSON)
		return;
	progress_clear(&line);
	cmd_print_err(ctx, &line);
	buf_release(&line);
}

/* doc as -o json, jsonl or yaml writes it. */
static int
render_document(const struct term *t, const json_t *doc, struct buf *out, struct error *err)
{
	if (!doc) /* jansson refuses text that is not UTF-8 */
		return error_set(err, ERROR_INVALID, "cannot write JSON: a value is not UTF-8 text");
	if (t->json_style == JSON_YAML)
		return yaml_out_document(out, doc, err);
	if (t->json_style == JSON_LINES)
		fields_json_line(out, doc);
	else
		fields_json(out, doc);
	return 0;
}

int
cmd_print_json(struct cmd_ctx *ctx, const json_t *doc)
{
	struct error err = ERROR_INIT;
	struct buf b = BUF_INIT;
	int rc = render_document(&ctx->term, doc, &b, &err);
	if (rc == 0)
		message_write(ctx->out, &b);
	buf_release(&b);
	return rc < 0 ? cmd_fail(ctx, &err) : EXIT_OK;
}

/* Whether environment variable name is set to something other than "", "0" or "false". */
static int
env_true(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") && strcasecmp(v, "false");
}

int
cmd_confirm(struct cmd_ctx *ctx, const char *question)
{
	char answer[16];
	int assume_yes = env_true("MAHAVISHNU_YES");
	if (!assume_yes && (!ctx->term.in_tty || env_true("MAHAVISHNU_NO_PROMPT")))
		return -1;
	struct buf prompt = BUF_INIT;
	text_sanitize(&prompt, question, 1);
	fprintf(ctx->err, assume_yes ? "%s yes (MAHAVISHNU_YES is set)\n" : "%s [y/N] ",
		buf_str(&prompt));
	fflush(ctx->err);
	buf_release(&prompt);
	if (assume_yes)
		return 1;
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

int
cmd_confirm_delete(struct cmd_ctx *ctx, const char *what, const char *question, int yes,
		   struct error *err)
{
	if (yes)
		return 0;
	int answer = cmd_confirm(ctx, question);
	if (answer < 0) {
		error_set(err, ERROR_USAGE, "not deleting %s without confirmation", what);
		return error_hint(err, "pass --yes to delete without asking");
	}
	return answer ? 0 : error_set(err, ERROR_INVALID, "%s was not deleted", what);
}

/* -o FORMAT's way of writing a document; table output has none but JSON_INDENTED. */
static enum json_style
json_style_of(const char *output)
{
	if (output && !strcmp(output, "jsonl"))
		return JSON_LINES;
	if (output && !strcmp(output, "yaml"))
		return JSON_YAML;
	return JSON_INDENTED;
}

static int
usage_error(struct cmd_ctx *ctx, struct error *err)
{
	error_hint(err, "see 'mahavishnu %s --help'", ctx->path);
	return cmd_fail(ctx, err);
}

static int
load_config(struct cmd_ctx *ctx)
{
	struct strlist warnings = STRLIST_INIT;
	struct error err = ERROR_INIT;
	struct config_load_options o = {
		.explicit_file = ctx->config_flag,
		.flag_api_url = ctx->api_url_flag,
		.flag_api_url_name = "--api-url",
		.base_dir = ".",
		.getenv_fn = env_get,
	};
	int rc = config_load(&ctx->config, &o, &warnings, &err);
	ctx->config_loaded = 1;
	for (size_t i = 0; i < warnings.len; i++)
		message_warning(ctx->err, ctx->term.color_err, warnings.items[i]);
	strlist_release(&warnings);
	if (rc < 0)
		return cmd_fail(ctx, &err);
	if (!strncmp(ctx->path, "prefect ", 8) && !config_get_bool(&ctx->config, CFG_ENABLED)) {
		error_set(&err, ERROR_CONFIG, "the Prefect adapter is disabled (%s)",
			  ctx->config.values[CFG_ENABLED].origin);
		error_hint(&err, "set 'adapters: {prefect: true}' in your settings");
		return cmd_fail(ctx, &err);
	}
	return EXIT_OK;
}

static int
set_up(struct cmd_ctx *ctx)
{
	struct error err = ERROR_INIT;
	if ((ctx->flags & CMD_API_URL) && config_api_url(&ctx->config, &ctx->api_url, &err) < 0)
		return cmd_fail(ctx, &err);
	if ((ctx->flags & CMD_API) == CMD_API)
		ctx->api = cmd_api_at(ctx, ctx->api_url);
	if (ctx->api_url && !strncasecmp(ctx->api_url, "https://", 8) &&
	    config_get_bool(&ctx->config, CFG_TLS_INSECURE))
		cmd_warn(ctx, "TLS certificate verification is off (tls_insecure_skip_verify): "
			      "the server is not authenticated and the API key can be intercepted");
	return EXIT_OK;
}

int
cmd_parse(struct cmd_ctx *ctx, const struct opt_spec *specs, int argc, char **argv)
{
	const struct opt_spec globals[] = GLOBAL_OPTIONS(ctx);
	struct error err = ERROR_INIT;
	int help = 0;
	if (ctx->describe) {
		ctx->describe(ctx->describe_data, specs, globals);
		return CMD_DONE;
	}
	int rc = opt_parse(specs, globals, argc, argv, &help, &err);
	term_detect(&ctx->term, ctx->no_color, ctx->out, ctx->err, stdin, env_get);
	if (rc < 0)
		return usage_error(ctx, &err);
	if (help) {
		struct buf b = BUF_INIT;
		opt_help(&b, ctx->path, ctx->help, specs, globals);
		message_write(ctx->out, &b);
		buf_release(&b);
		return CMD_DONE;
	}
	ctx->term.wide = ctx->output && !strcmp(ctx->output, "wide");
	ctx->term.format = ctx->output && strcmp(ctx->output, "table") && !ctx->term.wide ?
				   OUTPUT_JSON :
				   OUTPUT_TABLE;
	ctx->term.json_style = json_style_of(ctx->output);
	rc = load_config(ctx);
	return rc == EXIT_OK ? set_up(ctx) : rc;
}

static void
trace_line(void *userdata, const char *line)
{
	struct cmd_ctx *ctx = userdata;
	message_trace(ctx->err, line);
}

/*
 * Whether to trace HTTP on stderr: -v, or the settings `debug: true` or
 * `log_level: DEBUG` (PREFECT_LOG_LEVEL=DEBUG), as the spec's debug mode.
 */
static int
cmd_debugging(const struct cmd_ctx *ctx)
{
	const char *level = config_get(&ctx->config, CFG_LOG_LEVEL);
	return ctx->verbose || config_get_bool(&ctx->config, CFG_DEBUG) ||
	       (level && !strcmp(level, "DEBUG"));
}

struct api *
cmd_api_at(struct cmd_ctx *ctx, const char *base_url)
{
	const struct config *c = &ctx->config;
	struct api_settings s = {
		.base_url = base_url,
		.api_key = config_get(c, CFG_API_KEY),
		.auth_string = config_get(c, CFG_AUTH_STRING),
		.ca_file = config_get(c, CFG_SSL_CERT_FILE),
		.insecure = config_get_bool(c, CFG_TLS_INSECURE),
		.connect_timeout_s = config_get_long(c, CFG_CONNECT_TIMEOUT),
		.timeout_s = config_get_long(c, CFG_TIMEOUT),
		.max_retries = (int)config_get_long(c, CFG_MAX_RETRIES),
		.trace = cmd_debugging(ctx) ? trace_line : NULL,
		.trace_userdata = ctx,
		.stop_requested = interrupt_requested,
	};
	return api_new(&s);
}

int
context_run(const struct cmd_entry *entry, int argc, char **argv)
{
	struct cmd_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.path = entry->path;
	ctx.help = entry->help;
	ctx.flags = entry->flags;
	ctx.out = stdout;
	ctx.err = stderr;
	term_detect(&ctx.term, 0, stdout, stderr, stdin, env_get);
	int rc = interrupt_exit_code(entry->exec(&ctx, argc, argv));
	if (rc == CMD_DONE)
		rc = EXIT_OK;
	api_close(ctx.api);
	free(ctx.api_url);
	if (ctx.config_loaded)
		config_release(&ctx.config);
	return rc;
}
