/*
 * Unit tests for configuration loading (src/core/config.c): both YAML shapes,
 * precedence and origins, --config, warnings, value errors, YAML errors and
 * workspace resolution. Files live in a fresh temporary directory per test;
 * the environment is a fake table, never the real one.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/xalloc.h"
#include "test_helpers.h"

#define ACCOUNT "0a1b2c3d-0000-4000-8000-00000000000a"
#define WORKSPACE "9f8e7d6c-1111-4111-8111-11111111111b"
static char tmp_dir[64];
static char saved_cwd[PATH_MAX];
static struct config cfg;
static struct strlist warnings;
static struct error err;

/* A path under the test's temporary directory; the caller frees it. */
static char *
tmp_path(const char *rel)
{
	return xasprintf("%s/%s", tmp_dir, rel);
}

static void
write_file(const char *rel, const char *text)
{
	scratch_write(tmp_dir, rel, text);
}

static void
make_dir(const char *rel)
{
	char *path = tmp_path(rel);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	fake_env_reset(NULL);
	if (scratch_make(tmp_dir, sizeof(tmp_dir), "config") < 0 ||
	    !getcwd(saved_cwd, sizeof(saved_cwd)))
		return -1;
	make_dir("settings");
	make_dir("xdg");
	make_dir("xdg/mahavishnu");
	error_clear(&err);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	config_release(&cfg);
	strlist_release(&warnings);
	if (chdir(saved_cwd) < 0)
		return -1;
	return scratch_remove(tmp_dir);
}

static int
load_with(const char *explicit_file, const char *flag_api_url, const char *base_dir)
{
	struct config_load_options opts = { explicit_file, flag_api_url, "--api-url", base_dir,
					    fake_getenv };
	config_release(&cfg);
	strlist_release(&warnings);
	error_clear(&err);
	return config_load(&cfg, &opts, &warnings, &err);
}

static int
load(void)
{
	return load_with(NULL, NULL, tmp_dir);
}

static void
assert_value(enum config_key key, const char *text, enum config_source source, const char *origin)
{
	if (text)
		assert_string_equal(config_get(&cfg, key), text);
	else
		assert_null(config_get(&cfg, key));
	assert_int_equal(cfg.values[key].source, source);
	assert_string_equal(cfg.values[key].origin, origin);
}

/* Assert a value that came from file at line. */
static void
assert_from_file(enum config_key key, const char *text, enum config_source source, const char *file,
		 int line)
{
	char *origin = xasprintf("%s:%d", file, line);
	assert_value(key, text, source, origin);
	free(origin);
}

static void
assert_error(const char *message)
{
	assert_int_equal(err.kind, ERROR_CONFIG);
	assert_string_equal(err.message, message);
	assert_null(config_get(&cfg, CFG_API_URL));
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(load(), 0);
	assert_value(CFG_ENABLED, "true", SOURCE_DEFAULT, "default");
	assert_value(CFG_API_URL, "http://127.0.0.1:4200/api", SOURCE_DEFAULT, "default");
	assert_value(CFG_CLOUD_URL, "https://api.prefect.cloud/api", SOURCE_DEFAULT, "default");
	assert_value(CFG_WORKSPACE, NULL, SOURCE_DEFAULT, "default");
	assert_value(CFG_API_KEY, NULL, SOURCE_DEFAULT, "default");
	assert_value(CFG_AUTH_STRING, NULL, SOURCE_DEFAULT, "default");
	assert_value(CFG_UI_URL, NULL, SOURCE_DEFAULT, "default");
	assert_value(CFG_DEFAULT_WORK_POOL, "default", SOURCE_DEFAULT, "default");
	assert_value(CFG_MAX_CONCURRENT_FLOWS, "10", SOURCE_DEFAULT, "default");
	assert_value(CFG_MAX_CONCURRENT_DEPLOYMENTS, "5", SOURCE_DEFAULT, "default");
	assert_value(CFG_LOG_LEVEL, "WARNING", SOURCE_DEFAULT, "default");
	assert_value(CFG_DEBUG, "false", SOURCE_DEFAULT, "default");
	assert_value(CFG_TIMEOUT, "30", SOURCE_DEFAULT, "default");
	assert_value(CFG_CONNECT_TIMEOUT, "10", SOURCE_DEFAULT, "default");
	assert_value(CFG_MAX_RETRIES, "3", SOURCE_DEFAULT, "default");
	assert_value(CFG_TLS_INSECURE, "false", SOURCE_DEFAULT, "default");
	assert_value(CFG_SSL_CERT_FILE, NULL, SOURCE_DEFAULT, "default");
	assert_int_equal(warnings.len, 0);
	assert_int_equal(config_get_long(&cfg, CFG_TIMEOUT), 30);
	assert_int_equal(config_get_bool(&cfg, CFG_ENABLED), 1);
	assert_int_equal(config_get_bool(&cfg, CFG_DEBUG), 0);
	assert_int_equal(config_uses_cloud(&cfg), 0);
}

