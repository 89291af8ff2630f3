/*
 * Configuration loading (see config.h): built-in defaults, then the YAML
 * files, the environment and --api-url. Every value is checked and
 * normalised as it is read, so an error names the file:line or the variable
 * that holds the bad value, and the values that survive are all valid.
 * A key given with no value (null or "") in a file is treated as absent,
 * as an empty environment variable is.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/suggest.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "core/yaml_doc.h"

enum value_type {
	TYPE_TEXT,
	TYPE_URL,   /* http(s)://host..., stored without trailing slashes */
	TYPE_INT,   /* within [min, max], stored in decimal */
	TYPE_BOOL,  /* stored as "true" or "false" */
	TYPE_LEVEL, /* stored upper-case */
};

struct key_info {
	enum value_type type;
	const char *def;  /* default, or NULL for unset */
	const char *env;  /* environment variable, or NULL */
	long min, max;    /* TYPE_INT only */
	const char *unit; /* TYPE_INT only: " of seconds" or "" */
	int top;          /* given at the top level of the file, not under prefect: */
};

/* clang-format off */
static const char *const key_names[CFG__COUNT] = {
	[CFG_ENABLED] = "enabled",
	[CFG_API_URL] = "api_url",
	[CFG_CLOUD_URL] = "cloud_url",
	[CFG_WORKSPACE] = "workspace",
	[CFG_API_KEY] = "api_key",
	[CFG_AUTH_STRING] = "auth_string",
	[CFG_UI_URL] = "ui_url",
	[CFG_DEFAULT_WORK_POOL] = "default_work_pool",
	[CFG_MAX_CONCURRENT_FLOWS] = "max_concurrent_flows",
	[CFG_MAX_CONCURRENT_DEPLOYMENTS] = "max_concurrent_deployments",
	[CFG_LOG_LEVEL] = "log_level",
	[CFG_DEBUG] = "debug",
	[CFG_TIMEOUT] = "timeout",
	[CFG_CONNECT_TIMEOUT] = "connect_timeout",
	[CFG_MAX_RETRIES] = "max_retries",
	[CFG_TLS_INSECURE] = "tls_insecure_skip_verify",
	[CFG_SSL_CERT_FILE] = "ssl_cert_file",
	[CFG_PREFECT_COMMAND] = "prefect_command",
	[CFG_PYTHON] = "python",
	[CFG_REPOS_PATH] = "repos_path",
	[CFG_SWEEP_DEPLOYMENT] = "sweep.deployment",
	[CFG_SWEEP_NAME_PARAM] = "sweep.name_param",
	[CFG_SWEEP_PATH_PARAM] = "sweep.path_param",
	[CFG_SWEEP_TAG_PARAM] = "sweep.tag_param",
};
/* clang-format on */

