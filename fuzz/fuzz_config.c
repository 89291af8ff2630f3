/*
 * Fuzz target for the configuration loader (src/core/config.c over
 * src/core/yaml_doc.c) and the repository registry (src/core/repos.c).
 * Feeds: the input as the contents of a YAML file, read both as the --config
 * file (with an empty environment, so no other file is read) and as the
 * repository registry. Checks: no sanitizer report; errors are
 * ERROR_CONFIG; a file that loads leaves every typed key in its stored form
 * (booleans "true" or "false", whole numbers, URLs with http(s):// and
 * without a trailing slash) and the API and UI URLs can be asked for; every
 * repository of a registry that loads has a name, an absolute path and an
 * object of other fields, and is found by its name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/repos.h"
#include "scratch.h"

static const char *
no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void
check_value(const struct config *cfg, enum config_key key)
{
	const char *text = config_get(cfg, key);
	char *end;
	if (!text)
		return;
	switch (config_key_kind(key)) {
	case CONFIG_KIND_BOOL:
		if (strcmp(text, "true") && strcmp(text, "false"))
			abort();
		break;
	case CONFIG_KIND_INT:
		strtol(text, &end, 10);
		if (!*text || *end)
			abort();
		break;
	case CONFIG_KIND_URL:
		if ((strncasecmp(text, "http://", 7) && strncasecmp(text, "https://", 8)) ||
		    text[strlen(text) - 1] == '/')
			abort();
		break;
	case CONFIG_KIND_TEXT:
		break;
	}
}

static void
check_config(const char *file)
{
	struct config cfg = { 0 };
	struct strlist warnings = STRLIST_INIT;
	struct error err = ERROR_INIT;
	struct config_load_options opts = { file, NULL, "--api-url", scratch_dir(), no_env };

	if (config_load(&cfg, &opts, &warnings, &err) < 0) {
		if (err.kind != ERROR_CONFIG)
			abort();
	} else {
		for (int key = 0; key < CFG__COUNT; key++)
			check_value(&cfg, (enum config_key)key);
		char *url = NULL;
		if (config_api_url(&cfg, &url, &err) == 0 && !url)
			abort();
		free(url);
		if (config_ui_url(&cfg, &url, &err) == 0 && !url)
			abort();
		free(url);
		config_uses_cloud(&cfg);
	}
	config_release(&cfg);
	strlist_release(&warnings);
}

static void
check_repos(const char *file)
{
	struct repo_registry reg = REPO_REGISTRY_INIT;
	struct error err = ERROR_INIT;

	if (repo_registry_load(&reg, file, scratch_dir(), "/home/fuzz", &err) < 0) {
		if (err.kind != ERROR_CONFIG)
			abort();
	} else {
		for (size_t i = 0; i < reg.len; i++) {
			const struct repo *r = &reg.repos[i];
			if (!r->name || !r->path || r->path[0] != '/' ||
			    !json_is_object(r->extra) || repo_registry_find(&reg, r->name) != r)
				abort();
			json_decref(repo_json(r));
		}
	}
	repo_registry_release(&reg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *file = scratch_file("mahavishnu.yaml", data, size);

	check_config(file);
	check_repos(file);
	return 0;
}
