/*
 * Prefect parameter schemas: the OpenAPI-style object a deployment keeps in
 * parameter_openapi_schema ({"properties": {name: {"type" | "anyOf" |
 * "$ref" ...}}, "required": [...]}), or the one derived here from a flow's
 * signature. Which JSON types a parameter takes, and whether values fit.
 */
#ifndef API_PARAMETERS_H
#define API_PARAMETERS_H

#include <jansson.h>

#include "core/error.h"
#include "core/strlist.h"

/* The deployment field that holds the schema, as reports name it. */
#define PREFECT_SCHEMA_FIELD "parameter_openapi_schema"

/*
 * The JSON-schema type names ("string", "integer", ...) that parameter name
 * takes, added to types; none added means any value. Returns 1 when name is
 * a parameter of the schema (or the schema lists none), 0 when it is not.
 */
int prefect_param_types(const json_t *schema, const char *name, struct strlist *types);
/* Whether value has one of the type names (an empty list takes anything). */
int prefect_param_fits(const json_t *value, const struct strlist *types);
/*
 * Check values against the schema: every key must be a parameter, every value
 * of a type it takes, and every required parameter given in params or in
 * defaults (may be NULL). ERROR_INVALID naming the offending parameter.
 */
int prefect_params_check(const json_t *schema, const json_t *params, const json_t *defaults,
			 struct error *err);
/*
 * The same without the required check (a deployment may leave required
 * parameters to each run). Values are checked in depth: array items,
 * tuple positions, object values, $ref to the schema's definitions, enum
 * and const, anyOf branches; an integer may be given as 3.0 (pydantic's
 * lax mode).
 */
int prefect_params_check_values(const json_t *schema, const json_t *params, struct error *err);

#endif
