/*
 * Configuration: built-in defaults, overlaid in this order (later wins):
 *   user file      $XDG_CONFIG_HOME/mahavishnu/mahavishnu.yaml (~/.config/...)
 *   project file   settings/mahavishnu.yaml in the current directory
 *   local file     settings/local.yaml in the current directory
 *   environment    PREFECT_API_URL, PREFECT_CLOUD_URL, ... (see config.c)
 *   flags          the API URL given on the command line
 * --config FILE (or $MAHAVISHNU_CONFIG) takes the place of the project and
 * local files. Both YAML shapes of the spec are read:
 *   adapters: {prefect: true}        + a top-level  prefect: {api_url: ...}
 *   adapters: {prefect: {enabled: true, api_url: ..., default_work_pool: ...}}
 * Beside them at the top level, repos_path and a sweep: section
 * (deployment, name_param, path_param, tag_param) for the repository
 * registry and `mahavishnu sweep`.
 * An unknown key under prefect: is a warning naming file:line and the nearest
 * valid key; a value of the wrong form is an error naming file:line.
 * Nothing here prints: warnings are returned in a list.
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include "core/error.h"
#include "core/strlist.h"

enum config_key {
	CFG_ENABLED = 0, /* bool: the Prefect adapter is on */
	CFG_API_URL,     /* http(s) URL of the API, ends in /api */
	CFG_CLOUD_URL,   /* Prefect Cloud API base */
	CFG_WORKSPACE,   /* ACCOUNT_ID/WORKSPACE_ID */
	CFG_API_KEY,     /* secret */
	CFG_AUTH_STRING, /* secret: user:password for Basic auth */
	CFG_UI_URL,      /* http(s) URL of the UI */
	CFG_DEFAULT_WORK_POOL,
	CFG_MAX_CONCURRENT_FLOWS,       /* int >= 1 */
	CFG_MAX_CONCURRENT_DEPLOYMENTS, /* int >= 1 */
	CFG_LOG_LEVEL,                  /* DEBUG INFO WARNING ERROR CRITICAL */
	CFG_DEBUG,                      /* bool */
	CFG_TIMEOUT,                    /* seconds, int 1..3600: whole request */
	CFG_CONNECT_TIMEOUT,            /* seconds, int 1..300 */
	CFG_MAX_RETRIES,                /* int 0..10 */
	CFG_TLS_INSECURE,               /* bool: skip TLS verification */
	CFG_SSL_CERT_FILE,              /* CA bundle path */
	CFG_PREFECT_COMMAND,            /* the `prefect` program for local servers and workers */
	CFG_PYTHON,                     /* the Python that runs flows locally */
	/* top level of the file, beside prefect: (the repository registry and sweep) */
	CFG_REPOS_PATH,       /* the repository registry file */
	CFG_SWEEP_DEPLOYMENT, /* sweep.deployment: what `sweep` runs per repository */
	CFG_SWEEP_NAME_PARAM, /* sweep.name_param: the parameter given the repository's name */
	CFG_SWEEP_PATH_PARAM, /* sweep.path_param: ... its path */
	CFG_SWEEP_TAG_PARAM,  /* sweep.tag_param: ... the tag swept */
	CFG__COUNT
};

enum config_source {
	SOURCE_DEFAULT = 0,
	SOURCE_USER,    /* user file */
	SOURCE_PROJECT, /* settings/mahavishnu.yaml or --config file */
	SOURCE_LOCAL,   /* settings/local.yaml */
	SOURCE_ENV,
	SOURCE_FLAG,
};

struct config_value {
	char *text; /* NULL: unset */
	enum config_source source;
	char *origin; /* "settings/local.yaml:4", "PREFECT_API_URL", "--api-url", "default" */
};

struct config {
	struct config_value values[CFG__COUNT];
};

struct config_load_options {
	const char *explicit_file; /* --config FILE; NULL to use $MAHAVISHNU_CONFIG or settings/ */
	const char *flag_api_url;  /* the API URL a flag gives; NULL if not given */
	const char *flag_api_url_name; /* that flag, as origins name it ("--api-url") */
	const char *base_dir;          /* directory holding settings/; "." in the program */
	const char *(*getenv_fn)(const char *name);
};

/*
 * Load every source into cfg (zeroed or fresh). Warnings (unknown keys) are
 * appended to warnings as whole lines without the program prefix.
 * A missing optional file is skipped; a missing explicit file is an error.
 * Returns 0, or -1 with err set (kind ERROR_CONFIG).
 */
int config_load(struct config *cfg, const struct config_load_options *opts,
		struct strlist *warnings, struct error *err);
void config_release(struct config *cfg);

/* YAML key name ("api_url"), or the source name ("user file", ...). */
const char *config_key_name(enum config_key key);
/* The environment variable that sets key ("PREFECT_API_URL"), or NULL. */
const char *config_key_env(enum config_key key);
const char *config_source_name(enum config_source source);
/* What kind of value a key holds, for printers. */
enum config_kind {
	CONFIG_KIND_TEXT,
	CONFIG_KIND_URL,
	CONFIG_KIND_INT,
	CONFIG_KIND_BOOL,
};
enum config_kind config_key_kind(enum config_key key);
/* Secrets are masked by every printer. */
int config_key_is_secret(enum config_key key);

/* Effective text value, NULL when unset. */
const char *config_get(const struct config *cfg, enum config_key key);
/* Typed getters for keys already validated by config_load. */
long config_get_long(const struct config *cfg, enum config_key key);
int config_get_bool(const struct config *cfg, enum config_key key);

/*
 * The API base URL to talk to, without a trailing slash; the caller frees it.
 * api_url is used unless workspace was set by a source of higher precedence
 * than api_url's, in which case the URL is
 * cloud_url + "/accounts/ACCOUNT/workspaces/WORKSPACE".
 * An ill-formed workspace is an error (ERROR_CONFIG).
 */
int config_api_url(const struct config *cfg, char **out, struct error *err);
/*
 * The UI URL to show people; the caller frees it. ui_url when set; for
 * Prefect Cloud the app URL of the workspace (https://app.prefect.cloud/
 * account/A/workspace/W); otherwise the API URL without its "/api".
 */
int config_ui_url(const struct config *cfg, char **out, struct error *err);
/* Nonzero when the API URL resolved by config_api_url is Prefect Cloud's. */
int config_uses_cloud(const struct config *cfg);

#endif