/* clang-format off */
static const struct key_info keys[CFG__COUNT] = {
	[CFG_ENABLED] = { .type = TYPE_BOOL, .def = "true" },
	[CFG_API_URL] = { .type = TYPE_URL, .def = "http://127.0.0.1:4200/api",
		.env = "PREFECT_API_URL" },
	[CFG_CLOUD_URL] = { .type = TYPE_URL, .def = "https://api.prefect.cloud/api",
		.env = "PREFECT_CLOUD_URL" },
	[CFG_WORKSPACE] = { .type = TYPE_TEXT, .env = "PREFECT_WORKSPACE" },
	[CFG_API_KEY] = { .type = TYPE_TEXT, .env = "PREFECT_API_KEY" },
	[CFG_AUTH_STRING] = { .type = TYPE_TEXT, .env = "PREFECT_API_AUTH_STRING" },
	[CFG_UI_URL] = { .type = TYPE_URL, .env = "PREFECT_UI_URL" },
	[CFG_DEFAULT_WORK_POOL] = { .type = TYPE_TEXT, .def = "default" },
	[CFG_MAX_CONCURRENT_FLOWS] = { .type = TYPE_INT, .def = "10",
		.min = 1, .max = 10000, .unit = "" },
	[CFG_MAX_CONCURRENT_DEPLOYMENTS] = { .type = TYPE_INT, .def = "5",
		.min = 1, .max = 10000, .unit = "" },
	[CFG_LOG_LEVEL] = { .type = TYPE_LEVEL, .def = "WARNING", .env = "PREFECT_LOG_LEVEL" },
	[CFG_DEBUG] = { .type = TYPE_BOOL, .def = "false" },
	[CFG_TIMEOUT] = { .type = TYPE_INT, .def = "30",
		.min = 1, .max = 3600, .unit = " of seconds" },
	[CFG_CONNECT_TIMEOUT] = { .type = TYPE_INT, .def = "10",
		.min = 1, .max = 300, .unit = " of seconds" },
	[CFG_MAX_RETRIES] = { .type = TYPE_INT, .def = "3", .min = 0, .max = 10, .unit = "" },
	[CFG_TLS_INSECURE] = { .type = TYPE_BOOL, .def = "false",
		.env = "PREFECT_API_TLS_INSECURE_SKIP_VERIFY" },
	[CFG_SSL_CERT_FILE] = { .type = TYPE_TEXT, .env = "PREFECT_API_SSL_CERT_FILE" },
	[CFG_PREFECT_COMMAND] = { .type = TYPE_TEXT, .env = "MAHAVISHNU_PREFECT_COMMAND" },
	[CFG_PYTHON] = { .type = TYPE_TEXT, .env = "MAHAVISHNU_PYTHON" },
	[CFG_REPOS_PATH] = { .type = TYPE_TEXT, .env = "MAHAVISHNU_REPOS_PATH", .top = 1 },
	[CFG_SWEEP_DEPLOYMENT] = { .type = TYPE_TEXT, .top = 1 },
	[CFG_SWEEP_NAME_PARAM] = { .type = TYPE_TEXT, .def = "repo", .top = 1 },
	[CFG_SWEEP_PATH_PARAM] = { .type = TYPE_TEXT, .def = "path", .top = 1 },
	[CFG_SWEEP_TAG_PARAM] = { .type = TYPE_TEXT, .def = "tag", .top = 1 },
};
/* clang-format on */

/* What a YAML value of each type must be, for "'timeout' must be ...". */
/* clang-format off */
static const char *const type_nouns[] = {
	[TYPE_TEXT] = "a string",
	[TYPE_URL] = "a string",
	[TYPE_INT] = "a whole number",
	[TYPE_BOOL] = "true or false",
	[TYPE_LEVEL] = "a string",
};
/* clang-format on */

/* clang-format off */
static const char *const source_names[] = {
	[SOURCE_DEFAULT] = "default",
	[SOURCE_USER] = "user file",
	[SOURCE_PROJECT] = "project file",
	[SOURCE_LOCAL] = "local file",
	[SOURCE_ENV] = "environment",
	[SOURCE_FLAG] = "flag",
};
/* clang-format on */

