/*
 * Unit tests for flow-run parameters (core/params.c): building the
 * parameters object from --param KEY=VALUE and --params JSON (values typed
 * as JSON when they parse, --param overriding --params), every usage error,
 * and the check against a deployment's parameter schema (unknown keys,
 * declared types, anyOf/oneOf and type lists, required parameters and
 * defaults, number-to-text coercion for text-only properties).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "core/params.h"
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

/* ---- params_parse ---- */

static void
test_parse_values(void **state)
{
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
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist pairs = STRLIST_INIT;
		struct error err = ERROR_INIT;
		json_t *out = NULL;
		for (size_t j = 0; j < MAX_PAIRS && cases[i].pairs[j]; j++)
			strlist_add(&pairs, cases[i].pairs[j]);
		int rc = params_parse(&pairs, cases[i].params, &out, &err);
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
		strlist_release(&pairs);
	}
}

static void
test_parse_errors(void **state)
{
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
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist pairs = STRLIST_INIT;
		struct error err = ERROR_INIT;
		json_t *out = json_object(); /* must be reset to NULL */
		json_t *sentinel = out;
		for (size_t j = 0; j < MAX_PAIRS && cases[i].pairs[j]; j++)
			strlist_add(&pairs, cases[i].pairs[j]);
		int rc = params_parse(&pairs, cases[i].params, &out, &err);
		if (rc != -1 || strcmp(err.message, cases[i].message) != 0)
			print_message("case %zu: rc %d: %s\n", i, rc, err.message);
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERROR_USAGE);
		assert_int_equal(error_exit_code(&err), EXIT_USAGE);
		assert_string_equal(err.message, cases[i].message);
		assert_null(out);
		json_decref(sentinel);
		strlist_release(&pairs);
	}
}

/* ---- params_conform ---- */

/* The --param words that would have produced params: "key=<compact JSON>". */
static void
as_typed_pairs(const json_t *params, struct strlist *out)
{
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)params, key, value) {
		char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
		strlist_addf(out, "%s=%s", key, text);
		free(text);
	}
}

/* One property of every kind; nothing required. */
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

#define REQUIRED_SCHEMA                                                                  \
	"{\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"string\"},"  \
	"\"c\": {}}, \"required\": [\"a\", \"b\"]}"

