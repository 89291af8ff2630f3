/* Parameter schemas and the values that fit them (see parameters.h). */
#include "api/parameters.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/xalloc.h"

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

/* pydantic's lax mode: 3.0 is an int. */
static int
fits_type(const json_t *v, const char *type)
{
	if (!strcmp(type, "integer") && json_is_real(v)) {
		double d = json_real_value(v);
		return d >= -9.2e18 && d <= 9.2e18 && d == (double)(json_int_t)d;
	}
	return has_type(v, type);
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
		if (fits_type(value, types->items[i]))
			return 1;
	return !types->len;
}

/* Deeper schemas are taken as they come. */
#define MAX_DEPTH 32

struct check {
	const json_t *root; /* for $ref */
	struct buf where;   /* "parameter 'x'", then ": item 0" ... */
	struct error *err;  /* NULL: only say whether it fits */
	int depth;
};

/* The definition "#/definitions/Name" (or "#/$defs/Name") names, or NULL. */
static const json_t *
resolve(const json_t *root, const json_t *ref)
{
	const char *r = json_string_value(ref);
	if (r && !strncmp(r, "#/definitions/", 14))
		return json_object_get(json_object_get(root, "definitions"), r + 14);
	if (r && !strncmp(r, "#/$defs/", 8))
		return json_object_get(json_object_get(root, "$defs"), r + 8);
	return NULL;
}

/* "an integer or null": the types a schema takes, for messages. */
static void
describe(const json_t *root, const json_t *s, struct strlist *names, int depth)
{
	const json_t *def = resolve(root, json_object_get(s, "$ref"));
	const json_t *type = json_object_get(s, "type");
	const char *alts[] = { "anyOf", "oneOf" };
	size_t i;
	json_t *b;
	if (depth > MAX_DEPTH)
		return;
	if (def)
		describe(root, def, names, depth + 1);
	if (json_is_string(type) && !strlist_contains(names, json_string_value(type)))
		strlist_add(names, json_string_value(type));
	json_array_foreach(type, i, b)
		if (json_is_string(b) && !strlist_contains(names, json_string_value(b)))
			strlist_add(names, json_string_value(b));
	for (size_t a = 0; a < 2; a++)
		json_array_foreach(json_object_get(s, alts[a]), i, b)
			describe(root, b, names, depth + 1);
}

static int
fail_with(struct check *c, const json_t *v, const char *what)
{
	if (!c->err)
		return -1;
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	error_set(c->err, ERROR_INVALID, "%s: %s is not %s", buf_str(&c->where), text ? text : "?",
		  what);
	free(text);
	return -1;
}

static int
not_of(struct check *c, const json_t *s, const json_t *v)
{
	struct strlist names = STRLIST_INIT;
	struct buf what = BUF_INIT;
	describe(c->root, s, &names, 0);
	for (size_t i = 0; i < names.len; i++)
		buf_addf(&what, "%s%s",
			 i                                  ? " or " :
			 strchr("aeiou", names.items[0][0]) ? "an " :
							      "a ",
			 names.items[i]);
	if (!names.len)
		buf_adds(&what, "an accepted value");
	int rc = fail_with(c, v, buf_str(&what));
	buf_release(&what);
	strlist_release(&names);
	return rc;
}

static int check_node(struct check *c, const json_t *s, const json_t *v);

/* s on v with " item 3" or " key 'k'" added to where for messages. */
static int
check_at(struct check *c, const json_t *s, const json_t *v, const char *label, const char *key,
	 size_t index)
{
	size_t len = c->where.len;
	if (key)
		buf_addf(&c->where, ", %s '%s'", label, key);
	else
		buf_addf(&c->where, ", %s %zu", label, index);
	int rc = check_node(c, s, v);
	c->where.len = len;
	c->where.data[len] = '\0';
	return rc;
}

/* Whether the top-level type of s (ignoring its contents) takes v. */
static int
shallow_fits(const json_t *root, const json_t *s, const json_t *v, int depth)
{
	const json_t *def = resolve(root, json_object_get(s, "$ref"));
	const json_t *type = json_object_get(s, "type");
	size_t i;
	json_t *t;
	if (def && depth < MAX_DEPTH)
		return shallow_fits(root, def, v, depth + 1);
	if (json_is_string(type))
		return fits_type(v, json_string_value(type));
	json_array_foreach(type, i, t)
		if (json_is_string(t) && fits_type(v, json_string_value(t)))
			return 1;
	return !json_is_array(type);
}

/* anyOf / oneOf: a branch must take v; else the error of the one branch of v's type. */
static int
check_branches(struct check *c, const json_t *s, const json_t *branches, const json_t *v)
{
	struct error *err = c->err;
	size_t i, matching = 0;
	json_t *b, *only = NULL;
	c->err = NULL;
	json_array_foreach(branches, i, b) {
		if (check_node(c, b, v) == 0) {
			c->err = err;
			return 0;
		}
		if (shallow_fits(c->root, b, v, 0)) {
			matching++;
			only = b;
		}
	}
	c->err = err;
	return matching == 1 ? check_node(c, only, v) : not_of(c, s, v);
}

