/*
 * Unit tests for ui/yaml_out.c: JSON values as YAML documents (scalars,
 * strings quoted when a reader would take them for something else, nesting,
 * empty containers), escaping of control and bidi characters, and sequences
 * written a part at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ui/yaml_out.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The YAML for the JSON text json, as a new string. */
static char *
yaml_of(const char *json)
{
	json_error_t jerr;
	json_t *doc = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	assert_non_null(doc);
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	assert_int_equal(yaml_out_document(&out, doc, &err), 0);
	json_decref(doc);
	return buf_detach(&out);
}

static void
check(const char *json, const char *yaml)
{
	char *got = yaml_of(json);
	assert_string_equal(got, yaml);
	free(got);
}

static void
test_scalars(void **state)
{
	(void)state;
	check("null", "null\n");
	check("true", "true\n");
	check("false", "false\n");
	check("0", "0\n");
	check("-42", "-42\n");
	check("9223372036854775807", "9223372036854775807\n");
	check("0.1", "0.1\n");
	check("2.5", "2.5\n");
	check("-1e-07", "-1.0e-07\n");
	check("1e20", "1.0e+20\n"); /* a YAML 1.1 float needs the point */
	check("-0.0", "-0.0\n");
	check("0.30000000000000004", "0.30000000000000004\n");
	check("\"x\"", "x\n");
}

/* Strings a YAML reader would take for null, a boolean, a number, a date or syntax. */
static void
test_strings_quoted(void **state)
{
	(void)state;
	static const char *const quoted[] = {
		"",     "true",       "True",     "FALSE", "yes",    "No",    "on",   "OFF",
		"y",    "N",          "null",     "Null",  "~",      "123",   "-1",   "+1",
		"1.5",  "1e5",        "0x1F",     "0o17",  "017",    "1_000", "1:20", ".inf",
		".nan", "2026-12-03", "12:30:00", " lead", "trail ", "a b",   "a: b", "a:b",
		"#x",   "a #b",       "-",        "- x",   "---",    "...",   "[x]",  "{x}",
		",",    "&a",         "*a",       "!t",    "|",      ">",     "'",    "%x",
		"@x",   "`x",         "<<",       "=",     "?",      "? x",   ":",    "x:",
		"a,b",  "a\\b",       "a\"b",
	};
	for (size_t i = 0; i < ARRAY_LEN(quoted); i++) {
		json_t *doc = json_string(quoted[i]);
		struct buf out = BUF_INIT;
		struct error err = ERROR_INIT;
		assert_int_equal(yaml_out_document(&out, doc, &err), 0);
		assert_true(out.len >= 3);
		assert_int_equal(out.data[0], '"');
		assert_string_equal(out.data + out.len - 2, "\"\n");
		buf_release(&out);
		json_decref(doc);
	}
	check("\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\"\n");
	check("\"  \"", "\"  \"\n");
}

/* Words and UUIDs are plain: nothing else can be read from them. */
static void
test_strings_plain(void **state)
{
	(void)state;
	check("\"Completed\"", "Completed\n");
	check("\"my-flow_2.py/x\"", "my-flow_2.py/x\n");
	check("\"_private\"", "_private\n");
	check("\"nulls\"", "nulls\n");
	check("\"yesterday\"", "yesterday\n");
	check("\"Infinity\"", "Infinity\n");
	check("\"3fa85f64-5717-4562-b3fc-2c963f66afa6\"", "3fa85f64-5717-4562-b3fc-2c963f66afa6\n");
	check("\"12345678-1234-1234-1234-123456789012\"", "12345678-1234-1234-1234-123456789012\n");
	check("\"12345678-1234-1234-1234-12345678901\"",
	      "\"12345678-1234-1234-1234-12345678901\"\n");
}

static void
test_nesting(void **state)
{
	(void)state;
	check("{\"name\": \"etl\", \"tags\": [\"a\", \"b c\"], \"params\": {\"count\": 3, \"x\": null},"
	      " \"runs\": [{\"id\": 1, \"ok\": true}, {\"id\": 2, \"ok\": false}],"
	      " \"grid\": [[1, 2], []]}",
	      "name: etl\n"
	      "tags:\n"
	      "- a\n"
	      "- \"b c\"\n"
	      "params:\n"
	      "  count: 3\n"
	      "  x: null\n"
	      "runs:\n"
	      "- id: 1\n"
	      "  ok: true\n"
	      "- id: 2\n"
	      "  ok: false\n"
	      "grid:\n"
	      "- - 1\n"
	      "  - 2\n"
	      "- []\n");
	check("{\"true\": 1, \"2026-01-01\": \"\", \"\": 2}",
	      "\"true\": 1\n\"2026-01-01\": \"\"\n\"\": 2\n");
}

