/*
 * The edges of what the command line and the configuration accept, found by
 * the bad-input corpus (tests/integration/test_bad_input.py): dates outside
 * the range the schedule engine computes, --since before year 1, ports
 * outside 1..65535 in API URLs, and years before 1000 written with four digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/isotime.h"
#include "core/strlist.h"
#include "core/xalloc.h"
#include "plan/when.h"
#include "test_helpers.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_when_range(void **state)
{
	/* clang-format off */
	static const struct {
		const char *text;
		int ok;
	} cases[] = {
		{ "0000-01-01", 0 }, { "0000-06-15", 0 }, { "0001-01-01", 0 }, { "0001-01-02", 0 },
		{ "0001-01-02T23:59:59Z", 0 }, { "9999-12-30", 0 }, { "9999-12-31T00:00", 0 },
		{ "0001-01-03", 1 }, { "0001-01-03T00:00+14:00", 1 }, { "9999-12-29", 1 },
		{ "9999-12-29T23:59:59-12:00", 1 }, { "2024-06-01", 1 },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		struct when w;
		int rc = when_parse(&w, cases[i].text, &err);
		if ((rc == 0) != cases[i].ok)
			fail_msg("'%s': %d (%s)", cases[i].text, rc, err.message);
		if (cases[i].ok)
			continue;
		assert_int_equal(err.kind, ERROR_USAGE);
		char *want = xasprintf("'%s' is out of range: dates from 0001-01-03 to 9999-12-29 "
				       "are accepted",
				       cases[i].text);
		assert_string_equal(err.message, want);
		free(want);
	}
	/* a month is still checked before the year: year 0 is not "no month 1" */
	struct error err = ERROR_INIT;
	struct when w;
	assert_int_equal(when_parse(&w, "0000-13-01", &err), -1);
	assert_string_equal(err.message, "'0000-13-01' is not a valid date: no month 13");
}

static void
test_since_range(void **state)
{
	(void)state;
	static const char *const outside[] = { "0000-01-01", "0000-12-31T23:59:59Z", "999999999w" };
	static const char *const inside[] = { "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z" };
	double now = 1764140816, t;
	for (size_t i = 0; i < ARRAY_LEN(outside); i++) {
		assert_int_equal(isotime_parse_since(outside[i], now, &t), 0);
		if (t >= ISOTIME_MIN && t <= ISOTIME_MAX)
			fail_msg("'%s' is inside the range: %f", outside[i], t);
	}
	for (size_t i = 0; i < ARRAY_LEN(inside); i++) {
		assert_int_equal(isotime_parse_since(inside[i], now, &t), 0);
		assert_true(t >= ISOTIME_MIN && t <= ISOTIME_MAX);
	}
}

static void
test_format_four_digit_years(void **state)
{
	(void)state;
	char out[32];
	isotime_format_utc(ISOTIME_MIN, out);
	assert_string_equal(out, "0001-01-01T00:00:00Z");
	isotime_format_utc(-59011459200.0, out); /* 0100-01-01 */
	assert_string_equal(out, "0100-01-01T00:00:00Z");
	isotime_format_utc(ISOTIME_MAX, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	isotime_format_utc(1704110400, out);
	assert_string_equal(out, "2024-01-01T12:00:00Z");
}

/* The error of loading PREFECT_API_URL=url, or "" when it loads. */
static char *
env_url_error(const char *url)
{
	struct config cfg;
	struct strlist warnings = STRLIST_INIT;
	struct error err = ERROR_INIT;
	char dir[64];
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(scratch_make(dir, sizeof(dir), "ranges"), 0);
	const char *pairs[] = { "PREFECT_API_URL", url, NULL };
	fake_env_reset(pairs);
	struct config_load_options opts = { NULL, NULL, "--api-url", dir, fake_getenv };
	int rc = config_load(&cfg, &opts, &warnings, &err);
	config_release(&cfg);
	strlist_release(&warnings);
	scratch_remove(dir);
	fake_env_reset(NULL);
	return xstrdup(rc == 0 ? "" : err.message);
}

static void
test_url_ports(void **state)
{
	/* clang-format off */
	static const struct {
		const char *url;
		const char *message; /* "" when accepted */
	} cases[] = {
		{ "http://127.0.0.1:1/api", "" },
		{ "http://127.0.0.1:65535/api", "" },
		{ "https://[::1]:443/api", "" },
		{ "http://127.0.0.1:0/api", "PREFECT_API_URL: invalid value for 'api_url': "
		  "'http://127.0.0.1:0/api' has a port outside 1..65535" },
		{ "http://127.0.0.1:65536/api", "PREFECT_API_URL: invalid value for 'api_url': "
		  "'http://127.0.0.1:65536/api' has a port outside 1..65535" },
		{ "https://h:99999999999999999999/api", "PREFECT_API_URL: invalid value for "
		  "'api_url': 'https://h:99999999999999999999/api' has a port outside 1..65535" },
		{ "http://[::1]:70000/api", "PREFECT_API_URL: invalid value for 'api_url': "
		  "'http://[::1]:70000/api' has a port outside 1..65535" },
		{ "http://u:pw@h:70000/api", "PREFECT_API_URL: invalid value for 'api_url': "
		  "'http://u:****@h:70000/api' has a port outside 1..65535" },
		{ "http://h:7x/api", "PREFECT_API_URL: invalid value for 'api_url': "
		  "'http://h:7x/api' is not an http(s) URL" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *message = env_url_error(cases[i].url);
		assert_string_equal(message, cases[i].message);
		free(message);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_range),
		cmocka_unit_test(test_since_range),
		cmocka_unit_test(test_format_four_digit_years),
		cmocka_unit_test(test_url_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
