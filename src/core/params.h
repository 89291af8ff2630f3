/*
 * Flow-run parameters from the command line, and their check against a
 * deployment's parameter schema before anything is sent.
 *   --param k=v    v is parsed as JSON when it is valid JSON (3 is an
 *                  integer, true a boolean, [1,2] a list), else kept as text
 *   --params JSON  a whole object; --param values override its keys
 */
#ifndef CORE_PARAMS_H
#define CORE_PARAMS_H

#include <jansson.h>

#include "core/error.h"
#include "core/strlist.h"

/* Build the parameters object (new reference in *out); ERROR_USAGE on bad input. */
int params_parse(const struct strlist *pairs, const char *params_json, json_t **out,
		 struct error *err);

/*
 * Check params against an OpenAPI-style schema ({"properties": {name:
 * {"type" | "anyOf" | "$ref"...}}, "required": [...]}): every key must be a
 * property, every value of a declared type, every required property given
 * here or in defaults. A --param number or boolean given for a property
 * that takes only text (or text or null) becomes the text as typed
 * (--param env=123 for `env: str`); pairs are the --param words (may be
 * NULL). ERROR_INVALID naming the offending key.
 */
int params_conform(const json_t *schema, json_t *params, const struct strlist *pairs,
		   const json_t *defaults, struct error *err);

#endif
