/* mahavishnu config show: the effective settings and where each came from. */
#include <stdlib.h>

#include "cli/command.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "ui/table.h"
#include "ui/text.h"

#define SECRET_MASK "********"

/* The value as shown: secrets masked, passwords in URLs masked; caller frees. */
static char *
shown_value(const struct config *cfg, enum config_key key)
{
	const char *v = config_get(cfg, key);
	if (!v)
		return NULL;
	if (config_key_is_secret(key))
		return xstrdup(SECRET_MASK);
	return config_key_kind(key) == CONFIG_KIND_URL ? url_redact(v) : xstrdup(v);
}

static json_t *
typed_json(const struct config *cfg, enum config_key key)
{
	char *v = shown_value(cfg, key);
	json_t *value = !v ? json_null() :
			config_key_kind(key) == CONFIG_KIND_INT ?
			     json_integer(config_get_long(cfg, key)) :
			config_key_kind(key) == CONFIG_KIND_BOOL ?
			     json_boolean(config_get_bool(cfg, key)) :
			     json_string(v);
	free(v);
	return value;
}

static json_t *
setting_json(const struct config *cfg, enum config_key key, int sources)
{
	json_t *value = typed_json(cfg, key);
	if (!sources)
		return value;
	const struct config_value *cv = &cfg->values[key];
	return json_pack("{s:o,s:s,s:s}", "value", value, "source", config_source_name(cv->source),
			 "origin", cv->origin);
}

static int
render_json(struct cmd_ctx *ctx, const char *api_url, int sources)
{
	json_t *settings = json_object();
	for (int k = 0; k < CFG__COUNT; k++)
		json_object_set_new(settings, config_key_name(k),
				    setting_json(&ctx->config, k, sources));
	json_t *doc = json_pack("{s:o,s:s?}", "settings", settings, "effective_api_url", api_url);
	cmd_print_json(ctx, doc);
	json_decref(doc);
	return EXIT_OK;
}

/* "Effective API URL: URL" under the table, wrapped to the width like the table. */
static void
add_api_url(struct buf *out, const char *api_url, const struct term *term)
{
	struct strlist lines = STRLIST_INIT;
	char *line = xasprintf("Effective API URL: %s", api_url);
	char *clean = text_sanitize_dup(line, 1);
	text_wrap(clean, term->wide ? (size_t)-1 : (size_t)term->width, &lines);
	for (size_t i = 0; i < lines.len; i++)
		buf_addf(out, "%s\n", lines.items[i]);
	strlist_release(&lines);
	free(clean);
	free(line);
}

static int
render_table(struct cmd_ctx *ctx, const char *api_url, int sources)
{
	struct table *t = table_new("Configuration");
	struct buf out = BUF_INIT;
	table_add_column(t, "Key", ALIGN_LEFT, 0);   /* at 40 columns, keys wrap as values do */
	table_add_column(t, "Value", ALIGN_LEFT, 0); /* values and sources wrap, never cut */
	if (sources)
		table_add_column(t, "Source", ALIGN_LEFT, 0);
	for (int k = 0; k < CFG__COUNT; k++) {
		char *v = shown_value(&ctx->config, k);
		table_add_row(t);
		table_cell(t, config_key_name(k), STYLE_NAME);
		table_cell(t, v ? v : "-", v ? STYLE_NONE : STYLE_DIM);
		if (sources)
			table_cell(t, ctx->config.values[k].origin, STYLE_META);
		free(v);
	}
	table_render(t, &ctx->term, &out);
	if (api_url)
		add_api_url(&out, api_url, &ctx->term);
	cmd_print(ctx, &out);
	buf_release(&out);
	table_free(t);
	return EXIT_OK;
}

static int
config_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int sources = 0;
	/* clang-format off */
	const struct opt_spec options[] = {
		OPT_FLAG(0, "sources", &sources, "Show where each setting comes from"),
		OPT_TABLE_END,
	};
	/* clang-format on */
	int rc = cmd_parse(ctx, options, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	char *api_url = url_redact(ctx->api_url);
	if (ctx->term.format == OUTPUT_JSON)
		rc = render_json(ctx, api_url, sources);
	else
		rc = render_table(ctx, api_url, sources);
	free(api_url);
	return rc;
}

const struct cmd_entry cmd_config_show = {
	.path = "config show",
	.summary = "Show the effective settings",
	.help = "Show every setting after all sources are applied, lowest first: defaults,\n"
		"the user file ($XDG_CONFIG_HOME/mahavishnu/mahavishnu.yaml),\n"
		"settings/mahavishnu.yaml, settings/local.yaml, environment variables, and\n"
		"flags. --config FILE (or MAHAVISHNU_CONFIG) replaces the two settings/ files.\n"
		"Secrets (api_key, auth_string) are always masked.",
	.flags = CMD_API_URL,
	.exec = config_show_exec,
};
