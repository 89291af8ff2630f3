/*
 * Unit tests for the core helpers: the capped byte buffer (core/buf.c),
 * string lists and splitting (core/strlist.c), "did you mean" suggestions
 * (core/suggest.c), ISO-8601 parsing (core/isotime.c), errors and their exit
 * codes (core/error.c), and the JSON readers (core/json.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/idset.h"
#include "core/isotime.h"
#include "core/json.h"
#include "core/strlist.h"
#include "core/suggest.h"
#include "core/xalloc.h"
#include "core/yaml_doc.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ITEMS 6

/* 2026-11-26T07:06:56Z */
#define T0 1795676816.0

/* ---- buf ---- */

static void
test_buf_init_and_empty(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	assert_string_equal(buf_str(&b), "");
	char *s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);

	buf_init(&b, 0);
	assert_non_null(b.data);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
	assert_string_equal(buf_str(&b), "");
}

static void
test_buf_appends(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;

	/* appending to BUF_INIT works without buf_init */
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_addc(&b, '-'), 0);
	assert_int_equal(buf_addf(&b, "%d:%s", 42, "x"), 0);
	assert_int_equal(buf_add(&b, "yz", 1), 0);
	assert_int_equal(buf_add(&b, NULL, 0), 0);
	assert_int_equal(buf_repeat(&b, "ab", 3), 0);
	assert_int_equal(buf_repeat(&b, "zz", 0), 0);
	assert_string_equal(buf_str(&b), "abc-42:xyababab");
	assert_int_equal(b.len, strlen("abc-42:xyababab"));

	/* embedded NUL bytes are kept and counted */
	buf_reset(&b);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);

	/* growth past the first allocation keeps every byte */
	buf_reset(&b);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 1000);
	assert_int_equal(strlen(buf_str(&b)), 1000);
	assert_int_equal(b.data[999], 'a' + 999 % 26);

	char *s = buf_detach(&b);
	assert_int_equal(strlen(s), 1000);
	free(s);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_adds(&b, "again"), 0);
	assert_string_equal(buf_str(&b), "again");
	buf_release(&b);
}

static void
test_buf_cap(void **state)
{
	/* clang-format off */
	static const struct {
		const char *before;
		const char *add;
		int rc;
		const char *after;
	} cases[] = {
		{ "", "hello", 0, "hello" },
		{ "", "hello!", -1, "" },
		{ "abc", "de", 0, "abcde" },
		{ "abc", "def", -1, "abc" },
		{ "abcde", "", 0, "abcde" },
		{ "abcde", "x", -1, "abcde" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b;
		buf_init(&b, 5);
		assert_int_equal(buf_adds(&b, cases[i].before), 0);
		int rc = buf_adds(&b, cases[i].add);
		if (rc != cases[i].rc || strcmp(buf_str(&b), cases[i].after) != 0)
			print_message("case %zu\n", i);
		assert_int_equal(rc, cases[i].rc);
		assert_string_equal(buf_str(&b), cases[i].after);
		assert_int_equal(b.len, strlen(cases[i].after));
		buf_release(&b);
	}
}

static void
test_buf_cap_other_appends(void **state)
{
	struct buf b;
	(void)state;

	buf_init(&b, 4);
	assert_int_equal(buf_addf(&b, "%s", "abc"), 0);
	assert_int_equal(buf_addf(&b, "%d", 12), -1);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(buf_addc(&b, 'd'), 0);
	assert_int_equal(buf_addc(&b, 'e'), -1);
	assert_string_equal(buf_str(&b), "abcd");
	assert_int_equal(buf_repeat(&b, "x", 1), -1);
	assert_string_equal(buf_str(&b), "abcd");

	/* reset and release keep the cap */
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "wxyz"), 0);
	assert_int_equal(buf_adds(&b, "!"), -1);
	buf_release(&b);
	assert_int_equal(b.cap, 4);
	assert_int_equal(buf_adds(&b, "12345"), -1);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

/* ---- strlist ---- */