static void
test_conform(void **state)
{
	static const struct {
		const char *schema;
		const char *params;
		const char *defaults;  /* or NULL */
		const char *message;   /* NULL when it conforms */
		const char *after;     /* params afterwards (NULL: unchanged) */
	} cases[] = {
		/* values of the declared type */
		{ TYPES_SCHEMA, "{}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": 3}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": -3}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"x\": 2.5}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"x\": 2}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"s\": \"text\"}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"b\": false}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"l\": [1, \"a\"]}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"o\": {\"k\": [1]}}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"nul\": null}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"n\": 1, \"x\": 1.5, \"s\": \"a\", \"b\": true, \"l\": [], \"o\": {}}",
		  NULL, NULL, NULL },
		/* wrong types: the value as compact JSON and "a" / "an" */
		{ TYPES_SCHEMA, "{\"n\": 3.0}", NULL, "parameter 'n': 3.0 is not an integer", NULL },
		{ TYPES_SCHEMA, "{\"n\": 2.5}", NULL, "parameter 'n': 2.5 is not an integer", NULL },
		{ TYPES_SCHEMA, "{\"n\": \"3\"}", NULL, "parameter 'n': \"3\" is not an integer", NULL },
		{ TYPES_SCHEMA, "{\"n\": true}", NULL, "parameter 'n': true is not an integer", NULL },
		{ TYPES_SCHEMA, "{\"n\": null}", NULL, "parameter 'n': null is not an integer", NULL },
		{ TYPES_SCHEMA, "{\"x\": \"2.5\"}", NULL, "parameter 'x': \"2.5\" is not a number", NULL },
		{ TYPES_SCHEMA, "{\"x\": false}", NULL, "parameter 'x': false is not a number", NULL },
		{ TYPES_SCHEMA, "{\"s\": [1]}", NULL, "parameter 's': [1] is not a string", NULL },
		{ TYPES_SCHEMA, "{\"s\": {\"a\": 1}}", NULL, "parameter 's': {\"a\":1} is not a string",
		  NULL },
		{ TYPES_SCHEMA, "{\"s\": null}", NULL, "parameter 's': null is not a string", NULL },
		{ TYPES_SCHEMA, "{\"b\": 1}", NULL, "parameter 'b': 1 is not a boolean", NULL },
		{ TYPES_SCHEMA, "{\"b\": \"true\"}", NULL, "parameter 'b': \"true\" is not a boolean",
		  NULL },
		{ TYPES_SCHEMA, "{\"l\": \"x\"}", NULL, "parameter 'l': \"x\" is not an array", NULL },
		{ TYPES_SCHEMA, "{\"l\": {}}", NULL, "parameter 'l': {} is not an array", NULL },
		{ TYPES_SCHEMA, "{\"o\": []}", NULL, "parameter 'o': [] is not an object", NULL },
		{ TYPES_SCHEMA, "{\"o\": \"{}\"}", NULL, "parameter 'o': \"{}\" is not an object", NULL },
		{ TYPES_SCHEMA, "{\"nul\": 0}", NULL, "parameter 'nul': 0 is not a null", NULL },
		/* untyped properties, $ref and unknown type names accept anything */
		{ TYPES_SCHEMA, "{\"any\": [1, {\"x\": null}]}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"any\": null}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"ref\": 5}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"custom\": [true]}", NULL, NULL, NULL },
		/* anyOf / oneOf / type lists: any listed type will do */
		{ TYPES_SCHEMA, "{\"opt\": \"a\"}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"opt\": null}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"opt\": [1]}", NULL, "parameter 'opt': [1] is not a string or null",
		  NULL },
		{ TYPES_SCHEMA, "{\"one\": 5}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"one\": \"five\"}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"one\": 1.5}", NULL,
		  "parameter 'one': 1.5 is not an integer or string", NULL },
		{ TYPES_SCHEMA, "{\"multi\": 7}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"multi\": true}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"multi\": \"x\"}", NULL,
		  "parameter 'multi': \"x\" is not an integer or boolean", NULL },
		{ TYPES_SCHEMA, "{\"arrobj\": {}}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"arrobj\": 1}", NULL, "parameter 'arrobj': 1 is not an array or object",
		  NULL },
		/* an untyped branch makes the whole property untyped */
		{ TYPES_SCHEMA, "{\"mixed\": \"anything\"}", NULL, NULL, NULL },
		{ TYPES_SCHEMA, "{\"mixed\": [{}]}", NULL, NULL, NULL },
		/* a number or boolean for a text-only property becomes its text */
		{ TYPES_SCHEMA, "{\"s\": 123}", NULL, NULL, "{\"s\":\"123\"}" },
		{ TYPES_SCHEMA, "{\"s\": -5}", NULL, NULL, "{\"s\":\"-5\"}" },
		{ TYPES_SCHEMA, "{\"s\": 2.5}", NULL, NULL, "{\"s\":\"2.5\"}" },
		{ TYPES_SCHEMA, "{\"s\": true}", NULL, NULL, "{\"s\":\"true\"}" },
		{ TYPES_SCHEMA, "{\"strlist\": 5}", NULL, NULL, "{\"strlist\":\"5\"}" },
		{ TYPES_SCHEMA, "{\"stralt\": false}", NULL, NULL, "{\"stralt\":\"false\"}" },
		{ TYPES_SCHEMA, "{\"s\": 1, \"n\": 1, \"b\": true}", NULL, NULL,
		  "{\"b\":true,\"n\":1,\"s\":\"1\"}" },
		/* ...but not for properties that take other types too */
		{ TYPES_SCHEMA, "{\"one\": 5}", NULL, NULL, "{\"one\":5}" },
		{ TYPES_SCHEMA, "{\"any\": 5}", NULL, NULL, "{\"any\":5}" },
		{ TYPES_SCHEMA, "{\"multi\": true}", NULL, NULL, "{\"multi\":true}" },
		/* keys that are not properties */
		{ TYPES_SCHEMA, "{\"unknown\": 1}", NULL,
		  "parameter 'unknown' is not a parameter of this flow", NULL },
		{ TYPES_SCHEMA, "{\"N\": 1}", NULL, "parameter 'N' is not a parameter of this flow", NULL },
		{ "{\"properties\": {}}", "{\"z\": 1}", NULL,
		  "parameter 'z' is not a parameter of this flow", NULL },
		/* a schema without properties checks nothing */
		{ "{}", "{\"z\": 1}", NULL, NULL, NULL },
		{ "{\"type\": \"object\"}", "{\"z\": [1]}", NULL, NULL, NULL },
		/* required properties: given, or in the deployment's defaults */
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": \"x\"}", NULL, NULL, NULL },
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": \"x\", \"c\": [1]}", NULL, NULL, NULL },
		{ REQUIRED_SCHEMA, "{}", NULL, "parameter 'a' is required", NULL },
		{ REQUIRED_SCHEMA, "{}", "{}", "parameter 'a' is required", NULL },
		{ REQUIRED_SCHEMA, "{\"a\": 1}", NULL, "parameter 'b' is required", NULL },
		{ REQUIRED_SCHEMA, "{\"b\": \"x\"}", NULL, "parameter 'a' is required", NULL },
		{ REQUIRED_SCHEMA, "{\"c\": 1}", "{\"c\": 2}", "parameter 'a' is required", NULL },
		{ REQUIRED_SCHEMA, "{\"a\": 1}", "{\"b\": \"dflt\"}", NULL, "{\"a\":1}" },
		{ REQUIRED_SCHEMA, "{}", "{\"a\": 1, \"b\": \"dflt\"}", NULL, "{}" },
		/* a required text parameter given as a number is coerced too */
		{ REQUIRED_SCHEMA, "{\"a\": 1, \"b\": 2}", NULL, NULL, "{\"a\":1,\"b\":\"2\"}" },
		/* types are checked before required properties */
		{ REQUIRED_SCHEMA, "{\"a\": \"1\"}", NULL, "parameter 'a': \"1\" is not an integer", NULL },
		{ REQUIRED_SCHEMA, "{\"d\": 1}", NULL, "parameter 'd' is not a parameter of this flow",
		  NULL },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		json_t *schema = load(cases[i].schema);
		json_t *params = load(cases[i].params);
		json_t *defaults = cases[i].defaults ? load(cases[i].defaults) : NULL;
		char *before = dump(params);
		struct strlist typed = STRLIST_INIT;
		as_typed_pairs(params, &typed);
		int rc = params_conform(schema, params, &typed, defaults, &err);
		strlist_release(&typed);
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
		assert_string_equal(after, cases[i].after ? cases[i].after : before);
		free(before);
		free(after);
		json_decref(schema);
		json_decref(params);
		json_decref(defaults);
	}
}

