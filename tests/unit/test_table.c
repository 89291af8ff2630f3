/*
 * Unit tests for ui/table.c: exact rendering of small tables (wide
 * characters, truncation, sanitising, alignment, missing cells), and that
 * colour adds escape sequences and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "test_helpers.h"
#include "ui/table.h"
#include "ui/text.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_COLS 3
#define MAX_ROWS 3

struct column_spec {
	const char *header;
	enum table_align align;
	unsigned flags;
};

/* A table to build and its exact rendering; a NULL cell ends its row early. */
struct table_case {
	const char *name;
	const char *title;
	size_t ncols;
	struct column_spec cols[MAX_COLS];
	size_t nrows;
	const char *cells[MAX_ROWS][MAX_COLS];
	int width;
	const char *expected;
};

/* clang-format off */
static const struct table_case cases[] = {
	{
		.name = "wide characters line up",
		.title = "Flows",
		.ncols = 2,
		.cols = { { "Name", ALIGN_LEFT, 0 }, { "Status", ALIGN_LEFT, 0 } },
		.nrows = 2,
		.cells = { { "中文", "🚀 go" }, { "abc", "✓" } },
		.width = 80,
		.expected =
			"      Flows\n"
			"┏━━━━━━┳━━━━━━━━┓\n"
			"┃ Name ┃ Status ┃\n"
			"┡━━━━━━╇━━━━━━━━┩\n"
			"│ 中文 │ 🚀 go  │\n"
			"│ abc  │ ✓      │\n"
			"└──────┴────────┘\n",
	},
	{
		.name = "shrinkable columns truncate to width 30",
		.title = "Runs",
		.ncols = 3,
		.cols = { { "ID", ALIGN_LEFT, COLUMN_SHRINK },
			  { "Name", ALIGN_LEFT, COLUMN_SHRINK },
			  { "State", ALIGN_LEFT, 0 } },
		.nrows = 2,
		.cells = { { "0c6f2a1e-1234-4abc-9def", "a-very-long-flow-name", "Completed" },
			   { "短", "数据管道数据管道", "Failed" } },
		.width = 30,
		.expected =
			"             Runs\n"
			"┏━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┓\n"
			"┃ ID    ┃ Name   ┃ State     ┃\n"
			"┡━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━┩\n"
			"│ 0c6f… │ a-ver… │ Completed │\n"
			"│ 短    │ 数据 … │ Failed    │\n"
			"└───────┴────────┴───────────┘\n",
	},
	{
		.name = "control characters become ?",
		.title = "T\a",
		.ncols = 1,
		.cols = { { "Msg\x1b", ALIGN_LEFT, 0 } },
		.nrows = 1,
		.cells = { { "a\x1b[2Jb\r\nc\td" } },
		.width = 80,
		.expected =
			"      T?\n"
			"┏━━━━━━━━━━━━━┓\n"
			"┃ Msg?        ┃\n"
			"┡━━━━━━━━━━━━━┩\n"
			"│ a?[2Jb? c d │\n"
			"└─────────────┘\n",
	},
	{
		.name = "alignment and missing cells",
		.title = NULL,
		.ncols = 3,
		.cols = { { "Left", ALIGN_LEFT, 0 }, { "Right", ALIGN_RIGHT, 0 },
			  { "Center", ALIGN_CENTER, 0 } },
		.nrows = 3,
		.cells = { { "a", "1", "x" }, { "bb", "22", "yy" }, { "only", NULL } },
		.width = 80,
		.expected =
			"┏━━━━━━┳━━━━━━━┳━━━━━━━━┓\n"
			"┃ Left ┃ Right ┃ Center ┃\n"
			"┡━━━━━━╇━━━━━━━╇━━━━━━━━┩\n"
			"│ a    │     1 │   x    │\n"
			"│ bb   │    22 │   yy   │\n"
			"│ only │       │        │\n"
			"└──────┴───────┴────────┘\n",
	},
	{
		.name = "no rows still draws the box",
		.title = "Empty (0)",
		.ncols = 2,
		.cols = { { "Name", ALIGN_LEFT, 0 }, { "ID", ALIGN_LEFT, 0 } },
		.nrows = 0,
		.width = 80,
		.expected =
			"  Empty (0)\n"
			"┏━━━━━━┳━━━━┓\n"
			"┃ Name ┃ ID ┃\n"
			"┡━━━━━━╇━━━━┩\n"
			"└──────┴────┘\n",
	},
	{
		.name = "shrinkable headers truncate; then other columns wrap",
		.title = NULL,
		.ncols = 2,
		.cols = { { "Description", ALIGN_LEFT, COLUMN_SHRINK },
			  { "Fixed column here", ALIGN_LEFT, 0 } },
		.nrows = 1,
		.cells = { { "ab", "x" } },
		.width = 20,
		.expected =
			"┏━━━━━┳━━━━━━━━━━━━┓\n"
			"┃ De… ┃ Fixed      ┃\n"
			"┃     ┃ column     ┃\n"
			"┃     ┃ here       ┃\n"
			"┡━━━━━╇━━━━━━━━━━━━┩\n"
			"│ ab  │ x          │\n"
			"└─────┴────────────┘\n",
	},
	{
		.name = "invalid UTF-8 and title wider than the box",
		.title = "A rather long title",
		.ncols = 1,
		.cols = { { "K", ALIGN_RIGHT, 0 } },
		.nrows = 1,
		.cells = { { "\xFF" "b" } },
		.width = 80,
		.expected =
			"A rather long title\n"
			"┏━━━━┓\n"
			"┃  K ┃\n"
			"┡━━━━┩\n"
			"│ \xEF\xBF\xBD" "b │\n"
			"└────┘\n",
	},
};
/* clang-format on */

