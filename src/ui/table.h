/*
 * Rich-style boxed tables, as drawn in the spec:
 *
 *                  Prefect Flows (2)
 *   ┏━━━━━━━━━┳━━━━━━━━┓
 *   ┃ Name    ┃ Status ┃
 *   ┡━━━━━━━━━╇━━━━━━━━┩
 *   │ my-flow │ ✓      │
 *   └─────────┴────────┘
 *
 * Cell text is sanitised (text_sanitize, single line). The width policy
 * (docs/output.md, "Width"): when the natural width exceeds term->width,
 * columns give way from the least important (the highest priority number)
 * to the most: each shrinks to its floor, then, unless it is essential
 * (priority 0) or the output is -o wide, is dropped and named in a footnote
 * line under the box. Only COLUMN_SHRINK cells are cut with "…"; other
 * cells wrap onto continuation lines between words, and COLUMN_WHOLE and
 * COLUMN_ID cells stay on one line unless nothing else can give. -o wide
 * (term->wide) draws every column at its natural width, IDs in full.
 * Headers are bold when colour is on; a title is centred above the box.
 *
 * A long table is drawn in parts as its rows come (table_render_part): the
 * rows held at the first part fix the column widths (and the length of the
 * shortened identifiers) for the rest, whose cells are cut to them.
 */
#ifndef UI_TABLE_H
#define UI_TABLE_H

#include "core/buf.h"
#include "ui/style.h"
#include "ui/term.h"

enum table_align {
	ALIGN_LEFT = 0,
	ALIGN_RIGHT,
	ALIGN_CENTER,
};

enum table_column_flags {
	COLUMN_SHRINK = 1 << 0, /* truncated first when the table is too wide */
	COLUMN_ID = 1 << 1,     /* identifiers: shown as the shortest prefix of at least
				 * TABLE_ID_MIN characters that no other row of the column
				 * shares, as git abbreviates object names, then "…" */
	COLUMN_WHOLE = 1 << 2,  /* names the user came for, expressions: never cut, kept
				 * on one line while less important columns can give */
};

/* Column priorities: 0 is essential (never dropped); higher numbers drop first. */
#define TABLE_ESSENTIAL 0

#define TABLE_ID_MIN 8

struct table;

/* title may be NULL. The caller frees the table with table_free(). */
struct table *table_new(const char *title);
/* A table titled "<noun> (<count>)", as list commands title theirs. */
struct table *table_new_counted(const char *noun, size_t count);
void table_add_column(struct table *t, const char *header, enum table_align align, unsigned flags);
/*
 * How the column just added gives way when the table is too wide: its
 * priority (TABLE_ESSENTIAL, the default, or 1, 2, ...: the highest goes
 * first) and the fewest columns it shrinks to (0: the default floor, 3 for
 * COLUMN_SHRINK, the widest word for a wrapping column).
 */
void table_column_fit(struct table *t, unsigned priority, size_t min_width);
/* Start a new row; then one table_cell() per column, in order. */
void table_add_row(struct table *t);
void table_cell(struct table *t, const char *text, enum style style);
/* Give the table a (new) title; it shows if no part was drawn yet. */
void table_set_title(struct table *t, const char *title);
/* How many rows the table holds (added and not yet drawn). */
size_t table_rows_held(const struct table *t);
/*
 * Append the rows held (dropping them), after the title and header when
 * this is the first part, and the bottom border (and the footnote naming
 * the columns dropped) when last is set.
 */
void table_render_part(struct table *t, const struct term *term, struct buf *out, int last);
/* Append the whole rendered table (ending in a newline) to out. */
void table_render(struct table *t, const struct term *term, struct buf *out);
void table_free(struct table *t);

#endif
