/*
 * Unit tests for ui/term.c: colour and width decisions from NO_COLOR,
 * FORCE_COLOR, TERM, COLUMNS and MAHAVISHNU_WIDTH through a fake getenv, on plain files and
 * on a pseudo-terminal.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "test_helpers.h"
#include "ui/term.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct env_case {
	const char *name;
	int no_color_arg;
	const char *no_color;
	const char *force_color;
	const char *term;
	const char *columns;
	int color;
	int width;
};

/* Without a terminal, only FORCE_COLOR turns colour on. */
/* clang-format off */
static const struct env_case file_cases[] = {
	{ "nothing set", 0, NULL, NULL, NULL, NULL, 0, 80 },
	{ "FORCE_COLOR=1", 0, NULL, "1", NULL, NULL, 1, 80 },
	{ "FORCE_COLOR=true", 0, NULL, "true", NULL, NULL, 1, 80 },
	{ "FORCE_COLOR=0", 0, NULL, "0", NULL, NULL, 0, 80 },
	{ "FORCE_COLOR empty", 0, NULL, "", NULL, NULL, 0, 80 },
	{ "NO_COLOR beats FORCE_COLOR", 0, "1", "1", NULL, NULL, 0, 80 },
	{ "empty NO_COLOR is ignored", 0, "", "1", NULL, NULL, 1, 80 },
	{ "--no-color beats FORCE_COLOR", 1, NULL, "1", NULL, NULL, 0, 80 },
	{ "FORCE_COLOR beats TERM=dumb", 0, NULL, "1", "dumb", NULL, 1, 80 },
	{ "TERM alone is not enough", 0, NULL, NULL, "xterm-256color", NULL, 0, 80 },
	{ "COLUMNS=120", 0, NULL, NULL, NULL, "120", 0, 120 },
	{ "COLUMNS below the minimum", 0, NULL, NULL, NULL, "10", 0, 20 },
	{ "COLUMNS=20", 0, NULL, NULL, NULL, "20", 0, 20 },
	{ "COLUMNS=0", 0, NULL, NULL, NULL, "0", 0, 80 },
	{ "COLUMNS negative", 0, NULL, NULL, NULL, "-5", 0, 80 },
	{ "COLUMNS not a number", 0, NULL, NULL, NULL, "wide", 0, 80 },
	{ "COLUMNS trailing junk", 0, NULL, NULL, NULL, "100x", 0, 80 },
	{ "COLUMNS empty", 0, NULL, NULL, NULL, "", 0, 80 },
	{ "COLUMNS overflows", 0, NULL, NULL, NULL, "99999999999999999999", 0, 80 },
};
/* clang-format on */

static void
set_env(const struct env_case *c)
{
	/* clang-format off */
	const char *const env[] = {
		"NO_COLOR", c->no_color, "FORCE_COLOR", c->force_color,
		"TERM", c->term, "COLUMNS", c->columns, NULL,
	};
	/* clang-format on */
	fake_env_reset(env);
}

static void
test_files(void **state)
{
	FILE *f = tmpfile();
	(void)state;

	assert_non_null(f);
	for (size_t i = 0; i < ARRAY_LEN(file_cases); i++) {
		const struct env_case *c = &file_cases[i];
		struct term t;
		memset(&t, 0xff, sizeof(t));
		set_env(c);
		term_detect(&t, c->no_color_arg, f, f, f, fake_getenv);
		if (t.color != c->color || t.width != c->width)
			print_message("%s\n", c->name);
		assert_int_equal(t.format, OUTPUT_TABLE);
		assert_int_equal(t.out_tty, 0);
		assert_int_equal(t.err_tty, 0);
		assert_int_equal(t.in_tty, 0);
		assert_int_equal(t.color, c->color);
		assert_int_equal(t.color_err, c->color);
		assert_int_equal(t.width, c->width);
	}
	fclose(f);
}

/* The real environment must not leak in: only getenv_fn is consulted. */
static void
test_uses_only_getenv_fn(void **state)
{
	FILE *f = tmpfile();
	struct term t;
	(void)state;

	assert_non_null(f);
	setenv("COLUMNS", "33", 1);
	setenv("FORCE_COLOR", "1", 1);
	fake_env_reset(NULL);
	term_detect(&t, 0, f, f, f, fake_getenv);
	unsetenv("COLUMNS");
	unsetenv("FORCE_COLOR");
	fclose(f);
	assert_int_equal(t.width, 80);
	assert_int_equal(t.color, 0);
}

