/*
 * The module-level enums and pydantic models of a flow file, as pydantic
 * puts them under the schema's definitions: an enum is {"enum": [values],
 * "title", "type"}, a model {"properties", "required", "title", "type":
 * "object"}, each with its docstring as "description". Also their values
 * as defaults: an enum member is its value, a model instance the dump of
 * all its fields.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/schema.h"

/* The kind of a base class path, or -1. */
static int
base_kind(const struct schema_ctx *c, const char *path)
{
	static const char *const enums[] = { "enum.Enum", "enum.IntEnum", "enum.StrEnum" };
	static const char *const models[] = { "pydantic.BaseModel", "pydantic.main.BaseModel" };
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(path, enums[i]))
			return SCHEMA_ENUM;
	for (size_t i = 0; i < 2; i++)
		if (!strcmp(path, models[i]))
			return SCHEMA_MODEL;
	const struct schema_class *cls = pf_schema_class(c, path);
	return cls ? (int)cls->kind : -1;
}

static int
class_kind(const struct schema_ctx *c, TSNode def)
{
	TSNode bases = pf_field(def, "superclasses");
	int kind = -1;
	for (uint32_t i = 0; i < pf_count(bases); i++) {
		char *path = pf_resolve(c->pass, ts_node_named_child(bases, i));
		int k = path ? base_kind(c, path) : -1;
		kind = k >= 0 ? k : kind;
		free(path);
	}
	return kind;
}

void
pf_schema_classes(struct schema_ctx *c)
{
	TSNode root = c->pass->root;
	for (uint32_t i = 0; i < pf_count(root); i++) {
		TSNode n = ts_node_named_child(root, i);
		int kind;
		if (!pf_is(n, "class_definition") || (kind = class_kind(c, n)) < 0)
			continue;
		c->classes = xrealloc(c->classes, (c->n_classes + 1) * sizeof(*c->classes));
		c->classes[c->n_classes++] = (struct schema_class){
			pf_text(c->file, pf_field(n, "name")), n, (enum schema_class_kind)kind, 0
		};
	}
}

void
pf_schema_classes_release(struct schema_ctx *c)
{
	for (size_t i = 0; i < c->n_classes; i++)
		free(c->classes[i].name);
	free(c->classes);
	c->classes = NULL;
	c->n_classes = 0;
}

struct schema_class *
pf_schema_class(const struct schema_ctx *c, const char *path)
{
	for (size_t i = c->n_classes; i-- > 0;)
		if (!strcmp(c->classes[i].name, path))
			return &c->classes[i];
	return NULL;
}

/* Each statement of a class body, as (target, annotation, value) of an assignment. */
struct member {
	TSNode name, type, value;
};

static size_t
members(TSNode def, struct member *out, size_t max)
{
	TSNode body = pf_field(def, "body");
	size_t n = 0;
	for (uint32_t i = 0; i < pf_count(body) && n < max; i++) {
		TSNode st = ts_node_named_child(body, i);
		TSNode a = pf_first_named(st);
		if (!pf_is(st, "expression_statement") || !pf_is(a, "assignment"))
			continue;
		TSNode left = pf_field(a, "left");
		if (!pf_is(left, "identifier"))
			continue;
		out[n++] = (struct member){ left, pf_field(a, "type"), pf_field(a, "right") };
	}
	return n;
}

#define MAX_MEMBERS 256

static void
add_description(struct schema_ctx *c, json_t *def, TSNode cls)
{
	char *doc = pf_docstring(c->file, pf_field(cls, "body"));
	if (doc && *doc)
		json_object_set_new(def, "description", json_string(doc));
	free(doc);
}

static json_t *
enum_definition(struct schema_ctx *c, const struct schema_class *cls)
{
	struct member m[MAX_MEMBERS];
	size_t n = members(cls->node, m, MAX_MEMBERS);
	json_t *values = json_array();
	const char *type = NULL;
	int same = 1;
	for (size_t i = 0; i < n; i++) {
		char *name = pf_text(c->file, m[i].name);
		int private = name[0] == '_';
		free(name);
		if (private || !ts_node_is_null(m[i].type))
			continue;
		json_t *v = pf_value(c, m[i].value);
		if (!v || json_is_array(v) || json_is_object(v)) {
			c->inexact = 1;
			json_decref(v);
			continue;
		}
		const char *t = json_is_string(v) ? "string" : json_is_integer(v) ? "integer" : "";
		same = same && (!type || !strcmp(type, t)) && *t;
		type = t;
		json_array_append_new(values, v); /* aliases too, as pydantic lists them */
	}
	json_t *def = json_pack("{s:o,s:s}", "enum", values, "title", cls->name);
	if (same && type)
		json_object_set_new(def, "type", json_string(type));
	add_description(c, def, cls->node);
	return def;
}

/* Python's str.title(), then underscores as spaces: pydantic's field titles. */
static char *
field_title(const char *name)
{
	char *t = xstrdup(name);
	int prev_cased = 0;
	for (char *p = t; *p; p++) {
		int cased = isalpha((unsigned char)*p);
		if (cased)
			*p = (char)(prev_cased ? tolower((unsigned char)*p) :
						 toupper((unsigned char)*p));
		prev_cased = cased;
		if (*p == '_')
			*p = ' ';
	}
	return t;
}

static int
refers(const json_t *s)
{
	size_t i;
	json_t *b;
	if (json_object_get(s, "$ref"))
		return 1;
	json_array_foreach(json_object_get(s, "anyOf"), i, b)
		if (json_object_get(b, "$ref"))
			return 1;
	return 0;
}

