/*
 * Unit tests for ui/text.c: column widths of code points and strings,
 * sanitising of control characters and invalid UTF-8, truncation with "…",
 * wrapping onto lines that keep words whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ui/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define FFFD "\xEF\xBF\xBD"

static void
test_codepoint_width(void **state)
{
	/* clang-format off */
	static const struct {
		unsigned int cp;
		int width;
	} cases[] = {
		{ 'A', 1 }, { ' ', 1 }, { 0x00, 0 }, { 0x1B, 0 }, { 0x7F, 0 },
		{ 0x85, 0 }, { 0x9F, 0 }, { 0xA0, 1 }, { 0xE9, 1 },
		/* combining marks and invisible format characters */
		{ 0x0300, 0 }, { 0x036F, 0 }, { 0x0370, 1 }, { 0x1AB0, 0 },
		{ 0x1DFF, 0 }, { 0x200B, 0 }, { 0x200D, 0 }, { 0x2028, 0 },
		{ 0x202E, 0 }, { 0x2060, 0 }, { 0x20D0, 0 }, { 0xFE0F, 0 },
		{ 0xFE20, 0 }, { 0xE0100, 0 }, { 0xE01EF, 0 }, { 0xE01F0, 1 },
		/* East Asian wide and fullwidth */
		{ 0x1100, 2 }, { 0x115F, 2 }, { 0x1160, 1 }, { 0x2E80, 2 },
		{ 0x3000, 2 }, { 0x303F, 1 }, { 0x3042, 2 }, { 0x4E2D, 2 },
		{ 0x9FFF, 2 }, { 0xAC00, 2 }, { 0xD7A3, 2 }, { 0xD7A4, 1 },
		{ 0xF900, 2 }, { 0xFE30, 2 }, { 0xFF01, 2 }, { 0xFF60, 2 },
		{ 0xFF61, 1 }, { 0xFFE6, 2 }, { 0x20000, 2 }, { 0x2FFFD, 2 },
		{ 0x30000, 2 }, { 0x3FFFD, 2 }, { 0x3FFFE, 1 },
		/* emoji presentation */
		{ 0x231A, 2 }, { 0x23F0, 2 }, { 0x2614, 2 }, { 0x26A1, 2 },
		{ 0x2705, 2 }, { 0x274C, 2 }, { 0x2B50, 2 }, { 0x1F004, 2 },
		{ 0x1F300, 2 }, { 0x1F321, 1 }, { 0x1F600, 2 }, { 0x1F64F, 2 },
		{ 0x1F680, 2 }, { 0x1F6C5, 2 }, { 0x1F6C6, 1 }, { 0x1F90C, 2 },
		{ 0x1F9FF, 2 }, { 0x1FA70, 2 }, { 0x1FAFF, 2 }, { 0x1FB00, 1 },
		/* symbols the program draws are one column */
		{ 0x2713, 1 }, { 0x2717, 1 }, { 0x21BB, 1 }, { 0x2298, 1 },
		{ 0x23F8, 1 }, { 0x25F7, 1 }, { 0x2026, 1 }, { 0x2500, 1 },
		{ 0x2501, 1 }, { 0x2503, 1 }, { 0x2547, 1 }, { 0x2600, 1 },
		{ 0xFFFD, 1 }, { 0x10FFFF, 1 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int got = text_codepoint_width(cases[i].cp);
		if (got != cases[i].width)
			print_message("U+%04X\n", cases[i].cp);
		assert_int_equal(got, cases[i].width);
	}
}

static void
test_width(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		size_t width;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "中文", 4 },
		{ "e\xCC\x81", 1 },
		{ "🚀x", 3 },
		{ "✓ done", 6 },
		{ "┏━┓", 3 },
		{ "a\x1b", 1 },
		{ "\xFF", 1 },
		{ "\xE4\xB8", 2 },
		{ "\xC0\x80", 2 },
		{ "한국어", 6 },
		{ "ｆｕｌｌ", 8 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t got = text_width(cases[i].s);
		if (got != cases[i].width)
			print_message("case %zu\n", i);
		assert_int_equal(got, cases[i].width);
	}
}