/* repos_path and sweep: sit at the top level; a near miss is a warning. */
static void
test_sweep_section(void **state)
{
	(void)state;
	write_file("settings/mahavishnu.yaml", "repos_path: reg.yaml\n"
					       "sweep:\n"
					       "  deployment: repo-sweep/sweep\n"
					       "  name_param: repository\n"
					       "  deployement: x\n"
					       "prefect:\n"
					       "  repos_path: ignored.yaml\n");
	assert_int_equal(load(), 0);
	char *file = tmp_path("settings/mahavishnu.yaml");
	assert_from_file(CFG_REPOS_PATH, "reg.yaml", SOURCE_PROJECT, file, 1);
	assert_from_file(CFG_SWEEP_DEPLOYMENT, "repo-sweep/sweep", SOURCE_PROJECT, file, 3);
	assert_from_file(CFG_SWEEP_NAME_PARAM, "repository", SOURCE_PROJECT, file, 4);
	assert_value(CFG_SWEEP_PATH_PARAM, "path", SOURCE_DEFAULT, "default");
	assert_int_equal(warnings.len, 2);
	char *w1 = xasprintf("%s:5: unknown key 'deployement' (did you mean 'deployment'?)", file);
	char *w2 = xasprintf("%s:7: unknown key 'repos_path'", file);
	assert_string_equal(warnings.items[0], w1);
	assert_string_equal(warnings.items[1], w2);
	free(w1);
	free(w2);
	free(file);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(config_key_name(CFG_TLS_INSECURE), "tls_insecure_skip_verify");
	assert_string_equal(config_key_name(CFG_MAX_CONCURRENT_DEPLOYMENTS),
			    "max_concurrent_deployments");
	assert_string_equal(config_source_name(SOURCE_DEFAULT), "default");
	assert_string_equal(config_source_name(SOURCE_USER), "user file");
	assert_string_equal(config_source_name(SOURCE_LOCAL), "local file");
	assert_string_equal(config_source_name(SOURCE_ENV), "environment");
	assert_int_equal(config_key_is_secret(CFG_API_KEY), 1);
	assert_int_equal(config_key_is_secret(CFG_AUTH_STRING), 1);
	assert_int_equal(config_key_is_secret(CFG_API_URL), 0);
}

static void
test_shape_split(void **state)
{
	(void)state;
	char *file = fixture_path("config/shape_split.yaml");
	char *url = NULL;
	assert_int_equal(load_with(file, NULL, tmp_dir), 0);
	assert_from_file(CFG_ENABLED, "true", SOURCE_PROJECT, file, 7);
	assert_from_file(CFG_API_URL, "http://localhost:4200/api", SOURCE_PROJECT, file, 12);
	assert_from_file(CFG_CLOUD_URL, "https://api.prefect.cloud/api", SOURCE_PROJECT, file, 13);
	assert_from_file(CFG_WORKSPACE, "my-workspace", SOURCE_PROJECT, file, 14);
	assert_from_file(CFG_DEFAULT_WORK_POOL, "my-pool", SOURCE_PROJECT, file, 17);
	assert_from_file(CFG_MAX_CONCURRENT_FLOWS, "10", SOURCE_PROJECT, file, 20);
	assert_from_file(CFG_MAX_CONCURRENT_DEPLOYMENTS, "5", SOURCE_PROJECT, file, 21);
	assert_int_equal(warnings.len, 0);
	/* workspace and api_url tie on source, so api_url is used as it is */
	assert_int_equal(config_api_url(&cfg, &url, &err), 0);
	assert_string_equal(url, "http://localhost:4200/api");
	free(url);
	free(file);
}