/* The command line as `flow execute` sees it: parse, then check. */
static void
test_parse_then_conform(void **state)
{
	static const char *const pairs[] = { "env=123", "retries=3", "dry_run=true", "tags=[\"a\"]",
					     "when=2024-01-01" };
	struct strlist l = STRLIST_INIT;
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
		strlist_add(&l, pairs[i]);
	assert_int_equal(params_parse(&l, "{\"retries\": \"x\", \"region\": \"us\"}", &params, &err),
			 0);
	assert_int_equal(params_conform(schema, params, &l, defaults, &err), 0);
	char *text = dump(params);
	assert_string_equal(text, "{\"dry_run\":true,\"env\":\"123\",\"region\":\"us\","
				  "\"retries\":3,\"tags\":[\"a\"],\"when\":\"2024-01-01\"}");
	free(text);
	json_decref(params);

	/* the same with a bad value: the error names the key */
	strlist_add(&l, "retries=three");
	params = NULL;
	assert_int_equal(params_parse(&l, NULL, &params, &err), 0);
	assert_int_equal(params_conform(schema, params, &l, defaults, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_int_equal(error_exit_code(&err), EXIT_ERROR);
	assert_string_equal(err.message, "parameter 'retries': \"three\" is not an integer");

	json_decref(params);
	json_decref(schema);
	json_decref(defaults);
	strlist_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_conform),
		cmocka_unit_test(test_parse_then_conform),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
