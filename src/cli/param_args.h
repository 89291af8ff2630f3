/*
 * Flow-run parameters as the user gives them, shared by every command that
 * takes them (PRODUCT "Parameters"):
 *   --param KEY=VALUE  repeatable; VALUE is JSON when it parses as JSON and
 *                      the parameter takes that type, else the text as typed
 *                      (--param env=123 for `env: str` is the text "123")
 *   --params JSON      a whole object; --param values override its keys
 * The words are checked for form before any request (param_args_check), and
 * built once, with the parameter schema in hand (param_args_build).
 */
#ifndef CLI_PARAM_ARGS_H
#define CLI_PARAM_ARGS_H

#include <jansson.h>

#include "cli/options.h"
#include "core/error.h"
#include "core/strlist.h"

struct param_args {
	struct strlist pairs; /* --param words, in the order given */
	const char *json;     /* --params, or NULL */
};

/* clang-format off */
#define PARAM_ARGS_INIT { STRLIST_INIT, NULL }
/* clang-format on */

/* The --param and --params entries of a command's option table. */
#define PARAM_OPTIONS(args, param_help, params_help)                                 \
	OPT_MULTI('p', "param", &(args)->pairs, "KEY=VALUE",                         \
		  param_help "; VALUE is JSON when it parses as JSON (repeatable)"), \
		OPT_STR(0, "params", &(args)->json, "JSON", params_help)

/* Check the form of every word; ERROR_USAGE naming the option. */
int param_args_check(const struct param_args *a, struct error *err);
/*
 * The parameters object (new reference in *out), each value typed by the
 * schema (NULL: no schema, JSON when it parses) and the whole checked against
 * it, with defaults counting for required parameters (may be NULL).
 */
int param_args_build(const struct param_args *a, const json_t *schema, const json_t *defaults,
		     json_t **out, struct error *err);
/*
 * The same, where required parameters may be missing: the values given are
 * checked, and the rest is left to each run (a deployment's defaults).
 */
int param_args_build_values(const struct param_args *a, const json_t *schema, json_t **out,
			    struct error *err);
void param_args_release(struct param_args *a);

#endif