static void
test_shape_adapters(void **state)
{
	(void)state;
	char *file = fixture_path("config/shape_adapters.yaml");
	assert_int_equal(load_with(file, NULL, tmp_dir), 0);
	assert_from_file(CFG_ENABLED, "true", SOURCE_PROJECT, file, 6);
	assert_from_file(CFG_API_URL, "http://localhost:4200/api", SOURCE_PROJECT, file, 7);
	assert_from_file(CFG_DEFAULT_WORK_POOL, "mahavishnu-pool", SOURCE_PROJECT, file, 8);
	assert_int_equal(warnings.len, 0);
	free(file);
}

static void
test_adapter_switch(void **state)
{
	(void)state;
	write_file("settings/mahavishnu.yaml", "adapters:\n  prefect: off\n");
	assert_int_equal(load(), 0);
	assert_string_equal(config_get(&cfg, CFG_ENABLED), "false");
	assert_int_equal(config_get_bool(&cfg, CFG_ENABLED), 0);
}

static void
test_both_shapes(void **state)
{
	(void)state;
	char *file = fixture_path("config/both_shapes.yaml");
	assert_int_equal(load_with(file, NULL, tmp_dir), 0);
	assert_from_file(CFG_API_URL, "http://top-level:4200/api", SOURCE_PROJECT, file, 4);
	assert_from_file(CFG_ENABLED, "false", SOURCE_PROJECT, file, 7);
	assert_from_file(CFG_TIMEOUT, "60", SOURCE_PROJECT, file, 9);
	free(file);
}

static void
write_precedence_files(void)
{
	write_file("xdg/mahavishnu/mahavishnu.yaml", "prefect:\n"
						     "  api_url: http://user:4200/api\n"
						     "  timeout: 11\n"
						     "  log_level: info\n"
						     "  default_work_pool: user-pool\n"
						     "  debug: yes\n");
	write_file("settings/mahavishnu.yaml", "adapters:\n"
					       "  prefect:\n"
					       "    api_url: http://project:4200/api\n"
					       "    timeout: 12\n"
					       "    default_work_pool: project-pool\n");
	write_file("settings/local.yaml", "prefect:\n"
					  "  timeout: 13\n"
					  "  api_url: http://local:4200/api/\n");
}

static void
test_precedence(void **state)
{
	(void)state;
	char *xdg = tmp_path("xdg");
	char *user = tmp_path("xdg/mahavishnu/mahavishnu.yaml");
	char *project = tmp_path("settings/mahavishnu.yaml");
	char *local = tmp_path("settings/local.yaml");
	write_precedence_files();
	fake_env_set("XDG_CONFIG_HOME", xdg);

	assert_int_equal(load(), 0);
	assert_from_file(CFG_LOG_LEVEL, "INFO", SOURCE_USER, user, 4);
	assert_from_file(CFG_DEBUG, "true", SOURCE_USER, user, 6);
	assert_from_file(CFG_DEFAULT_WORK_POOL, "project-pool", SOURCE_PROJECT, project, 5);
	assert_from_file(CFG_TIMEOUT, "13", SOURCE_LOCAL, local, 2);
	assert_from_file(CFG_API_URL, "http://local:4200/api", SOURCE_LOCAL, local, 3);
	assert_value(CFG_MAX_RETRIES, "3", SOURCE_DEFAULT, "default");

	fake_env_set("PREFECT_API_URL", "http://env:4200/api");
	fake_env_set("PREFECT_LOG_LEVEL", "Error");
	assert_int_equal(load(), 0);
	assert_value(CFG_API_URL, "http://env:4200/api", SOURCE_ENV, "PREFECT_API_URL");
	assert_value(CFG_LOG_LEVEL, "ERROR", SOURCE_ENV, "PREFECT_LOG_LEVEL");
	assert_from_file(CFG_TIMEOUT, "13", SOURCE_LOCAL, local, 2);

	assert_int_equal(load_with(NULL, "https://flag.example/api/", tmp_dir), 0);
	assert_value(CFG_API_URL, "https://flag.example/api", SOURCE_FLAG, "--api-url");
	assert_int_equal(warnings.len, 0);
	free(xdg);
	free(user);
	free(project);
	free(local);
}

