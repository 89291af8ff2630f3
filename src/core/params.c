/* Parameter parsing and schema checks (see params.h). */
#include "core/params.h"

#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/xalloc.h"

static int
add_pair(json_t *params, const char *pair, struct error *err)
{
	const char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return error_set(err, ERROR_USAGE, "option '--param': '%s' is not KEY=VALUE", pair);
	char *key = xstrndup(pair, (size_t)(eq - pair));
	json_t *value = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
	if (!value)
		value = json_string(eq + 1);
	if (!value) {
		free(key);
		return error_set(err, ERROR_USAGE, "option '--param': the value of '%s' is not "
				 "UTF-8 text", pair);
	}
	int rc = json_object_set_new(params, key, value);
	free(key);
	if (rc < 0)
		return error_set(err, ERROR_USAGE, "option '--param': the key of '%s' is not UTF-8 "
				 "text", pair);
	return 0;
}

int
params_parse(const struct strlist *pairs, const char *params_json, json_t **out,
	     struct error *err)
{
	json_error_t jerr;
	json_t *params = params_json ? json_loads(params_json, JSON_DECODE_ANY, &jerr) : json_object();
	*out = NULL;
	if (!params)
		return error_set(err, ERROR_USAGE, "option '--params': not valid JSON: %s", jerr.text);
	if (!json_is_object(params)) {
		json_decref(params);
		return error_set(err, ERROR_USAGE, "option '--params': must be a JSON object");
	}
	for (size_t i = 0; i < pairs->len; i++) {
		if (add_pair(params, pairs->items[i], err) < 0) {
			json_decref(params);
			return -1;
		}
	}
	*out = params;
	return 0;
}

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

/* The text typed for key in the last --param KEY=TEXT, or NULL. */
static const char *
typed_text(const struct strlist *pairs, const char *key)
{
	const char *found = NULL;
	size_t n = strlen(key);
	for (size_t i = 0; pairs && i < pairs->len; i++)
		if (!strncmp(pairs->items[i], key, n) && pairs->items[i][n] == '=')
			found = pairs->items[i] + n + 1;
	return found;
}

/* Whether the allowed types are text, or text or null. */
static int
text_only(const struct strlist *types)
{
	int text = 0;
	for (size_t i = 0; i < types->len; i++) {
		if (!strcmp(types->items[i], "string"))
			text = 1;
		else if (strcmp(types->items[i], "null"))
			return 0;
	}
	return text;
}

/* A --param number or boolean where only text is allowed becomes the text typed. */
static void
coerce_to_text(json_t *params, const char *key, const struct strlist *pairs,
	       const struct strlist *types)
{
	const json_t *value = json_object_get(params, key);
	const char *text = typed_text(pairs, key);
	if (text && text_only(types) && (json_is_number(value) || json_is_boolean(value)))
		json_object_set_new(params, key, json_string(text));
}

static int
check_value(json_t *params, const char *key, const json_t *prop, const struct strlist *pairs,
	    struct error *err)
{
	struct strlist types = STRLIST_INIT;
	struct buf list = BUF_INIT;
	int ok = 0;
	allowed_types(prop, &types);
	coerce_to_text(params, key, pairs, &types);
	const json_t *value = json_object_get(params, key);
	for (size_t i = 0; i < types.len && !ok; i++)
		ok = has_type(value, types.items[i]);
	for (size_t i = 0; i < types.len; i++)
		buf_addf(&list, "%s%s", i ? " or " : "", types.items[i]);
	if (!ok && types.len) {
		char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
		error_set(err, ERROR_INVALID, "parameter '%s': %s is not %s %s", key, text ? text : "?",
			  strchr("aeiou", buf_str(&list)[0]) ? "an" : "a", buf_str(&list));
		free(text);
	}
	int rc = ok || !types.len ? 0 : -1;
	strlist_release(&types);
	buf_release(&list);
	return rc;
}

static int
check_required(const json_t *schema, const json_t *params, const json_t *defaults,
	       struct error *err)
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
params_conform(const json_t *schema, json_t *params, const struct strlist *pairs,
	       const json_t *defaults, struct error *err)
{
	const json_t *props = json_object_get(schema, "properties");
	const char *key;
	json_t *value;
	void *tmp;
	if (!json_is_object(props))
		return 0;
	json_object_foreach_safe(params, tmp, key, value) {
		const json_t *prop = json_object_get(props, key);
		if (!prop) {
			error_set(err, ERROR_INVALID, "parameter '%s' is not a parameter of this flow",
				  key);
			return -1;
		}
		if (check_value(params, key, prop, pairs, err) < 0)
			return -1;
	}
	return check_required(schema, params, defaults, err);
}