/* The fields of a model and its local bases, in pydantic's order. */
static void
model_fields(struct schema_ctx *c, const struct schema_class *cls, json_t *props, json_t *required)
{
	TSNode bases = pf_field(cls->node, "superclasses");
	for (uint32_t i = 0; i < pf_count(bases); i++) {
		char *path = pf_resolve(c->pass, ts_node_named_child(bases, i));
		const struct schema_class *base = path ? pf_schema_class(c, path) : NULL;
		if (base && base != cls && base->kind == SCHEMA_MODEL && c->depth < 20) {
			c->depth++;
			model_fields(c, base, props, required);
			c->depth--;
		}
		free(path);
	}
	struct member m[MAX_MEMBERS];
	size_t n = members(cls->node, m, MAX_MEMBERS);
	for (size_t i = 0; i < n; i++) {
		char *name = pf_text(c->file, m[i].name);
		if (ts_node_is_null(m[i].type)) {
			c->inexact = c->inexact || !strcmp(name, "model_config");
			free(name);
			continue;
		}
		json_t *prop = pf_type_schema(c, m[i].type);
		if (!refers(prop)) {
			char *title = field_title(name);
			json_object_set_new(prop, "title", json_string(title));
			free(title);
		}
		if (!ts_node_is_null(m[i].value)) {
			json_t *v = pf_value(c, m[i].value);
			c->inexact = c->inexact || !v;
			if (v)
				json_object_set_new(prop, "default", v);
		} else {
			json_array_append_new(required, json_string(name));
		}
		json_object_set_new(props, name, prop);
		free(name);
	}
}

static json_t *
model_definition(struct schema_ctx *c, const struct schema_class *cls)
{
	json_t *props = json_object(), *required = json_array();
	model_fields(c, cls, props, required);
	json_t *def = json_pack("{s:o,s:s,s:s}", "properties", props, "title", cls->name, "type",
				"object");
	if (json_array_size(required))
		json_object_set(def, "required", required);
	json_decref(required);
	add_description(c, def, cls->node);
	return def;
}

json_t *
pf_class_ref(struct schema_ctx *c, struct schema_class *cls)
{
	if (!json_object_get(c->definitions, cls->name)) {
		int saved = c->inexact;
		c->inexact = 0;
		json_object_set_new(c->definitions, cls->name, json_object()); /* recursion guard */
		json_t *def = cls->kind == SCHEMA_ENUM ? enum_definition(c, cls) :
							 model_definition(c, cls);
		json_object_set_new(c->definitions, cls->name, def);
		cls->inexact = c->inexact;
		c->inexact = saved;
	}
	c->inexact = c->inexact || cls->inexact; /* every parameter that refers to it */
	json_t *ref = json_object();
	char *target = xasprintf("#/definitions/%s", cls->name);
	json_object_set_new(ref, "$ref", json_string(target));
	free(target);
	return ref;
}

json_t *
pf_enum_member(struct schema_ctx *c, TSNode n)
{
	char *path = pf_resolve(c->pass, pf_field(n, "object"));
	const struct schema_class *cls = path ? pf_schema_class(c, path) : NULL;
	free(path);
	if (!cls || cls->kind != SCHEMA_ENUM)
		return NULL;
	struct member m[MAX_MEMBERS];
	size_t count = members(cls->node, m, MAX_MEMBERS);
	TSNode attr = pf_field(n, "attribute");
	for (size_t i = 0; i < count; i++) {
		char *name = pf_text(c->file, m[i].name);
		int match = pf_text_eq(c->file, attr, name);
		free(name);
		if (match)
			return pf_value(c, m[i].value);
	}
	return NULL;
}

/* Whether pydantic would keep v as it is for a field of schema s. */
static int
kept_as_is(const json_t *s, const json_t *v)
{
	const char *type = json_string_value(json_object_get(s, "type"));
	size_t plain = 1 + !!json_object_get(s, "title") + !!json_object_get(s, "default");
	if (json_object_size(s) == plain && type)
		return (!strcmp(type, "string") && json_is_string(v)) ||
		       (!strcmp(type, "integer") && json_is_integer(v)) ||
		       (!strcmp(type, "boolean") && json_is_boolean(v)) ||
		       (!strcmp(type, "number") && json_is_real(v));
	return 0;
}

json_t *
pf_model_instance(struct schema_ctx *c, const struct schema_class *cls, TSNode call)
{
	json_t *props = json_object(), *required = json_array(), *out = json_object();
	int saved = c->inexact;
	c->inexact = 0;
	model_fields(c, cls, props, required);
	int ok = !c->inexact;
	c->inexact = saved;
	TSNode args = pf_field(call, "arguments");
	const char *key;
	json_t *prop;
	json_object_foreach(props, key, prop) {
		json_t *v = NULL;
		for (uint32_t i = 0; i < pf_count(args); i++) {
			TSNode a = ts_node_named_child(args, i);
			if (!pf_is(a, "keyword_argument"))
				ok = 0;
			else if (pf_text_eq(c->file, pf_field(a, "name"), key))
				v = pf_value(c, pf_field(a, "value"));
		}
		ok = ok && (v ? kept_as_is(prop, v) : json_object_get(prop, "default") != NULL);
		json_object_set_new(out, key,
				    v ? v : json_deep_copy(json_object_get(prop, "default")));
	}
	ok = ok && pf_count(args) <= json_object_size(props);
	json_decref(props);
	json_decref(required);
	if (!ok) {
		json_decref(out);
		return NULL;
	}
	return out;
}
