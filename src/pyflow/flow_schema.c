/*
 * The schema pass: for each flow, the parameter schema Prefect writes
 * (generate_parameter_schema in prefect.utilities.callables): per
 * parameter its title, position, type, default and docstring description;
 * the required ones; the definitions of the file's enums and models the
 * annotations name. *args is an array and **kwargs an object, with empty
 * defaults; self and cls are left out. Parameters whose annotation or
 * default is not resolved are listed in the flow's inexact list.
 */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "pyflow/schema.h"

struct param_nodes {
	TSNode name, type, value;
	int splat; /* 1 for *args, 2 for **kwargs */
};

static struct param_nodes
param_nodes(TSNode n)
{
	struct param_nodes p = { n, pf_field(n, "type"), pf_field(n, "value"), 0 };
	if (pf_is(n, "typed_parameter"))
		p.name = pf_first_named(n);
	else if (pf_is(n, "default_parameter") || pf_is(n, "typed_default_parameter"))
		p.name = pf_field(n, "name");
	if (pf_is(p.name, "list_splat_pattern") || pf_is(p.name, "dictionary_splat_pattern")) {
		p.splat = pf_is(p.name, "list_splat_pattern") ? 1 : 2;
		p.name = pf_first_named(p.name);
	}
	return p;
}

static json_t *
splat_schema(json_t *type, int splat)
{
	if (splat == 1)
		return json_pack("{s:o,s:s,s:[]}", "items", type, "type", "array", "default");
	if (!json_object_size(type)) {
		json_decref(type);
		type = json_true();
	}
	return json_pack("{s:o,s:s,s:{}}", "additionalProperties", type, "type", "object",
			 "default");
}

/*
 * A default of pydantic.Field(...): Prefect keeps its default (none for
 * `...`: required) and description, and drops the rest. Returns 0 when
 * value is not such a call.
 */
static int
field_default(struct schema_ctx *c, TSNode value, TSNode *def, TSNode *description)
{
	char *path = pf_is(value, "call") ? pf_resolve(c->pass, pf_field(value, "function")) : NULL;
	int field = path &&
		    (!strcmp(path, "pydantic.Field") || !strcmp(path, "pydantic.fields.Field"));
	TSNode args = pf_field(value, "arguments");
	free(path);
	*def = *description = (TSNode){ { 0 }, 0, 0 };
	for (uint32_t i = 0; field && i < pf_count(args); i++) {
		TSNode a = ts_node_named_child(args, i), name = pf_field(a, "name");
		if (!pf_is(a, "keyword_argument"))
			c->inexact = c->inexact || i > 0 || pf_is(a, "list_splat") ||
				     pf_is(a, "dictionary_splat");
		if (i == 0 && !pf_is(a, "keyword_argument"))
			*def = a;
		else if (pf_text_eq(c->file, name, "default"))
			*def = pf_field(a, "value");
		else if (pf_text_eq(c->file, name, "description"))
			*description = pf_field(a, "value");
		else if (pf_text_eq(c->file, name, "default_factory") ||
			 pf_text_eq(c->file, name, "json_schema_extra"))
			c->inexact = 1;
	}
	if (pf_is(*def, "ellipsis"))
		*def = (TSNode){ { 0 }, 0, 0 };
	return field;
}

static json_t *
param_schema(struct schema_ctx *c, const struct param_nodes *p, const char *name, size_t position,
	     const json_t *docs, json_t *required)
{
	c->inexact = 0;
	json_t *prop = ts_node_is_null(p->type) ? json_object() : pf_type_schema(c, p->type);
	TSNode value = p->value, field_value, description;
	char *text = NULL;
	if (field_default(c, p->value, &field_value, &description)) {
		value = field_value;
		if (!ts_node_is_null(description) && !pf_string_value(c->file, description, &text))
			c->inexact = 1;
	}
	if (p->splat) {
		prop = splat_schema(prop, p->splat);
	} else if (!ts_node_is_null(value)) {
		json_t *v = pf_value(c, value);
		c->inexact = c->inexact || !v;
		if (v)
			json_object_set_new(prop, "default", v);
	} else {
		json_array_append_new(required, json_string(name));
	}
	json_object_set_new(prop, "title", json_string(name));
	json_object_set_new(prop, "position", json_integer((json_int_t)position));
	const json_t *doc = json_object_get(docs, name);
	if (text && *text)
		json_object_set_new(prop, "description", json_string(text));
	else if (doc)
		json_object_set(prop, "description", (json_t *)doc);
	free(text);
	return prop;
}

static void
flow_schema(struct schema_ctx *c, struct pyflow_func *fn, TSNode def)
{
	TSNode params = pf_field(def, "parameters");
	char *doc = pf_docstring(c->file, pf_field(def, "body"));
	json_t *docs = pf_param_docs(doc);
	json_t *props = json_object(), *required = json_array();
	size_t position = 0;
	c->definitions = json_object();
	for (uint32_t i = 0; i < pf_count(params); i++) {
		TSNode n = ts_node_named_child(params, i);
		if (pf_is(n, "comment") || pf_is(n, "keyword_separator") ||
		    pf_is(n, "positional_separator") || pf_is(n, "ERROR"))
			continue;
		struct param_nodes p = param_nodes(n);
		char *name = pf_text(c->file, p.name);
		if (strcmp(name, "self") && strcmp(name, "cls")) {
			json_object_set_new(props, name,
					    param_schema(c, &p, name, position, docs, required));
			if (c->inexact)
				strlist_add(&fn->inexact, name);
		}
		position++;
		free(name);
	}
	fn->schema = json_pack("{s:s,s:s,s:o}", "title", "Parameters", "type", "object",
			       "properties", props);
	if (json_array_size(required))
		json_object_set(fn->schema, "required", required);
	json_object_set_new(fn->schema, "definitions", c->definitions);
	c->definitions = NULL;
	json_decref(required);
	json_decref(docs);
	free(doc);
}

void
pf_find_schemas(struct pyflow_pass *pass)
{
	struct schema_ctx c = { pass, pass->file, NULL, 0, NULL, 0, 0 };
	pf_schema_classes(&c);
	for (size_t i = 0; i < pass->file->n_funcs; i++)
		if (pass->file->funcs[i].kind == PYFLOW_FLOW)
			flow_schema(&c, &pass->file->funcs[i], pass->defs[i]);
	pf_schema_classes_release(&c);
}
