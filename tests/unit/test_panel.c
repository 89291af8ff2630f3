/*
 * Unit tests for ui/panel.c: exact rendering of small panels (label column,
 * "-" for missing values, sanitising, wrapping to the terminal width, whole
 * fields kept on one line, untitled panels), and that colour adds escape
 * sequences and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "test_helpers.h"
#include "ui/panel.h"
#include "ui/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ITEMS 6

enum item_kind {
	END = 0,
	FIELD,
	TEXT,
	BLANK,
};

struct item_spec {
	enum item_kind kind;
	const char *label; /* FIELD only */
	const char *text;  /* the value of a FIELD or the TEXT */
	enum style style;
};

struct panel_case {
	const char *name;
	const char *title;
	enum style title_style;
	struct item_spec items[MAX_ITEMS];
	int width;
	const char *expected;
};

/* clang-format off */
static const struct panel_case cases[] = {
	{
		.name = "fields share an 18-column label column",
		.title = "✓ Flow Created",
		.title_style = STYLE_SUCCESS,
		.items = { { FIELD, "Name", "my-flow", STYLE_NAME },
			   { FIELD, "ID", "0c6f2a1e", STYLE_META },
			   { FIELD, "Deployed", "No", STYLE_NONE } },
		.width = 80,
		.expected =
			"┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
			"┃ ✓ Flow Created             ┃\n"
			"┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
			"│ Name:             my-flow  │\n"
			"│ ID:               0c6f2a1e │\n"
			"│ Deployed:         No       │\n"
			"└────────────────────────────┘\n",
	},
	{
		.name = "long label widens the column; missing values; text lines",
		.title = "Flow Run Details",
		.title_style = STYLE_INFO,
		.items = { { FIELD, "Deployment Name Long", "d", STYLE_NONE },
			   { FIELD, "Message", NULL, STYLE_SUCCESS },
			   { FIELD, "Tags", "", STYLE_SUCCESS },
			   { BLANK, NULL, NULL, STYLE_NONE },
			   { TEXT, NULL, "Parameters:\n  env=prod\x1b[0m\r", STYLE_BOLD } },
		.width = 80,
		.expected =
			"┏━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
			"┃ Flow Run Details         ┃\n"
			"┡━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
			"│ Deployment Name Long:  d │\n"
			"│ Message:               - │\n"
			"│ Tags:                  - │\n"
			"│                          │\n"
			"│ Parameters:              │\n"
			"│   env=prod?[0m?          │\n"
			"└──────────────────────────┘\n",
	},
	{
		.name = "values wrap at width 30, under the label when a word cannot fit beside it",
		.title = "✓ Flow Execution Started",
		.title_style = STYLE_SUCCESS,
		.items = { { FIELD, "Run ID", "0c6f2a1e-1234-4abc-9def-0123456789ab", STYLE_META },
			   { FIELD, "Flow", "数据管道数据管道", STYLE_NAME },
			   { TEXT, NULL, "Tip: a hint that is far too long for this box", STYLE_DIM } },
		.width = 30,
		.expected =
			"┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
			"┃ ✓ Flow Execution Started   ┃\n"
			"┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
			"│ Run ID:                    │\n"
			"│ 0c6f2a1e-1234-4abc-9def-01 │\n"
			"│ 23456789ab                 │\n"
			"│ Flow:                      │\n"
			"│   数据管道数据管道         │\n"
			"│ Tip: a hint that is far    │\n"
			"│ too long for this box      │\n"
			"└────────────────────────────┘\n",
	},
	{
		.name = "control characters in title, label and value",
		.title = "Bad\x1b]0;pwned\a title",
		.title_style = STYLE_FAILURE,
		.items = { { FIELD, "Na\rme", "x\xC2\x9B" "31m\xE2\x80\xAEy\tz", STYLE_NONE } },
		.width = 80,
		.expected =
			"┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
			"┃ Bad?]0;pwned? title         ┃\n"
			"┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
			"│ Na?me:            x?31m?y z │\n"
			"└─────────────────────────────┘\n",
	},
	{
		.name = "untitled panel at the narrowest width",
		.title = NULL,
		.title_style = STYLE_NONE,
		.items = { { FIELD, "A rather long label", "value", STYLE_NONE },
			   { TEXT, NULL, "plain", STYLE_NONE } },
		.width = 20,
		.expected =
			"┌──────────────────┐\n"
			"│ A rather long    │\n"
			"│ label:           │\n"
			"│   value          │\n"
			"│ plain            │\n"
			"└──────────────────┘\n",
	},
};
/* clang-format on */