/* A pseudo-terminal with a window size, or NULL where none can be opened. */
static FILE *
open_pty(int *master, unsigned short cols)
{
	struct winsize ws = { .ws_row = 24, .ws_col = cols };
	char *name;
	int slave;

	*master = posix_openpt(O_RDWR | O_NOCTTY);
	if (*master < 0)
		return NULL;
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 || !(name = ptsname(*master)) ||
	    (slave = open(name, O_RDWR | O_NOCTTY)) < 0) {
		close(*master);
		return NULL;
	}
	ioctl(slave, TIOCSWINSZ, &ws);
	return fdopen(slave, "r+");
}

/* On a terminal stdout, colour unless TERM=dumb or NO_COLOR; width from the tty. */
/* clang-format off */
static const struct env_case tty_cases[] = {
	{ "tty, nothing set", 0, NULL, NULL, NULL, NULL, 1, 132 },
	{ "tty, TERM=xterm", 0, NULL, NULL, "xterm", NULL, 1, 132 },
	{ "tty, TERM=dumb", 0, NULL, NULL, "dumb", NULL, 0, 132 },
	{ "tty, NO_COLOR", 0, "1", NULL, NULL, NULL, 0, 132 },
	{ "tty, --no-color", 1, NULL, NULL, NULL, NULL, 0, 132 },
	{ "tty size wins over COLUMNS", 0, NULL, NULL, NULL, "50", 1, 132 },
};
/* clang-format on */

static void
test_tty(void **state)
{
	int master;
	FILE *tty = open_pty(&master, 132);
	FILE *file = tmpfile();
	(void)state;

	if (!tty) {
		fclose(file);
		skip();
	}
	for (size_t i = 0; i < ARRAY_LEN(tty_cases); i++) {
		const struct env_case *c = &tty_cases[i];
		struct term t;
		set_env(c);
		term_detect(&t, c->no_color_arg, tty, file, tty, fake_getenv);
		if (t.color != c->color || t.width != c->width)
			print_message("%s\n", c->name);
		assert_int_equal(t.out_tty, 1);
		assert_int_equal(t.err_tty, 0);
		assert_int_equal(t.in_tty, 1);
		assert_int_equal(t.color, c->color);
		assert_int_equal(t.color_err, 0);
		assert_int_equal(t.width, c->width);
	}
	fclose(tty);
	fclose(file);
	close(master);
}

/* A terminal that reports no size falls back to COLUMNS, then 80. */
static void
test_tty_without_size(void **state)
{
	int master;
	FILE *tty = open_pty(&master, 0);
	struct term t;
	(void)state;

	if (!tty)
		skip();
	fake_env_reset(NULL);
	fake_env_set("COLUMNS", "64");
	term_detect(&t, 0, tty, tty, tty, fake_getenv);
	assert_int_equal(t.width, 64);
	assert_int_equal(t.color_err, 1);
	fake_env_set("COLUMNS", NULL);
	term_detect(&t, 0, tty, tty, tty, fake_getenv);
	assert_int_equal(t.width, 80);
	fclose(tty);
	close(master);
}

/* MAHAVISHNU_WIDTH wins over the terminal's size and COLUMNS; a bad value is ignored. */
static void
test_mahavishnu_width(void **state)
{
	/* clang-format off */
	static const struct {
		const char *width, *columns;
		int tty, want;
	} cases[] = {
		{ "150", "100", 0, 150 }, { "150", NULL, 1, 150 }, { "40", "100", 1, 40 },
		{ "5", NULL, 0, 20 },     { "wide", "100", 0, 100 }, { "", NULL, 1, 132 },
		{ "0", NULL, 1, 132 },    { "-3", "70", 0, 70 },
	};
	/* clang-format on */
	int master;
	FILE *tty = open_pty(&master, 132);
	FILE *file = tmpfile();
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct term t;
		if (cases[i].tty && !tty)
			continue;
		fake_env_reset(NULL);
		fake_env_set("MAHAVISHNU_WIDTH", cases[i].width);
		fake_env_set("COLUMNS", cases[i].columns);
		term_detect(&t, 0, cases[i].tty ? tty : file, file, file, fake_getenv);
		if (t.width != cases[i].want)
			print_message("case %zu\n", i);
		assert_int_equal(t.width, cases[i].want);
		assert_int_equal(t.wide, 0);
	}
	if (tty) {
		fclose(tty);
		close(master);
	}
	fclose(file);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_uses_only_getenv_fn),
		cmocka_unit_test(test_tty),
		cmocka_unit_test(test_tty_without_size),
		cmocka_unit_test(test_mahavishnu_width),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