static void
test_empty_containers(void **state)
{
	(void)state;
	check("[]", "[]\n");
	check("{}", "{}\n");
	check("[[], {}]", "- []\n- {}\n");
	check("{\"a\": [], \"b\": {}}", "a: []\nb: {}\n");
}

/* C0 controls, DEL, C1 and line separators escaped by libyaml; other text as it is. */
static void
test_controls(void **state)
{
	(void)state;
	check("\"a\\tb\\nc\\r\"", "\"a\\tb\\nc\\r\"\n");
	check("\"\\u001b[31mred\\u0007\"", "\"\\e[31mred\\a\"\n");
	check("\"\\u007f\\u009b\\u0085\"", "\"\\x7F\\x9B\\N\"\n");
	check("\"\\u2028\\u2029\\ufeff\"", "\"\\L\\P\\uFEFF\"\n");
	check("\"a\\u0000b\"", "\"a\\0b\"\n");
	check("\"caf\\u00e9 \\u65e5\\u672c\"", "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\"\n");
}

/* The bidirectional controls libyaml would write raw come out as \uXXXX. */
static void
test_bidi(void **state)
{
	(void)state;
	check("\"\\u202e\"", "\"\\u202E\"\n");
	check("\"a\\u202ab\\u202bc\\u202cd\\u202de\\u202ef\"",
	      "\"a\\u202Ab\\u202Bc\\u202Cd\\u202De\\u202Ef\"\n");
	check("\"\\u2066\\u2067\\u2068\\u2069\"", "\"\\u2066\\u2067\\u2068\\u2069\"\n");
	check("\"\\u061c\\u200e\\u200f\"", "\"\\u061C\\u200E\\u200F\"\n");
	check("{\"k\\u202e\": [\"\\u2066x\"]}", "\"k\\u202E\":\n- \"\\u2066x\"\n");
	/* neighbours of the controls stay as they are */
	check("\"\\u2029\\u202f\\u2065\\u206a\"", "\"\\P\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\"\n");
}

static json_t *
row(int i)
{
	return json_pack("{s:i, s:s}", "id", i, "name", i % 2 ? "odd" : "true");
}

/* A sequence written in parts: what is taken is the sequence so far. */
static void
test_stream(void **state)
{
	(void)state;
	struct yaml_out *y = yaml_out_new();
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	yaml_out_open(y, 0);
	for (int i = 0; i < 2; i++) {
		json_t *item = row(i);
		yaml_out_value(y, item);
		json_decref(item);
	}
	assert_int_equal(yaml_out_take(y, &out, &err), 0);
	/* the last line's newline waits for what comes after it */
	assert_string_equal(buf_str(&out), "- id: 0\n  name: \"true\"\n- id: 1\n  name: odd");
	buf_reset(&out);
	json_t *item = row(2);
	yaml_out_value(y, item);
	json_decref(item);
	yaml_out_close(y, 0);
	assert_int_equal(yaml_out_end(y, &out, &err), 0);
	assert_string_equal(buf_str(&out), "\n- id: 2\n  name: \"true\"\n");
	buf_release(&out);
}

static void
test_stream_empty(void **state)
{
	(void)state;
	struct yaml_out *y = yaml_out_new();
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	yaml_out_open(y, 0);
	assert_int_equal(yaml_out_take(y, &out, &err), 0);
	yaml_out_close(y, 0);
	assert_int_equal(yaml_out_end(y, &out, &err), 0);
	assert_string_equal(buf_str(&out), "[]\n");
	buf_release(&out);
}

/* A mapping with a key whose sequence is written as it comes. */
static void
test_stream_in_mapping(void **state)
{
	(void)state;
	struct yaml_out *y = yaml_out_new();
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;
	json_t *one = json_integer(1);
	yaml_out_open(y, 1);
	yaml_out_key(y, "count");
	yaml_out_value(y, one);
	yaml_out_key(y, "runs");
	yaml_out_open(y, 0);
	yaml_out_value(y, one);
	yaml_out_close(y, 0);
	yaml_out_key(y, "none");
	yaml_out_open(y, 0);
	yaml_out_close(y, 0);
	yaml_out_close(y, 1);
	assert_int_equal(yaml_out_end(y, &out, &err), 0);
	assert_string_equal(buf_str(&out), "count: 1\nruns:\n- 1\nnone: []\n");
	json_decref(one);
	buf_release(&out);
}

/* An unfinished sequence is freed without a leak (the sanitizer build checks). */
static void
test_free_unfinished(void **state)
{
	(void)state;
	struct yaml_out *y = yaml_out_new();
	json_t *item = row(1);
	yaml_out_open(y, 0);
	yaml_out_value(y, item);
	json_decref(item);
	yaml_out_free(y);
	yaml_out_free(NULL);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_strings_quoted),
		cmocka_unit_test(test_strings_plain),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_empty),
		cmocka_unit_test(test_stream_in_mapping),
		cmocka_unit_test(test_free_unfinished),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