static struct table *
build(const struct table_case *c, enum style style)
{
	struct table *t = table_new(c->title);

	for (size_t i = 0; i < c->ncols; i++)
		table_add_column(t, c->cols[i].header, c->cols[i].align, c->cols[i].flags);
	for (size_t r = 0; r < c->nrows; r++) {
		table_add_row(t);
		for (size_t i = 0; i < c->ncols && c->cells[r][i]; i++)
			table_cell(t, c->cells[r][i], style);
	}
	return t;
}

/* Every line after skip lines has exactly width columns. */
static void
assert_box_width(const char *s, size_t skip, size_t width)
{
	char *copy = strip_sgr(s);
	char *save = NULL;
	size_t n = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (n++ >= skip)
			assert_int_equal(text_width(line), width);
	}
	free(copy);
}

static void
test_render_cases(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct table *t = build(&cases[i], STYLE_NAME);
		char *got = render_table(t, cases[i].width, 0);
		if (strcmp(got, cases[i].expected) != 0)
			print_message("case: %s\n%s", cases[i].name, got);
		assert_string_equal(got, cases[i].expected);
		free(got);
		table_free(t);
	}
}

static void
test_color_only_adds_escapes(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct table *t = build(&cases[i], STYLE_NAME),
			     *again = build(&cases[i], STYLE_NAME);
		char *plain = render_table(t, cases[i].width, 0);
		char *colored = render_table(again, cases[i].width, 1);
		char *stripped = strip_sgr(colored);
		assert_string_not_equal(plain, colored);
		assert_string_equal(stripped, plain);
		free(stripped);
		free(colored);
		free(plain);
		table_free(t);
		table_free(again);
	}
}

static void
test_color_sequences(void **state)
{
	struct table *t = build(&cases[0], STYLE_SUCCESS);
	char *got = render_table(t, 80, 1);
	(void)state;

	assert_string_equal(got, "      \033[1mFlows\033[0m\n"
				 "┏━━━━━━┳━━━━━━━━┓\n"
				 "┃ \033[1mName\033[0m ┃ \033[1mStatus\033[0m ┃\n"
				 "┡━━━━━━╇━━━━━━━━┩\n"
				 "│ \033[32m中文\033[0m │ \033[32m🚀 go\033[0m  │\n"
				 "│ \033[32mabc\033[0m  │ \033[32m✓\033[0m      │\n"
				 "└──────┴────────┘\n");
	free(got);
	table_free(t);
}

/* At every width the box keeps straight borders and fits when it can. */
static void
test_truncation_keeps_lines_even(void **state)
{
	const struct table_case *c = &cases[1];
	(void)state;

	for (int width = 20; width <= 70; width++) {
		struct table *t = build(c, STYLE_NONE);
		char *got = render_table(t, width, width % 2);
		size_t natural = 1 + 3 * 3 + 23 + 21 + strlen("Completed");
		assert_box_width(got, 1, natural < (size_t)width ? natural : (size_t)width);
		free(got);
		table_free(t);
	}
}

static void
test_row_count_and_implicit_row(void **state)
{
	struct table *t = table_new("x");
	(void)state;

	table_add_column(t, "A", ALIGN_LEFT, 0);
	table_cell(t, "first", STYLE_NONE);
	table_cell(t, "ignored extra", STYLE_NONE);
	table_add_row(t);
	table_cell(t, NULL, STYLE_NONE);
	char *got = render_table(t, 80, 0);
	assert_string_equal(got, "    x\n"
				 "┏━━━━━━━┓\n"
				 "┃ A     ┃\n"
				 "┡━━━━━━━┩\n"
				 "│ first │\n"
				 "│       │\n"
				 "└───────┘\n");
	free(got);
	table_free(t);
	table_free(NULL);
}

