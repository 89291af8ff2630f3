/*
 * Unit tests for what commands show and how they read what users type:
 * the progress line (ui/progress.c), -o json documents with control
 * characters escaped (ui/fields.c), durations (ui/timefmt.c), and UUIDs, ID
 * prefixes, names and ambiguous references (api/refs.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/refs.h"
#include "core/buf.h"
#include "core/error.h"
#include "ui/fields.h"
#include "ui/progress.h"
#include "ui/timefmt.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define MINUTE 60.0
#define HOUR 3600.0
#define DAY 86400.0

/* Carriage return and erase-to-end-of-line. */
#define CLEAR "\r\033[K"

/* ---- progress ---- */

static void
test_progress_frame(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		double elapsed;
		unsigned tick;
		const char *out;
	} cases[] = {
		{ "Waiting for run", 0, 0, CLEAR "⠋ Waiting for run 0s" },
		{ "Waiting for run", 1.2, 1, CLEAR "⠙ Waiting for run 1s" },
		{ "Waiting", 2.6, 2, CLEAR "⠹ Waiting 3s" },
		{ "Waiting", 12.4, 3, CLEAR "⠸ Waiting 12s" },
		{ "Waiting", 59.6, 4, CLEAR "⠼ Waiting 60s" },
		{ "Waiting", 3600, 5, CLEAR "⠴ Waiting 3600s" },
		{ "x", 0, 6, CLEAR "⠦ x 0s" },
		{ "x", 0, 7, CLEAR "⠧ x 0s" },
		{ "x", 0, 8, CLEAR "⠇ x 0s" },
		{ "x", 0, 9, CLEAR "⠏ x 0s" },
		/* the spinner wraps around */
		{ "x", 0, 10, CLEAR "⠋ x 0s" },
		{ "x", 0, 23, CLEAR "⠸ x 0s" },
		{ "x", 0, 4294967295u, CLEAR "⠴ x 0s" },
		/* the text stays on one line and cannot drive the terminal */
		{ "a\tb\nc", 1, 0, CLEAR "⠋ a b c 1s" },
		{ "run \033[31mred\033[0m", 1, 0, CLEAR "⠋ run ?[31mred?[0m 1s" },
		{ "bell\a del\x7f", 1, 0, CLEAR "⠋ bell? del? 1s" },
		{ "flow 'héllo' 中", 1, 0, CLEAR "⠋ flow 'héllo' 中 1s" },
		{ "", 0, 0, CLEAR "⠋  0s" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		progress_frame(&b, cases[i].text, cases[i].elapsed, cases[i].tick);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_progress_appends_and_clears(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	progress_clear(&b);
	assert_string_equal(buf_str(&b), CLEAR);
	assert_int_equal(b.len, 4);

	/* both append to what is there */
	buf_reset(&b);
	buf_adds(&b, "before");
	progress_frame(&b, "one", 1, 0);
	progress_frame(&b, "two", 2, 1);
	progress_clear(&b);
	assert_string_equal(buf_str(&b), "before" CLEAR "⠋ one 1s" CLEAR "⠙ two 2s" CLEAR);
	buf_release(&b);
}

static void
test_progress_counts(void **state)
{
	/* clang-format off */
	static const struct {
		size_t done, total;
		double elapsed;
		int bar;
		const char *out;
	} cases[] = {
		/* no rate in the first second, nor before anything is done */
		{ 0, 1000, 0, 1, "creating runs ░░░░░░░░░░░░░░░░░░░░ 0/1000" },
		{ 5, 1000, 0.5, 1, "creating runs ░░░░░░░░░░░░░░░░░░░░ 5/1000" },
		{ 0, 1000, 30, 0, "creating runs: 0/1000" },
		/* the rate, and the time left at that rate */
		{ 250, 1000, 10, 1, "creating runs █████░░░░░░░░░░░░░░░ 250/1000 · 25/s · ETA 30s" },
		{ 250, 1000, 10, 0, "creating runs: 250/1000 · 25/s · ETA 30s" },
		{ 3, 100, 4, 0, "creating runs: 3/100 · 0.8/s · ETA 2m09s" },
		{ 1, 10000, 2, 0, "creating runs: 1/10000 · 0.5/s · ETA 5h33m" },
		/* done: no time left */
		{ 1000, 1000, 40, 1, "creating runs ████████████████████ 1000/1000 · 25/s" },
		/* an empty total is a full bar; more than the total does not overflow it */
		{ 0, 0, 0, 1, "creating runs ████████████████████ 0/0" },
		{ 12, 10, 2, 1, "creating runs ████████████████████ 12/10 · 6.0/s" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		progress_counts(&b, "creating runs", cases[i].done, cases[i].total,
				cases[i].elapsed, cases[i].bar);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

/* ---- fields_json ---- */

static void
test_json_escapes_controls(void **state)
{
	/* clang-format off */
	static const struct {
		const char *value;   /* the string value of "s" */
		const char *shown;   /* how it is written between the quotes */
	} cases[] = {
		{ "plain", "plain" },
		/* DEL */
		{ "a\x7f" "b", "a\\u007fb" },
		{ "\x7f", "\\u007f" },
		/* C1 controls, U+0080 to U+009F */
		{ "\xc2\x80", "\\u0080" },
		{ "\xc2\x85" "next line", "\\u0085next line" },
		{ "\xc2\x9b" "31mred", "\\u009b31mred" },
		{ "\xc2\x9d" "0;title\xc2\x9c", "\\u009d0;title\\u009c" },
		{ "\xc2\x9f", "\\u009f" },
		{ "x\xc2\x80\xc2\x9f\x7fy", "x\\u0080\\u009f\\u007fy" },
		/* bidirectional marks, embeddings, overrides and isolates */
		{ "a\xe2\x80\xae" "b", "a\\u202eb" },       /* U+202E, right-to-left override */
		{ "\xe2\x80\xaa\xe2\x80\xad", "\\u202a\\u202d" },
		{ "\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069" }, /* isolates */
		{ "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c" },
		/* the characters around them are left alone */
		{ "\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b", "\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b" },
		{ "\xc2\xa0", "\xc2\xa0" },         /* no-break space, U+00A0 */
		{ "\xc2\xbf", "\xc2\xbf" },         /* ¿ */
		{ "~", "~" },
		{ "é", "é" },
		{ "ÿ", "ÿ" },
		{ "中文", "中文" },
		{ "😀", "😀" },
		{ "Ā\xc2\x9b" "é", "Ā\\u009bé" },
		/* C0 controls as jansson writes them */
		{ "\x01", "\\u0001" },
		{ "\x1b[31m", "\\u001B[31m" },
		{ "a\nb\tc", "a\\nb\\tc" },
		{ "q\"b\\", "q\\\"b\\\\" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		char want[256];
		json_t *doc = json_pack("{s:s}", "s", cases[i].value);
		assert_non_null(doc);
		snprintf(want, sizeof(want), "{\n  \"s\": \"%s\"\n}\n", cases[i].shown);
		fields_json(&b, doc);
		if (strcmp(buf_str(&b), want) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), want);

		/* still JSON, and it reads back as the same document */
		json_t *back = json_loads(buf_str(&b), 0, NULL);
		assert_non_null(back);
		assert_true(json_equal(back, doc));
		json_decref(back);
		json_decref(doc);
		buf_release(&b);
	}
}

static void
test_json_escapes_everywhere(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	/* in keys, nested values and a document that is only a string */
	json_t *doc = json_pack("{s:i, s:[s, {s:s}]}", "k\x7f", 1, "list", "\xc2\x9b", "in\xc2\x90",
				"é\x7f");
	assert_non_null(doc);
	fields_json(&b, doc);
	assert_string_equal(buf_str(&b), "{\n"
					 "  \"k\\u007f\": 1,\n"
					 "  \"list\": [\n"
					 "    \"\\u009b\",\n"
					 "    {\n"
					 "      \"in\\u0090\": \"é\\u007f\"\n"
					 "    }\n"
					 "  ]\n"
					 "}\n");
	json_decref(doc);

	buf_reset(&b);
	doc = json_string("\xc2\x9b"
			  "2J");
	fields_json(&b, doc);
	assert_string_equal(buf_str(&b), "\"\\u009b2J\"\n");
	json_decref(doc);

	/* appended after what is there */
	buf_reset(&b);
	buf_adds(&b, "> ");
	doc = json_array();
	fields_json(&b, doc);
	assert_string_equal(buf_str(&b), "> []\n");
	json_decref(doc);
	buf_release(&b);
}

/* ---- timefmt_duration ---- */

static void
test_duration(void **state)
{
	/* clang-format off */
	static const struct {
		double seconds;
		const char *out;
	} cases[] = {
		{ 0, "0.0s" },
		{ 0.04, "0.0s" },
		{ 0.05001, "0.1s" },
		{ 1, "1.0s" },
		{ 45.23, "45.2s" },
		{ 59.94, "59.9s" },
		{ MINUTE, "1m 00s" },
		{ MINUTE + 0.9, "1m 00s" },
		{ 192, "3m 12s" },
		{ 10 * MINUTE + 5, "10m 05s" },
		{ HOUR - 1, "59m 59s" },
		{ HOUR, "1h 00m" },
		{ 3720, "1h 02m" },
		{ 3779, "1h 02m" },
		{ 10 * HOUR + 30 * MINUTE, "10h 30m" },
		{ DAY - 1, "23h 59m" },
		{ DAY, "1d 00h" },
		{ 2 * DAY + 3 * HOUR, "2d 03h" },
		{ 2 * DAY + 3 * HOUR + 59 * MINUTE, "2d 03h" },
		{ 100 * DAY + 23 * HOUR, "100d 23h" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		timefmt_duration(&b, cases[i].seconds);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

/* ---- refs ---- */

#define UUID_A "0b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2c"

static void
test_is_uuid(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		int yes;
	} cases[] = {
		{ UUID_A, 1 },
		{ "0B4A3C5E-1F2D-4E6A-9B8C-7D6E5F4A3B2C", 1 },
		{ "00000000-0000-0000-0000-000000000000", 1 },
		{ "", 0 },
		{ "0b4a3c5e", 0 },
		{ "0b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2", 0 },     /* 35 */
		{ "0b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2cd", 0 },   /* 37 */
		{ "0b4a3c5e1f2d4e6a9b8c7d6e5f4a3b2c", 0 },        /* no dashes */
		{ "0b4a3c5e-1f2d-4e6a-9b8c7-d6e5f4a3b2c", 0 },    /* dash moved */
		{ "0b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2-", 0 },
		{ "-b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2c", 0 },
		{ "0b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2g", 0 },
		{ "{b4a3c5e-1f2d-4e6a-9b8c-7d6e5f4a3b2}", 0 },
		{ "0b4a3c5e 1f2d 4e6a 9b8c 7d6e5f4a3b2c", 0 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (prefect_is_uuid(cases[i].s) != cases[i].yes)
			print_message("case %zu: %s\n", i, cases[i].s);
		assert_int_equal(prefect_is_uuid(cases[i].s), cases[i].yes);
	}
}

static void
test_is_id_prefix(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		int yes;
	} cases[] = {
		{ "0b4a", 1 },
		{ "0B4A", 1 },
		{ "0b4a3c5e", 1 },
		{ "0b4a3c5e-1f", 1 },
		{ UUID_A, 1 },
		{ "", 0 },
		{ "0b4", 0 },
		{ UUID_A "0", 0 },
		{ "0b4g", 0 },
		{ "my-flow", 0 },
		{ "0b4a 3c", 0 },
		{ "0b4a\n", 0 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (prefect_is_id_prefix(cases[i].s) != cases[i].yes)
			print_message("case %zu: %s\n", i, cases[i].s);
		assert_int_equal(prefect_is_id_prefix(cases[i].s), cases[i].yes);
	}
}

static void
test_name_is_valid(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		int yes;
	} cases[] = {
		{ "etl", 1 },
		{ "my-flow_2", 1 },
		{ "my flow", 1 },
		{ "a.b:c", 1 },
		{ "héllo 中", 1 },
		{ "x", 1 },
		{ "", 0 },
		{ "a/b", 0 },
		{ "/", 0 },
		{ "50%", 0 },
		{ "a&b", 0 },
		{ "a>b", 0 },
		{ "<a", 0 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (prefect_name_is_valid(cases[i].s) != cases[i].yes)
			print_message("case %zu: %s\n", i, cases[i].s);
		assert_int_equal(prefect_name_is_valid(cases[i].s), cases[i].yes);
	}
}

static void
test_match_id_prefix(void **state)
{
	/* clang-format off */
	static const struct {
		const char *prefix;
		const char *names;   /* the names of the matches, in list order */
	} cases[] = {
		{ "ab12", "one,two" },
		{ "AB12", "one,two" },
		{ "ab12c", "one" },
		{ "AB12CD34-0000-4000-8000-000000000001", "one" },
		{ "ab12cd34-0000-4000-8000-000000000001x", "" },
		{ "ab", "one,two,three" },
		{ "cd", "" },
		{ "9", "four" },
		{ "", "one,two,three,four" },
	};
	/* clang-format on */
	json_t *list = json_pack("[{s:s,s:s}, {s:s,s:s}, {s:s}, {s:s,s:s}, {s:s,s:i}, {s:s,s:s}]",
				 "name", "one", "id", "ab12cd34-0000-4000-8000-000000000001",
				 "name", "two", "id", "AB12EF56-0000-4000-8000-000000000002",
				 "name", "no id", "name", "three", "id",
				 "ab99ef56-0000-4000-8000-000000000003", "name", "number id", "id",
				 9, "name", "four", "id", "9f000000-0000-4000-8000-000000000004");
	(void)state;

	assert_non_null(list);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf names = BUF_INIT;
		size_t j;
		json_t *m;
		json_t *matches = prefect_match_id_prefix(list, cases[i].prefix);
		assert_true(json_is_array(matches));
		json_array_foreach(matches, j, m)
			buf_addf(&names, "%s%s", j ? "," : "",
				 json_string_value(json_object_get(m, "name")));
		if (strcmp(buf_str(&names), cases[i].names) != 0)
			print_message("case %zu: %s\n", i, buf_str(&names));
		assert_string_equal(buf_str(&names), cases[i].names);
		/* the matches are the list's own objects */
		json_array_foreach(matches, j, m)
			assert_true(m->refcount >= 2);
		json_decref(matches);
		buf_release(&names);
	}

	/* not a list: no matches */
	json_t *none = prefect_match_id_prefix(NULL, "ab");
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	json_decref(list);
}

static void
test_ambiguous(void **state)
{
	/* clang-format off */
	static const struct {
		size_t n;
		const char *what;
		const char *message;
	} cases[] = {
		{ 2, "flows", "'ab' matches 2 flows: flow-0 (ab00), flow-1 (ab01)" },
		{ 5, "flow runs",
		  "'ab' matches 5 flow runs: flow-0 (ab00), flow-1 (ab01), flow-2 (ab02), "
		  "flow-3 (ab03), flow-4 (ab04)" },
		{ 6, "deployments",
		  "'ab' matches 6 deployments: flow-0 (ab00), flow-1 (ab01), flow-2 (ab02), "
		  "flow-3 (ab03), flow-4 (ab04), and 1 more" },
		{ 12, "flows",
		  "'ab' matches 12 flows: flow-0 (ab00), flow-1 (ab01), flow-2 (ab02), "
		  "flow-3 (ab03), flow-4 (ab04), and 7 more" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		json_t *matches = json_array();
		for (size_t j = 0; j < cases[i].n; j++) {
			char name[32], id[32];
			snprintf(name, sizeof(name), "flow-%zu", j);
			snprintf(id, sizeof(id), "ab%02zu", j);
			json_array_append_new(matches,
					      json_pack("{s:s,s:s}", "name", name, "id", id));
		}
		assert_int_equal(prefect_ambiguous(&err, "ab", cases[i].what, matches), -1);
		assert_int_equal(err.kind, ERROR_AMBIGUOUS);
		if (strcmp(err.message, cases[i].message) != 0)
			print_message("case %zu: %s\n", i, err.message);
		assert_string_equal(err.message, cases[i].message);
		json_decref(matches);
	}
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_frame),
		cmocka_unit_test(test_progress_appends_and_clears),
		cmocka_unit_test(test_progress_counts),
		cmocka_unit_test(test_json_escapes_controls),
		cmocka_unit_test(test_json_escapes_everywhere),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_is_uuid),
		cmocka_unit_test(test_is_id_prefix),
		cmocka_unit_test(test_name_is_valid),
		cmocka_unit_test(test_match_id_prefix),
		cmocka_unit_test(test_ambiguous),
	};
	/* clang-format on */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
