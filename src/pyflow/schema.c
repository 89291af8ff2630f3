/*
 * The parameter schema Prefect writes for each flow, computed from the
 * syntax tree alone: what prefect.utilities.callables.parameter_schema makes
 * of the signature with pydantic 2 (title, position, type from the
 * annotation, default, description from a Google-style docstring,
 * required, and definitions for the enums and pydantic models of the file
 * that the annotations name). Annotations: builtins, typing (Optional,
 * Union, Literal, List, Dict, Tuple, Set, Sequence, Mapping, Any), PEP 604
 * unions, datetime, UUID, Path, Decimal. A parameter whose annotation or
 * default is beyond that is listed in the flow's inexact list.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "pyflow/schema.h"

/* The JSON-schema of a plain type by its dotted path, or NULL. */
static json_t *
scalar(const char *path)
{
	static const struct {
		const char *path;
		const char *type;
		const char *format;
	} map[] = {
		{ "int", "integer", NULL },
		{ "float", "number", NULL },
		{ "str", "string", NULL },
		{ "bool", "boolean", NULL },
		{ "bytes", "string", "binary" },
		{ "datetime.datetime", "string", "date-time" },
		{ "datetime.date", "string", "date" },
		{ "datetime.time", "string", "time" },
		{ "datetime.timedelta", "string", "duration" },
		{ "uuid.UUID", "string", "uuid" },
		{ "pathlib.Path", "string", "path" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(path, map[i].path))
			continue;
		json_t *s = json_pack("{s:s}", "type", map[i].type);
		if (map[i].format)
			json_object_set_new(s, "format", json_string(map[i].format));
		return s;
	}
	if (!strcmp(path, "decimal.Decimal"))
		return json_pack("{s:[{s:s},{s:s}]}", "anyOf", "type", "number", "type", "string");
	if (!strcmp(path, "typing.Any") || !strcmp(path, "object"))
		return json_object();
	return NULL;
}

/* "typing.List" for typing_extensions.List and collections.abc names alike. */
static const char *
generic_name(const char *path)
{
	static const struct {
		const char *path;
		const char *name;
	} map[] = {
		{ "list", "list" },
		{ "typing.List", "list" },
		{ "typing.Sequence", "list" },
		{ "collections.abc.Sequence", "list" },
		{ "dict", "dict" },
		{ "typing.Dict", "dict" },
		{ "typing.Mapping", "dict" },
		{ "collections.abc.Mapping", "dict" },
		{ "tuple", "tuple" },
		{ "typing.Tuple", "tuple" },
		{ "set", "set" },
		{ "typing.Set", "set" },
		{ "frozenset", "set" },
		{ "typing.FrozenSet", "set" },
		{ "typing.Optional", "optional" },
		{ "typing.Union", "union" },
		{ "typing.Literal", "literal" },
	};
	int ext = !strncmp(path, "typing_extensions.", 18);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ext ? !strncmp(map[i].path, "typing.", 7) &&
				    !strcmp(path + 18, map[i].path + 7) :
			  !strcmp(path, map[i].path))
			return map[i].name;
	return NULL;
}

/* A bare list, dict, tuple or set. */
static json_t *
bare_generic(const char *name)
{
	if (!strcmp(name, "list") || !strcmp(name, "tuple"))
		return json_pack("{s:{},s:s}", "items", "type", "array");
	if (!strcmp(name, "set"))
		return json_pack("{s:{},s:s,s:b}", "items", "type", "array", "uniqueItems", 1);
	if (!strcmp(name, "dict"))
		return json_pack("{s:b,s:s}", "additionalProperties", 1, "type", "object");
	return NULL;
}

/* Append the branches of s to branches, flattening a nested anyOf. */
static void
add_branch(json_t *branches, json_t *s, int *has_null)
{
	json_t *any = json_object_get(s, "anyOf");
	size_t i;
	json_t *b;
	if (json_object_size(s) == 1 && any) {
		json_array_foreach(any, i, b)
			add_branch(branches, json_incref(b), has_null);
	} else if (json_object_size(s) == 1 &&
		   !strcmp(json_string_value(json_object_get(s, "type")) ?
				   json_string_value(json_object_get(s, "type")) :
				   "",
			   "null")) {
		*has_null = 1;
	} else {
		json_array_foreach(branches, i, b) {
			if (json_equal(b, s)) {
				json_decref(s);
				return;
			}
		}
		json_array_append(branches, s);
	}
	json_decref(s);
}

