/*
 * Command context: global options, configuration loading, the API client,
 * and error reporting shared by every command (see command.h, context.h).
 */
#include "cli/context.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/client.h"
#include "core/xalloc.h"
#include "ui/fields.h"
#include "ui/message.h"
#include "ui/panel.h"
#include "ui/progress.h"
#include "ui/table.h"
#include "ui/text.h"

static const char *const output_choices[] = { "table", "json", NULL };

static const char *
env_get(const char *name)
{
	return getenv(name);
}

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

int
context_global_takes_value(const char *arg)
{
	return !strcmp(arg, "-o") || !strcmp(arg, "--output") || !strcmp(arg, "--api-url") ||
	       !strcmp(arg, "--config");
}

const char *
context_global_long_form(const char *arg)
{
	if (!strcmp(arg, "-o"))
		return "--output";
	if (!strcmp(arg, "-v"))
		return "--verbose";
	return arg;
}

void
context_global_help(struct buf *out)
{
	struct cmd_ctx dummy;
	const struct opt_spec globals[] = GLOBAL_OPTIONS(&dummy);
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
cmd_fail(struct cmd_ctx *ctx, const struct error *err)
{
	message_error(ctx->err, ctx->term.color_err, err);
	return error_exit_code(err);
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

void
cmd_progress(struct cmd_ctx *ctx, const char *text, double elapsed, unsigned tick)
{
	struct buf line = BUF_INIT;
	if (!ctx->term.err_tty)
		return;
	progress_frame(&line, text, elapsed, tick);
	cmd_print_err(ctx, &line);
	buf_release(&line);
}

void
cmd_progress_clear(struct cmd_ctx *ctx)
{
	struct buf line = BUF_INIT;
	if (!ctx->term.err_tty)
		return;
	progress_clear(&line);
	cmd_print_err(ctx, &line);
	buf_release(&line);
}

int
cmd_print_json(struct cmd_ctx *ctx, const json_t *doc)
{
	if (!doc) {
		/* jansson refuses text that is not UTF-8 */
		struct error err = ERROR_INIT;
		error_set(&err, ERROR_INVALID, "cannot write JSON: a value is not UTF-8 text");
		return cmd_fail(ctx, &err);
	}
	struct buf b = BUF_INIT;
	fields_json(&b, doc);
	message_write(ctx->out, &b);
	buf_release(&b);
	return EXIT_OK;
}

int
cmd_confirm(struct cmd_ctx *ctx, const char *question)
{
	char answer[16];
	if (!ctx->term.in_tty)
		return -1;
	struct buf prompt = BUF_INIT;
	text_sanitize(&prompt, question, 1);
	fprintf(ctx->err, "%s [y/N] ", buf_str(&prompt));
	fflush(ctx->err);
	buf_release(&prompt);
	if (!fgets(answer, sizeof(answer), stdin))
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
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

int
cmd_parse(struct cmd_ctx *ctx, const struct opt_spec *specs, int argc, char **argv)
{
	const struct opt_spec globals[] = GLOBAL_OPTIONS(ctx);
	struct error err = ERROR_INIT;
	int help = 0;
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
	ctx->term.format = ctx->output && !strcmp(ctx->output, "json") ? OUTPUT_JSON : OUTPUT_TABLE;
	return load_config(ctx);
}

static void
trace_line(void *userdata, const char *line)
{
	struct cmd_ctx *ctx = userdata;
	message_trace(ctx->err, line);
}

int
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
	};
	return api_new(&s);
}

struct api *
cmd_api(struct cmd_ctx *ctx, struct error *err)
{
	char *url = NULL;
	if (ctx->api)
		return ctx->api;
	if (config_api_url(&ctx->config, &url, err) < 0)
		return NULL;
	ctx->api = cmd_api_at(ctx, url);
	free(url);
	return ctx->api;
}

int
context_run(const struct cmd_entry *entry, int argc, char **argv)
{
	struct cmd_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.path = entry->path;
	ctx.help = entry->help;
	ctx.out = stdout;
	ctx.err = stderr;
	term_detect(&ctx.term, 0, stdout, stderr, stdin, env_get);
	int rc = entry->exec(&ctx, argc, argv);
	if (rc == CMD_DONE)
		rc = EXIT_OK;
	api_close(ctx.api);
	if (ctx.config_loaded)
		config_release(&ctx.config);
	return rc;
}
