/*
 * Unit tests for the pure parts of flow-runs cancel|retry|delete in bulk
 * (cmd/prefect/run_bulk.c): --older-than ages, run references read from
 * standard input, and a failure's result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/prefect/run_bulk.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_parse_age(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		int rc;
		double seconds;
	} cases[] = {
		{ "90s", 0, 90 }, { "30m", 0, 1800 }, { "6h", 0, 21600 }, { "7d", 0, 604800 },
		{ "2w", 0, 1209600 }, { "1.5h", 0, 5400 }, { "0s", 0, 0 },
		{ "5", -1, 0 }, { "", -1, 0 }, { "h", -1, 0 }, { "-5m", -1, 0 }, { "+5m", -1, 0 },
		{ "5x", -1, 0 }, { "5mm", -1, 0 }, { "5 m", -1, 0 }, { " 5m", -1, 0 },
		{ "soon", -1, 0 }, { "1e400d", -1, 0 }, { "2030-01-01", -1, 0 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double s = -1;
		int rc = run_bulk_parse_age(cases[i].text, &s);
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0 && s != cases[i].seconds)
			fail_msg("'%s': %g s, want %g", cases[i].text, s, cases[i].seconds);
	}
	assert_int_equal(run_bulk_parse_age(NULL, &(double){ 0 }), -1);
}

static void
read_refs(const char *text, struct strlist *out)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	run_bulk_read_refs(in, out);
	fclose(in);
}

static void
test_read_refs(void **state)
{
	struct strlist ids = STRLIST_INIT;
	(void)state;
	read_refs("  a1b2c3d4  \n\n# a comment\n\tlate-run\r\na1b2c3d4\nlast", &ids);
	assert_int_equal(ids.len, 3);
	assert_string_equal(ids.items[0], "a1b2c3d4");
	assert_string_equal(ids.items[1], "late-run");
	assert_string_equal(ids.items[2], "last");
	strlist_release(&ids);
	read_refs("", &ids);
	read_refs("\n \n#only\n", &ids);
	assert_int_equal(ids.len, 0);
	strlist_release(&ids);
}

static void
test_fail_sets_reason(void **state)
{
	struct run_bulk_result r = { 0 };
	(void)state;
	assert_int_equal(run_bulk_fail(&r, "no flow run '%s'", "x"), 0);
	assert_int_equal(run_bulk_fail(&r, "the server said %d", 409), 0);
	assert_true(r.failed);
	assert_string_equal(r.outcome, "failed");
	assert_string_equal(r.reason, "the server said 409");
	free(r.reason);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_age),
		cmocka_unit_test(test_read_refs),
		cmocka_unit_test(test_fail_sets_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