static int
check_array(struct check *c, const json_t *s, const json_t *v)
{
	const json_t *items = json_object_get(s, "items"),
		     *prefix = json_object_get(s, "prefixItems");
	const json_t *max = json_object_get(s, "maxItems"), *min = json_object_get(s, "minItems");
	size_t i;
	json_t *e;
	if (json_is_integer(max) && (json_int_t)json_array_size(v) > json_integer_value(max))
		return fail_with(c, v, "short enough: too many items");
	if (json_is_integer(min) && (json_int_t)json_array_size(v) < json_integer_value(min))
		return fail_with(c, v, "long enough: too few items");
	json_array_foreach(v, i, e) {
		const json_t *item = i < json_array_size(prefix) ? json_array_get(prefix, i) :
								   items;
		if (json_is_object(item) && check_at(c, item, e, "item", NULL, i) < 0)
			return -1;
	}
	return 0;
}

static int
check_object(struct check *c, const json_t *s, const json_t *v)
{
	const json_t *props = json_object_get(s, "properties");
	const json_t *extra = json_object_get(s, "additionalProperties");
	const char *key;
	json_t *e;
	size_t i;
	json_object_foreach((json_t *)v, key, e) {
		const json_t *p = json_object_get(props, key);
		p = p ? p : json_is_object(extra) ? extra : NULL;
		if (p && check_at(c, p, e, "key", key, 0) < 0)
			return -1;
	}
	json_array_foreach(json_object_get(s, "required"), i, e) {
		if (json_is_string(e) && !json_object_get(v, json_string_value(e))) {
			if (c->err)
				error_set(c->err, ERROR_INVALID, "%s: key '%s' is missing",
					  buf_str(&c->where), json_string_value(e));
			return -1;
		}
	}
	return 0;
}

/* enum and const: v must be one of the values (3.0 counts as 3). */
static int
check_values(struct check *c, const json_t *s, const json_t *v)
{
	const json_t *values = json_object_get(s, "enum"), *one = json_object_get(s, "const");
	size_t i;
	json_t *e;
	if (!values && !one)
		return 0;
	if (one && json_equal(one, v))
		return 0;
	json_array_foreach(values, i, e)
		if (json_equal(e, v) || (json_is_integer(e) && json_is_real(v) &&
					 (double)json_integer_value(e) == json_real_value(v)))
			return 0;
	char *list = json_dumps(values ? values : one, JSON_ENCODE_ANY | JSON_COMPACT);
	char *what = xasprintf("one of %s", list ? list : "?");
	int rc = fail_with(c, v, what);
	free(what);
	free(list);
	return rc;
}

static int
check_node(struct check *c, const json_t *s, const json_t *v)
{
	const json_t *def = resolve(c->root, json_object_get(s, "$ref"));
	const json_t *any = json_object_get(s, "anyOf");
	int rc = 0;
	if (!json_is_object(s) || ++c->depth > MAX_DEPTH) {
		c->depth -= json_is_object(s);
		return 0;
	}
	if (def)
		rc = check_node(c, def, v);
	else if (json_is_array(any) || json_is_array(json_object_get(s, "oneOf")))
		rc = check_branches(c, s, any ? any : json_object_get(s, "oneOf"), v);
	else if (!shallow_fits(c->root, s, v, 0))
		rc = not_of(c, s, v);
	else if (check_values(c, s, v) < 0)
		rc = -1;
	else if (json_is_array(v))
		rc = check_array(c, s, v);
	else if (json_is_object(v))
		rc = check_object(c, s, v);
	c->depth--;
	return rc;
}

static int
check_value(const json_t *schema, const char *key, const json_t *value, struct error *err)
{
	const json_t *prop = json_object_get(json_object_get(schema, "properties"), key);
	if (!prop)
		return error_set(err, ERROR_INVALID,
				 "parameter '%s' is not a parameter of this flow", key);
	struct check c = { schema, BUF_INIT, err, 0 };
	buf_addf(&c.where, "parameter '%s'", key);
	int rc = check_node(&c, prop, value);
	buf_release(&c.where);
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
prefect_params_check_values(const json_t *schema, const json_t *params, struct error *err)
{
	const char *key;
	json_t *value;
	if (!json_is_object(json_object_get(schema, "properties")))
		return 0;
	json_object_foreach((json_t *)params, key, value)
		if (check_value(schema, key, value, err) < 0)
			return -1;
	return 0;
}

int
prefect_params_check(const json_t *schema, const json_t *params, const json_t *defaults,
		     struct error *err)
{
	if (prefect_params_check_values(schema, params, err) < 0)
		return -1;
	if (!json_is_object(json_object_get(schema, "properties")))
		return 0;
	return check_required(schema, params, defaults, err);
}