static void
test_sanitize(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		int single_line;
		const char *out;
	} cases[] = {
		{ "plain", 1, "plain" },
		{ "", 1, "" },
		{ "a\tb", 1, "a b" },
		{ "a\tb", 0, "a b" },
		{ "a\nb", 1, "a b" },
		{ "a\nb", 0, "a\nb" },
		{ "a\rb", 0, "a?b" },
		{ "\x1b[31mred", 1, "?[31mred" },
		{ "bell\a", 1, "bell?" },
		{ "x\x7fy", 1, "x?y" },
		{ "\x01\x1f", 1, "??" },
		/* C1 controls: CSI and NEL */
		{ "\xC2\x9B" "2J", 1, "?2J" },
		{ "\xC2\x85", 1, "?" },
		{ "\xC2\xA0", 1, "\xC2\xA0" },
		/* bidi overrides and isolates */
		{ "a\xE2\x80\xAE" "b", 1, "a?b" },
		{ "\xE2\x80\xAA\xE2\x80\xAD", 1, "??" },
		{ "\xE2\x81\xA6x\xE2\x81\xA9", 1, "?x?" },
		/* the invisible marks: LRM, RLM, ALM */
		{ "a\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C" "b", 1, "a???b" },
		/* zero-width space is harmless and kept */
		{ "a\xE2\x80\x8B" "b", 1, "a\xE2\x80\x8B" "b" },
		{ "中文🚀é", 1, "中文🚀é" },
		/* invalid UTF-8 */
		{ "\xFF", 1, FFFD },
		{ "\x80", 1, FFFD },
		{ "\xC0\x80", 1, FFFD FFFD },
		{ "\xC1\xBF", 1, FFFD FFFD },
		{ "\xE0\x80\xAF", 1, FFFD FFFD FFFD },
		{ "\xF0\x80\x80\xAF", 1, FFFD FFFD FFFD FFFD },
		{ "\xED\xA0\x80", 1, FFFD FFFD FFFD },
		{ "\xF4\x90\x80\x80", 1, FFFD FFFD FFFD FFFD },
		{ "\xF5\x80", 1, FFFD FFFD },
		{ "\xE4\xB8", 1, FFFD FFFD },
		{ "\xE4\xB8x", 1, FFFD FFFD "x" },
		{ "\xF0\x9F\x9A", 1, FFFD FFFD FFFD },
		{ "ok\xE4", 1, "ok" FFFD },
		{ "\xF4\x8F\xBF\xBF", 1, "\xF4\x8F\xBF\xBF" },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b;
		buf_init(&b, 0);
		text_sanitize(&b, cases[i].in, cases[i].single_line);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			print_message("case %zu\n", i);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_bidi_control(void **state)
{
	unsigned int cp = 0;
	(void)state;

	assert_int_equal(text_bidi_control("\xE2\x80\xAE", &cp), 3);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(text_bidi_control("\xE2\x81\xA9x", &cp), 3);
	assert_int_equal(cp, 0x2069);
	assert_int_equal(text_bidi_control("\xD8\x9C", &cp), 2);
	assert_int_equal(cp, 0x061C);
	assert_int_equal(text_bidi_control("\xE2\x80\x8E", NULL), 3);
	/* neighbours that are not controls */
	assert_int_equal(text_bidi_control("\xE2\x80\x8B", &cp), 0); /* zero-width space */
	assert_int_equal(text_bidi_control("\xE2\x80\xAF", &cp), 0); /* narrow no-break space */
	assert_int_equal(text_bidi_control("\xE2\x81\xA5", &cp), 0);
	assert_int_equal(text_bidi_control("a", &cp), 0);
	assert_int_equal(text_bidi_control("", &cp), 0);
}

static void
test_sanitize_dup(void **state)
{
	(void)state;
	char *s = text_sanitize_dup(NULL, 1);
	assert_string_equal(s, "");
	free(s);
	s = text_sanitize_dup("a\nb\x1b", 0);
	assert_string_equal(s, "a\nb?");
	free(s);
}

static void
test_truncate(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		size_t max;
		const char *out;
		size_t cols;
	} cases[] = {
		{ "hello", 5, "hello", 5 },
		{ "hello", 10, "hello", 5 },
		{ "hello world", 8, "hello w…", 8 },
		{ "hello", 0, "", 0 },
		{ "hello", 1, "…", 1 },
		{ "hello", 2, "h…", 2 },
		{ "", 3, "", 0 },
		{ "中文字", 6, "中文字", 6 },
		{ "中文字", 5, "中文…", 5 },
		{ "中文字", 4, "中 …", 4 },
		{ "中文字", 2, " …", 2 },
		{ "🚀🚀", 3, "🚀…", 3 },
		{ "🚀🚀", 2, " …", 2 },
		{ "e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2, "e\xCC\x81…", 2 },
		{ "ab\xFF", 3, "ab" FFFD, 3 },
		{ "ab\xFF" "cd", 4, "ab" FFFD "…", 4 },
	};
	/* clang-format on */
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b;
		buf_init(&b, 0);
		size_t cols = text_truncate(&b, cases[i].in, cases[i].max);
		if (strcmp(buf_str(&b), cases[i].out) != 0 || cols != cases[i].cols)
			print_message("case %zu\n", i);
		assert_string_equal(buf_str(&b), cases[i].out);
		assert_int_equal(cols, cases[i].cols);
		assert_int_equal(text_width(buf_str(&b)), cols);
		buf_release(&b);
	}
}