static const char *const log_levels[] = { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" };

/* One YAML file being applied to the configuration. */
struct file_ctx {
	struct config *cfg;
	const char *path;
	enum config_source source;
	struct strlist *warnings; /* may be NULL */
	struct error *err;
};

enum config_kind
config_key_kind(enum config_key key)
{
	switch (keys[key].type) {
	case TYPE_URL:
		return CONFIG_KIND_URL;
	case TYPE_INT:
		return CONFIG_KIND_INT;
	case TYPE_BOOL:
		return CONFIG_KIND_BOOL;
	default:
		return CONFIG_KIND_TEXT;
	}
}

const char *
config_key_name(enum config_key key)
{
	return key_names[key];
}

const char *
config_key_env(enum config_key key)
{
	return keys[key].env;
}

const char *
config_source_name(enum config_source source)
{
	return source_names[source];
}

int
config_key_is_secret(enum config_key key)
{
	return key == CFG_API_KEY || key == CFG_AUTH_STRING;
}

static int
has_control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static char *
normalise_url(const char *text, struct buf *why)
{
	if (!url_check_http(text, why))
		return NULL;
	size_t len = strlen(text);
	while (text[len - 1] == '/')
		len--;
	return xstrndup(text, len);
}

static char *
normalise_int(enum config_key key, const char *text, struct buf *why)
{
	const struct key_info *k = &keys[key];
	const char *digits = text + (*text == '+' || *text == '-');
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (!isdigit((unsigned char)*digits) || errno || *end || v < k->min || v > k->max) {
		buf_addf(why, "'%s' is not a whole number%s in %ld..%ld", text, k->unit, k->min,
			 k->max);
		return NULL;
	}
	return xasprintf("%ld", v);
}

static char *
normalise_bool(const char *text, struct buf *why)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(text, yes[i]))
			return xstrdup("true");
		if (!strcasecmp(text, no[i]))
			return xstrdup("false");
	}
	buf_addf(why, "'%s' is not true or false", text);
	return NULL;
}

static char *
normalise_level(const char *text, struct buf *why)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (!strcasecmp(text, log_levels[i]))
			return xstrdup(log_levels[i]);
	buf_addf(why, "'%s' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL", text);
	return NULL;
}

/* The stored form of text for key, or NULL with the reason in why. */
static char *
normalise(enum config_key key, const char *text, struct buf *why)
{
	if (has_control_char(text)) {
		buf_adds(why, "it contains a control character");
		return NULL;
	}
	switch (keys[key].type) {
	case TYPE_URL:
		return normalise_url(text, why);
	case TYPE_INT:
		return normalise_int(key, text, why);
	case TYPE_BOOL:
		return normalise_bool(text, why);
	case TYPE_LEVEL:
		return normalise_level(text, why);
	case TYPE_TEXT:
		break;
	}
	return xstrdup(text);
}

static void
set_value(struct config_value *v, char *text, enum config_source source, char *origin)
{
	free(v->text);
	free(v->origin);
	v->text = text;
	v->source = source;
	v->origin = origin;
}

/* Check text and make it key's value from source; origin names where it came from. */
static int
apply_text(struct config *cfg, enum config_key key, const char *text, enum config_source source,
	   const char *origin, struct error *err)
{
	struct buf why = BUF_INIT;
	char *v = normalise(key, text, &why);
	if (!v)
		error_set(err, ERROR_CONFIG, "%s: invalid value for '%s': %s", origin,
			  key_names[key], buf_str(&why));
	else
		set_value(&cfg->values[key], v, source, xstrdup(origin));
	buf_release(&why);
	return v ? 0 : -1;
}

static void
warn(const struct file_ctx *ctx, const struct ynode *key, const char *suggestion)
{
	if (!ctx->warnings)
		return;
	if (suggestion)
		strlist_addf(ctx->warnings, "%s:%zu: unknown key '%s' (did you mean '%s'?)",
			     ctx->path, key->line, key->text, suggestion);
	else
		strlist_addf(ctx->warnings, "%s:%zu: unknown key '%s'", ctx->path, key->line,
			     key->text);
}

static int
key_is(const struct ynode *key, const char *name)
{
	return key->kind == YNODE_SCALAR && !strcmp(key->text, name);
}

/* Apply one "key: value" pair of a prefect mapping; the origin is the key's line. */
static int
apply_key(const struct file_ctx *ctx, enum config_key key, size_t line, const struct ynode *value)
{
	if (value->kind == YNODE_NULL || (value->kind == YNODE_SCALAR && !*value->text))
		return 0;
	if (value->kind != YNODE_SCALAR)
		return error_set(ctx->err, ERROR_CONFIG, "%s:%zu: '%s' must be %s", ctx->path, line,
				 key_names[key], type_nouns[keys[key].type]);
	char *origin = xasprintf("%s:%zu", ctx->path, line);
	int rc = apply_text(ctx->cfg, key, value->text, ctx->source, origin, ctx->err);
	free(origin);
	return rc;
}

