/* Parameter schemas and the values that fit them (see parameters.h). */
#include "api/parameters.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"

/* Whether a JSON value has the JSON-schema type name. */
static int
has_type(const json_t *v, const char *type)
{
	if (!strcmp(type, "string"))
		return json_is_string(v);
	if (!strcmp(type, "integer"))
		return json_is_integer(v);
	if (!strcmp(type, "number"))
		return json_is_number(v);
	if (!strcmp(type, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(type, "array"))
		return json_is_array(v);
	if (!strcmp(type, "object"))
		return json_is_object(v);
	if (!strcmp(type, "null"))
		return json_is_null(v);
	return 1; /* a type we do not know: let the server decide */
}

/* The types a property allows, from "type" (string or list) or anyOf/oneOf. */
static void
allowed_types(const json_t *prop, struct strlist *types)
{
	const json_t *type = json_object_get(prop, "type");
	size_t i;
	json_t *t;
	if (json_is_string(type))
		strlist_add(types, json_string_value(type));
	json_array_foreach(type, i, t)
		if (json_is_string(t))
			strlist_add(types, json_string_value(t));
	const char *alts[] = { "anyOf", "oneOf" };
	for (size_t a = 0; a < 2; a++) {
		json_t *alt;
		json_array_foreach(json_object_get(prop, alts[a]), i, alt) {
			if (!json_is_string(json_object_get(alt, "type"))) {
				strlist_release(types); /* an untyped branch accepts anything */
				return;
			}
			strlist_add(types, json_string_value(json_object_get(alt, "type")));
		}
	}
}

int
prefect_param_types(const json_t *schema, const char *name, struct strlist *types)
{
	const json_t *props = json_object_get(schema, "properties");
	if (!json_is_object(props))
		return 1;
	const json_t *prop = json_object_get(props, name);
	if (!prop)
		return 0;
	allowed_types(prop, types);
	return 1;
}

int
prefect_param_fits(const json_t *value, const struct strlist *types)
{
	for (size_t i = 0; i < types->len; i++)
		if (has_type(value, types->items[i]))
			return 1;
	return !types->len;
}

static int
not_of_type(const char *key, const json_t *value, const struct strlist *types, struct error *err)
{
	struct buf list = BUF_INIT;
	char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	for (size_t i = 0; i < types->len; i++)
		buf_addf(&list, "%s%s", i ? " or " : "", types->items[i]);
	error_set(err, ERROR_INVALID, "parameter '%s': %s is not %s %s", key, text ? text : "?",
		  strchr("aeiou", buf_str(&list)[0]) ? "an" : "a", buf_str(&list));
	free(text);
	buf_release(&list);
	return -1;
}

static int
check_value(const json_t *schema, const char *key, const json_t *value, struct error *err)
{
	struct strlist types = STRLIST_INIT;
	int rc = 0;
	if (!prefect_param_types(schema, key, &types))
		rc = error_set(err, ERROR_INVALID, "parameter '%s' is not a parameter of this flow",
			       key);
	else if (!prefect_param_fits(value, &types))
		rc = not_of_type(key, value, &types, err);
	strlist_release(&types);
	return rc;
}

static int
check_required(const json_t *schema, const json_t *params, const json_t *defaults, struct error *err)
{
	size_t i;
	json_t *name;
	json_array_foreach(json_object_get(schema, "required"), i, name) {
		const char *n = json_string_value(name);
		if (n && !json_object_get(params, n) && !json_object_get(defaults, n))
			return error_set(err, ERROR_INVALID, "parameter '%s' is required", n);
	}
	return 0;
}

int
prefect_params_check(const json_t *schema, const json_t *params, const json_t *defaults,
		     struct error *err)
{
	const char *key;
	json_t *value;
	if (!json_is_object(json_object_get(schema, "properties")))
		return 0;
	json_object_foreach((json_t *)params, key, value)
		if (check_value(schema, key, value, err) < 0)
			return -1;
	return check_required(schema, params, defaults, err);
}
