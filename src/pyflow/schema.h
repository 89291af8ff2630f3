/*
 * Internals of the schema pass (schema.c types, values.c defaults,
 * classes.c enums and models, docstring.c descriptions, flow_schema.c the
 * pass). Not for use outside src/pyflow.
 */
#ifndef PYFLOW_SCHEMA_H
#define PYFLOW_SCHEMA_H

#include <jansson.h>

#include "pyflow/tree.h"

enum schema_class_kind {
	SCHEMA_ENUM = 0,
	SCHEMA_MODEL,
};

/* A module-level enum or pydantic model class of the file. */
struct schema_class {
	char *name;
	TSNode node; /* its class_definition */
	enum schema_class_kind kind;
	int inexact; /* its definition could not be resolved in full */
};

struct schema_ctx {
	struct pyflow_pass *pass;
	const struct pyflow_file *file;
	struct schema_class *classes;
	size_t n_classes;
	json_t *definitions; /* the flow's, filled as annotations name classes */
	int inexact;         /* set when something could not be resolved */
	int depth;
};

/* The schema of an annotation node (a new object; {} and inexact when unknown). */
json_t *pf_type_schema(struct schema_ctx *c, TSNode n);
/* The JSON value of a default expression as pydantic dumps it, or NULL. */
json_t *pf_value(struct schema_ctx *c, TSNode n);
/* Find the module's enums and models; release them. */
void pf_schema_classes(struct schema_ctx *c);
void pf_schema_classes_release(struct schema_ctx *c);
/* The class named path (an unqualified name), or NULL. */
struct schema_class *pf_schema_class(const struct schema_ctx *c, const char *path);
/* {"$ref": "#/definitions/Name"}, adding the class to the definitions. */
json_t *pf_class_ref(struct schema_ctx *c, struct schema_class *cls);
/* The value of an enum member node (Color.RED), or NULL. */
json_t *pf_enum_member(struct schema_ctx *c, TSNode n);
/* A model instance's dump (Cfg(name="x")), or NULL. */
json_t *pf_model_instance(struct schema_ctx *c, const struct schema_class *cls, TSNode call);
/* inspect.cleandoc of a docstring statement's value, or NULL. */
char *pf_docstring(const struct pyflow_file *f, TSNode body);
/* Prefect's parameter descriptions from a cleaned docstring (Google style, as griffe). */
json_t *pf_param_docs(const char *doc);

#endif
