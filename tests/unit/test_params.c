/*
 * Unit tests for flow-run parameters: building the parameters object from
 * --param KEY=VALUE and --params JSON (cli/param_args.c: values typed as
 * JSON when they parse and the schema allows, --param overriding --params,
 * text where a parameter takes text), every usage error, and the check
 * against a deployment's parameter schema (api/parameters.c: unknown keys,
 * declared types, anyOf/oneOf and type lists, required parameters and
 * defaults).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/parameters.h"
#include "cli/param_args.h"
#include "core/error.h"
#include "core/strlist.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PAIRS 4

/* The parameters object as compact JSON with sorted keys; caller frees. */
static char *
dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	assert_non_null(s);
	return s;
}

static json_t *
load(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v)
		print_message("bad test JSON %s: %s\n", text, jerr.text);
	assert_non_null(v);
	return v;
}

/* The arguments of a case: --param words up to the first NULL, and --params. */
static void
args_of(struct param_args *a, const char *const *pairs, const char *params)
{
	for (size_t j = 0; j < MAX_PAIRS && pairs[j]; j++)
		strlist_add(&a->pairs, pairs[j]);
	a->json = params;
}

/* ---- param_args_build without a schema ---- */

static void
test_parse_values(void **state)
{
	/* clang-format off */
	static const struct {
		const char *pairs[MAX_PAIRS];
		const char *params;   /* --params, or NULL */
		const char *out;      /* compact JSON, keys sorted */
	} cases[] = {
		/* no options at all: an empty object */
		{ { NULL }, NULL, "{}" },
		{ { NULL }, "{}", "{}" },
		/* --param values are JSON when they parse */
		{ { "n=3" }, NULL, "{\"n\":3}" },
		{ { "n=-7" }, NULL, "{\"n\":-7}" },
		{ { "r=2.5" }, NULL, "{\"r\":2.5}" },
		{ { "b=true" }, NULL, "{\"b\":true}" },
		{ { "b=false" }, NULL, "{\"b\":false}" },
		{ { "z=null" }, NULL, "{\"z\":null}" },
		{ { "l=[1,2]" }, NULL, "{\"l\":[1,2]}" },
		{ { "l=[]" }, NULL, "{\"l\":[]}" },
		{ { "o={\"a\":1}" }, NULL, "{\"o\":{\"a\":1}}" },
		{ { "q=\"quoted\"" }, NULL, "{\"q\":\"quoted\"}" },
		{ { "q=\"3\"" }, NULL, "{\"q\":\"3\"}" },
		{ { "w= 3 " }, NULL, "{\"w\":3}" },
		/* ...and text otherwise */
		{ { "d=2024-01-01" }, NULL, "{\"d\":\"2024-01-01\"}" },
		{ { "s=hello" }, NULL, "{\"s\":\"hello\"}" },
		{ { "s=hello world" }, NULL, "{\"s\":\"hello world\"}" },
		{ { "s=True" }, NULL, "{\"s\":\"True\"}" },
		{ { "s=007" }, NULL, "{\"s\":\"007\"}" },
		{ { "s=3 x" }, NULL, "{\"s\":\"3 x\"}" },
		{ { "s=[1," }, NULL, "{\"s\":\"[1,\"}" },
		{ { "e=" }, NULL, "{\"e\":\"\"}" },
		{ { "u=héllo 中" }, NULL, "{\"u\":\"héllo 中\"}" },
		/* only the first '=' splits */
		{ { "x=y=z" }, NULL, "{\"x\":\"y=z\"}" },
		{ { "x==" }, NULL, "{\"x\":\"=\"}" },
		{ { "my key=1" }, NULL, "{\"my key\":1}" },
		/* several --param options, the last of a key wins */
		{ { "a=1", "b=two" }, NULL, "{\"a\":1,\"b\":\"two\"}" },
		{ { "k=a", "k=b" }, NULL, "{\"k\":\"b\"}" },
		/* --params alone, and --param overriding its keys */
		{ { NULL }, "{\"a\":1,\"b\":[true]}", "{\"a\":1,\"b\":[true]}" },
		{ { "b=2" }, "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":2}" },
		{ { "c=new" }, "{\"a\":1}", "{\"a\":1,\"c\":\"new\"}" },
		{ { "a=null", "a=[1]" }, "{\"a\":{\"deep\":1}}", "{\"a\":[1]}" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct param_args a = PARAM_ARGS_INIT;
		struct error err = ERROR_INIT;
		json_t *out = NULL;
		args_of(&a, cases[i].pairs, cases[i].params);
		assert_int_equal(param_args_check(&a, &err), 0);
		int rc = param_args_build(&a, NULL, NULL, &out, &err);
		if (rc != 0)
			print_message("case %zu: %s\n", i, err.message);
		assert_int_equal(rc, 0);
		assert_int_equal(err.kind, ERROR_NONE);
		assert_true(json_is_object(out));
		char *text = dump(out);
		if (strcmp(text, cases[i].out) != 0)
			print_message("case %zu: %s\n", i, text);
		assert_string_equal(text, cases[i].out);
		free(text);
		json_decref(out);
		param_args_release(&a);
	}
}

static void
test_parse_errors(void **state)
{
	/* clang-format off */
	static const struct {
		const char *pairs[MAX_PAIRS];
		const char *params;
		const char *message;
	} cases[] = {
		/* --param without '=' or without a key */
		{ { "novalue" }, NULL, "option '--param': 'novalue' is not KEY=VALUE" },
		{ { "" }, NULL, "option '--param': '' is not KEY=VALUE" },
		{ { "=v" }, NULL, "option '--param': '=v' is not KEY=VALUE" },
		{ { "=" }, NULL, "option '--param': '=' is not KEY=VALUE" },
		{ { "a=1", "bad" }, NULL, "option '--param': 'bad' is not KEY=VALUE" },
		{ { "bad" }, "{\"a\":1}", "option '--param': 'bad' is not KEY=VALUE" },
		/* a value that is neither JSON nor UTF-8 text */
		{ { "k=\xff" }, NULL, "option '--param': the value of 'k=\xff' is not UTF-8 text" },
		/* --params must be a JSON object */
		{ { NULL }, "[1]", "option '--params': must be a JSON object" },
		{ { NULL }, "[]", "option '--params': must be a JSON object" },
		{ { "a=1" }, "[1]", "option '--params': must be a JSON object" },
		{ { NULL }, "nope", "option '--params': not valid JSON: invalid token near 'nope'" },
		{ { NULL }, "5", "option '--params': must be a JSON object" },
		{ { NULL }, "", "option '--params': not valid JSON: unexpected token near end of file" },
		{ { NULL }, "{\"a\":", "option '--params': not valid JSON: unexpected token near end of file" },
		{ { NULL }, "{\"a\":1} x", "option '--params': not valid JSON: end of file expected near 'x'" },
		{ { NULL }, "{a:1}", "option '--params': not valid JSON: string or '}' expected near 'a'" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct param_args a = PARAM_ARGS_INIT;
		struct error err = ERROR_INIT, built = ERROR_INIT;
		json_t *out = json_object(); /* must be reset to NULL */
		json_t *sentinel = out;
		args_of(&a, cases[i].pairs, cases[i].params);
		int rc = param_args_check(&a, &err);
		if (rc != -1 || strcmp(err.message, cases[i].message) != 0)
			print_message("case %zu: rc %d: %s\n", i, rc, err.message);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_USAGE);
		assert_int_equal(error_exit_code(&err), EXIT_USAGE);
		assert_string_equal(err.message, cases[i].message);
		/* building checks the same first */
		assert_int_equal(param_args_build(&a, NULL, NULL, &out, &built), -1);
		assert_string_equal(built.message, cases[i].message);
		assert_null(out);
		json_decref(sentinel);
		param_args_release(&a);
	}
}

/* ---- prefect_params_check ---- */

/* One property of every kind; nothing required. */
/* clang-format off */
#define TYPES_SCHEMA                                                                     \
	"{\"title\": \"Parameters\", \"type\": \"object\", \"properties\": {"             \
	"\"n\": {\"type\": \"integer\"},"                                                  \
	"\"x\": {\"type\": \"number\"},"                                                   \
	"\"s\": {\"type\": \"string\", \"title\": \"s\"},"                                 \
	"\"b\": {\"type\": \"boolean\"},"                                                  \
	"\"l\": {\"type\": \"array\", \"items\": {}},"                                     \
	"\"o\": {\"type\": \"object\"},"                                                   \
	"\"nul\": {\"type\": \"null\"},"                                                   \
	"\"any\": {\"title\": \"any\"},"                                                   \
	"\"ref\": {\"$ref\": \"#/definitions/Config\"},"                                   \
	"\"custom\": {\"type\": \"date-time-ish\"},"                                       \
	"\"opt\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]},"            \
	"\"one\": {\"oneOf\": [{\"type\": \"integer\"}, {\"type\": \"string\"}]},"         \
	"\"multi\": {\"type\": [\"integer\", \"boolean\"]},"                               \
	"\"mixed\": {\"anyOf\": [{\"type\": \"integer\"}, {\"$ref\": \"#/definitions/X\"}]}," \
	"\"strlist\": {\"type\": [\"string\"]},"                                           \
	"\"stralt\": {\"anyOf\": [{\"type\": \"string\"}]},"                               \
	"\"arrobj\": {\"anyOf\": [{\"type\": \"array\"}, {\"type\": \"object\"}]}"         \
	"}, \"definitions\": {\"Config\": {\"type\": \"object\"}}}"
/* clang-format on */

/* What Prefect writes for list[int], list[str] | None, tuple[int, str], dict[str, int],
 * an enum, a Literal and a pydantic model (plain and Optional). */
/* clang-format off */
#define DEEP_SCHEMA                                                                      \
	"{\"properties\": {"                                                               \
	"\"nums\": {\"items\": {\"type\": \"integer\"}, \"type\": \"array\"},"                 \
	"\"opt\": {\"anyOf\": [{\"items\": {\"type\": \"string\"}, \"type\": \"array\"},"       \
	"  {\"type\": \"null\"}], \"default\": null},"                                        \
	"\"pair\": {\"maxItems\": 2, \"minItems\": 2, \"prefixItems\": [{\"type\": \"integer\"},"  \
	"  {\"type\": \"string\"}], \"type\": \"array\"},"                                      \
	"\"counts\": {\"additionalProperties\": {\"type\": \"integer\"}, \"type\": \"object\"}," \
	"\"color\": {\"$ref\": \"#/definitions/Color\"},"                                     \
	"\"mode\": {\"const\": \"fast\", \"type\": \"string\"},"                                \
	"\"cfg\": {\"$ref\": \"#/definitions/Cfg\"},"                                         \
	"\"maybe\": {\"anyOf\": [{\"$ref\": \"#/definitions/Cfg\"}, {\"type\": \"null\"}]}"      \
	"}, \"definitions\": {"                                                            \
	"\"Color\": {\"enum\": [\"red\", \"green\"], \"title\": \"Color\", \"type\": \"string\"},"  \
	"\"Cfg\": {\"properties\": {\"name\": {\"type\": \"string\"}, \"n\": {\"type\": \"integer\"}},"\
	"  \"required\": [\"name\"], \"title\": \"Cfg\", \"type\": \"object\"}}}"
/* clang-format on */

/* clang-format off */
#define REQUIRED_SCHEMA                                                                  \
	"{\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"string\"},"  \
	"\"c\": {}}, \"required\": [\"a\", \"b\"]}"
/* clang-format on */

static void
test_conform(void **state)
{
	/* clang-format off */
	static const struct {
		const char *schema;
		const char *params;
		const char *defaults;  /* or NULL */
		const char *message;   /* NULL when it conforms */
	} cases[] = {
		/* values of the declared type */
		{ TYPES_SCHEMA, "{}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": 3}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": -3}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"x\": 2.5}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"x\": 2}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"s\": \"text\"}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"b\": false}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"l\": [1, \"a\"]}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"o\": {\"k\": [1]}}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"nul\": null}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": 1, \"x\": 1.5, \"s\": \"a\", \"b\": true, \"l\": [], \"o\": {}}",
		  NULL, NULL },
		/* wrong types: the value as compact JSON and "a" / "an" */
		/* pydantic's lax mode: an integral float is an int */
		{ TYPES_SCHEMA, "{\"n\": 3.0}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": -0.0}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": 2.5}", NULL, "parameter 'n': 2.5 is not an integer" },
		{ TYPES_SCHEMA, "{\"n\": \"3\"}", NULL, "parameter 'n': \"3\" is not an integer" },
		{ TYPES_SCHEMA, "{\"n\": true}", NULL, "parameter 'n': true is not an integer" },
		{ TYPES_SCHEMA, "{\"n\": null}", NULL, "parameter 'n': null is not an integer" },
		{ TYPES_SCHEMA, "{\"x\": \"2.5\"}", NULL, "parameter 'x': \"2.5\" is not a number" },
		{ TYPES_SCHEMA, "{\"x\": false}", NULL, "parameter 'x': false is not a number" },
		{ TYPES_SCHEMA, "{\"s\": [1]}", NULL, "parameter 's': [1] is not a string" },
		{ TYPES_SCHEMA, "{\"s\": {\"a\": 1}}", NULL, "parameter 's': {\"a\":1} is not a string" },
		{ TYPES_SCHEMA, "{\"s\": null}", NULL, "parameter 's': null is not a string" },
		{ TYPES_SCHEMA, "{\"b\": 1}", NULL, "parameter 'b': 1 is not a boolean" },
		{ TYPES_SCHEMA, "{\"b\": \"true\"}", NULL, "parameter 'b': \"true\" is not a boolean" },
		{ TYPES_SCHEMA, "{\"l\": \"x\"}", NULL, "parameter 'l': \"x\" is not an array" },
		{ TYPES_SCHEMA, "{\"l\": {}}", NULL, "parameter 'l': {} is not an array" },
		{ TYPES_SCHEMA, "{\"o\": []}", NULL, "parameter 'o': [] is not an object" },
		{ TYPES_SCHEMA, "{\"o\": \"{}\"}", NULL, "parameter 'o': \"{}\" is not an object" },
		{ TYPES_SCHEMA, "{\"nul\": 0}", NULL, "parameter 'nul': 0 is not a null" },
		/* untyped properties, $ref and unknown type names accept anything */
		{ TYPES_SCHEMA, "{\"any\": [1, {\"x\": null}]}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"any\": null}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"ref\": {\"k\": 5}}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"custom\": [true]}", NULL, NULL },
		/* a $ref is checked as its definition */
		{ TYPES_SCHEMA, "{\"ref\": 5}", NULL, "parameter 'ref': 5 is not an object" },
		/* anyOf / oneOf / type lists: any listed type will do */
		{ TYPES_SCHEMA, "{\"opt\": \"a\"}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"opt\": null}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"opt\": [1]}", NULL, "parameter 'opt': [1] is not a string or null" },
		{ TYPES_SCHEMA, "{\"one\": 5}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"one\": \"five\"}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"one\": 1.5}", NULL,
		  "parameter 'one': 1.5 is not an integer or string" },
		{ TYPES_SCHEMA, "{\"multi\": 7}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"multi\": true}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"multi\": \"x\"}", NULL,
		  "parameter 'multi': \"x\" is not an integer or boolean" },
		{ TYPES_SCHEMA, "{\"arrobj\": {}}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"arrobj\": 1}", NULL, "parameter 'arrobj': 1 is not an array or object" },
		/* an untyped branch makes the whole property untyped */
		{ TYPES_SCHEMA, "{\"mixed\": \"anything\"}", NULL, NULL },
		{ TYPES_SCHEMA, "{\"mixed\": [{}]}", NULL, NULL },
		/* item types, tuples, object values, enums and models, in depth */
		{ DEEP_SCHEMA, "{\"nums\": [1, 2.0, -3]}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"nums\": [1, \"a\"]}", NULL,
		  "parameter 'nums', item 1: \"a\" is not an integer" },
		{ DEEP_SCHEMA, "{\"nums\": [1.5]}", NULL, "parameter 'nums', item 0: 1.5 is not an integer" },
		{ DEEP_SCHEMA, "{\"opt\": null}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"opt\": [\"x\"]}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"opt\": [3]}", NULL, "parameter 'opt', item 0: 3 is not a string" },
		{ DEEP_SCHEMA, "{\"opt\": 3}", NULL, "parameter 'opt': 3 is not an array or null" },
		{ DEEP_SCHEMA, "{\"pair\": [1, \"a\"]}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"pair\": [\"a\", 1]}", NULL,
		  "parameter 'pair', item 0: \"a\" is not an integer" },
		{ DEEP_SCHEMA, "{\"pair\": [1]}", NULL,
		  "parameter 'pair': [1] is not long enough: too few items" },
		{ DEEP_SCHEMA, "{\"counts\": {\"a\": 1}}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"counts\": {\"a\": \"1\"}}", NULL,
		  "parameter 'counts', key 'a': \"1\" is not an integer" },
		{ DEEP_SCHEMA, "{\"color\": \"red\"}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"color\": \"blue\"}", NULL,
		  "parameter 'color': \"blue\" is not one of [\"red\",\"green\"]" },
		{ DEEP_SCHEMA, "{\"mode\": \"slow\"}", NULL,
		  "parameter 'mode': \"slow\" is not one of \"fast\"" },
		{ DEEP_SCHEMA, "{\"cfg\": {\"name\": \"x\", \"n\": 2}}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"cfg\": {\"n\": 2}}", NULL, "parameter 'cfg': key 'name' is missing" },
		{ DEEP_SCHEMA, "{\"cfg\": {\"name\": \"x\", \"n\": \"2\"}}", NULL,
		  "parameter 'cfg', key 'n': \"2\" is not an integer" },
		{ DEEP_SCHEMA, "{\"maybe\": null}", NULL, NULL },
		{ DEEP_SCHEMA, "{\"maybe\": {\"name\": 1}}", NULL,
		  "parameter 'maybe', key 'name': 1 is not a string" },
		/* keys that are not properties */
		{ TYPES_SCHEMA, "{\"unknown\": 1}", NULL,
		  "parameter 'unknown' is not a parameter of this flow" },
		{ TYPES_SCHEMA, "{\"N\": 1}", NULL, "parameter 'N' is not a parameter of this flow" },
		{ "{\"properties\": {}}", "{\"z\": 1}", NULL,
		  "parameter 'z' is not a parameter of this flow" },
		/* a schema without properties checks nothing */
		{ "{}", "{\"z\": 1}", NULL, NULL },
		{ "{\"type\": \"object\"}", "{\"z\": [1]}", NULL, NULL },
		/* required properties: given, or in the deployment's defaults */
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": \"x\"}", NULL, NULL },
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": \"x\", \"c\": [1]}", NULL, NULL },
		{ REQUIRED_SCHEMA, "{}", NULL, "parameter 'a' is required" },
		{ REQUIRED_SCHEMA, "{}", "{}", "parameter 'a' is required" },
		{ REQUIRED_SCHEMA, "{\"a\": 1}", NULL, "parameter 'b' is required" },
		{ REQUIRED_SCHEMA, "{\"b\": \"x\"}", NULL, "parameter 'a' is required" },
		{ REQUIRED_SCHEMA, "{\"c\": 1}", "{\"c\": 2}", "parameter 'a' is required" },
		{ REQUIRED_SCHEMA, "{\"a\": 1}", "{\"b\": \"dflt\"}", NULL },
		{ REQUIRED_SCHEMA, "{}", "{\"a\": 1, \"b\": \"dflt\"}", NULL },
		/* the check types nothing: a number is not text */
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": 2}", NULL, "parameter 'b': 2 is not a string" },
		/* types are checked before required properties */
		{ REQUIRED_SCHEMA, "{\"a\": \"1\"}", NULL, "parameter 'a': \"1\" is not an integer" },
		{ REQUIRED_SCHEMA, "{\"d\": 1}", NULL, "parameter 'd' is not a parameter of this flow" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		json_t *schema = load(cases[i].schema);
		json_t *params = load(cases[i].params);
		json_t *defaults = cases[i].defaults ? load(cases[i].defaults) : NULL;
		char *before = dump(params);
		int rc = prefect_params_check(schema, params, defaults, &err);
		if ((rc == 0) != !cases[i].message ||
		    (cases[i].message && strcmp(err.message, cases[i].message) != 0))
			print_message("case %zu: rc %d: %s\n", i, rc, err.message);
		if (cases[i].message) {
			assert_int_equal(rc, -1);
			assert_int_equal(err.kind, ERROR_INVALID);
			assert_string_equal(err.message, cases[i].message);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(err.kind, ERROR_NONE);
		}
		char *after = dump(params);
		assert_string_equal(after, before);
		free(before);
		free(after);
		json_decref(schema);
		json_decref(params);
		json_decref(defaults);
	}
}