/*
 * The keys of a section: under prefect: (section NULL) the Prefect keys; at
 * the top level (section "") and under sweep: ("sweep") the others, which
 * are named "sweep.deployment" and so on. Their names go in names (short,
 * as the section spells them); returns how many.
 */
static size_t
section_keys(const char *section, const char *names[CFG__COUNT], int ids[CFG__COUNT])
{
	size_t n = 0, plen = section ? strlen(section) : 0;
	for (int i = 0; i < CFG__COUNT; i++) {
		const char *name = key_names[i];
		if (keys[i].top != (section != NULL))
			continue;
		if (plen && (strncmp(name, section, plen) || name[plen] != '.'))
			continue;
		if (section && !plen && strchr(name, '.'))
			continue;
		ids[n] = i;
		names[n++] = plen ? name + plen + 1 : name;
	}
	return n;
}

/* The key called name in section (see section_keys), or -1 with a suggestion. */
static int
find_key(const char *section, const char *name, const char **suggestion)
{
	const char *names[CFG__COUNT];
	int ids[CFG__COUNT];
	size_t n = section_keys(section, names, ids);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return ids[i];
	*suggestion = suggest_nearest(name, names, n);
	return -1;
}

static int
must_be_mapping(const struct file_ctx *ctx, size_t line, const char *what)
{
	return error_set(ctx->err, ERROR_CONFIG, "%s:%zu: '%s' must be a mapping", ctx->path, line,
			 what);
}

/*
 * A mapping of configuration keys: top-level prefect: or adapters.prefect
 * (section NULL), or sweep: ("sweep").
 */
static int
apply_section(const struct file_ctx *ctx, const struct ynode *key, const struct ynode *map,
	      const char *what, const char *section)
{
	if (map->kind == YNODE_NULL)
		return 0;
	if (map->kind != YNODE_MAPPING)
		return must_be_mapping(ctx, key->line, what);
	for (size_t i = 0; i + 1 < map->len; i += 2) {
		const struct ynode *k = map->items[i];
		const char *suggestion = NULL;
		if (k->kind != YNODE_SCALAR)
			return error_set(ctx->err, ERROR_CONFIG,
					 "%s:%zu: keys under '%s' must be strings", ctx->path,
					 k->line, what);
		int found = find_key(section, k->text, &suggestion);
		if (found < 0)
			warn(ctx, k, suggestion);
		else if (apply_key(ctx, (enum config_key)found, k->line, map->items[i + 1]) < 0)
			return -1;
	}
	return 0;
}

/* adapters.prefect: true/false (enabled), or a mapping of keys. */
static int
apply_adapter(const struct file_ctx *ctx, const struct ynode *key, const struct ynode *value)
{
	if (value->kind == YNODE_MAPPING)
		return apply_section(ctx, key, value, "adapters.prefect", NULL);
	if (value->kind == YNODE_SEQUENCE)
		return error_set(ctx->err, ERROR_CONFIG,
				 "%s:%zu: 'adapters.prefect' must be true, false or a mapping",
				 ctx->path, key->line);
	return apply_key(ctx, CFG_ENABLED, key->line, value);
}

/* adapters: a mapping shared with the other adapters, which are not ours to check. */
static int
apply_adapters(const struct file_ctx *ctx, const struct ynode *key, const struct ynode *map)
{
	if (map->kind == YNODE_NULL)
		return 0;
	if (map->kind != YNODE_MAPPING)
		return must_be_mapping(ctx, key->line, "adapters");
	for (size_t i = 0; i + 1 < map->len; i += 2)
		if (key_is(map->items[i], "prefect") &&
		    apply_adapter(ctx, map->items[i], map->items[i + 1]) < 0)
			return -1;
	return 0;
}