static struct panel *
build(const struct panel_case *c)
{
	struct panel *p = panel_new(c->title, c->title_style);

	for (const struct item_spec *it = c->items; it->kind != END; it++) {
		if (it->kind == FIELD)
			panel_field(p, it->label, it->text, it->style);
		else if (it->kind == TEXT)
			panel_text(p, it->text, it->style);
		else
			panel_blank(p);
	}
	return p;
}

/* The number of columns every line of s takes, or 0 when they differ. */
static size_t
even_width(const char *s)
{
	char *copy = strip_sgr(s);
	char *save = NULL;
	size_t width = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t w = text_width(line);
		if (width && w != width) {
			width = 0;
			break;
		}
		width = w;
	}
	free(copy);
	return width;
}

static void
test_render_cases(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct panel *p = build(&cases[i]);
		char *got = render_panel(p, cases[i].width, 0);
		if (strcmp(got, cases[i].expected) != 0)
			print_message("case: %s\n%s", cases[i].name, got);
		assert_string_equal(got, cases[i].expected);
		assert_int_not_equal(even_width(got), 0);
		free(got);
		panel_free(p);
	}
}

static void
test_color_only_adds_escapes(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct panel *p = build(&cases[i]);
		char *plain = render_panel(p, cases[i].width, 0);
		char *colored = render_panel(p, cases[i].width, 1);
		char *stripped = strip_sgr(colored);
		assert_string_equal(stripped, plain);
		free(stripped);
		free(colored);
		free(plain);
		panel_free(p);
	}
}

static void
test_color_sequences(void **state)
{
	struct panel *p = panel_new("✓ Done", STYLE_SUCCESS);
	(void)state;

	panel_field(p, "Name", "my-flow", STYLE_NAME);
	panel_field(p, "Message", NULL, STYLE_FAILURE);
	panel_text(p, "hint", STYLE_DIM);
	char *got = render_panel(p, 80, 1);
	assert_string_equal(got, "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
				 "┃ \033[1;32m✓ Done\033[0m                    ┃\n"
				 "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
				 "│ Name:             \033[36mmy-flow\033[0m │\n"
				 "│ Message:          -       │\n"
				 "│ \033[2mhint\033[0m                      │\n"
				 "└───────────────────────────┘\n");
	free(got);
	panel_free(p);

	p = panel_new("Plain", STYLE_NONE);
	got = render_panel(p, 80, 1);
	assert_non_null(strstr(got, "┃ \033[1mPlain\033[0m ┃\n"));
	free(got);
	panel_free(p);
}

/* Whatever the width, the box stays straight and never exceeds it. */
static void
test_width_sweep(void **state)
{
	(void)state;

	for (int width = 20; width <= 60; width++) {
		struct panel *p = build(&cases[2]);
		char *got = render_panel(p, width, width % 2);
		size_t w = even_width(got);
		assert_int_not_equal(w, 0);
		assert_true(w <= (size_t)width);
		free(got);
		panel_free(p);
	}
	panel_free(NULL);
}

/* A whole field goes under its label rather than break an expression; NULL continues it. */
static void
test_whole_fields(void **state)
{
	(void)state;
	struct panel *p = panel_new("Backfill", STYLE_NONE);
	panel_field(p, "Date Range", "2026-01-01 to 2026-01-20", STYLE_NONE);
	panel_field_whole(p, "Schedules", "30 14 1,15 * * (Europe/Berlin),", STYLE_NONE);
	panel_field_whole(p, NULL, "0 2 * * 1-5 (America/New_York)", STYLE_NONE);
	panel_field_whole(p, "Cron", "0 2 * * *", STYLE_NONE);
	char *got = render_panel(p, 40, 0);
	assert_string_equal(got, "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
				 "┃ Backfill                             ┃\n"
				 "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
				 "│ Date Range:       2026-01-01 to      │\n"
				 "│                   2026-01-20         │\n"
				 "│ Schedules:                           │\n"
				 "│   30 14 1,15 * * (Europe/Berlin),    │\n"
				 "│   0 2 * * 1-5 (America/New_York)     │\n"
				 "│ Cron:             0 2 * * *          │\n"
				 "└──────────────────────────────────────┘\n");
	free(got);
	panel_free(p);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_cases),
		cmocka_unit_test(test_color_only_adds_escapes),
		cmocka_unit_test(test_color_sequences),
		cmocka_unit_test(test_width_sweep),
		cmocka_unit_test(test_whole_fields),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
