/* Helpers shared by the unit tests (see test_helpers.h). */
#include "test_helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
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