static void
test_strlist_split(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		char sep;
		size_t n;
		const char *items[MAX_ITEMS];
	} cases[] = {
		{ "a,b,c", ',', 3, { "a", "b", "c" } },
		{ " a , b ,c ", ',', 3, { "a", "b", "c" } },
		{ "a,,b", ',', 2, { "a", "b" } },
		{ "a,b,", ',', 2, { "a", "b" } },
		{ ",a", ',', 1, { "a" } },
		{ "", ',', 0, { NULL } },
		{ ",,,", ',', 0, { NULL } },
		{ "  ", ',', 0, { NULL } },
		{ " , \t ,", ',', 0, { NULL } },
		{ "x\t,\ny", ',', 2, { "x", "y" } },
		{ "one", ',', 1, { "one" } },
		{ "two words, kept", ',', 2, { "two words", "kept" } },
		{ "a b  c", ' ', 3, { "a", "b", "c" } },
		{ "k=v;k2=v2", ';', 2, { "k=v", "k2=v2" } },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist l = STRLIST_INIT;
		strlist_split(&l, cases[i].in, cases[i].sep);
		if (l.len != cases[i].n)
			print_message("case %zu\n", i);
		assert_int_equal(l.len, cases[i].n);
		for (size_t j = 0; j < l.len; j++)
			assert_string_equal(l.items[j], cases[i].items[j]);
		strlist_release(&l);
	}
}

static void
test_strlist_add(void **state)
{
	struct strlist l = STRLIST_INIT;
	(void)state;

	char word[] = "copied";
	strlist_add(&l, word);
	word[0] = 'X';
	strlist_add_owned(&l, xstrdup("owned"));
	strlist_addf(&l, "%s-%d", "f", 7);
	strlist_split(&l, "s1, s2", ',');
	for (int i = 0; i < 20; i++)
		strlist_addf(&l, "n%d", i);
	assert_int_equal(l.len, 25);
	assert_string_equal(l.items[0], "copied");
	assert_string_equal(l.items[1], "owned");
	assert_string_equal(l.items[2], "f-7");
	assert_string_equal(l.items[3], "s1");
	assert_string_equal(l.items[4], "s2");
	assert_string_equal(l.items[24], "n19");
	assert_true(strlist_contains(&l, "owned"));
	assert_true(strlist_contains(&l, "n0"));
	assert_false(strlist_contains(&l, "Xopied"));
	assert_false(strlist_contains(&l, "s"));
	strlist_release(&l);
	assert_null(l.items);
	assert_int_equal(l.len, 0);
	assert_false(strlist_contains(&l, "owned"));
}

/* ---- suggest ---- */