/* pydantic's anyOf for a union: members in order, null last, one member alone. */
static json_t *
union_of(struct schema_ctx *c, TSNode *members, size_t n)
{
	json_t *branches = json_array();
	int has_null = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *s = pf_type_schema(c, members[i]);
		if (!json_object_size(s))
			c->inexact = 1; /* Any in a union: pydantic keeps it as a branch */
		add_branch(branches, s, &has_null);
	}
	if (has_null)
		json_array_append_new(branches, json_pack("{s:s}", "type", "null"));
	if (json_array_size(branches) == 1) {
		json_t *one = json_incref(json_array_get(branches, 0));
		json_decref(branches);
		return one;
	}
	return json_pack("{s:o}", "anyOf", branches);
}

/* The JSON-schema type name of a literal value, or NULL. */
static const char *
value_type(const json_t *v)
{
	return json_is_string(v)  ? "string" :
	       json_is_integer(v) ? "integer" :
	       json_is_boolean(v) ? "boolean" :
	       json_is_real(v)    ? "number" :
	       json_is_null(v)    ? "null" :
				    NULL;
}

static json_t *
literal_of(struct schema_ctx *c, TSNode *args, size_t n)
{
	json_t *values = json_array();
	const char *type = NULL;
	int same = 1;
	for (size_t i = 0; i < n; i++) {
		json_t *v = pf_value(c, pf_is(args[i], "type") ? pf_first_named(args[i]) : args[i]);
		if (!v || json_is_array(v) || json_is_object(v)) {
			c->inexact = 1;
			json_decref(v);
			continue;
		}
		if (i == 0)
			type = value_type(v);
		same = same && type && !strcmp(type, value_type(v));
		json_array_append_new(values, v);
	}
	json_t *s = json_array_size(values) == 1 ?
			    json_pack("{s:O}", "const", json_array_get(values, 0)) :
			    json_pack("{s:O}", "enum", values);
	if (same && type && strcmp(type, "null"))
		json_object_set_new(s, "type", json_string(type));
	json_decref(values);
	return s;
}

static json_t *
tuple_of(struct schema_ctx *c, TSNode *args, size_t n)
{
	if (n == 2 && pf_text_eq(c->file, args[1], "..."))
		return json_pack("{s:o,s:s}", "items", pf_type_schema(c, args[0]), "type", "array");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, pf_type_schema(c, args[i]));
	return json_pack("{s:I,s:I,s:o,s:s}", "maxItems", (json_int_t)n, "minItems", (json_int_t)n,
			 "prefixItems", items, "type", "array");
}

/* list[X], dict[K, V], tuple[...], set[X], Optional[X], Union[...], Literal[...]. */
static json_t *
generic_of(struct schema_ctx *c, const char *name, TSNode *args, size_t n)
{
	if (!strcmp(name, "optional") && n == 1) {
		TSNode with_none[2] = { args[0], { { 0 }, 0, 0 } };
		return union_of(c, with_none, 2);
	}
	if (!strcmp(name, "union"))
		return union_of(c, args, n);
	if (!strcmp(name, "literal"))
		return literal_of(c, args, n);
	if (!strcmp(name, "tuple"))
		return tuple_of(c, args, n);
	if (!strcmp(name, "list") && n == 1)
		return json_pack("{s:o,s:s}", "items", pf_type_schema(c, args[0]), "type", "array");
	if (!strcmp(name, "set") && n == 1)
		return json_pack("{s:o,s:s,s:b}", "items", pf_type_schema(c, args[0]), "type",
				 "array", "uniqueItems", 1);
	if (!strcmp(name, "dict") && n == 2) {
		json_t *key = pf_type_schema(c, args[0]);
		const char *kt = json_string_value(json_object_get(key, "type"));
		if (!kt || json_object_size(key) != 1 ||
		    (strcmp(kt, "string") && strcmp(kt, "integer")))
			c->inexact = 1;
		json_decref(key);
		json_t *value = pf_type_schema(c, args[1]);
		if (!json_object_size(value)) {
			json_decref(value);
			value = json_true();
		}
		return json_pack("{s:o,s:s}", "additionalProperties", value, "type", "object");
	}
	c->inexact = 1;
	return json_object();
}