/* ---- param_args_build with a schema: each word typed once ---- */

static void
test_build_typed(void **state)
{
	/* clang-format off */
	static const struct {
		const char *pair;
		const char *out;      /* compact JSON, or NULL when refused */
		const char *message;
	} cases[] = {
		/* JSON that fits the parameter's type is taken */
		{ "n=3", "{\"n\":3}", NULL },
		{ "x=2", "{\"x\":2}", NULL },
		{ "b=true", "{\"b\":true}", NULL },
		{ "l=[1,2]", "{\"l\":[1,2]}", NULL },
		{ "o={\"k\":1}", "{\"o\":{\"k\":1}}", NULL },
		{ "opt=null", "{\"opt\":null}", NULL },
		{ "s=\"quoted\"", "{\"s\":\"quoted\"}", NULL },
		/* where the parameter takes text, what does not fit is the text as typed */
		{ "s=123", "{\"s\":\"123\"}", NULL },
		{ "s=-5", "{\"s\":\"-5\"}", NULL },
		{ "s=2.5", "{\"s\":\"2.5\"}", NULL },
		{ "s=true", "{\"s\":\"true\"}", NULL },
		{ "s=[1,2]", "{\"s\":\"[1,2]\"}", NULL },
		{ "s=null", "{\"s\":\"null\"}", NULL },
		{ "strlist=5", "{\"strlist\":\"5\"}", NULL },
		{ "stralt=false", "{\"stralt\":\"false\"}", NULL },
		{ "opt=7", "{\"opt\":\"7\"}", NULL },
		{ "one=5", "{\"one\":5}", NULL },
		{ "one=1.5", "{\"one\":\"1.5\"}", NULL },
		/* untyped parameters take JSON when it parses */
		{ "any=5", "{\"any\":5}", NULL },
		{ "any=five", "{\"any\":\"five\"}", NULL },
		{ "multi=true", "{\"multi\":true}", NULL },
		/* what fits nothing is refused, naming the parameter */
		{ "n=abc", NULL, "parameter 'n': \"abc\" is not an integer" },
		{ "n=2.5", NULL, "parameter 'n': 2.5 is not an integer" },
		{ "b=yes", NULL, "parameter 'b': \"yes\" is not a boolean" },
		{ "multi=x", NULL, "parameter 'multi': \"x\" is not an integer or boolean" },
		{ "nope=1", NULL, "parameter 'nope' is not a parameter of this flow" },
	};
	/* clang-format on */
	json_t *schema = load(TYPES_SCHEMA);
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct param_args a = PARAM_ARGS_INIT;
		struct error err = ERROR_INIT;
		json_t *out = NULL;
		strlist_add(&a.pairs, cases[i].pair);
		int rc = param_args_build(&a, schema, NULL, &out, &err);
		if ((rc == 0) != (cases[i].out != NULL))
			print_message("case %zu (%s): rc %d: %s\n", i, cases[i].pair, rc,
				      err.message);
		if (cases[i].out) {
			assert_int_equal(rc, 0);
			char *text = dump(out);
			assert_string_equal(text, cases[i].out);
			free(text);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.kind, ERROR_INVALID);
			assert_string_equal(err.message, cases[i].message);
			assert_null(out);
		}
		json_decref(out);
		param_args_release(&a);
	}
	json_decref(schema);
}

