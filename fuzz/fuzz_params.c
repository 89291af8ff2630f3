/*
 * Fuzz target for flow-run parameters: --param KEY=VALUE and --params JSON
 * (src/cli/param_args.c) typed and checked by a parameter schema
 * (src/api/parameters.c). Feeds: the input as lines, the first a parameter
 * schema in JSON, the second the deployment's defaults in JSON, the third
 * the --params text (an empty line: no --params), every further line one
 * --param word. Checks: no sanitizer report; building fails exactly when the
 * words are ill-formed or the schema refuses them, and what it builds is an
 * object holding every --param key; every value the schema says a parameter
 * takes fits its types.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/parameters.h"
#include "cli/param_args.h"
#include "core/xalloc.h"

/* The next line of *text (cut in place), or NULL at the end. */
static char *
next_line(char **text)
{
	char *line = *text;
	if (!line)
		return NULL;
	char *nl = strchr(line, '\n');
	*text = nl ? nl + 1 : NULL;
	if (nl)
		*nl = '\0';
	return line;
}

static json_t *
load(const char *line)
{
	return line ? json_loads(line, JSON_DECODE_ANY, NULL) : NULL;
}

static void
check_built(const struct param_args *a, const json_t *schema, const json_t *params)
{
	if (!json_is_object(params))
		abort();
	for (size_t i = 0; i < a->pairs.len; i++) {
		const char *pair = a->pairs.items[i];
		char *key = xstrndup(pair, (size_t)(strchr(pair, '=') - pair));
		struct strlist types = STRLIST_INIT;
		const json_t *value = json_object_get(params, key);
		if (!value || (prefect_param_types(schema, key, &types) &&
			       json_is_object(json_object_get(schema, "properties")) &&
			       !prefect_param_fits(value, &types)))
			abort();
		strlist_release(&types);
		free(key);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *rest = text;
	json_t *schema = load(next_line(&rest));
	json_t *defaults = load(next_line(&rest));
	struct param_args a = PARAM_ARGS_INIT;
	const char *json = next_line(&rest);
	a.json = json && *json ? json : NULL;
	for (char *word; (word = next_line(&rest));)
		strlist_add(&a.pairs, word);

	struct error check_err = ERROR_INIT, build_err = ERROR_INIT;
	json_t *params = NULL;
	int checked = param_args_check(&a, &check_err);
	int built = param_args_build(&a, schema, defaults, &params, &build_err);
	if (checked < 0 && (built == 0 || strcmp(check_err.message, build_err.message)))
		abort();
	if (built == 0)
		check_built(&a, schema, params);
	else if (params)
		abort();

	json_decref(params);
	param_args_release(&a);
	json_decref(defaults);
	json_decref(schema);
	free(text);
	return 0;
}
