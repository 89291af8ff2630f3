/*
 * Rich-style boxed tables (see table.h): cells are sanitised when added,
 * columns take the width of their widest text and, when the box is wider
 * than the terminal, the widest shrinkable column gives up a column at a
 * time (then, if need be, the widest of any) and its cells are truncated
 * with "…".
 */
#include "ui/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/text.h"

/* A shrinkable column never gets narrower than this (unless it already is). */
#define MIN_COLUMN_WIDTH 3

struct column {
	char *header;
	enum table_align align;
	unsigned flags;
};

struct cell {
	char *text;
	enum style style;
};

/* What one box cell shows: a cell, a header or nothing. */
struct cell_view {
	const char *text;
	enum style style;
};

struct row {
	struct cell *cells;
	size_t len;
	size_t alloc;
};

struct table {
	char *title;
	struct column *cols;
	size_t ncols;
	size_t cols_alloc;
	struct row *rows;
	size_t nrows;
	size_t rows_alloc;
	size_t *w;      /* column widths, once the first part was drawn */
	size_t *id_len; /* COLUMN_ID columns: the prefix length shown */
};

/* The characters of one horizontal rule: left end, fill, junction, right end. */
struct rule {
	const char *left;
	const char *fill;
	const char *join;
	const char *right;
};

static const struct rule rule_top = { "┏", "━", "┳", "┓" };
static const struct rule rule_head = { "┡", "━", "╇", "┩" };
static const struct rule rule_bottom = { "└", "─", "┴", "┘" };

/* Make room for one more element in an array of elem-sized items. */
static void *
grow(void *items, size_t len, size_t *alloc, size_t elem)
{
	if (len < *alloc)
		return items;
	*alloc = *alloc ? *alloc * 2 : 8;
	return xrealloc(items, *alloc * elem);
}

struct table *
table_new(const char *title)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->title = text_sanitize_dup(title, 1);
	return t;
}

struct table *
table_new_counted(const char *noun, size_t count)
{
	char *title = xasprintf("%s (%zu)", noun, count);
	struct table *t = table_new(title);
	free(title);
	return t;
}

void
table_set_title(struct table *t, const char *title)
{
	free(t->title);
	t->title = text_sanitize_dup(title, 1);
}

size_t
table_rows_held(const struct table *t)
{
	return t->nrows;
}

void
table_add_column(struct table *t, const char *header, enum table_align align, unsigned flags)
{
	t->cols = grow(t->cols, t->ncols, &t->cols_alloc, sizeof(*t->cols));
	t->cols[t->ncols++] = (struct column){
		.header = text_sanitize_dup(header, 1),
		.align = align,
		.flags = flags,
	};
}

void
table_add_row(struct table *t)
{
	t->rows = grow(t->rows, t->nrows, &t->rows_alloc, sizeof(*t->rows));
	t->rows[t->nrows++] = (struct row){ NULL, 0, 0 };
}

void
table_cell(struct table *t, const char *text, enum style style)
{
	if (!t->nrows)
		table_add_row(t);
	struct row *r = &t->rows[t->nrows - 1];
	r->cells = grow(r->cells, r->len, &r->alloc, sizeof(*r->cells));
	r->cells[r->len++] = (struct cell){ text_sanitize_dup(text, 1), style };
}

