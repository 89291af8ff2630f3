/*
 * Helpers shared by the unit tests, built once (tests/unit/test_helpers.c)
 * and linked into every test executable: rendered text without its colour,
 * tables and panels rendered to a string, a fake environment for code that
 * takes a getenv function, paths to the test fixtures, and scratch
 * directories with files in them.
 */
#ifndef TESTS_UNIT_TEST_HELPERS_H
#define TESTS_UNIT_TEST_HELPERS_H

#include <stddef.h>

struct panel;
struct table;

/* A copy of s without its SGR escape sequences; the caller frees it. */
char *strip_sgr(const char *s);

/*
 * What a table or panel renders to on a table-format terminal width columns
 * wide, coloured when color is set; the caller frees it.
 */
char *render_table(struct table *t, int width, int color);
char *render_panel(const struct panel *p, int width, int color);

/*
 * A fake environment for getenv_fn parameters: fake_getenv() answers only
 * from what fake_env_set() put there. A NULL value is an unset variable.
 * The strings are not copied, so they must outlive their use.
 */
const char *fake_getenv(const char *name);
void fake_env_set(const char *name, const char *value);
/* Empty the fake environment, then set NAME, value pairs up to a NULL name
 * (pairs may be NULL). */
void fake_env_reset(const char *const *pairs);

/*
 * The path of a file under the fixtures directory (MAHAVISHNU_TEST_DATA,
 * or tests/fixtures when it is unset), from a printf format relative to it;
 * the caller frees it.
 */
char *fixture_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A fresh directory /tmp/mahavishnu-PREFIX-XXXXXX written into dir (at least
 * 64 bytes); -1 when it cannot be made. scratch_remove() deletes it and all
 * it holds, entries already gone not counted as failures.
 */
int scratch_make(char *dir, size_t size, const char *prefix);
int scratch_remove(const char *dir);

/* Write text to dir/rel (a cmocka failure when it cannot). */
void scratch_write(const char *dir, const char *rel, const char *text);

#endif