/* The schema of a name: a plain type, a bare generic, or an enum or model of the file. */
static json_t *
named(struct schema_ctx *c, TSNode n)
{
	char *path = pf_resolve(c->pass, n);
	json_t *s = NULL;
	const char *gen;
	struct schema_class *cls = path ? pf_schema_class(c, path) : NULL;
	if (cls)
		s = pf_class_ref(c, cls);
	else if (path && (s = scalar(path)))
		;
	else if (path && (gen = generic_name(path)))
		s = bare_generic(gen);
	free(path);
	if (!s) {
		c->inexact = 1;
		s = json_object();
	}
	return s;
}

#define MAX_ARGS 32

/* The type arguments of a subscript or generic_type node. */
static size_t
type_args(TSNode n, TSNode *args)
{
	size_t count = 0;
	if (pf_is(n, "generic_type")) {
		TSNode params = ts_node_named_child(n, 1);
		for (uint32_t i = 0; i < pf_count(params) && count < MAX_ARGS; i++)
			if (!pf_is(ts_node_named_child(params, i), "comment"))
				args[count++] = ts_node_named_child(params, i);
		return count;
	}
	/* every named child after the value is a subscript */
	for (uint32_t i = 1; i < pf_count(n) && count < MAX_ARGS; i++)
		if (!pf_is(ts_node_named_child(n, i), "comment"))
			args[count++] = ts_node_named_child(n, i);
	if (count == 1 && pf_is(args[0], "tuple")) {
		TSNode t = args[0];
		count = 0;
		for (uint32_t i = 0; i < pf_count(t) && count < MAX_ARGS; i++)
			args[count++] = ts_node_named_child(t, i);
	}
	return count;
}

static json_t *
subscripted(struct schema_ctx *c, TSNode n)
{
	TSNode head = pf_is(n, "generic_type") ? ts_node_named_child(n, 0) : pf_field(n, "value");
	TSNode args[MAX_ARGS];
	size_t count = type_args(n, args);
	char *path = pf_resolve(c->pass, head);
	const char *gen = path ? generic_name(path) : NULL;
	free(path);
	if (!gen) {
		c->inexact = 1;
		return json_object();
	}
	return generic_of(c, gen, args, count);
}

json_t *
pf_type_schema(struct schema_ctx *c, TSNode n)
{
	if (ts_node_is_null(n))
		return json_pack("{s:s}", "type", "null");
	if (++c->depth > 50) {
		c->depth--;
		c->inexact = 1;
		return json_object();
	}
	json_t *s;
	if (pf_is(n, "type") || pf_is(n, "parenthesized_expression"))
		s = pf_type_schema(c, pf_first_named(n));
	else if (pf_is(n, "none"))
		s = json_pack("{s:s}", "type", "null");
	else if (pf_is(n, "identifier") || pf_is(n, "attribute") || pf_is(n, "member_type"))
		s = named(c, n);
	else if (pf_is(n, "subscript") || pf_is(n, "generic_type"))
		s = subscripted(c, n);
	else if (pf_is(n, "union_type") || (pf_is(n, "binary_operator") &&
					    pf_text_eq(c->file, pf_field(n, "operator"), "|"))) {
		TSNode both[2] = { ts_node_named_child(n, 0), ts_node_named_child(n, 1) };
		if (pf_is(n, "binary_operator")) {
			both[0] = pf_field(n, "left");
			both[1] = pf_field(n, "right");
		}
		s = union_of(c, both, 2);
	} else {
		c->inexact = 1;
		s = json_object();
	}
	c->depth--;
	return s;
}