/* The cell of row r in column c; missing cells are empty. */
static struct cell_view
cell_at(const struct row *r, size_t c)
{
	if (c < r->len)
		return (struct cell_view){ r->cells[c].text, r->cells[c].style };
	return (struct cell_view){ "", STYLE_NONE };
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Characters a and b share at their start. */
static size_t
shared(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* The shortest prefix length, at least TABLE_ID_MIN, that tells column c's IDs apart. */
static size_t
unique_prefix(const struct table *t, size_t c)
{
	const char **ids = xcalloc(t->nrows ? t->nrows : 1, sizeof(*ids));
	size_t n = 0, len = TABLE_ID_MIN;
	for (size_t r = 0; r < t->nrows; r++)
		ids[n++] = cell_at(&t->rows[r], c).text;
	qsort(ids, n, sizeof(*ids), by_text);
	for (size_t i = 1; i < n; i++) {
		size_t same = shared(ids[i - 1], ids[i]);
		if (ids[i - 1][same] && same + 1 > len) /* equal IDs are one row twice */
			len = same + 1;
	}
	free(ids);
	return len;
}

/*
 * What a cell shows: an identifier shortened to its column's prefix (ended
 * after a whole character), else its text.
 */
static const char *
shown_text(const struct table *t, size_t c, const char *text, struct buf *tmp)
{
	if (!(t->cols[c].flags & COLUMN_ID))
		return text;
	size_t len = strlen(text), cut = t->id_len[c];
	while (cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut++;
	if (len <= cut)
		return text;
	buf_reset(tmp);
	buf_add(tmp, text, cut);
	buf_adds(tmp, "…");
	return buf_str(tmp);
}

static void
natural_widths(const struct table *t, size_t *w)
{
	struct buf tmp = BUF_INIT;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->cols[c].header);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = text_width(shown_text(t, c, cell_at(&t->rows[r], c).text, &tmp));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	buf_release(&tmp);
}

/* Columns the drawn box takes: a border, then " text │" per column. */
static size_t
box_width(const size_t *w, size_t ncols)
{
	size_t total = 1;

	for (size_t c = 0; c < ncols; c++)
		total += w[c] + 3;
	return total;
}

/*
 * The widest column that may still shrink, or ncols when there is none.
 * Columns marked COLUMN_SHRINK give way first; when they are down to the
 * minimum, the others follow, so the box always fits when it can.
 */
static size_t
widest_shrinkable(const struct table *t, const size_t *w, int any_column)
{
	size_t best = t->ncols;

	for (size_t c = 0; c < t->ncols; c++) {
		int shrinkable = any_column || (t->cols[c].flags & COLUMN_SHRINK);
		if (!shrinkable || w[c] <= MIN_COLUMN_WIDTH)
			continue;
		if (best == t->ncols || w[c] > w[best])
			best = c;
	}
	return best;
}

static void
fit_widths(const struct table *t, size_t *w, size_t width)
{
	size_t total = box_width(w, t->ncols);

	for (int any_column = 0; any_column < 2; any_column++) {
		while (total > width) {
			size_t c = widest_shrinkable(t, w, any_column);
			if (c == t->ncols)
				break;
			w[c]--;
			total--;
		}
	}
}

static void
render_rule(struct buf *out, const size_t *w, size_t ncols, const struct rule *r)
{
	buf_adds(out, r->left);
	for (size_t c = 0; c < ncols; c++) {
		if (c)
			buf_adds(out, r->join);
		buf_repeat(out, r->fill, w[c] + 2);
	}
	buf_adds(out, r->right);
	buf_addc(out, '\n');
}

static void
render_title(const struct table *t, size_t box, const struct term *term, struct buf *out)
{
	size_t tw = text_width(t->title);
	struct buf title;

	if (!tw)
		return;
	buf_init(&title, 0);
	text_truncate(&title, t->title, (size_t)term->width);
	text_pad(out, tw < box ? (box - tw) / 2 : 0);
	style_add(out, buf_str(&title), STYLE_BOLD, term->color);
	buf_addc(out, '\n');
	buf_release(&title);
}

/* Append " text " fitted to width columns and aligned; tmp is scratch space. */
static void
render_cell(struct buf *out, struct cell_view cell, size_t width, enum table_align align, int color,
	    struct buf *tmp)
{
	buf_reset(tmp);
	size_t pad = width - text_truncate(tmp, cell.text, width);
	size_t left = align == ALIGN_RIGHT ? pad : align == ALIGN_CENTER ? pad / 2 : 0;

	buf_addc(out, ' ');
	text_pad(out, left);
	style_add(out, buf_str(tmp), cell.style, color);
	text_pad(out, pad - left);
	buf_addc(out, ' ');
}

/* One line of cells between vertical bars; row NULL is the header. */
static void
render_cells(struct buf *out, const struct table *t, const struct row *row, int color)
{
	const char *bar = row ? "│" : "┃";
	struct buf tmp = BUF_INIT, id = BUF_INIT;

	buf_adds(out, bar);
	for (size_t c = 0; c < t->ncols; c++) {
		struct cell_view cell = row ? cell_at(row, c) :
					      (struct cell_view){ t->cols[c].header, STYLE_BOLD };
		if (row)
			cell.text = shown_text(t, c, cell.text, &id);
		render_cell(out, cell, t->w[c], t->cols[c].align, color, &tmp);
		buf_adds(out, bar);
	}
	buf_addc(out, '\n');
	buf_release(&tmp);
	buf_release(&id);
}

/* Fix the widths from the rows held; draw the title and the header. */
static void
lay_out(struct table *t, const struct term *term, struct buf *out)
{
	t->w = xcalloc(t->ncols ? t->ncols : 1, sizeof(*t->w));
	t->id_len = xcalloc(t->ncols ? t->ncols : 1, sizeof(*t->id_len));
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].flags & COLUMN_ID)
			t->id_len[c] = unique_prefix(t, c);
	natural_widths(t, t->w);
	fit_widths(t, t->w, (size_t)term->width);
	render_title(t, box_width(t->w, t->ncols), term, out);
	render_rule(out, t->w, t->ncols, &rule_top);
	render_cells(out, t, NULL, term->color);
	render_rule(out, t->w, t->ncols, &rule_head);
}

static void
drop_rows(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->rows[r].len; c++)
			free(t->rows[r].cells[c].text);
		free(t->rows[r].cells);
	}
	t->nrows = 0;
}

void
table_render_part(struct table *t, const struct term *term, struct buf *out, int last)
{
	if (!t->w)
		lay_out(t, term, out);
	for (size_t r = 0; r < t->nrows; r++)
		render_cells(out, t, &t->rows[r], term->color);
	drop_rows(t);
	if (last)
		render_rule(out, t->w, t->ncols, &rule_bottom);
}

void
table_render(struct table *t, const struct term *term, struct buf *out)
{
	table_render_part(t, term, out, 1);
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	drop_rows(t);
	free(t->w);
	free(t->id_len);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c].header);
	free(t->rows);
	free(t->cols);
	free(t->title);
	free(t);
}