static void
test_suggest_distance(void **state)
{
	/* clang-format off */
	static const struct {
		const char *a, *b;
		size_t d;
	} cases[] = {
		{ "", "", 0 },
		{ "abc", "", 3 },
		{ "", "abc", 3 },
		{ "flow", "flow", 0 },
		{ "name", "nmae", 1 },
		{ "abcd", "acbd", 1 },
		{ "list", "lst", 1 },
		{ "list", "lisst", 1 },
		{ "get", "got", 1 },
		{ "kitten", "sitting", 3 },
		/* optimal string alignment: no edit of a swapped pair */
		{ "ca", "abc", 3 },
		{ "create", "delete", 4 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t d = suggest_distance(cases[i].a, cases[i].b);
		if (d != cases[i].d)
			print_message("case %zu: %s / %s\n", i, cases[i].a, cases[i].b);
		assert_int_equal(d, cases[i].d);
	}
}

static void
test_suggest_nearest(void **state)
{
	static const char *const verbs[] = { "create", "delete", "get", "list", "deploy" };
	static const char *const with_null[] = { NULL, "list", NULL };
	/* clang-format off */
	static const struct {
		const char *word;
		const char *const *cands;
		size_t n;
		const char *want;
	} cases[] = {
		{ "lst", verbs, 5, "list" },
		{ "lsit", verbs, 5, "list" },
		{ "gte", verbs, 5, "get" },
		{ "crate", verbs, 5, "create" },
		{ "dleete", verbs, 5, "delete" },
		{ "crxte", verbs, 5, "create" },
		/* a prefix of at least two letters wins, first in order */
		{ "creat", verbs, 5, "create" },
		{ "li", verbs, 5, "list" },
		{ "de", verbs, 5, "delete" },
		{ "depl", verbs, 5, "deploy" },
		/* too far, or too short to be a plausible typo */
		{ "xyz", verbs, 5, NULL },
		{ "l", verbs, 5, NULL },
		{ "gt", verbs, 5, NULL },
		{ "remove", verbs, 5, NULL },
		{ "", verbs, 5, NULL },
		{ "list", verbs, 0, NULL },
		{ "lsit", with_null, 3, "list" },
		{ "zzzz", with_null, 3, NULL },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *got = suggest_nearest(cases[i].word, cases[i].cands, cases[i].n);
		if (cases[i].want == NULL) {
			if (got)
				print_message("case %zu: %s -> %s\n", i, cases[i].word, got);
			assert_null(got);
		} else {
			if (!got || strcmp(got, cases[i].want) != 0)
				print_message("case %zu: %s\n", i, cases[i].word);
			assert_non_null(got);
			assert_string_equal(got, cases[i].want);
		}
	}
}

/* ---- isotime ---- */

static void
test_isotime_parse(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		double epoch;
	} cases[] = {
		{ "2026-11-26T07:06:56Z", T0 },
		{ "2026-11-26T07:06:56z", T0 },
		{ "2026-11-26T07:06:56", T0 },
		{ "2026-11-26 07:06:56", T0 },
		{ "2026-11-26T07:06:56+00:00", T0 },
		{ "2026-11-26T07:06:56-00:00", T0 },
		{ "2026-11-26T12:36:56+05:30", T0 },
		{ "2026-11-26T12:36:56+0530", T0 },
		{ "2026-11-26T02:06:56-05:00", T0 },
		{ "2026-11-26T07:06:56.351324Z", T0 + 0.351324 },
		{ "2026-11-26T07:06:56.351324+00:00", T0 + 0.351324 },
		{ "2026-11-26T07:06:56.5", T0 + 0.5 },
		{ "2026-11-26T08:06:56.25+01:00", T0 + 0.25 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2000-01-01T00:00:00Z", 946684800 },
		{ "2024-02-29T00:00:00Z", 1709164800 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double t = -1;
		int rc = isotime_parse(cases[i].in, &t);
		if (rc != 0 || fabs(t - cases[i].epoch) > 1e-6)
			print_message("case %zu: %s -> %f\n", i, cases[i].in, t);
		assert_int_equal(rc, 0);
		assert_true(fabs(t - cases[i].epoch) <= 1e-6);
	}
}

static void
test_isotime_malformed(void **state)
{
	/* clang-format off */
	static const char *const cases[] = {
		"",
		"2026",
		"2026-11-26",
		"2026-11-26T07:06",
		"2026-11-26T07:06:5",
		"2026/11/26T07:06:56Z",
		"2026-11-26X07:06:56Z",
		"2026-11-26T07-06-56Z",
		"abcd-11-26T07:06:56Z",
		"2026-1x-26T07:06:56Z",
		"2026-11-26T07:06:56+05",
		"2026-11-26T07:06:56+5:30",
		"2026-11-26T07:06:56+05:3x",
		"2026-11-26T07:06:56+05:30x",
		"2026-11-26T07:06:56 +05:30",
		"2026-11-26T07:06:56Zjunk",
		"2026-11-26T07:06:56UTC",
		"2026-11-26T07:06:56.Z",
		"2026-11-26T07:06:56.123Zx",
		"Never",
	};
	/* clang-format on */
	(void)state;

	assert_int_equal(isotime_parse(NULL, &(double){ 0 }), -1);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double t = 0;
		int rc = isotime_parse(cases[i], &t);
		if (rc != -1)
			print_message("case %zu: %s\n", i, cases[i]);
		assert_int_equal(rc, -1);
	}
}

static void
test_isotime_now(void **state)
{
	(void)state;
	double now = isotime_now();
	/* after 2025-01-01 and before 2100-01-01 */
	assert_true(now > 1735689600.0);
	assert_true(now < 4102444800.0);
}

/* ---- error ---- */

static void
test_error_exit_code(void **state)
{
	/* clang-format off */
	static const struct {
		enum error_kind kind;
		int code;
	} cases[] = {
		{ ERROR_NONE, EXIT_OK },
		{ ERROR_USAGE, EXIT_USAGE },
		{ ERROR_CONFIG, EXIT_ERROR },
		{ ERROR_INVALID, EXIT_ERROR },
		{ ERROR_UNREACHABLE, EXIT_UNREACHABLE },
		{ ERROR_TIMEOUT, EXIT_UNREACHABLE },
		{ ERROR_NETWORK, EXIT_UNREACHABLE },
		{ ERROR_AMBIGUOUS, EXIT_ERROR },
		{ ERROR_API, EXIT_ERROR },
		{ ERROR_NOT_FOUND, EXIT_ERROR },
		{ ERROR_CONFLICT, EXIT_ERROR },
		{ ERROR_IO, EXIT_ERROR },
	};
	/* clang-format on */
	(void)state;

	assert_int_equal(EXIT_USAGE, 2);
	assert_int_equal(EXIT_UNREACHABLE, 6);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct error err = ERROR_INIT;
		err.kind = cases[i].kind;
		assert_int_equal(error_exit_code(&err), cases[i].code);
	}
}