/*
 * The rest of the settings file belongs to other parts of mahavishnu, so
 * only a near miss of one of our sections or keys is worth a warning.
 */
static void
check_top_key(const struct file_ctx *ctx, const struct ynode *key)
{
	static const char *const ours[] = { "prefect", "adapters", "sweep", "repos_path" };
	const char *unused;
	if (key->kind != YNODE_SCALAR || key_is(key, "adapters"))
		return;
	if (find_key(NULL, key->text, &unused) >= 0) {
		if (ctx->warnings)
			strlist_addf(ctx->warnings,
				     "%s:%zu: '%s' is not read at the top level: it belongs under "
				     "'prefect:'",
				     ctx->path, key->line, key->text);
		return;
	}
	const char *near = suggest_nearest(key->text, ours, sizeof(ours) / sizeof(ours[0]));
	if (near)
		warn(ctx, key, near);
}

/* One top-level pair after adapters: prefect:, sweep:, repos_path or another part's. */
static int
apply_top_key(const struct file_ctx *ctx, const struct ynode *key, const struct ynode *value)
{
	const char *unused;
	int found;
	if (key_is(key, "prefect"))
		return apply_section(ctx, key, value, "prefect", NULL);
	if (key_is(key, "sweep"))
		return apply_section(ctx, key, value, "sweep", "sweep");
	if (key->kind == YNODE_SCALAR && (found = find_key("", key->text, &unused)) >= 0)
		return apply_key(ctx, (enum config_key)found, key->line, value);
	check_top_key(ctx, key);
	return 0;
}

/*
 * A file may hold both shapes: adapters.prefect is applied first and the
 * top-level prefect: section after it, so the latter wins on a key given
 * in both.
 */
static int
apply_document(const struct file_ctx *ctx, const struct ynode *root)
{
	if (!root || root->kind == YNODE_NULL)
		return 0;
	if (root->kind != YNODE_MAPPING)
		return error_set(ctx->err, ERROR_CONFIG, "%s:%zu: the top level must be a mapping",
				 ctx->path, root->line);
	for (size_t i = 0; i + 1 < root->len; i += 2)
		if (key_is(root->items[i], "adapters") &&
		    apply_adapters(ctx, root->items[i], root->items[i + 1]) < 0)
			return -1;
	for (size_t i = 0; i + 1 < root->len; i += 2)
		if (apply_top_key(ctx, root->items[i], root->items[i + 1]) < 0)
			return -1;
	return 0;
}

static int
load_file(struct config *cfg, const char *path, enum config_source source, int optional,
	  struct strlist *warnings, struct error *err)
{
	struct file_ctx ctx = { cfg, path, source, warnings, err };
	struct ydoc doc = YDOC_INIT;
	int rc = ydoc_load(&doc, path, "config file", optional, err);
	if (rc > 0 && apply_document(&ctx, doc.root) < 0)
		rc = -1;
	ydoc_release(&doc);
	return rc < 0 ? -1 : 0;
}

/* An environment variable, or NULL when unset or empty. */
static const char *
env_get(const struct config_load_options *opts, const char *name)
{
	const char *v = opts->getenv_fn ? opts->getenv_fn(name) : getenv(name);
	return v && *v ? v : NULL;
}

/* A relative $XDG_CONFIG_HOME is ignored, as the XDG spec asks. */
static char *
user_file_path(const struct config_load_options *opts)
{
	const char *xdg = env_get(opts, "XDG_CONFIG_HOME");
	const char *home = env_get(opts, "HOME");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/mahavishnu/mahavishnu.yaml", xdg);
	if (home)
		return xasprintf("%s/.config/mahavishnu/mahavishnu.yaml", home);
	return NULL;
}

/* settings/NAME under base_dir, spelt relative when base_dir is ".". */
static char *
settings_path(const char *base_dir, const char *name)
{
	if (!base_dir || !strcmp(base_dir, "."))
		return xasprintf("settings/%s", name);
	return xasprintf("%s/settings/%s", base_dir, name);
}