/* The command line as `flow execute` sees it: checked, then built with the schema. */
static void
test_parse_then_build(void **state)
{
	static const char *const pairs[] = { "env=123", "retries=3", "dry_run=true", "tags=[\"a\"]",
					     "when=2024-01-01" };
	struct param_args a = PARAM_ARGS_INIT;
	struct error err = ERROR_INIT;
	json_t *params = NULL;
	json_t *schema = load("{\"properties\": {"
			      "\"env\": {\"type\": \"string\"},"
			      "\"retries\": {\"type\": \"integer\"},"
			      "\"dry_run\": {\"type\": \"boolean\"},"
			      "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
			      "\"when\": {\"type\": \"string\", \"format\": \"date\"},"
			      "\"region\": {\"type\": \"string\"}},"
			      "\"required\": [\"env\", \"region\"]}");
	json_t *defaults = load("{\"region\": \"eu\"}");
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(pairs); i++)
		strlist_add(&a.pairs, pairs[i]);
	a.json = "{\"retries\": \"x\", \"region\": \"us\"}";
	assert_int_equal(param_args_check(&a, &err), 0);
	assert_int_equal(param_args_build(&a, schema, defaults, &params, &err), 0);
	char *text = dump(params);
	assert_string_equal(text, "{\"dry_run\":true,\"env\":\"123\",\"region\":\"us\","
				  "\"retries\":3,\"tags\":[\"a\"],\"when\":\"2024-01-01\"}");
	free(text);
	json_decref(params);

	/* a required parameter neither given nor a default */
	a.json = NULL;
	params = NULL;
	assert_int_equal(param_args_build(&a, schema, NULL, &params, &err), -1);
	assert_string_equal(err.message, "parameter 'region' is required");
	assert_null(params);

	/* the same with a bad value: the error names the key */
	strlist_add(&a.pairs, "retries=three");
	assert_int_equal(param_args_build(&a, schema, defaults, &params, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_int_equal(error_exit_code(&err), EXIT_ERROR);
	assert_string_equal(err.message, "parameter 'retries': \"three\" is not an integer");
	assert_null(params);

	json_decref(schema);
	json_decref(defaults);
	param_args_release(&a);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_conform),
		cmocka_unit_test(test_build_typed),
		cmocka_unit_test(test_parse_then_build),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
