/*
 * Unit tests for the small display formatters: relative and local times
 * (ui/timefmt.c), run state symbols and labels (ui/state.c), and short IDs,
 * lists and JSON documents (ui/fields.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/fields.h"
#include "ui/state.h"
#include "ui/timefmt.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define MINUTE 60.0
#define HOUR 3600.0
#define DAY 86400.0
/* 2026-11-26T07:06:56Z */
#define T0 1795676816.0

static void
test_relative(void **state)
{
	/* clang-format off */
	static const struct {
		double ago;      /* now - then, in seconds */
		const char *out;
	} cases[] = {
		{ 0, "just now" },
		{ 0.5, "just now" },
		{ -0.5, "just now" },
		{ 0.999, "just now" },
		{ 1, "1s ago" },
		{ 45, "45s ago" },
		{ 59.9, "59s ago" },
		{ MINUTE, "1m ago" },
		{ 5 * MINUTE, "5m ago" },
		{ 5 * MINUTE + 59, "5m ago" },
		{ 59 * MINUTE + 59, "59m ago" },
		{ HOUR, "1h ago" },
		{ 2 * HOUR, "2h ago" },
		{ 23 * HOUR + 59 * MINUTE, "23h ago" },
		{ DAY, "1d ago" },
		{ 3 * DAY, "3d ago" },
		{ 6 * DAY + 23 * HOUR, "6d ago" },
		{ 7 * DAY, "1w ago" },
		{ 14 * DAY, "2w ago" },
		{ 30 * DAY, "4w ago" },
		{ 31 * DAY, "1mo ago" },
		{ 125 * DAY, "4mo ago" },
		{ 365 * DAY, "11mo ago" },
		{ 366 * DAY, "1y ago" },
		{ 800 * DAY, "2y ago" },
		{ -1, "in 1s" },
		{ -45, "in 45s" },
		{ -5 * MINUTE, "in 5m" },
		{ -2 * HOUR, "in 2h" },
		{ -3 * DAY, "in 3d" },
		{ -14 * DAY, "in 2w" },
		{ -125 * DAY, "in 4mo" },
		{ -800 * DAY, "in 2y" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		timefmt_relative(&b, T0 - cases[i].ago, T0);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_relative_iso(void **state)
{
	/* clang-format off */
	static const struct {
		const char *iso;
		double now;
		const char *out;
	} cases[] = {
		{ NULL, T0, "Never" },
		{ "2026-11-26T07:06:56Z", T0, "just now" },
		{ "2026-11-26T07:06:56.351324Z", T0 + 2 * HOUR + 0.5, "2h ago" },
		{ "2026-11-26T07:06:56.351324Z", T0 + 2 * HOUR, "1h ago" },
		{ "2026-11-26T07:06:56+00:00", T0 + 45, "45s ago" },
		{ "2026-11-26T12:36:56+05:30", T0 + 3 * DAY, "3d ago" },
		{ "2026-11-26T07:11:56Z", T0, "in 5m" },
		{ "2026-11-26T07:06:56", T0 + 14 * DAY, "2w ago" },
		/* text that does not parse is shown as it is */
		{ "yesterday", T0, "yesterday" },
		{ "", T0, "" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "[");
		timefmt_relative_iso(&b, cases[i].iso, cases[i].now);
		buf_adds(&b, "]");
		char want[64];
		snprintf(want, sizeof(want), "[%s]", cases[i].out);
		if (strcmp(buf_str(&b), want) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), want);
		buf_release(&b);
	}
}

static void
test_local_iso(void **state)
{
	/* clang-format off */
	static const struct {
		const char *tz;
		const char *iso;
		const char *out;
	} cases[] = {
		{ "UTC0", "2026-11-26T07:06:56Z", "2026-11-26 07:06:56" },
		{ "UTC0", "2026-11-26T07:06:56.999999Z", "2026-11-26 07:06:56" },
		{ "UTC0", "2026-11-26T12:36:56+05:30", "2026-11-26 07:06:56" },
		{ "IST-5:30", "2026-11-26T07:06:56Z", "2026-11-26 12:36:56" },
		{ "EST5", "2026-11-26T03:06:56Z", "2026-11-25 22:06:56" },
		{ "UTC0", NULL, "-" },
		{ "UTC0", "not a time", "not a time" },
	};
	/* clang-format on */
	char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		setenv("TZ", cases[i].tz, 1);
		tzset();
		timefmt_local_iso(&b, cases[i].iso);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void
test_state_symbol_style(void **state)
{
	/* clang-format off */
	static const struct {
		const char *type;
		const char *symbol;
		enum style style;
	} cases[] = {
		{ "COMPLETED", "✓", STYLE_SUCCESS },
		{ "FAILED", "✗", STYLE_FAILURE },
		{ "CRASHED", "✗", STYLE_FAILURE },
		{ "CANCELLED", "⊘", STYLE_FAILURE },
		{ "CANCELLING", "⊘", STYLE_PROGRESS },
		{ "RUNNING", "↻", STYLE_PROGRESS },
		{ "PENDING", "◷", STYLE_PROGRESS },
		{ "SCHEDULED", "◷", STYLE_PROGRESS },
		{ "PAUSED", "⏸", STYLE_PROGRESS },
		{ "completed", "-", STYLE_NONE },
		{ "UNKNOWN", "-", STYLE_NONE },
		{ "", "-", STYLE_NONE },
		{ NULL, "-", STYLE_NONE },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (strcmp(state_symbol(cases[i].type), cases[i].symbol) != 0 ||
		    state_style(cases[i].type) != cases[i].style)
			print_message("case %zu\n", i);
		assert_string_equal(state_symbol(cases[i].type), cases[i].symbol);
		assert_int_equal(state_style(cases[i].type), cases[i].style);
	}
}

static void
test_state_label(void **state)
{
	/* clang-format off */
	static const struct {
		const char *type;
		const char *name;
		const char *out;
	} cases[] = {
		{ "COMPLETED", NULL, "✓ Completed" },
		{ "COMPLETED", "Completed", "✓ Completed" },
		{ "COMPLETED", "Cached", "✓ Cached" },
		{ "FAILED", "Failed", "✗ Failed" },
		{ "CRASHED", NULL, "✗ Crashed" },
		{ "CANCELLING", NULL, "⊘ Cancelling" },
		{ "RUNNING", NULL, "↻ Running" },
		{ "SCHEDULED", "Late", "◷ Late" },
		{ "PENDING", "AwaitingRetry", "◷ AwaitingRetry" },
		{ "PAUSED", NULL, "⏸ Paused" },
		{ "NEW_TYPE", NULL, "- New_type" },
		{ "NEW_TYPE", "Novel", "- Novel" },
		{ NULL, NULL, "-" },
		{ NULL, "Orphan", "-" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		state_label(&b, cases[i].type, cases[i].name);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_short_id(void **state)
{
	/* clang-format off */
	static const struct {
		const char *id;
		const char *out;
	} cases[] = {
		{ NULL, "-" },
		{ "", "" },
		{ "abc", "abc" },
		{ "12345678", "12345678" },
		{ "123456789", "12345678…" },
		{ "0a1b2c3d-0000-4000-8000-00000000000a", "0a1b2c3d…" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		fields_short_id(&b, cases[i].id);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_list(void **state)
{
	/* clang-format off */
	static const struct {
		const char *json;   /* NULL: no value at all */
		const char *out;
	} cases[] = {
		{ "[\"a\", \"b\", \"c\"]", "a, b, c" },
		{ "[\"only\"]", "only" },
		{ "[]", "-" },
		{ "[\"a\", 1, null, \"b\"]", "a, b" },
		{ "[1, 2]", "-" },
		{ "{\"a\": \"b\"}", "-" },
		{ "\"text\"", "-" },
		{ NULL, "-" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT;
		json_t *v = cases[i].json ? json_loads(cases[i].json, JSON_DECODE_ANY, NULL) : NULL;
		assert_true(v || !cases[i].json);
		fields_list(&b, v);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&b));
		assert_string_equal(buf_str(&b), cases[i].out);
		json_decref(v);
		buf_release(&b);
	}
}

static void
test_json_document(void **state)
{
	struct buf b = BUF_INIT;
	json_t *doc =
		json_loads("{\"name\": \"f\", \"tags\": [\"a\", 1], \"empty\": {}, \"id\": null}",
			   0, NULL);
	(void)state;

	assert_non_null(doc);
	fields_json(&b, doc);
	assert_string_equal(buf_str(&b), "{\n"
					 "  \"name\": \"f\",\n"
					 "  \"tags\": [\n"
					 "    \"a\",\n"
					 "    1\n"
					 "  ],\n"
					 "  \"empty\": {},\n"
					 "  \"id\": null\n"
					 "}\n");
	json_decref(doc);
	buf_release(&b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_relative_iso),
		cmocka_unit_test(test_local_iso),
		cmocka_unit_test(test_state_symbol_style),
		cmocka_unit_test(test_state_label),
		cmocka_unit_test(test_short_id),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_json_document),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