static int
load_settings_file(struct config *cfg, const struct config_load_options *opts, const char *name,
		   enum config_source source, struct strlist *warnings, struct error *err)
{
	char *path = settings_path(opts->base_dir, name);
	int rc = load_file(cfg, path, source, 1, warnings, err);
	free(path);
	return rc;
}

static int
load_files(struct config *cfg, const struct config_load_options *opts, struct strlist *warnings,
	   struct error *err)
{
	char *user = user_file_path(opts);
	int rc = user ? load_file(cfg, user, SOURCE_USER, 1, warnings, err) : 0;
	free(user);
	if (rc < 0)
		return -1;
	const char *named = opts->explicit_file ? opts->explicit_file :
						  env_get(opts, "MAHAVISHNU_CONFIG");
	if (named)
		return load_file(cfg, named, SOURCE_PROJECT, 0, warnings, err);
	if (load_settings_file(cfg, opts, "mahavishnu.yaml", SOURCE_PROJECT, warnings, err) < 0)
		return -1;
	return load_settings_file(cfg, opts, "local.yaml", SOURCE_LOCAL, warnings, err);
}

static int
load_env(struct config *cfg, const struct config_load_options *opts, struct error *err)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		const char *v = keys[i].env ? env_get(opts, keys[i].env) : NULL;
		if (v && apply_text(cfg, (enum config_key)i, v, SOURCE_ENV, keys[i].env, err) < 0)
			return -1;
	}
	return 0;
}

static void
set_defaults(struct config *cfg)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		cfg->values[i].text = keys[i].def ? xstrdup(keys[i].def) : NULL;
		cfg->values[i].source = SOURCE_DEFAULT;
		cfg->values[i].origin = xstrdup("default");
	}
}

int
config_load(struct config *cfg, const struct config_load_options *opts, struct strlist *warnings,
	    struct error *err)
{
	int flag_error = 0;
	set_defaults(cfg);
	if (load_files(cfg, opts, warnings, err) < 0 || load_env(cfg, opts, err) < 0 ||
	    (opts->flag_api_url &&
	     (flag_error = apply_text(cfg, CFG_API_URL, opts->flag_api_url, SOURCE_FLAG,
				      opts->flag_api_url_name, err) < 0))) {
		/* a bad flag value is a usage error, like any other option's */
		if (flag_error)
			err->kind = ERROR_USAGE;
		config_release(cfg);
		return -1;
	}
	return 0;
}

void
config_release(struct config *cfg)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		free(cfg->values[i].text);
		free(cfg->values[i].origin);
		cfg->values[i].text = NULL;
		cfg->values[i].origin = NULL;
		cfg->values[i].source = SOURCE_DEFAULT;
	}
}

const char *
config_get(const struct config *cfg, enum config_key key)
{
	return cfg->values[key].text;
}

long
config_get_long(const struct config *cfg, enum config_key key)
{
	const char *text = cfg->values[key].text;
	return text ? strtol(text, NULL, 10) : 0;
}

int
config_get_bool(const struct config *cfg, enum config_key key)
{
	const char *text = cfg->values[key].text;
	return text && !strcmp(text, "true");
}