static void
test_home_fallback(void **state)
{
	(void)state;
	char *home = tmp_path("home");
	char *user = tmp_path("home/.config/mahavishnu/mahavishnu.yaml");
	make_dir("home");
	make_dir("home/.config");
	make_dir("home/.config/mahavishnu");
	write_file("home/.config/mahavishnu/mahavishnu.yaml", "prefect:\n  max_retries: 0\n");
	write_file("xdg/mahavishnu/mahavishnu.yaml", "prefect:\n  max_retries: 9\n");
	fake_env_set("HOME", home);
	fake_env_set("XDG_CONFIG_HOME", "");
	assert_int_equal(load(), 0);
	assert_from_file(CFG_MAX_RETRIES, "0", SOURCE_USER, user, 2);
	assert_int_equal(config_get_long(&cfg, CFG_MAX_RETRIES), 0);
	free(home);
	free(user);
}

static void
test_relative_origin(void **state)
{
	(void)state;
	write_file("settings/mahavishnu.yaml", "prefect:\n  workspace: team\n");
	write_file("settings/local.yaml", "\nprefect:\n  ui_url: http://ui:4200/\n");
	assert_int_equal(chdir(tmp_dir), 0);
	assert_int_equal(load_with(NULL, NULL, "."), 0);
	assert_value(CFG_WORKSPACE, "team", SOURCE_PROJECT, "settings/mahavishnu.yaml:2");
	assert_value(CFG_UI_URL, "http://ui:4200", SOURCE_LOCAL, "settings/local.yaml:3");
}

static void
test_explicit_file(void **state)
{
	(void)state;
	char *named = tmp_path("other.yaml");
	char *via_env = tmp_path("env.yaml");
	write_file("settings/mahavishnu.yaml", "prefect:\n  api_url: http://project/api\n");
	write_file("settings/local.yaml", "prefect:\n  timeout: 99\n");
	write_file("other.yaml", "prefect:\n  connect_timeout: 7\n");
	write_file("env.yaml", "prefect:\n  connect_timeout: 8\n");

	assert_int_equal(load_with(named, NULL, tmp_dir), 0);
	assert_value(CFG_API_URL, "http://127.0.0.1:4200/api", SOURCE_DEFAULT, "default");
	assert_value(CFG_TIMEOUT, "30", SOURCE_DEFAULT, "default");
	assert_from_file(CFG_CONNECT_TIMEOUT, "7", SOURCE_PROJECT, named, 2);

	fake_env_set("MAHAVISHNU_CONFIG", via_env);
	assert_int_equal(load(), 0);
	assert_value(CFG_TIMEOUT, "30", SOURCE_DEFAULT, "default");
	assert_from_file(CFG_CONNECT_TIMEOUT, "8", SOURCE_PROJECT, via_env, 2);

	assert_int_equal(load_with(named, NULL, tmp_dir), 0);
	assert_from_file(CFG_CONNECT_TIMEOUT, "7", SOURCE_PROJECT, named, 2);

	fake_env_set("MAHAVISHNU_CONFIG", "");
	assert_int_equal(load(), 0);
	assert_string_equal(config_get(&cfg, CFG_TIMEOUT), "99");
	free(named);
	free(via_env);
}

static void
test_unreadable_files(void **state)
{
	(void)state;
	char *dir = tmp_path("settings");
	char *message;

	assert_int_equal(load_with("/nonexistent/mahavishnu.yaml", NULL, tmp_dir), -1);
	assert_error("cannot read config file '/nonexistent/mahavishnu.yaml': "
		     "No such file or directory");

	fake_env_set("MAHAVISHNU_CONFIG", "missing.yaml");
	assert_int_equal(load(), -1);
	assert_error("cannot read config file 'missing.yaml': No such file or directory");

	assert_int_equal(load_with(dir, NULL, tmp_dir), -1);
	message = xasprintf("cannot read config file '%s': Is a directory", dir);
	assert_error(message);
	free(message);
	free(dir);
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	char *file = fixture_path("config/unknown_keys.yaml");
	/* clang-format off */
	static const char *const expected[] = {
		"%s:13: unknown key 'enabeld' (did you mean 'enabled'?)",
		"%s:1: unknown key 'prefct' (did you mean 'prefect'?)",
		"%s:3: unknown key 'adaptors' (did you mean 'adapters'?)",
		"%s:7: unknown key 'api_ur' (did you mean 'api_url'?)",
		"%s:8: unknown key 'timout' (did you mean 'timeout'?)",
		"%s:9: unknown key 'colour'",
		"%s:10: unknown key 'max_concurrent_flow' (did you mean 'max_concurrent_flows'?)",
		"%s:15: 'timeout' is not read at the top level: it belongs under 'prefect:'",
	};
	/* clang-format on */
	size_t n = sizeof(expected) / sizeof(expected[0]);

	assert_int_equal(load_with(file, NULL, tmp_dir), 0);
	assert_int_equal(warnings.len, n);
	for (size_t i = 0; i < n; i++) {
		char *line = xasprintf(expected[i], file);
		assert_string_equal(warnings.items[i], line);
		free(line);
	}
	assert_from_file(CFG_DEBUG, "true", SOURCE_PROJECT, file, 14);
	assert_value(CFG_API_URL, "http://127.0.0.1:4200/api", SOURCE_DEFAULT, "default");
	free(file);
}