static void
test_error_set_prefix_hint(void **state)
{
	struct error err = ERROR_INIT;
	(void)state;

	assert_int_equal(err.kind, ERROR_NONE);
	assert_string_equal(err.message, "");
	assert_int_equal(error_set(&err, ERROR_API, "%s failed (%d)", "request", 3), -1);
	assert_int_equal(err.kind, ERROR_API);
	assert_string_equal(err.message, "request failed (3)");
	assert_string_equal(err.hint, "");

	assert_int_equal(error_prefix(&err, "cannot create flow '%s'", "x"), -1);
	assert_string_equal(err.message, "cannot create flow 'x': request failed (3)");
	assert_int_equal(err.kind, ERROR_API);

	assert_int_equal(error_hint(&err, "try '%s'", "--yes"), -1);
	assert_string_equal(err.hint, "try '--yes'");

	/* a new error forgets the old status and hint */
	err.http_status = 503;
	error_set(&err, ERROR_NOT_FOUND, "gone");
	assert_int_equal(err.http_status, 0);
	assert_string_equal(err.hint, "");
	assert_string_equal(err.message, "gone");

	error_hint(&err, "h");
	err.http_status = 404;
	error_clear(&err);
	assert_int_equal(err.kind, ERROR_NONE);
	assert_int_equal(err.http_status, 0);
	assert_string_equal(err.message, "");
	assert_string_equal(err.hint, "");
	assert_int_equal(error_exit_code(&err), EXIT_OK);
}

static void
test_error_truncation(void **state)
{
	struct error err = ERROR_INIT;
	char long_text[700];
	(void)state;

	memset(long_text, 'm', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	error_set(&err, ERROR_API, "%s", long_text);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);

	error_prefix(&err, "context");
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	assert_memory_equal(err.message, "context: mmm", 12);

	/* a prefix longer than the message field is cut, never overflowed */
	error_prefix(&err, "%s", long_text);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);

	error_hint(&err, "%s", long_text);
	assert_int_equal(strlen(err.hint), sizeof(err.hint) - 1);
}

/* ---- json ---- */

static void
test_json_str_path(void **state)
{
	/* clang-format off */
	static const struct {
		const char *path;
		const char *want;
	} cases[] = {
		{ "name", "flow-a" },
		{ "state.type", "COMPLETED" },
		{ "state.name", "Completed" },
		{ "state.details.cache.key", "abc" },
		{ "state.missing", NULL },
		{ "missing.type", NULL },
		{ "count", NULL },
		{ "state", NULL },
		{ "name.type", NULL },
		{ "tags.0", NULL },
		{ "", NULL },
		{ ".name", NULL },
		{ "state.", NULL },
		{ "a_key_longer_than_the_sixty_three_bytes_the_reader_copies_at_once.x", NULL },
	};
	/* clang-format on */
	json_t *doc = json_pack("{s:s, s:{s:s, s:s, s:{s:{s:s}}}, s:i, s:[s]}", "name", "flow-a",
				"state", "type", "COMPLETED", "name", "Completed", "details",
				"cache", "key", "abc", "count", 3, "tags", "t");
	(void)state;

	assert_non_null(doc);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *got = json_str_path(doc, cases[i].path);
		if (cases[i].want == NULL) {
			if (got)
				print_message("case %zu: %s\n", i, cases[i].path);
			assert_null(got);
		} else {
			assert_non_null(got);
			assert_string_equal(got, cases[i].want);
		}
	}
	assert_null(json_str_path(NULL, "state.type"));
	assert_null(json_str_path(json_object_get(doc, "tags"), "0"));
	json_decref(doc);
}