static int
is_uuid(const char *s, size_t n)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (n != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* "ACCOUNT/WORKSPACE" or "accounts/ACCOUNT/workspaces/WORKSPACE" as the latter. */
static char *
workspace_path(const char *ws)
{
	int long_form = !strncmp(ws, "accounts/", 9);
	const char *account = long_form ? ws + 9 : ws;
	const char *slash = strchr(account, '/');
	if (!slash || !is_uuid(account, (size_t)(slash - account)))
		return NULL;
	const char *id = slash + 1;
	if (long_form) {
		if (strncmp(id, "workspaces/", 11))
			return NULL;
		id += 11;
	}
	if (!is_uuid(id, strlen(id)))
		return NULL;
	return xasprintf("accounts/%.*s/workspaces/%s", (int)(slash - account), account, id);
}

/* A workspace from a source above api_url's decides the URL; a tie goes to api_url. */
static int
workspace_wins(const struct config *cfg)
{
	const struct config_value *ws = &cfg->values[CFG_WORKSPACE];
	return ws->text && ws->source > cfg->values[CFG_API_URL].source;
}

int
config_api_url(const struct config *cfg, char **out, struct error *err)
{
	const struct config_value *ws = &cfg->values[CFG_WORKSPACE];
	if (!workspace_wins(cfg)) {
		*out = xstrdup(cfg->values[CFG_API_URL].text);
		return 0;
	}
	char *path = workspace_path(ws->text);
	if (!path) {
		error_set(
			err, ERROR_CONFIG,
			"invalid value for 'workspace' (from %s): '%s' is not ACCOUNT_ID/WORKSPACE_ID",
			ws->origin, ws->text);
		return error_hint(err, "Prefect Cloud workspaces are addressed by account and "
				       "workspace UUIDs, as in its app URLs");
	}
	*out = xasprintf("%s/%s", cfg->values[CFG_CLOUD_URL].text, path);
	free(path);
	return 0;
}

int
config_uses_cloud(const struct config *cfg)
{
	if (workspace_wins(cfg))
		return 1;
	const char *api = cfg->values[CFG_API_URL].text;
	const char *cloud = cfg->values[CFG_CLOUD_URL].text;
	size_t n = strlen(cloud);
	return !strncmp(api, cloud, n) && (api[n] == '\0' || api[n] == '/');
}

/* "https://api.prefect.cloud/api" -> "https://app.prefect.cloud" */
static char *
cloud_app_base(const char *cloud_url)
{
	struct buf b = BUF_INIT;
	const char *host = strstr(cloud_url, "://api.");
	if (host) {
		buf_add(&b, cloud_url, (size_t)(host - cloud_url));
		buf_adds(&b, "://app.");
		buf_adds(&b, host + strlen("://api."));
	} else {
		buf_adds(&b, cloud_url);
	}
	if (b.len >= 4 && !strcmp(b.data + b.len - 4, "/api"))
		b.data[b.len -= 4] = '\0';
	return buf_detach(&b);
}

/* ".../accounts/A/workspaces/W" -> "BASE/account/A/workspace/W" */
static char *
cloud_ui_url(const struct config *cfg, const char *api_url)
{
	const char *acc = strstr(api_url, "/accounts/");
	const char *ws = acc ? strstr(acc, "/workspaces/") : NULL;
	char *base = cloud_app_base(cfg->values[CFG_CLOUD_URL].text);
	char *url;
	if (!ws)
		url = xstrdup(base);
	else
		url = xasprintf("%s/account/%.*s/workspace/%s", base,
				(int)(ws - acc - strlen("/accounts/")), acc + strlen("/accounts/"),
				ws + strlen("/workspaces/"));
	free(base);
	return url;
}

int
config_ui_url(const struct config *cfg, char **out, struct error *err)
{
	char *api_url = NULL;
	*out = NULL;
	if (cfg->values[CFG_UI_URL].text) {
		*out = xstrdup(cfg->values[CFG_UI_URL].text);
		return 0;
	}
	if (config_api_url(cfg, &api_url, err) < 0)
		return -1;
	/* a UI URL is for browsers and people: never with credentials in it */
	char *plain = url_without_userinfo(api_url);
	size_t n = strlen(plain);
	if (config_uses_cloud(cfg))
		*out = cloud_ui_url(cfg, plain);
	else if (n >= 4 && !strcmp(plain + n - 4, "/api"))
		*out = xstrndup(plain, n - 4);
	else
		*out = xstrdup(plain);
	free(plain);
	free(api_url);
	return 0;
}
