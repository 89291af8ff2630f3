/* Helpers shared by the unit tests (see test_helpers.h). */
#include "test_helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "ui/panel.h"
#include "ui/table.h"
#include "ui/term.h"

#define FAKE_ENV_MAX 16

static struct {
	const char *name;
	const char *value;
} fake_env[FAKE_ENV_MAX];
static size_t fake_env_len;

char *
strip_sgr(const char *s)
{
	struct buf out = BUF_INIT;

	while (*s) {
		if (*s == '\033') {
			s += strcspn(s, "m");
			s += *s != '\0';
			continue;
		}
		buf_addc(&out, *s++);
	}
	return buf_detach(&out);
}

static struct term
table_term(int width, int color)
{
	return (struct term){ .format = OUTPUT_TABLE, .color = color, .width = width };
}

char *
render_table(struct table *t, int width, int color)
{
	struct term term = table_term(width, color);
	struct buf out = BUF_INIT;

	table_render(t, &term, &out);
	return buf_detach(&out);
}

char *
render_panel(const struct panel *p, int width, int color)
{
	struct term term = table_term(width, color);
	struct buf out = BUF_INIT;

	panel_render(p, &term, &out);
	return buf_detach(&out);
}

const char *
fake_getenv(const char *name)
{
	for (size_t i = 0; i < fake_env_len; i++)
		if (!strcmp(fake_env[i].name, name))
			return fake_env[i].value;
	return NULL;
}

void
fake_env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < fake_env_len; i++) {
		if (!strcmp(fake_env[i].name, name)) {
			fake_env[i].value = value;
			return;
		}
	}
	assert_true(fake_env_len < FAKE_ENV_MAX);
	fake_env[fake_env_len].name = name;
	fake_env[fake_env_len++].value = value;
}

void
fake_env_reset(const char *const *pairs)
{
	fake_env_len = 0;
	for (size_t i = 0; pairs && pairs[i]; i += 2)
		fake_env_set(pairs[i], pairs[i + 1]);
}

char *
fixture_path(const char *fmt, ...)
{
	const char *data = getenv("MAHAVISHNU_TEST_DATA");
	struct buf path = BUF_INIT;
	va_list ap;

	buf_addf(&path, "%s/", data ? data : "tests/fixtures");
	va_start(ap, fmt);
	buf_vaddf(&path, fmt, ap);
	va_end(ap);
	return buf_detach(&path);
}

int
scratch_make(char *dir, size_t size, const char *prefix)
{
	if ((size_t)snprintf(dir, size, "/tmp/mahavishnu-%s-XXXXXX", prefix) >= size)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int
scratch_remove(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void
scratch_write(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	free(path);
}