struct bad_file {
	const char *yaml;
	const char *message; /* after "PATH:" */
};

/* clang-format off */
static const struct bad_file bad_files[] = {
	{ "prefect:\n  timeout: abc\n",
	  "2: invalid value for 'timeout': 'abc' is not a whole number of seconds in 1..3600" },
	{ "prefect:\n\n  timeout: 3601\n",
	  "3: invalid value for 'timeout': '3601' is not a whole number of seconds in 1..3600" },
	{ "prefect:\n  connect_timeout: 2.5\n",
	  "2: invalid value for 'connect_timeout': '2.5' is not a whole number of seconds "
	  "in 1..300" },
	{ "prefect:\n  max_retries: 11\n",
	  "2: invalid value for 'max_retries': '11' is not a whole number in 0..10" },
	{ "prefect:\n  max_concurrent_flows: 0\n",
	  "2: invalid value for 'max_concurrent_flows': '0' is not a whole number in 1..10000" },
	{ "prefect:\n  max_concurrent_deployments: ' 5'\n",
	  "2: invalid value for 'max_concurrent_deployments': ' 5' is not a whole number "
	  "in 1..10000" },
	{ "prefect:\n  api_url: localhost:4200\n",
	  "2: invalid value for 'api_url': 'localhost:4200' is not an http(s) URL" },
	{ "prefect:\n  cloud_url: 'https://'\n",
	  "2: invalid value for 'cloud_url': 'https://' is not an http(s) URL" },
	{ "prefect:\n  ui_url: 'http://host:port/'\n",
	  "2: invalid value for 'ui_url': 'http://host:port/' is not an http(s) URL" },
	{ "prefect:\n  api_url: 'http://user@:80/api'\n",
	  "2: invalid value for 'api_url': 'http://user@:80/api' is not an http(s) URL" },
	{ "prefect:\n  api_url: 'ftp://host/api'\n",
	  "2: invalid value for 'api_url': 'ftp://host/api' is not an http(s) URL" },
	{ "prefect:\n  log_level: loud\n",
	  "2: invalid value for 'log_level': 'loud' is not one of DEBUG, INFO, WARNING, "
	  "ERROR, CRITICAL" },
	{ "prefect:\n  debug: maybe\n",
	  "2: invalid value for 'debug': 'maybe' is not true or false" },
	{ "adapters:\n  prefect: maybe\n",
	  "2: invalid value for 'enabled': 'maybe' is not true or false" },
	{ "prefect:\n  api_key: \"abc\\ndef\"\n",
	  "2: invalid value for 'api_key': it contains a control character" },
	{ "prefect:\n  api_url:\n    - http://a/api\n",
	  "2: 'api_url' must be a string" },
	{ "prefect:\n  timeout: {seconds: 5}\n",
	  "2: 'timeout' must be a whole number" },
	{ "prefect:\n  debug: [true]\n",
	  "2: 'debug' must be true or false" },
	{ "prefect:\n  ? [a, b]\n  : c\n",
	  "2: keys under 'prefect' must be strings" },
	{ "prefect: http://localhost:4200/api\n",
	  "1: 'prefect' must be a mapping" },
	{ "adapters: [prefect]\n",
	  "1: 'adapters' must be a mapping" },
	{ "adapters:\n  prefect:\n    - enabled\n",
	  "2: 'adapters.prefect' must be true, false or a mapping" },
	{ "adapters:\n  prefect:\n    timeout: -1\n",
	  "3: invalid value for 'timeout': '-1' is not a whole number of seconds in 1..3600" },
	{ "- prefect\n",
	  "1: the top level must be a mapping" },
	{ "prefect:\n  timeout: *nowhere\n",
	  "2:12: found undefined alias 'nowhere'" },
	{ "prefect: {}\n---\nprefect: {}\n",
	  "2:1: expected a single YAML document" },
};
/* clang-format on */