/* The ID column of every body line of a rendered table. */
static void
id_cells(const char *text, char cells[][64], size_t *n)
{
	*n = 0;
	for (const char *line = text; (line = strstr(line, "│ ")); line = strchr(line, '\n')) {
		const char *end = strstr(line + 4, " │");
		snprintf(cells[(*n)++], 64, "%.*s", (int)(end - line - 4), line + 4);
		if (!strchr(line, '\n'))
			break;
	}
}

static void
test_id_column_shows_unique_prefixes(void **state)
{
	/* clang-format off */
	static const struct {
		const char *ids[3];
		const char *shown[3];
	} id_cases[] = {
		/* distinct in 8: 8 and an ellipsis */
		{ { "0f3a2b1c-0000-4000-8000-000000000000", "9e8d7c6b-0000-4000-8000-000000000000", NULL },
		  { "0f3a2b1c…", "9e8d7c6b…", NULL } },
		/* time-ordered IDs sharing 12 characters: as long as it takes */
		{ { "01a23586-1d2e-7aaa-8000-000000000001", "01a23586-1d2e-7aab-8000-000000000002",
		    "01a23586-1d2f-7000-8000-000000000003" },
		  { "01a23586-1d2e-7aaa…", "01a23586-1d2e-7aab…", "01a23586-1d2f-7000…" } },
		/* the same ID twice is one ID; short ones are shown whole */
		{ { "0f3a2b1c-0000-4000-8000-000000000000", "0f3a2b1c-0000-4000-8000-000000000000", "-" },
		  { "0f3a2b1c…", "0f3a2b1c…", "-" } },
		/* a prefix that ends inside a character keeps the whole character (fuzz_table) */
		{ { "aéééééé", "b", NULL }, { "aéééé…", "b", NULL } },
	};
	/* clang-format on */
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(id_cases); i++) {
		struct table *t = table_new(NULL);
		char cells[8][64];
		size_t n, rows = 0;
		table_add_column(t, "ID", ALIGN_LEFT, COLUMN_ID);
		for (size_t r = 0; r < 3 && id_cases[i].ids[r]; r++, rows++) {
			table_add_row(t);
			table_cell(t, id_cases[i].ids[r], STYLE_NONE);
		}
		char *got = render_table(t, 120, 0);
		id_cells(got, cells, &n);
		assert_int_equal(n, rows);
		for (size_t r = 0; r < rows; r++) {
			char want[64];
			snprintf(want, sizeof(want), "%s", id_cases[i].shown[r]);
			/* cells are padded to the column */
			assert_memory_equal(cells[r], want, strlen(want));
		}
		free(got);
		table_free(t);
	}
}

static void
test_parts_keep_the_first_widths(void **state)
{
	struct table *t = table_new("Runs (3)");
	struct term term = { .format = OUTPUT_TABLE, .width = 80 };
	struct buf out = BUF_INIT;
	(void)state;
	table_add_column(t, "Name", ALIGN_LEFT, 0);
	table_add_row(t);
	table_cell(t, "short", STYLE_NONE);
	table_render_part(t, &term, &out, 0);
	assert_int_equal(table_rows_held(t), 0);
	table_set_title(t, "ignored: the title was drawn");
	table_add_row(t);
	table_cell(t, "much longer name", STYLE_NONE);
	table_add_row(t);
	table_cell(t, "tiny", STYLE_NONE);
	table_render_part(t, &term, &out, 1);
	assert_string_equal(buf_str(&out), "Runs (3)\n"
					   "┏━━━━━━━┓\n"
					   "┃ Name  ┃\n"
					   "┡━━━━━━━┩\n"
					   "│ short │\n"
					   "│ much  │\n"
					   "│ longe │\n"
					   "│ r     │\n"
					   "│ name  │\n"
					   "│ tiny  │\n"
					   "└───────┘\n");
	buf_release(&out);
	table_free(t);
}

int
main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_cases),
		cmocka_unit_test(test_color_only_adds_escapes),
		cmocka_unit_test(test_color_sequences),
		cmocka_unit_test(test_truncation_keeps_lines_even),
		cmocka_unit_test(test_row_count_and_implicit_row),
		cmocka_unit_test(test_id_column_shows_unique_prefixes),
		cmocka_unit_test(test_parts_keep_the_first_widths),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
