/* --param and --params, typed by a parameter schema (see param_args.h). */
#include "cli/param_args.h"

#include <stdlib.h>
#include <string.h>

#include "api/parameters.h"
#include "core/xalloc.h"

static int
check_pair(const char *pair, struct error *err)
{
	const char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return error_set(err, ERROR_USAGE, "option '--param': '%s' is not KEY=VALUE", pair);
	json_t *key = json_stringn(pair, (size_t)(eq - pair));
	json_t *text = json_string(eq + 1);
	int rc = 0;
	if (!key)
		rc = error_set(err, ERROR_USAGE,
			       "option '--param': the key of '%s' is not UTF-8 "
			       "text",
			       pair);
	else if (!text)
		rc = error_set(err, ERROR_USAGE,
			       "option '--param': the value of '%s' is not UTF-8 "
			       "text",
			       pair);
	json_decref(key);
	json_decref(text);
	return rc;
}

/* The --params object (new reference), or NULL with err. */
static json_t *
load_object(const char *text, struct error *err)
{
	json_error_t jerr;
	json_t *obj = text ? json_loads(text, JSON_DECODE_ANY, &jerr) : json_object();
	if (!obj) {
		error_set(err, ERROR_USAGE, "option '--params': not valid JSON: %s", jerr.text);
		return NULL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		error_set(err, ERROR_USAGE, "option '--params': must be a JSON object");
		return NULL;
	}
	return obj;
}

int
param_args_check(const struct param_args *a, struct error *err)
{
	json_t *obj = load_object(a->json, err);
	if (!obj)
		return -1;
	json_decref(obj);
	for (size_t i = 0; i < a->pairs.len; i++)
		if (check_pair(a->pairs.items[i], err) < 0)
			return -1;
	return 0;
}

/*
 * The value of text for a parameter taking types: its JSON when that parses
 * and fits; else the text itself where the parameter takes text; else its
 * JSON (or text) for the check to refuse. New reference.
 */
static json_t *
typed_value(const char *text, const struct strlist *types)
{
	json_t *parsed = json_loads(text, JSON_DECODE_ANY, NULL);
	if (parsed && prefect_param_fits(parsed, types))
		return parsed;
	if (!parsed || strlist_contains(types, "string")) {
		json_decref(parsed);
		return json_string(text);
	}
	return parsed;
}

static void
add_pair(json_t *params, const char *pair, const json_t *schema)
{
	const char *eq = strchr(pair, '=');
	char *key = xstrndup(pair, (size_t)(eq - pair));
	struct strlist types = STRLIST_INIT;
	prefect_param_types(schema, key, &types);
	json_object_set_new(params, key, typed_value(eq + 1, &types));
	strlist_release(&types);
	free(key);
}

static int
build(const struct param_args *a, const json_t *schema, const json_t *defaults, int required,
      json_t **out, struct error *err)
{
	*out = NULL;
	if (param_args_check(a, err) < 0)
		return -1;
	json_t *params = load_object(a->json, err);
	for (size_t i = 0; i < a->pairs.len; i++)
		add_pair(params, a->pairs.items[i], schema);
	if ((required ? prefect_params_check(schema, params, defaults, err) :
			prefect_params_check_values(schema, params, err)) < 0) {
		json_decref(params);
		return -1;
	}
	*out = params;
	return 0;
}

int
param_args_build(const struct param_args *a, const json_t *schema, const json_t *defaults,
		 json_t **out, struct error *err)
{
	return build(a, schema, defaults, 1, out, err);
}

int
param_args_build_values(const struct param_args *a, const json_t *schema, json_t **out,
			struct error *err)
{
	return build(a, schema, NULL, 0, out, err);
}

void
param_args_release(struct param_args *a)
{
	strlist_release(&a->pairs);
}