static void
test_wrap(void **state)
{
	/* clang-format off */
	static const struct {
		const char *in;
		size_t cols;
		const char *out; /* the lines, each ended by '|' */
	} cases[] = {
		{ "RuntimeError: forced failure", 30, "RuntimeError: forced failure|" },
		{ "RuntimeError: forced failure", 14, "RuntimeError:|forced failure|" },
		{ "RuntimeError: forced failure", 10, "RuntimeErr|or: forced|failure|" },
		{ "a  b", 10, "a  b|" },                   /* spaces inside a line kept */
		{ "aaa   bbb", 3, "aaa|bbb|" },            /* dropped at a break */
		{ "  indented text", 10, "  indented|text|" }, /* the indent kept on the first line */
		{ "", 5, "|" },
		{ "http://127.0.0.1:4200/runs", 10, "http://127|.0.0.1:420|0/runs|" },
		{ "中文字 ab", 4, "中文|字|ab|" },
		{ "中文", 1, "中|文|" },                     /* a wide character alone on a line */
		{ "x", 0, "x|" },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strlist lines = STRLIST_INIT;
		struct buf got = BUF_INIT;
		size_t n = text_wrap(cases[i].in, cases[i].cols, &lines);
		for (size_t l = 0; l < lines.len; l++)
			buf_addf(&got, "%s|", lines.items[l]);
		if (strcmp(buf_str(&got), cases[i].out) != 0)
			print_message("case %zu: %s\n", i, buf_str(&got));
		assert_string_equal(buf_str(&got), cases[i].out);
		assert_int_equal(n, lines.len);
		buf_release(&got);
		strlist_release(&lines);
	}
	assert_int_equal(text_longest_word("0 2 * * 1-5"), 3);
	assert_int_equal(text_longest_word("  中文 a "), 4);
	assert_int_equal(text_longest_word(""), 0);
}

static void
test_pad(void **state)
{
	struct buf b;
	(void)state;

	buf_init(&b, 0);
	text_pad(&b, 0);
	assert_string_equal(buf_str(&b), "");
	text_pad(&b, 3);
	assert_string_equal(buf_str(&b), "   ");
	buf_release(&b);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codepoint_width),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_bidi_control),
		cmocka_unit_test(test_sanitize_dup),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_pad),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