static void
test_invalid_file_values(void **state)
{
	(void)state;
	char *project = tmp_path("settings/mahavishnu.yaml");
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		char *message = xasprintf("%s:%s", project, bad_files[i].message);
		write_file("settings/mahavishnu.yaml", bad_files[i].yaml);
		assert_int_equal(load(), -1);
		assert_error(message);
		free(message);
	}
	free(project);
}

struct bad_env {
	const char *name;
	const char *value;
	const char *message;
};

/* clang-format off */
static const struct bad_env bad_envs[] = {
	{ "PREFECT_API_URL", "localhost:4200",
	  "PREFECT_API_URL: invalid value for 'api_url': 'localhost:4200' is not an http(s) URL" },
	{ "PREFECT_CLOUD_URL", "https://api.prefect.cloud:/api",
	  "PREFECT_CLOUD_URL: invalid value for 'cloud_url': 'https://api.prefect.cloud:/api' "
	  "is not an http(s) URL" },
	{ "PREFECT_UI_URL", "http://ui host/",
	  "PREFECT_UI_URL: invalid value for 'ui_url': 'http://ui host/' is not an http(s) URL" },
	{ "PREFECT_LOG_LEVEL", "trace",
	  "PREFECT_LOG_LEVEL: invalid value for 'log_level': 'trace' is not one of DEBUG, "
	  "INFO, WARNING, ERROR, CRITICAL" },
	{ "PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "2",
	  "PREFECT_API_TLS_INSECURE_SKIP_VERIFY: invalid value for 'tls_insecure_skip_verify': "
	  "'2' is not true or false" },
	{ "PREFECT_API_AUTH_STRING", "admin:pa\tss",
	  "PREFECT_API_AUTH_STRING: invalid value for 'auth_string': "
	  "it contains a control character" },
};
/* clang-format on */

static void
test_invalid_env_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_envs) / sizeof(bad_envs[0]); i++) {
		fake_env_reset(NULL);
		fake_env_set(bad_envs[i].name, bad_envs[i].value);
		assert_int_equal(load(), -1);
		assert_error(bad_envs[i].message);
	}
	fake_env_reset(NULL);
	assert_int_equal(load_with(NULL, "127.0.0.1:4200/api", tmp_dir), -1);
	/* a bad flag is a usage error (exit 2), like any other option's */
	assert_int_equal(err.kind, ERROR_USAGE);
	assert_string_equal(err.message, "--api-url: invalid value for 'api_url': "
					 "'127.0.0.1:4200/api' is not an http(s) URL");
}