static void
test_json_helpers(void **state)
{
	json_t *doc = json_pack("{s:s, s:i, s:f, s:n, s:b}", "s", "text", "i", 7, "f", 2.5, "n",
				"b", 1);
	struct buf b = BUF_INIT;
	(void)state;

	assert_string_equal(json_str(doc, "s"), "text");
	assert_null(json_str(doc, "i"));
	assert_null(json_str(doc, "missing"));
	assert_null(json_str(NULL, "s"));
	assert_null(json_str(json_object_get(doc, "s"), "s"));

	assert_true(json_num(doc, "i", -1) == 7.0);
	assert_true(json_num(doc, "f", -1) == 2.5);
	assert_true(json_num(doc, "s", -1) == -1.0);
	assert_true(json_num(doc, "n", -1) == -1.0);
	assert_true(json_num(doc, "missing", 9) == 9.0);
	assert_true(json_num(NULL, "i", 4) == 4.0);

	json_append(&b, json_object_get(doc, "s"), 0);
	buf_addc(&b, '|');
	json_append(&b, json_object_get(doc, "n"), 0);
	assert_string_equal(buf_str(&b), "\"text\"|null");
	buf_reset(&b);

	json_t *v = json_string_or_null(NULL);
	assert_true(json_is_null(v));
	json_decref(v);
	v = json_string_or_null("x\"y");
	json_append(&b, v, JSON_COMPACT);
	json_decref(v);
	assert_string_equal(buf_str(&b), "\"x\\\"y\"");
	buf_reset(&b);

	char *items[] = { (char *)"a", (char *)"b c" };
	v = json_string_array(items, 2);
	json_append(&b, v, JSON_COMPACT);
	json_decref(v);
	v = json_string_array(NULL, 0);
	json_append(&b, v, JSON_COMPACT);
	json_decref(v);
	assert_string_equal(buf_str(&b), "[\"a\",\"b c\"][]");

	buf_release(&b);
	json_decref(doc);
}

static void
test_idset(void **state)
{
	struct idset s = IDSET_INIT;
	char id[48];
	(void)state;
	assert_false(idset_has(&s, "a"));
	for (int i = 0; i < 10000; i++) {
		snprintf(id, sizeof(id), "run-%d", i);
		assert_true(idset_add(&s, id));
	}
	assert_int_equal(s.len, 10000);
	for (int i = 0; i < 10000; i += 7) {
		snprintf(id, sizeof(id), "run-%d", i);
		assert_false(idset_add(&s, id)); /* seen */
		assert_true(idset_has(&s, id));
	}
	assert_false(idset_has(&s, "run-10000"));
	assert_int_equal(s.len, 10000);
	assert_true(s.cap * sizeof(uint64_t) <= 256 * 1024); /* 8 bytes an ID, at most half empty */
	idset_release(&s);
	assert_false(idset_has(&s, "run-1"));
}

/* Parse text as a YAML document; the error message, or "" when it parsed. */
static char *
ydoc_result(const char *text)
{
	struct ydoc doc = YDOC_INIT;
	struct error err = ERROR_INIT;
	int rc = ydoc_parse(&doc, "f.yaml", text, strlen(text), &err);
	ydoc_release(&doc);
	return xstrdup(rc == 0 ? "" : err.message);
}

static void
expect_ydoc(const char *text, const char *want)
{
	char *got = ydoc_result(text);
	assert_string_equal(got, want);
	free(got);
}

/* Deep nesting is refused at once, flow style before libyaml scans it (quadratic there). */
static void
test_ydoc_nesting_limit(void **state)
{
	(void)state;
	struct buf deep = BUF_INIT, ok = BUF_INIT, block = BUF_INIT;
	buf_adds(&deep, "a: ");
	buf_repeat(&deep, "[", 100000);
	expect_ydoc(buf_str(&deep), "f.yaml:1:68: nested more than 64 levels deep");
	buf_repeat(&ok, "[", 63);
	buf_repeat(&ok, "]", 63);
	expect_ydoc(buf_str(&ok), "");
	for (int i = 0; i < 70; i++)
		buf_addf(&block, "%*sk:\n", 2 * i, "");
	expect_ydoc(buf_str(&block), "f.yaml:65:129: nested more than 64 levels deep");
	/* brackets in quotes and comments do not count */
	expect_ydoc("a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n"
		    "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
		    "b: it's [1, 2]\n",
		    "");
	buf_release(&deep);
	buf_release(&ok);
	buf_release(&block);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_and_empty),
		cmocka_unit_test(test_buf_appends),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_cap_other_appends),
		cmocka_unit_test(test_strlist_split),
		cmocka_unit_test(test_strlist_add),
		cmocka_unit_test(test_suggest_distance),
		cmocka_unit_test(test_suggest_nearest),
		cmocka_unit_test(test_isotime_parse),
		cmocka_unit_test(test_isotime_malformed),
		cmocka_unit_test(test_isotime_now),
		cmocka_unit_test(test_error_exit_code),
		cmocka_unit_test(test_error_set_prefix_hint),
		cmocka_unit_test(test_error_truncation),
		cmocka_unit_test(test_json_str_path),
		cmocka_unit_test(test_json_helpers),
		cmocka_unit_test(test_idset),
		cmocka_unit_test(test_ydoc_nesting_limit),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