static void
test_normalised_values(void **state)
{
	(void)state;
	write_file("settings/mahavishnu.yaml", "prefect:\n"
					       "  api_url: HTTPS://[::1]:4200/api//\n"
					       "  cloud_url: https://user:pw@cloud.example\n"
					       "  debug: On\n"
					       "  log_level: critical\n"
					       "  timeout: +0042\n"
					       "  max_concurrent_flows: 10000\n"
					       "  ssl_cert_file: /etc/ssl/ca.pem\n");
	fake_env_set("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "0");
	fake_env_set("PREFECT_API_KEY", "pnu_secret");
	assert_int_equal(load(), 0);
	assert_string_equal(config_get(&cfg, CFG_API_URL), "HTTPS://[::1]:4200/api");
	assert_string_equal(config_get(&cfg, CFG_CLOUD_URL), "https://user:pw@cloud.example");
	assert_string_equal(config_get(&cfg, CFG_DEBUG), "true");
	assert_string_equal(config_get(&cfg, CFG_LOG_LEVEL), "CRITICAL");
	assert_string_equal(config_get(&cfg, CFG_TIMEOUT), "42");
	assert_int_equal(config_get_long(&cfg, CFG_MAX_CONCURRENT_FLOWS), 10000);
	assert_string_equal(config_get(&cfg, CFG_SSL_CERT_FILE), "/etc/ssl/ca.pem");
	assert_value(CFG_TLS_INSECURE, "false", SOURCE_ENV, "PREFECT_API_TLS_INSECURE_SKIP_VERIFY");
	assert_value(CFG_API_KEY, "pnu_secret", SOURCE_ENV, "PREFECT_API_KEY");
}

static void
test_absent_values(void **state)
{
	(void)state;
	write_file("xdg/mahavishnu/mahavishnu.yaml", "prefect:\n  timeout: 20\n");
	write_file("settings/mahavishnu.yaml",
		   "adapters:\nprefect:\n  timeout:\n  api_url: \"\"\n  debug: ~\n");
	write_file("settings/local.yaml", "prefect: null\nadapters:\n  prefect:\n");
	fake_env_set("XDG_CONFIG_HOME", "");
	fake_env_set("PREFECT_API_URL", "");
	assert_int_equal(load(), 0);
	assert_value(CFG_TIMEOUT, "30", SOURCE_DEFAULT, "default");
	char *xdg = tmp_path("xdg");
	fake_env_set("XDG_CONFIG_HOME", xdg);
	assert_int_equal(load(), 0);
	assert_string_equal(config_get(&cfg, CFG_TIMEOUT), "20");
	assert_value(CFG_API_URL, "http://127.0.0.1:4200/api", SOURCE_DEFAULT, "default");
	assert_value(CFG_DEBUG, "false", SOURCE_DEFAULT, "default");
	free(xdg);
}

static void
test_empty_files(void **state)
{
	(void)state;
	static const char *const names[] = { "empty.yaml", "null_document.yaml" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *file = fixture_path("config/%s", names[i]);
		assert_int_equal(load_with(file, NULL, tmp_dir), 0);
		assert_value(CFG_API_URL, "http://127.0.0.1:4200/api", SOURCE_DEFAULT, "default");
		assert_int_equal(warnings.len, 0);
		free(file);
	}
	write_file("settings/mahavishnu.yaml", "# nothing here yet\n");
	write_file("settings/local.yaml", "");
	assert_int_equal(load(), 0);
	assert_value(CFG_TIMEOUT, "30", SOURCE_DEFAULT, "default");
}

static void
test_syntax_error(void **state)
{
	(void)state;
	char *file = fixture_path("config/syntax_error.yaml");
	char *message = xasprintf("%s:4:8: did not find expected ',' or ']'", file);
	assert_int_equal(load_with(file, NULL, tmp_dir), -1);
	assert_error(message);
	free(message);
	free(file);

	char *local = tmp_path("settings/local.yaml");
	write_file("settings/local.yaml", "prefect:\n  api_url: \"\xff\"\n");
	message = xasprintf("%s:2:13: invalid leading UTF-8 octet", local);
	assert_int_equal(load(), -1);
	assert_error(message);
	free(message);
	free(local);
}

static void
test_aliases(void **state)
{
	(void)state;
	char *file = fixture_path("config/aliases.yaml");
	assert_int_equal(load_with(file, NULL, tmp_dir), 0);
	assert_from_file(CFG_API_URL, "http://anchored:4200/api", SOURCE_PROJECT, file, 2);
	assert_from_file(CFG_TIMEOUT, "45", SOURCE_PROJECT, file, 3);
	assert_int_equal(warnings.len, 0);
	free(file);
}

/* Load with the given workspace and API URLs in the environment; expect rc. */
static char *
resolve(const char *workspace, const char *cloud_url, int rc)
{
	char *url = NULL;
	fake_env_set("PREFECT_WORKSPACE", workspace);
	fake_env_set("PREFECT_CLOUD_URL", cloud_url);
	assert_int_equal(load(), 0);
	assert_int_equal(config_api_url(&cfg, &url, &err), rc);
	return url;
}

static void
test_workspace_forms(void **state)
{
	(void)state;
	/* clang-format off */
	static const char *const good[] = {
		ACCOUNT "/" WORKSPACE,
		"accounts/" ACCOUNT "/workspaces/" WORKSPACE,
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *url = resolve(good[i], "", 0);
		assert_string_equal(url, "https://api.prefect.cloud/api/accounts/" ACCOUNT
					 "/workspaces/" WORKSPACE);
		assert_int_equal(config_uses_cloud(&cfg), 1);
		free(url);
	}
	char *url = resolve(good[0], "https://cloud.example/api/", 0);
	assert_string_equal(url,
			    "https://cloud.example/api/accounts/" ACCOUNT "/workspaces/" WORKSPACE);
	free(url);
}

static void
test_workspace_invalid(void **state)
{
	(void)state;
	/* clang-format off */
	static const char *const bad[] = {
		"my-workspace",
		ACCOUNT,
		ACCOUNT "/" WORKSPACE "/",
		ACCOUNT "/my-workspace",
		"accounts/" ACCOUNT "/" WORKSPACE,
		"accounts/" ACCOUNT "/projects/" WORKSPACE,
		"0a1b2c3d-0000-4000-8000-00000000000/" WORKSPACE,
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *message = xasprintf("invalid value for 'workspace' (from PREFECT_WORKSPACE): "
					  "'%s' is not ACCOUNT_ID/WORKSPACE_ID",
					  bad[i]);
		assert_null(resolve(bad[i], "", -1));
		assert_int_equal(err.kind, ERROR_CONFIG);
		assert_string_equal(err.message, message);
		assert_string_equal(err.hint, "Prefect Cloud workspaces are addressed by account "
					      "and workspace UUIDs, as in its app URLs");
		free(message);
	}
}

static void
test_workspace_precedence(void **state)
{
	(void)state;
	char *url = NULL;
	write_file("settings/mahavishnu.yaml", "prefect:\n  workspace: " ACCOUNT "/" WORKSPACE "\n");

	/* a workspace from a file beats the default api_url */
	assert_int_equal(load(), 0);
	assert_int_equal(config_api_url(&cfg, &url, &err), 0);
	assert_string_equal(url, "https://api.prefect.cloud/api/accounts/" ACCOUNT
				 "/workspaces/" WORKSPACE);
	free(url);

	/* an api_url from the same file ties, and api_url wins the tie */
	write_file("settings/mahavishnu.yaml", "prefect:\n  workspace: my-workspace\n"
					       "  api_url: http://localhost:4200/api\n");
	assert_int_equal(load(), 0);
	assert_int_equal(config_api_url(&cfg, &url, &err), 0);
	assert_string_equal(url, "http://localhost:4200/api");
	assert_int_equal(config_uses_cloud(&cfg), 0);
	free(url);

	/* the spec's PREFECT_WORKSPACE example outranks the file's api_url */
	fake_env_set("PREFECT_WORKSPACE", "my-workspace");
	assert_int_equal(load(), 0);
	assert_int_equal(config_api_url(&cfg, &url, &err), -1);
	assert_string_equal(err.message, "invalid value for 'workspace' (from PREFECT_WORKSPACE): "
					 "'my-workspace' is not ACCOUNT_ID/WORKSPACE_ID");
	assert_int_equal(config_uses_cloud(&cfg), 1);

	/* and --api-url outranks the environment's workspace */
	assert_int_equal(load_with(NULL, "http://flag:4200/api", tmp_dir), 0);
	assert_int_equal(config_api_url(&cfg, &url, &err), 0);
	assert_string_equal(url, "http://flag:4200/api");
	assert_int_equal(config_uses_cloud(&cfg), 0);
	free(url);
}

static void
test_uses_cloud(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct {
		const char *api_url;
		int cloud;
	} cases[] = {
		{ "https://api.prefect.cloud/api", 1 },
		{ "https://api.prefect.cloud/api/accounts/" ACCOUNT "/workspaces/" WORKSPACE, 1 },
		{ "https://api.prefect.cloud/apiary", 0 },
		{ "https://api.prefect.cloud.example/api", 0 },
		{ "http://127.0.0.1:4200/api", 0 },
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_env_set("PREFECT_API_URL", cases[i].api_url);
		assert_int_equal(load(), 0);
		assert_int_equal(config_uses_cloud(&cfg), cases[i].cloud);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shape_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shape_adapters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adapter_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_both_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_file_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_env_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalised_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workspace_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workspace_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workspace_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uses_cloud, setup, teardown),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
